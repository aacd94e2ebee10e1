"""Sensitivity indices: known answers on analytic functions, and ``countysim sensitivity`` end to end."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.experiments.designs import make_design
from countysim.experiments.sensitivity import COLUMNS, IncompleteDesign, analyse, analyse_sweep
from countysim.experiments.sweep import design_rows
from countysim.store import ResultsStore

from helpers import ROOT

runner = CliRunner()
UNIT3 = [(0.0, 1.0)] * 3


def linear(x: np.ndarray) -> np.ndarray:
    """x1 dominates, x2 barely matters, x3 not at all."""
    return 5 * x[:, 0] + 0.1 * x[:, 1] + 0 * x[:, 2]


def by_param(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("parameter")


# ----------------------------------------------------------------------------------------
# Known answers
# ----------------------------------------------------------------------------------------
def test_sobol_linear_x1_dominates() -> None:
    d = make_design("sobol", ["x1", "x2", "x3"], UNIT3, 512, seed=1)
    t = by_param(analyse(d, linear(d.samples)))
    assert list(t.columns) == list(COLUMNS["sobol"])
    # analytic: S1 = ST = 25 / 25.01 for x1, 0.01 / 25.01 for x2, 0 for x3
    assert t.loc["x1", "S1"] == pytest.approx(25 / 25.01, abs=0.03)
    assert t.loc["x1", "ST"] == pytest.approx(25 / 25.01, abs=0.03)
    assert abs(t.loc["x2", "S1"]) < 0.02 and t.loc["x2", "ST"] < 0.02
    assert abs(t.loc["x3", "S1"]) < 1e-9 and abs(t.loc["x3", "ST"]) < 1e-9
    assert (t[["S1_conf", "ST_conf"]] >= 0).all().all()


def test_sobol_ishigami_matches_the_analytic_indices() -> None:
    bounds = [(-np.pi, np.pi)] * 3
    d = make_design("sobol", ["x1", "x2", "x3"], bounds, 2048, seed=3)
    x = d.samples
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    t = by_param(analyse(d, y))
    np.testing.assert_allclose(t["S1"], [0.3139, 0.4424, 0.0], atol=0.04)
    np.testing.assert_allclose(t["ST"], [0.5576, 0.4424, 0.2437], atol=0.04)


def test_morris_linear_effects_are_the_slopes() -> None:
    bounds = [(0.0, 1.0), (0.0, 2.0), (0.0, 1.0)]
    d = make_design("morris", ["x1", "x2", "x3"], bounds, 20, seed=2)
    t = by_param(analyse(d, linear(d.samples)))
    assert list(t.columns) == list(COLUMNS["morris"])
    # elementary effects are per unit of the normalised range: slope × range width
    assert t.loc["x1", "mu_star"] == pytest.approx(5.0)
    assert t.loc["x2", "mu_star"] == pytest.approx(0.2)
    assert t.loc["x3", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc["x1", "mu"] == pytest.approx(5.0)
    np.testing.assert_allclose(t["sigma"], 0, atol=1e-9)  # linear: no spread


def test_morris_effect_of_a_switch_is_the_effect_of_switching_it_on() -> None:
    d = make_design("morris", ["x1", "on", "x3"], UNIT3, 20, seed=2, categories=[None, (0.0, 1.0), None])
    assert set(d.samples[:, 1]) == {0.0, 1.0}
    t = by_param(analyse(d, 2 * d.samples[:, 0] + 5 * d.samples[:, 1]))
    assert t.loc["on", "mu_star"] == pytest.approx(5.0) and t.loc["on", "mu"] == pytest.approx(5.0)
    assert t.loc["x1", "mu_star"] == pytest.approx(2.0) and t.loc["x3", "mu_star"] == pytest.approx(
        0, abs=1e-12
    )


@pytest.mark.parametrize("kind", ["sobol", "lhs"])
def test_a_switch_that_decides_everything_gets_all_the_variance(kind: str) -> None:
    d = make_design(kind, ["x1", "on", "x3"], UNIT3, 256, seed=4, categories=[None, (0.0, 1.0), None])
    t = by_param(analyse(d, 0.05 * d.samples[:, 0] + 5 * d.samples[:, 1]))
    if kind == "sobol":
        assert t.loc["on", "S1"] == pytest.approx(1.0, abs=0.05) and abs(t.loc["x3", "ST"]) < 1e-9
    else:
        assert t.loc["on", "src"] == pytest.approx(1.0, abs=0.01) and t.loc["on", "r2"] == pytest.approx(1.0)


def test_morris_interaction_shows_in_sigma() -> None:
    d = make_design("morris", ["x1", "x2", "x3"], UNIT3, 20, seed=4)
    x = d.samples
    t = by_param(analyse(d, 5 * x[:, 0] + 4 * x[:, 0] * x[:, 2]))
    assert t.loc["x1", "mu_star"] > t.loc["x3", "mu_star"] > t.loc["x2", "mu_star"] == 0
    assert t.loc["x1", "sigma"] > 0.5 and t.loc["x3", "sigma"] > 0.5 and t.loc["x2", "sigma"] == 0


@pytest.mark.parametrize("kind", ["lhs", "grid"])
def test_regression_coefficients_on_lhs_and_grid(kind: str) -> None:
    d = make_design(kind, ["x1", "x2", "x3"], UNIT3, 64 if kind == "lhs" else 4, seed=5)
    x = d.samples
    t = by_param(analyse(d, 3 * x[:, 0] - x[:, 1]))
    assert list(t.columns) == list(COLUMNS["src"])
    sd = x.std(axis=0)
    sy = (3 * x[:, 0] - x[:, 1]).std()
    assert t.loc["x1", "src"] == pytest.approx(3 * sd[0] / sy)
    assert t.loc["x2", "src"] == pytest.approx(-sd[1] / sy)
    assert t.loc["x3", "src"] == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(t["r2"], 1.0)


def test_constant_outcome_gives_undefined_indices_and_bad_shapes_raise() -> None:
    d = make_design("sobol", ["x1", "x2", "x3"], UNIT3, 8, seed=1)
    assert analyse(d, np.ones(d.n))[["S1", "ST"]].isna().all().all()
    with pytest.raises(ValueError, match=r"one outcome value per design point \(64\)"):
        analyse(d, np.ones(10))
    with pytest.raises(ValueError, match="finite"):
        analyse(d, np.full(d.n, np.nan))


# ----------------------------------------------------------------------------------------
# Averaging replications and incomplete designs (synthetic store rows)
# ----------------------------------------------------------------------------------------
def synthetic(reps: int = 2) -> tuple[dict, pd.DataFrame]:
    d = make_design("morris", ["x1", "x2", "x3"], UNIT3, 6, seed=8)
    spec = {
        **d.to_dict(),
        "integer": [False] * 3,
        "seeds": list(range(1, reps + 1)),
        "point_hashes": [f"h{i}" for i in range(d.n)],
        "outcomes": ["y"],
    }
    rows = design_rows(spec)
    noise = np.where(rows["replicate"] == 0, -1.0, 1.0)  # replications average out exactly
    rows["status"] = "done"
    rows["y"] = linear(rows[["x1", "x2", "x3"]].to_numpy()) + noise
    return spec, rows


def test_replications_are_averaged_per_point() -> None:
    spec, rows = synthetic()
    report = analyse_sweep(spec, rows, ["y"])
    t = by_param(report.table)
    assert report.method == "morris" and report.runs_used == report.runs_expected == 2 * 24
    assert t.loc["x1", "mu_star"] == pytest.approx(5.0) and t.loc["x3", "mu_star"] == pytest.approx(
        0, abs=1e-9
    )
    assert report.notes == ()


def test_some_replications_missing_uses_what_is_there() -> None:
    spec, rows = synthetic()
    rows.loc[(rows["point"] == 4) & (rows["replicate"] == 1), "status"] = "failed"
    rows.loc[(rows["point"] == 7) & (rows["replicate"] == 0), "status"] = "missing"
    report = analyse_sweep(spec, rows, ["y"])
    assert report.runs_used == 46
    assert report.notes == (
        "y: 2 of 24 points have fewer than 2 replications; used the 46 of 48 runs there are",
    )
    # points 4 and 7 now carry the ±1 noise, so x1's mu_star moves off 5, but is still there
    assert by_param(report.table).loc["x1", "mu_star"] == pytest.approx(5.0, abs=0.5)


def test_points_without_any_run_make_the_design_incomplete() -> None:
    spec, rows = synthetic()
    rows.loc[rows["point"] == 3, "status"] = "failed"
    rows.loc[(rows["point"] == 9) & (rows["replicate"] == 0), "status"] = "missing"
    rows.loc[(rows["point"] == 9) & (rows["replicate"] == 1), "status"] = "missing"
    with pytest.raises(IncompleteDesign) as info:
        analyse_sweep(spec, rows, ["y"])
    msg = str(info.value)
    assert msg.startswith("2 of 24 design points have no finished run with 'y'")
    assert "2 of 48 runs failed, 2 missing" in msg and "Morris indices need the complete morris design" in msg


# ----------------------------------------------------------------------------------------
# countysim sensitivity, end to end over a tiny Morris sweep of the model
# ----------------------------------------------------------------------------------------
SWEEP = f"""\
base = "{(ROOT / "scenarios" / "full_action.toml").as_posix()}"
name = "tiny-morris"
design = "morris"
points = 3
reps = 2
seed = 3
months = 24
scale = 0.02
outcomes = ["settled_persons_cum", "public_school_share"]
[parameters]
"levers.s1_training_places_per_year" = [5000, 30000]
"behaviour.settlement.base" = [-8.0, -5.0]
"levers.p4_primary_seats_per_year" = [0, 1500]
"""


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("sens")
    path = tmp / "tiny.toml"
    path.write_text(SWEEP)
    db = tmp / "store.db"
    args = [
        "sweep",
        str(path),
        "--db",
        f"sqlite:///{db}",
        "--output-dir",
        str(tmp / "sweep"),
        "--workers",
        "2",
        "-q",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return tmp, db


def sensitivity(db: Path, out: Path, *extra: str):
    return runner.invoke(
        app, ["sensitivity", "tiny-morris", "--db", f"sqlite:///{db}", "--output-dir", str(out), *extra]
    )


def test_sensitivity_end_to_end(stored) -> None:
    tmp, db = stored
    out = tmp / "sens"
    res = sensitivity(db, out)
    assert res.exit_code == 0, res.output
    assert "tiny-morris: morris design, 12 points, 24 of 24 runs; method morris" in res.output
    assert re.search(r"settled_persons_cum\s+behaviour\.settlement\.base\s+\d", res.output)
    t = pd.read_csv(out / "sensitivity.csv")
    assert list(t.columns) == ["outcome", "parameter", *COLUMNS["morris"]]
    assert len(t) == 2 * 3
    settled = t[t["outcome"] == "settled_persons_cum"].set_index("parameter")
    # the settlement propensity moves settlement far more than training places do
    assert settled["mu_star"].idxmax() == "behaviour.settlement.base"
    assert settled.loc["behaviour.settlement.base", "mu_star"] > 10
    assert (out / "sensitivity.png").stat().st_size > 10_000

    other = sensitivity(db, out, "--outcome", "training_person_times")
    assert other.exit_code == 0, other.output
    assert set(pd.read_csv(out / "sensitivity.csv")["outcome"]) == {"training_person_times"}


def test_sensitivity_errors(stored) -> None:
    tmp, db = stored
    bad = sensitivity(db, tmp / "x", "--outcome", "setled")
    assert bad.exit_code == 2 and "--outcome setled: unknown indicator; allowed: persons" in bad.output
    res = runner.invoke(app, ["sensitivity", "nope", "--db", f"sqlite:///{db}"])
    assert res.exit_code == 2 and "no experiment named 'nope'" in res.output and "tiny-morris" in res.output
    with ResultsStore(f"sqlite:///{db}") as store:
        store.experiment("plain", kind="run")
    res = runner.invoke(app, ["sensitivity", "plain", "--db", f"sqlite:///{db}"])
    assert res.exit_code == 2 and "holds no sweep design (its kind is 'run')" in res.output
    assert not (tmp / "x").exists()


def test_sensitivity_with_missing_runs(stored, tmp_path) -> None:
    _, db = stored
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:  # WAL-safe copy
        src.backup(dst)
    with sqlite3.connect(copy) as con:  # one replication of one design point lost
        con.execute("PRAGMA foreign_keys = ON")
        (point,) = con.execute("select scenario_hash from run where seed = 4 order by id limit 1").fetchone()
        con.execute("delete from run where seed = 4 and scenario_hash = ?", (point,))
    res = sensitivity(copy, tmp_path / "a")
    assert res.exit_code == 0, res.output
    assert re.search(
        r"note: settled_persons_cum: \d+ of 12 points have fewer than 2 replications", res.output
    )
    with sqlite3.connect(copy) as con:  # now that point has no finished run: one failed, one missing
        con.execute("update run set status = 'failed' where seed = 3 and scenario_hash = ?", (point,))
    res = sensitivity(copy, tmp_path / "b")
    assert res.exit_code == 2
    assert re.search(r"\d+ of 12 design points have no finished run", res.output), res.output
    assert "need the complete morris design" in res.output and "resume" in res.output
    assert not (tmp_path / "b").exists()
