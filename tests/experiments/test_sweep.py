"""Sweep files: validation errors, expansion into runs, and ``countysim sweep`` end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.experiments.sweep import SweepError, load_sweep
from countysim.model import run as run_model
from countysim.scenario import load as load_scenario

from helpers import ROOT

FULL_ACTION = ROOT / "scenarios" / "full_action.toml"
runner = CliRunner()

VALID = """\
base = "../base.toml"
name = "t-sweep"
design = "lhs"
points = 4
reps = 2
seed = 1
months = 12
scale = 0.02
outcomes = ["settled_persons_cum", "public_school_share"]
[parameters]
"levers.s1_training_places_per_year" = [5000, 30000]
"behaviour.settlement.base" = [-8.0, -5.0]
"behaviour.services.coordination_delay_months" = [0, 12]
"""
PARAMS = [
    "levers.s1_training_places_per_year.value",
    "behaviour.settlement.base",
    "behaviour.services.coordination_delay_months",
]


@pytest.fixture()
def base(tmp_path: Path) -> Path:
    p = tmp_path / "base.toml"
    p.write_text(f'extends = "{FULL_ACTION.as_posix()}"\nname = "base"\n')
    return p


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    folder = tmp_path / "sweeps"
    folder.mkdir(exist_ok=True)
    p = folder / name
    p.write_text(text)
    return p


def edit(text: str, key: str, line: str | None) -> str:
    """Replace the line setting ``key`` (or add ``line`` at the top; ``None`` removes it)."""
    lines = text.splitlines()
    found = [i for i, s in enumerate(lines) if s.split("=")[0].strip() == key]
    if found:
        if line is None:
            del lines[found[0]]
        else:
            lines[found[0]] = line
    elif line is not None:
        at = len(lines) if key.startswith('"') else 0
        lines.insert(at, line)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------
# Loading and expansion
# ----------------------------------------------------------------------------------------
def test_specs_carry_points_params_and_common_seeds(tmp_path, base) -> None:
    sw = load_sweep(write(tmp_path, VALID))
    assert sw.names == tuple(PARAMS) and sw.design.n == 4 and sw.seeds == [1, 2]
    specs = sw.specs()
    assert len(specs) == 8
    assert [s.seed for s in specs] == [1, 2] * 4
    assert [(s.meta["point"], s.meta["replicate"]) for s in specs] == [
        (i, r) for i in range(4) for r in (0, 1)
    ]
    meta = specs[5].meta["params"]
    assert set(meta) == set(PARAMS)
    assert meta == sw.params(2)
    assert isinstance(meta["behaviour.services.coordination_delay_months"], int)
    for i in range(4):
        x = sw.design.samples[i]
        s = sw.scenarios[i]
        assert s.behaviour.settlement.base == pytest.approx(x[1])
        assert s.behaviour.services.coordination_delay_months == round(x[2])
        lever = s.levers["s1_training_places_per_year"]
        # range in full-county units, then scaled; the base's start and ramp are kept
        assert lever.value == pytest.approx(x[0] * 0.02)
        assert (lever.start, lever.ramp_months) == ("2023-03", 12)
        assert s.horizon.months == 12
    full = load_scenario(base)
    assert sw.scenarios[0].county.households.n == round(full.county.households.n * 0.02)
    assert len({s.content_hash() for s in sw.scenarios}) == 4


def test_same_seed_same_design_and_overrides(tmp_path, base) -> None:
    path = write(tmp_path, VALID)
    a, b = load_sweep(path), load_sweep(path)
    np.testing.assert_array_equal(a.design.samples, b.design.samples)
    assert a.description() == b.description()
    c = load_sweep(path, seed=5, months=6, name="other")
    assert c.seeds == [5, 6] and c.months == 6 and c.name == "other"
    assert not np.array_equal(a.design.samples, c.design.samples)


def test_description_holds_the_whole_design(tmp_path, base) -> None:
    sw = load_sweep(write(tmp_path, VALID))
    d = json.loads(json.dumps(sw.description()))
    assert d["design"] == "lhs" and d["names"] == PARAMS and d["seeds"] == [1, 2]
    assert d["bounds"] == [[5000.0, 30000.0], [-8.0, -5.0], [0.0, 12.0]]
    np.testing.assert_array_equal(np.array(d["samples"]), sw.design.samples)
    assert d["outcomes"] == ["settled_persons_cum", "public_school_share"]
    assert d["point_hashes"] == [s.content_hash() for s in sw.scenarios]
    assert d["integer"] == [False, False, True] and d["scale"] == 0.02 and d["months"] == 12


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios" / "sweeps").glob("*.toml")), ids=lambda p: p.name)
def test_shipped_sweeps_are_valid(path: Path) -> None:
    sw = load_sweep(path)
    assert sw.design.n > 0 and sw.outcomes and not sw.notes


def test_sobol_points_not_a_power_of_two_is_a_note(tmp_path, base) -> None:
    sw = load_sweep(write(tmp_path, edit(edit(VALID, "design", 'design = "sobol"'), "points", "points = 3")))
    assert sw.design.n == 3 * (2 * 3 + 2)
    assert "power of 2" in sw.notes[0]


# ----------------------------------------------------------------------------------------
# Validation errors: each names the file, the key, the value and what is allowed
# ----------------------------------------------------------------------------------------
ERRORS = [
    ("unknown key", "repz", "repz = 3", ["repz = 3", "unknown key; allowed: base, name"]),
    (
        "unknown design",
        "design",
        'design = "halton"',
        ["design = 'halton'", "allowed: grid, lhs, sobol, morris"],
    ),
    ("points < 1", "points", "points = 0", ["points = 0", "whole number from 1"]),
    ("reps < 1", "reps", "reps = 0", ["reps = 0", "whole number from 1"]),
    ("points not whole", "points", "points = 2.5", ["points = 2.5", "whole number from 1"]),
    (
        "unknown outcome",
        "outcomes",
        'outcomes = ["settled_persons_cum", "setled"]',
        ["outcomes = 'setled'", "unknown indicator; allowed: persons,", "settled_persons_cum"],
    ),
    (
        "unknown path",
        '"behaviour.settlement.bse"',
        '"behaviour.settlement.bse" = [1, 2]',
        ['parameters."behaviour.settlement.bse" = [1, 2]', "unknown key; allowed here: base, stable_job"],
    ),
    (
        "unknown lever",
        '"levers.s9_nope"',
        '"levers.s9_nope" = [0, 1]',
        ['parameters."levers.s9_nope" = [0, 1]', "unknown lever; allowed: e1_county_job_growth"],
    ),
    (
        "range beyond parameter bounds",
        '"behaviour.settlement.base"',
        '"behaviour.settlement.base" = [-8.0, 6.0]',
        [
            'parameters."behaviour.settlement.base" = [-8.0, 6.0]',
            "upper bound not allowed",
            "less than or equal to 5",
        ],
    ),
    (
        "range beyond lever bounds",
        '"levers.s1_training_places_per_year"',
        '"levers.s1_training_places_per_year" = [-10, 30000]',
        ["lower bound not allowed", "out of range for s1_training_places_per_year", "allowed 0.0 to"],
    ),
    (
        "lo >= hi",
        '"behaviour.settlement.base"',
        '"behaviour.settlement.base" = [-5.0, -8.0]',
        ['parameters."behaviour.settlement.base" = [-5.0, -8.0]', "lower bound must be below the upper"],
    ),
    (
        "range not two numbers",
        '"behaviour.settlement.base"',
        '"behaviour.settlement.base" = [-5.0]',
        ["[-5.0]", "must be a range [lo, hi] of two numbers"],
    ),
    (
        "table, not a number",
        '"behaviour.settlement"',
        '"behaviour.settlement" = [0, 1]',
        ['parameters."behaviour.settlement" = [0, 1]', "not a numeric parameter"],
    ),
    ("seed is no parameter", "seed", None, []),  # placeholder replaced below
    (
        "missing base",
        "base",
        'base = "../nope.toml"',
        ["base = '../nope.toml'", "no such scenario file", "nope.toml"],
    ),
    ("scale out of range", "scale", "scale = 0", ["scale = 0", "(0, 100]"]),
    ("levels for lhs", "levels", "levels = 6", ["levels = 6", "only to design = 'morris'"]),
    ("months beyond calendar", "months", "months = 360", ["months = 360", "horizon"]),
]
ERRORS[13] = (
    "seed is no parameter",
    '"seed"',
    '"seed" = [1, 9]',
    ["parameters.seed = [1, 9]", "not a model parameter"],
)


@pytest.mark.parametrize(("what", "key", "line", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_error_names_file_key_value_and_allowed(tmp_path, base, what, key, line, expected) -> None:
    path = write(tmp_path, edit(VALID, key, line))
    with pytest.raises(SweepError) as info:
        load_sweep(path)
    msg = str(info.value)
    assert str(path) in msg, msg
    for part in expected:
        assert part in msg, f"{what}: {part!r} not in\n{msg}"


def test_missing_keys_and_several_problems_at_once(tmp_path, base) -> None:
    text = edit(edit(edit(VALID, "outcomes", None), "design", None), "points", "points = -1")
    with pytest.raises(SweepError) as info:
        load_sweep(write(tmp_path, text))
    keys = [p[1] for p in info.value.problems]
    assert keys == ["design", "points", "outcomes"], info.value
    assert "missing; give one of grid, lhs, sobol, morris" in str(info.value)


def test_missing_sweep_file_and_bad_toml(tmp_path) -> None:
    with pytest.raises(SweepError, match=r"nope\.toml: \(file\): no such sweep file"):
        load_sweep(tmp_path / "nope.toml")
    with pytest.raises(SweepError, match=r"bad\.toml: \(syntax\): not valid TOML"):
        load_sweep(write(tmp_path, "design = \n", "bad.toml"))


def test_cli_reports_a_bad_sweep_and_writes_nothing(tmp_path, base) -> None:
    path = write(tmp_path, edit(VALID, "design", 'design = "halton"'))
    db = tmp_path / "db" / "s.db"
    res = runner.invoke(
        app, ["sweep", str(path), "--db", f"sqlite:///{db}", "--output-dir", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    assert "design = 'halton': unknown design; allowed: grid, lhs, sobol, morris" in res.output
    assert not db.exists() and not (tmp_path / "o").exists()


# ----------------------------------------------------------------------------------------
# countysim sweep, end to end on a real SQLite file
# ----------------------------------------------------------------------------------------
def sweep_cli(path: Path, db: Path, out: Path, *extra: str):
    args = ["sweep", str(path), "--db", f"sqlite:///{db}", "--output-dir", str(out), "--workers", "2", "-q"]
    return runner.invoke(app, [*args, *extra])


def test_sweep_end_to_end_and_resume(tmp_path, base) -> None:
    path = write(tmp_path, VALID)
    db, out = tmp_path / "store.db", tmp_path / "out"
    res = sweep_cli(path, db, out)
    assert res.exit_code == 0, res.output
    assert "lhs design, 4 points × 2 replications = 8 runs, 12 months, scale 0.02" in res.output
    assert "8 done now, 0 skipped as stored, 0 failed" in res.output

    sw = load_sweep(path)
    csv = pd.read_csv(out / "sweep_outcomes.csv")
    assert list(csv.columns) == ["point", "replicate", "seed", *PARAMS, "status", *sw.outcomes]
    assert len(csv) == 8 and (csv["status"] == "done").all()
    assert csv[["point", "replicate", "seed"]].values.tolist() == [
        [i, r, 1 + r] for i in range(4) for r in (0, 1)
    ]
    for row in csv.itertuples(index=False):
        assert list(row[3:6]) == pytest.approx(list(sw.params(row.point).values()))
    assert pd.api.types.is_integer_dtype(csv["behaviour.services.coordination_delay_months"])
    assert csv["settled_persons_cum"].notna().all() and csv["public_school_share"].between(0, 1).all()
    # a stored outcome is the model's value at the horizon for that point and seed
    direct = run_model(sw.scenario(3), seed=2).final()
    got = csv[(csv["point"] == 3) & (csv["seed"] == 2)].iloc[0]
    assert got["settled_persons_cum"] == direct["settled_persons_cum"]
    assert got["public_school_share"] == pytest.approx(direct["public_school_share"])

    with sqlite3.connect(db) as con:
        kind, spec = con.execute("select kind, spec_json from experiment where name = 't-sweep'").fetchone()
        metas = [json.loads(m) for (m,) in con.execute("select meta_json from run order by id")]
    assert kind == "sweep"
    assert json.loads(spec) == json.loads(json.dumps(sw.description()))
    assert {(m["point"], m["replicate"]) for m in metas} == {(i, r) for i in range(4) for r in (0, 1)}
    assert all(set(m["params"]) == set(PARAMS) for m in metas)

    # run again: everything is stored, nothing runs
    again = sweep_cli(path, db, out)
    assert again.exit_code == 0, again.output
    assert "0 done now, 8 skipped as stored, 0 failed" in again.output
    pd.testing.assert_frame_equal(pd.read_csv(out / "sweep_outcomes.csv"), csv)

    # lose three runs (as if killed before they were stored): a resume does just those
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("delete from run where id in (select id from run order by id desc limit 3)")
    resumed = sweep_cli(path, db, out)
    assert resumed.exit_code == 0, resumed.output
    assert "3 done now, 5 skipped as stored, 0 failed" in resumed.output
    pd.testing.assert_frame_equal(pd.read_csv(out / "sweep_outcomes.csv"), csv)

    # grid and LHS designs get standardised regression coefficients
    sens = runner.invoke(app, ["sensitivity", "t-sweep", "--db", f"sqlite:///{db}", "--output-dir", str(out)])
    assert sens.exit_code == 0, sens.output
    assert (
        "method src" in sens.output
        and "Sobol' and Morris indices need design = 'sobol' or 'morris'" in sens.output
    )
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns) == ["outcome", "parameter", "src", "r2"] and len(table) == 2 * 3

    # the same name with another design would mix two designs: refused, nothing runs
    other = sweep_cli(path, db, out, "--seed", "7")
    assert other.exit_code == 2
    assert "already holds an experiment of this name" in other.output and "--name" in other.output
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == 8


def test_failed_runs_are_reported_stored_and_retried(tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        f'extends = "{FULL_ACTION.as_posix()}"\nname = "broken"\n'
        '[population]\nsource = "microdata"\npath = "missing.csv"\n'
    )
    text = edit(
        edit(edit(VALID, "base", 'base = "../broken.toml"'), "points", "points = 2"), "reps", "reps = 1"
    )
    path = write(tmp_path, edit(text, "months", "months = 4"))
    db, out = tmp_path / "store.db", tmp_path / "out"
    res = sweep_cli(path, db, out)
    assert res.exit_code == 1
    assert "0 done now, 0 skipped as stored, 2 failed" in res.output
    assert "2 runs failed (first: countysim.build.microdata.MicrodataError:" in res.output
    assert "no such microdata file" in res.output and "run the sweep again to retry them" in res.output
    csv = pd.read_csv(out / "sweep_outcomes.csv")
    assert csv["status"].tolist() == ["failed", "failed"] and csv["settled_persons_cum"].isna().all()
    with sqlite3.connect(db) as con:
        errors = [e for (e,) in con.execute("select error from run where status = 'failed'")]
    assert len(errors) == 2 and all("MicrodataError" in e for e in errors)

    sens = runner.invoke(app, ["sensitivity", "t-sweep", "--db", f"sqlite:///{db}", "--output-dir", str(out)])
    assert sens.exit_code == 2
    assert (
        "2 of 2 design points have no finished run with 'settled_persons_cum' (2 of 2 runs failed"
        in sens.output
    )
    assert "regression coefficients need the complete lhs design" in sens.output

    again = sweep_cli(path, db, out)  # failed runs are not skipped: they are tried again
    assert again.exit_code == 1 and "0 done now, 0 skipped as stored, 2 failed" in again.output


def test_run_sweep_from_python_resumes(tmp_path):
    import countysim as cs
    from countysim.experiments import InlineExecutor
    from countysim.store import ResultsStore

    sweep_file = tmp_path / "py.toml"
    sweep_file.write_text(
        f'base = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\nname = "py-sweep"\ndesign = "lhs"\n'
        'points = 3\nreps = 1\nseed = 5\nmonths = 3\nscale = 0.01\noutcomes = ["employed_rate"]\n'
        '[parameters]\n"behaviour.labour.p_sep_outside" = [0.015, 0.035]\n'
    )
    with ResultsStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        done, failed = cs.sweep(sweep_file, store=store, executor=InlineExecutor())
        assert len(done) == 3 and not failed
        again, _ = cs.sweep(sweep_file, store=store, executor=InlineExecutor())
        assert again == [] and int(store.experiments()["n_done"].iloc[0]) == 3
