"""Sweep files: validation errors, expansion into runs, and ``countysim sweep`` end to end."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.experiments.designs import decode
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
        s = sw.scenario(i)
        assert s.behaviour.settlement.base == pytest.approx(x[1])
        assert s.behaviour.services.coordination_delay_months == round(x[2])
        lever = s.levers["s1_training_places_per_year"]
        # range in full-county units, then scaled; the base's start and ramp are kept
        assert lever.value == pytest.approx(x[0] * 0.02)
        assert (lever.start, lever.ramp_months) == ("2023-03", 12)
        assert s.horizon.months == 12
    full = load_scenario(base)
    assert sw.scenario(0).county.households.n == round(full.county.households.n * 0.02)
    assert len({sw.scenario(i).content_hash() for i in range(4)}) == 4
    assert [s.scenario.name for s in specs[::2]] == [f"t-sweep#p{i}" for i in range(4)]


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
    np.testing.assert_array_equal(decode(d["samples"], 3), sw.design.samples)
    assert d["outcomes"] == ["settled_persons_cum", "public_school_share"]
    assert d["integer"] == [False, False, True] and d["scale"] == 0.02 and d["months"] == 12
    assert d["spec_version"] == 2 and d["scenario_prefix"] == "t-sweep#p" and d["categories"] is None
    # nothing per point but its row of the sample matrix: no point's scenario is built to store it
    assert "point_hashes" not in d and d["base_hash"] == sw.base.content_hash()


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
    (
        "unknown key",
        "repz",
        "repz = 3",
        ["repz = 3", "unknown key (did you mean 'reps'?); allowed: base, name"],
    ),
    (
        "unknown design",
        "design",
        'design = "halton"',
        ["design = 'halton'", "unknown design; allowed: grid, lhs, sobol, morris"],
    ),
    ("points < 1", "points", "points = 0", ["points = 0", "whole number from 1"]),
    ("reps < 1", "reps", "reps = 0", ["reps = 0", "whole number from 1"]),
    ("points not whole", "points", "points = 2.5", ["points = 2.5", "whole number from 1"]),
    (
        "unknown outcome",
        "outcomes",
        'outcomes = ["settled_persons_cum", "setled"]',
        [
            "outcomes[1] = 'setled'",
            "unknown indicator (did you mean 'settled_persons_cum'?); allowed: persons,",
        ],
    ),
    (
        "unknown path",
        '"behaviour.settlement.bse"',
        '"behaviour.settlement.bse" = [1, 2]',
        [
            'parameters."behaviour.settlement.bse" = [1.0, 2.0]',
            "unknown key 'bse' under behaviour.settlement (did you mean 'base'?); allowed here:",
            "stable_job",
        ],
    ),
    (
        "unknown lever",
        '"levers.s9_nope"',
        '"levers.s9_nope" = [0, 1]',
        ['parameters."levers.s9_nope" = [0.0, 1.0]', "unknown lever; allowed: e1_county_job_growth"],
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
        ["[-5.0]", "must be a range [lo, hi] of two finite numbers"],
    ),
    (
        "table, not a number",
        '"behaviour.settlement"',
        '"behaviour.settlement" = [0, 1]',
        ['parameters."behaviour.settlement" = [0.0, 1.0]', "not a numeric parameter"],
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
    ["parameters.seed = [1.0, 9.0]", "not a model parameter"],
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


# ----------------------------------------------------------------------------------------
# Switch levers are categories
# ----------------------------------------------------------------------------------------
SWITCH = "levers.p6_require_housing.value"


def with_switch(design: str, points: int, extra: str = "") -> str:
    text = edit(edit(VALID, "design", f'design = "{design}"'), "points", f"points = {points}")
    return edit(text, '"levers.p6_require_housing"', '"levers.p6_require_housing" = [0, 1]') + extra


@pytest.mark.parametrize(("design", "points"), [("grid", 2), ("lhs", 40), ("sobol", 8), ("morris", 6)])
def test_a_switch_is_sampled_off_or_on(tmp_path, base, design, points) -> None:
    sw = load_sweep(write(tmp_path, with_switch(design, points)))
    j = sw.names.index(SWITCH)
    column = sw.design.samples[:, j]
    assert set(column) == {0.0, 1.0}, column
    assert sw.parameters[j].categories == (0.0, 1.0) and sw.design.categories[j] == (0.0, 1.0)
    assert {sw.scenario(i).levers["p6_require_housing"].value for i in range(sw.design.n)} == {0.0, 1.0}
    if design == "grid":  # both values, whatever `points` is for the other parameters
        assert sw.design.n == 2**3 * 2
    if design == "lhs":  # a Latin hypercube gives each value equally often
        assert (column == 1).sum() == points // 2
    if design == "morris":  # every step of the switch's trajectory switches it
        for traj in sw.design.samples.reshape(points, len(sw.names) + 1, len(sw.names)):
            moved = np.flatnonzero(np.diff(traj[:, j]) != 0)
            assert len(moved) == 1 and abs(np.diff(traj[:, j])[moved[0]]) == 1


def test_a_switch_range_must_be_zero_to_one_and_morris_levels_even(tmp_path, base) -> None:
    half = edit(
        with_switch("lhs", 4), '"levers.p6_require_housing"', '"levers.p6_require_housing" = [0, 0.5]'
    )
    with pytest.raises(SweepError, match=r"p6_require_housing is a switch, sampled off \(0\) or on \(1\)"):
        load_sweep(write(tmp_path, half))
    odd = edit(with_switch("morris", 3), "levels", "levels = 5")
    with pytest.raises(
        SweepError, match=r"levels = 5: levers\.p6_require_housing\.value is a switch: Morris needs"
    ):
        load_sweep(write(tmp_path, odd, "m.toml"))


# ----------------------------------------------------------------------------------------
# Lazy designs: nothing per point is built or stored until its runs are submitted
# ----------------------------------------------------------------------------------------
def test_a_million_points_load_without_building_a_scenario(tmp_path, base, monkeypatch) -> None:
    import time

    from countysim.experiments import sweep as module

    built = []
    monkeypatch.setattr(module.Sweep, "scenario", lambda self, i: built.append(i))
    text = edit(edit(VALID, "points", "points = 1000000"), "reps", "reps = 1")
    t0 = time.perf_counter()
    sw = load_sweep(write(tmp_path, text))
    assert sw.design.n == 1_000_000 and sw.runs == 1_000_000 and built == []
    spec = sw.description()
    assert time.perf_counter() - t0 < 30
    assert len(json.dumps(spec)) < 40 * 1_000_000  # the sample matrix, no per-point scenario or hash
    np.testing.assert_array_equal(decode(spec["samples"], 3), sw.design.samples)


def test_a_design_beyond_memory_is_refused_with_its_size(tmp_path, base) -> None:
    text = edit(edit(VALID, "design", 'design = "grid"'), "points", "points = 100000")
    with pytest.raises(SweepError) as info:
        load_sweep(write(tmp_path, text))
    msg = str(info.value)
    assert "points = 100000: the grid design has 1,000,000,000,000,000 points × 2 replications" in msg
    assert "more than the 4.0 GiB a sweep may hold" in msg


def test_specs_lists_only_small_designs(tmp_path, base) -> None:
    sw = load_sweep(write(tmp_path, edit(edit(VALID, "points", "points = 20000"), "reps", "reps = 1")))
    with pytest.raises(SweepError, match=r"20,000 points; listing every run holds every point's scenario"):
        sw.specs()
    first = list(sw.iter_specs(0, 2))
    assert [s.meta["point"] for s in first] == [0, 1] and first[0].scenario.name == "t-sweep#p0"


def test_execute_builds_points_chunk_by_chunk_and_resumes(tmp_path, base, monkeypatch) -> None:
    from countysim.experiments import InlineExecutor, runner
    from countysim.experiments import sweep as module
    from countysim.store import ResultsStore

    monkeypatch.setattr(module, "CHUNK_RUNS", 3)  # one point (two runs) a chunk
    built, submitted = [], []
    scenario, run_experiment = module.Sweep.scenario, runner.run_experiment
    monkeypatch.setattr(module.Sweep, "scenario", lambda self, i: built.append(i) or scenario(self, i))

    def spy(name, specs, **kwargs):
        submitted.append((len(built), [s.meta["point"] for s in specs]))
        return run_experiment(name, specs, **kwargs)

    monkeypatch.setattr(runner, "run_experiment", spy)
    text = edit(edit(edit(VALID, "months", "months = 3"), "points", "points = 3"), "scale", "scale = 0.005")
    sw = load_sweep(write(tmp_path, text))
    with ResultsStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        out = module.execute(sw, store=store, executor=InlineExecutor())
        # each chunk's point was built just before it was submitted, not all at the start
        assert submitted == [(1, [0, 0]), (2, [1, 1]), (3, [2, 2])]
        assert (out.done, out.skipped, out.distinct, out.failures) == (6, 0, 6, [])
        again = module.execute(sw, store=store, executor=InlineExecutor())
        assert (again.done, again.skipped) == (0, 6)
        _, rows = module.sweep_results(store, sw.name)
    assert (rows["status"] == "done").all() and rows["employed_rate"].notna().all()
    direct = run_model(sw.scenario(2), seed=2).final()
    assert (
        rows.loc[(rows["point"] == 2) & (rows["seed"] == 2), "employed_rate"].item()
        == direct["employed_rate"]
    )


def test_a_point_that_fails_to_build_stops_the_sweep_keeping_earlier_runs(
    tmp_path, base, monkeypatch
) -> None:
    from countysim.experiments import InlineExecutor
    from countysim.experiments import sweep as module
    from countysim.store import ResultsStore

    monkeypatch.setattr(module, "CHUNK_RUNS", 2)
    scenario = module.Sweep.scenario

    def broken(self, i):
        if i == 2:
            raise SweepError(
                [(str(self.file), f"parameters (design point {i})", self.params(i), "not allowed")]
            )
        return scenario(self, i)

    monkeypatch.setattr(module.Sweep, "scenario", broken)
    text = edit(edit(edit(VALID, "months", "months = 3"), "points", "points = 4"), "scale", "scale = 0.005")
    sw = load_sweep(write(tmp_path, text))
    with ResultsStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        with pytest.raises(
            SweepError, match=r"design point 2.*not allowed\. The sweep stopped at this point; the 4 runs"
        ):
            module.execute(sw, store=store, executor=InlineExecutor())
        assert int(store.experiments()["n_done"].iloc[0]) == 4


def test_the_sweep_module_uses_only_the_stores_public_api() -> None:
    source = (ROOT / "model" / "countysim" / "experiments" / "sweep.py").read_text(encoding="utf-8")
    assert not re.findall(r"store\._\w+", source)


# ----------------------------------------------------------------------------------------
# Points with the same values share their runs; stores written by earlier versions are read
# ----------------------------------------------------------------------------------------
def test_points_with_the_same_values_share_their_runs(tmp_path, base) -> None:
    text = (
        f'base = "{(tmp_path / "base.toml").as_posix()}"\nname = "dup"\ndesign = "grid"\npoints = 3\n'
        'months = 3\nscale = 0.005\noutcomes = ["employed_rate"]\n[parameters]\n'
        '"behaviour.services.coordination_delay_months" = [0, 1]\n'  # 0, 0.5 and 1: rounded 0, 0, 1
    )
    db, out = tmp_path / "dup.db", tmp_path / "out"
    res = sweep_cli(write(tmp_path, text, "dup.toml"), db, out)
    assert res.exit_code == 0, res.output
    assert "3 points × 1 replications = 3 runs (2 distinct)" in res.output and "2 done now" in res.output
    with sqlite3.connect(db) as con:
        names = sorted(n for (n,) in con.execute("select scenario_name from run"))
    assert names == ["dup#p0", "dup#p2"]  # point 1 is point 0's scenario: no run of its own
    csv = pd.read_csv(out / "sweep_outcomes.csv")
    assert (csv["status"] == "done").all() and csv["employed_rate"].iloc[0] == csv["employed_rate"].iloc[1]


def test_a_spec_of_version_1_is_still_read(tmp_path) -> None:
    from countysim.experiments.designs import make_design
    from countysim.experiments.sweep import sweep_results
    from countysim.store import ResultsStore

    from helpers import panel

    d = make_design("lhs", ["behaviour.settlement.base"], [(-8.0, -5.0)], 3, seed=1)
    spec = {**d.to_dict(), "samples": d.samples.tolist(), "spec_version": 1, "integer": [False],
            "seeds": [1], "outcomes": ["employed_rate"], "point_hashes": ["a" * 16, "b" * 16, "c" * 16]}  # fmt: skip
    runs = [dataclasses_replace(panel(seed=1, employed_rate=0.1 * k), scenario_hash=h, scenario_name="old")
            for k, h in enumerate(spec["point_hashes"][:2])]  # fmt: skip
    with ResultsStore(f"sqlite:///{tmp_path / 'v1.db'}") as store:
        store.save_runs(store.experiment("old", kind="sweep", spec=spec), runs)
        _, rows = sweep_results(store, "old")
    assert rows["status"].tolist() == ["done", "done", "missing"]
    assert rows["employed_rate"].tolist()[:2] == pytest.approx([0.0, 0.1]) and np.isnan(
        rows["employed_rate"].iloc[2]
    )


def dataclasses_replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


def test_a_scale_that_rounds_different_counties_together_is_refused(tmp_path, base) -> None:
    text = edit(
        edit(edit(VALID, "design", 'design = "grid"'), "points", "points = 5"),
        '"behaviour.settlement.base"', '"county.households.n" = [1000, 1040]',
    )  # fmt: skip
    with pytest.raises(
        SweepError,
        match=r'parameters\."county\.households\.n".*at scale 0\.02 its 5 whole-number values give only 2',
    ):
        load_sweep(write(tmp_path, text))


def test_months_option_keeps_only_the_first_months(tmp_path, base) -> None:
    path = write(tmp_path, VALID)
    assert load_sweep(path, months=6).months == 6
    with pytest.raises(
        SweepError, match=r"--months = 13: longer than the sweep's horizon \(12 months, 2023-01 to 2023-12\)"
    ):
        load_sweep(path, months=13)
    with pytest.raises(
        SweepError,
        match=r"--seed = 9223372036854775807: must be a whole number from 0 to 9223372036854775806",
    ):
        load_sweep(path, seed=2**63 - 1)


def test_a_byte_order_mark_is_allowed(tmp_path, base) -> None:
    path = tmp_path / "sweeps" / "bom.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert load_sweep(path).design.n == 4


def test_resuming_on_a_changed_base_is_refused(tmp_path, base) -> None:
    from countysim.experiments import InlineExecutor
    from countysim.experiments.sweep import check_resumable, execute
    from countysim.store import ResultsStore

    text = edit(edit(edit(VALID, "months", "months = 3"), "points", "points = 1"), "scale", "scale = 0.005")
    path = write(tmp_path, edit(text, "reps", "reps = 1"))
    with ResultsStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        sw = load_sweep(path)
        check_resumable(store, sw)
        execute(sw, store=store, executor=InlineExecutor())
        check_resumable(store, load_sweep(path))  # the same design again: fine
        base.write_text(base.read_text() + "[behaviour.settlement]\nchildren_in_town = 0.5\n")
        with pytest.raises(SweepError, match=r"on another base scenario or model version \(base hash"):
            check_resumable(store, load_sweep(path))
