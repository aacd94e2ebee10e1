"""Comparisons: the paired statistics, common random numbers, ``countysim compare`` and ``results``."""

from __future__ import annotations

import dataclasses
import math
import random
import sqlite3

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app
from countysim.experiments import InlineExecutor, RunSpec, default_executor, run_experiment
from countysim.experiments.compare import (
    COMPARE_INDICATORS,
    COMPARE_SERIES,
    SUMMARY_COLUMNS,
    band,
    check_indicators,
    compare,
    paired_differences,
    summarise,
    verdict,
)

from helpers import BASELINE, ROOT

runner = CliRunner()
FULL_ACTION = ROOT / "scenarios" / "full_action.toml"
MONTHS = ("2024-01", "2024-02", "2024-03")


def fake(name: str, seed: int, a: list[float], b: list[float] | None = None) -> cs.RunResult:
    """A hand-made run: indicators ``a`` and ``b`` over three months."""
    b = b if b is not None else [0.0, 0.0, 0.0]
    return cs.RunResult(
        scenario_name=name,
        scenario_hash=name * 4,
        seed=seed,
        months=MONTHS,
        indicators=("a", "b"),
        values=np.column_stack([a, b]).astype(np.float64),
        persons=100,
        wall_seconds=0.1,
        code_version="test",
        scenario_json="",
    )


# -- the statistics, on known numbers ----------------------------------------------------------


def test_paired_differences_known_numbers() -> None:
    base = [fake("A", s, [0, 0, v]) for s, v in zip((1, 2, 3, 4), (10, 12, 11, 13), strict=True)]
    other = [fake("B", s, [0, 5, v]) for s, v in zip((1, 2, 3, 4), (11, 14, 12, 16), strict=True)]
    other.append(fake("B", 99, [0, 0, 1000]))  # no partner seed: ignored
    random.Random(0).shuffle(other)  # matched by seed, not by position
    mean, lo, hi, n = paired_differences(base, other, "a")
    # differences 1, 2, 1, 3: mean 1.75, sd sqrt(11/12), t(0.95; 3 df) = 2.353363
    half = 2.353363 * math.sqrt(11 / 12) / 2
    assert n == 4
    assert mean == pytest.approx(1.75)
    assert lo == pytest.approx(1.75 - half, abs=1e-5) and hi == pytest.approx(1.75 + half, abs=1e-5)
    # a month by index or by label; an earlier month has its own differences
    assert paired_differences(base, other, "a", month=1)[:1] == (5.0,)
    assert paired_differences(base, other, "a", month="2024-03") == (mean, lo, hi, n)
    wider = paired_differences(base, other, "a", level=0.99)
    assert wider[1] < lo and wider[2] > hi


def test_paired_differences_edge_cases() -> None:
    one = paired_differences([fake("A", 1, [0, 0, 2])], [fake("B", 1, [0, 0, 5])], "a")
    assert one[0] == 3.0 and math.isnan(one[1]) and math.isnan(one[2]) and one[3] == 1
    same = paired_differences(
        [fake("A", s, [0, 0, s]) for s in (1, 2)], [fake("B", s, [0, 0, s + 1]) for s in (1, 2)], "a"
    )
    assert same == (1.0, 1.0, 1.0, 2)  # identical differences: a zero-width interval
    with pytest.raises(ValueError, match="no seed is shared"):
        paired_differences([fake("A", 1, [0, 0, 1])], [fake("B", 2, [0, 0, 1])], "a")
    with pytest.raises(ValueError, match="seed 1 appears twice"):
        paired_differences([fake("A", 1, [0, 0, 1])] * 2, [fake("B", 1, [0, 0, 1])], "a")
    with pytest.raises(KeyError, match="unknown indicator 'zz'"):
        paired_differences([fake("A", 1, [0, 0, 1])], [fake("B", 1, [0, 0, 1])], "zz")


def test_summarise_table() -> None:
    base = [fake("A", s, [0, 0, v], [1, 1, 1]) for s, v in ((1, 10), (2, 20), (3, 30))]
    other = [fake("B", s, [0, 0, v], [2, 2, 2]) for s, v in ((1, 12), (2, 21), (3, 33))]
    third = [fake("C", 1, [0, 0, 5], [0, 0, 0])]
    frame = summarise({"A": base, "B": other, "C": third}, ["a", "b"])
    assert tuple(frame.columns) == SUMMARY_COLUMNS
    assert frame[["indicator", "scenario"]].to_numpy().tolist() == [
        ["a", "A"], ["a", "B"], ["a", "C"], ["b", "A"], ["b", "B"], ["b", "C"],
    ]  # fmt: skip
    row = frame.set_index(["indicator", "scenario"])
    assert row.loc[("a", "A"), "mean"] == 20 and math.isnan(row.loc[("a", "A"), "diff"])
    assert row.loc[("a", "A"), "n"] == 3
    assert (
        row.loc[("a", "B"), "mean"] == 22
        and row.loc[("a", "B"), "diff"] == 2
        and row.loc[("a", "B"), "n"] == 3
    )
    assert (row.loc[("a", "B"), "lo90"], row.loc[("a", "B"), "hi90"]) == pytest.approx(
        paired_differences(base, other, "a")[1:3]
    )
    assert row.loc[("a", "C"), "diff"] == -5 and row.loc[("a", "C"), "n"] == 1
    assert math.isnan(row.loc[("a", "C"), "lo90"])
    assert row.loc[("b", "B"), "diff"] == 1 and row.loc[("b", "B"), "lo90"] == 1
    # pairing gain: A's a-values 10, 20, 30 (variance 100) and B's 12, 21, 33 (variance 111)
    # would spread as √211 apart; their per-seed differences 2, 1, 3 spread as 1
    assert row.loc[("a", "B"), "pairing_gain"] == pytest.approx(math.sqrt(211))
    assert math.isnan(row.loc[("a", "A"), "pairing_gain"]) and math.isnan(row.loc[("a", "C"), "pairing_gain"])
    assert math.isnan(row.loc[("b", "B"), "pairing_gain"])  # nothing varies
    with pytest.raises(ValueError, match="'B' has no finished runs"):
        summarise({"A": base, "B": []}, ["a"])


def test_band_mean_and_percentiles() -> None:
    runs = [fake("A", s, [s, 2 * s, 0]) for s in range(21)]  # 0..20
    mean, p5, p95 = band(runs, "a")
    assert mean.tolist() == [10, 20, 0] and p5.tolist() == [1, 2, 0] and p95.tolist() == [19, 38, 0]
    short = dataclasses.replace(runs[0], months=MONTHS[:2], values=runs[0].values[:2])
    with pytest.raises(ValueError, match="different months"):
        band([runs[1], short], "a")


def test_verdict_reads_direction() -> None:
    assert verdict("employed_rate", 0.01, 0.02) == "better"
    assert verdict("employed_rate", -0.02, -0.01) == "worse"
    assert verdict("left_behind_children", -20, -5) == "better"
    assert verdict("fiscal_cost_cum", 1e6, 2e6) == "higher"
    assert verdict("employed_rate", -0.01, 0.02) == "no clear difference"
    assert verdict("employed_rate", math.nan, math.nan) == ""


def test_indicator_lists_are_in_the_catalogue() -> None:
    assert check_indicators(COMPARE_INDICATORS) == COMPARE_INDICATORS
    assert check_indicators(COMPARE_SERIES) == COMPARE_SERIES
    with pytest.raises(ValueError, match=r"unknown indicator.*'nope'.*allowed: persons, households"):
        check_indicators(["employed_rate", "nope"])


# -- common random numbers, on the model -----------------------------------------------------


def test_common_seeds_narrow_the_interval_of_a_difference() -> None:
    """full_action − baseline on the employed rate: paired seeds beat independent seeds."""
    months, reps, indicator = 24, 8, "employed_rate"
    base = cs.load_scenario(BASELINE).scaled(0.05)
    full = cs.load_scenario(FULL_ACTION).scaled(0.05)
    with default_executor(2) as pool:
        crn = compare([base, full], reps, executor=pool, months=months, indicators=[indicator])
        seeds = crn.seeds
        independent, failures = run_experiment(
            "independent",
            [RunSpec(full.replace(**{"horizon.months": months}), s + 10_000) for s in seeds],
            executor=pool,
            progress=False,
        )
    assert (
        not failures and len(independent) == reps and crn.seeds == tuple(range(base.seed, base.seed + reps))
    )
    # pair full_action on seed s + 10,000 with baseline on seed s
    relabelled = [dataclasses.replace(r, seed=r.seed - 10_000) for r in independent]
    d_crn, lo_crn, hi_crn, n = paired_differences(
        crn.results["baseline"], crn.results["full_action"], indicator
    )
    d_ind, lo_ind, hi_ind, _ = paired_differences(crn.results["baseline"], relabelled, indicator)
    assert n == reps
    row = crn.summary.set_index("scenario").loc["full_action"]
    assert (row["diff"], row["lo90"], row["hi90"], row["n"]) == pytest.approx((d_crn, lo_crn, hi_crn, n))
    width_crn, width_ind = hi_crn - lo_crn, hi_ind - lo_ind
    assert width_crn < width_ind, f"common seeds {width_crn:.4f} vs independent {width_ind:.4f}"
    # the gain the table reports, from the paired runs alone, agrees with the independent runs'
    # (two estimates of one ratio from 8 seeds each: within a factor of 2)
    gain, measured = row["pairing_gain"], width_ind / width_crn
    assert gain > 1 and 0.5 < gain / measured < 2, f"reported ×{gain:.2f}, measured ×{measured:.2f}"
    # both estimate the same effect: the action raises employment
    assert d_crn > 0 and lo_crn > 0 and d_ind > 0


def test_compare_api_one_replication_has_no_interval(tmp_path) -> None:
    base = cs.load_scenario(BASELINE).scaled(0.02)
    full = cs.load_scenario(FULL_ACTION).scaled(0.02)
    result = compare(
        [base, full], 1, seed=5, executor=InlineExecutor(), months=3, indicators=["employed_rate"]
    )
    assert result.seeds == (5,) and result.scenarios == ("baseline", "full_action")
    row = result.summary.set_index("scenario").loc["full_action"]
    assert (
        row["n"] == 1 and math.isnan(row["lo90"]) and math.isnan(row["hi90"]) and not math.isnan(row["diff"])
    )
    assert result.plot(tmp_path / "c.png", ["employed_rate"]).stat().st_size > 5_000
    with pytest.raises(ValueError, match="'baseline' repeat"):
        compare([base, base], 1, executor=InlineExecutor(), months=3)
    with pytest.raises(ValueError, match="different horizons"):
        compare([base, full.replace(**{"horizon.months": 12})], 1, executor=InlineExecutor())
    with pytest.raises(ValueError, match="at least two scenarios"):
        compare([base], 1, executor=InlineExecutor(), months=3)


# -- the command -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("scenarios")
    for name, parent in (("tiny", BASELINE), ("tiny_full", FULL_ACTION)):
        (d / f"{name}.toml").write_text(
            f'extends = "{parent.as_posix()}"\nname = "{name}"\n[county.households]\nn = 1500\n'
        )
    return d / "tiny.toml", d / "tiny_full.toml"


@pytest.fixture(scope="module")
def compared(files, tmp_path_factory):
    """``countysim compare`` once, into a SQLite file: (db path, output dir, CLI result, args)."""
    d = tmp_path_factory.mktemp("compare")
    db, out = d / "store.db", d / "out"
    args = ["compare", *map(str, files), "--reps", "3", "--months", "6", "--seed", "11"]
    args += ["--db", f"sqlite:///{db}", "--output-dir", str(out), "--workers", "2", "-q"]
    return db, out, runner.invoke(app, args), args


def _runs(db) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "select r.id, e.name, e.kind, r.scenario_name, r.seed, r.status, r.finished_at "
            "from run r join experiment e on e.id = r.experiment_id order by r.id"
        ).fetchall()


def test_cli_compare_end_to_end(compared) -> None:
    db, out, res, _ = compared
    assert res.exit_code == 0, res.output
    assert "tiny vs tiny_full — 3 replications on common seeds 11..13" in res.output
    assert "tiny_full − tiny [90 % interval]" in res.output
    assert "pairing" in res.output and "×" in res.output  # how much the common seeds narrowed each interval
    for name in COMPARE_INDICATORS:
        assert f"\n{name} " in res.output
    assert "experiment 'compare:tiny+tiny_full'" in res.output
    frame = pd.read_csv(out / "comparison.csv")
    assert tuple(frame.columns) == SUMMARY_COLUMNS
    assert frame["indicator"].tolist() == [n for n in COMPARE_INDICATORS for _ in range(2)]
    assert frame["scenario"].tolist() == ["tiny", "tiny_full"] * len(COMPARE_INDICATORS)
    assert (frame["n"] == 3).all()
    other = frame[frame["scenario"] == "tiny_full"]
    assert other["diff"].notna().all() and (other["lo90"] <= other["diff"]).all()
    assert (other["diff"] <= other["hi90"]).all()
    assert frame[frame["scenario"] == "tiny"]["diff"].isna().all()
    assert frame[frame["scenario"] == "tiny"]["pairing_gain"].isna().all()
    assert (out / "comparison.png").stat().st_size > 20_000
    runs = _runs(db)
    assert len(runs) == 6
    assert {(r[1], r[2], r[5]) for r in runs} == {("compare:tiny+tiny_full", "compare", "done")}
    assert sorted((r[3], r[4]) for r in runs) == [(n, s) for n in ("tiny", "tiny_full") for s in (11, 12, 13)]


def test_cli_compare_rerun_reads_the_store(compared) -> None:
    """A rerun runs nothing, reads the runs back, and reports the same numbers."""
    db, out, first, args = compared
    assert first.exit_code == 0, first.output
    before = _runs(db)
    before_csv = pd.read_csv(out / "comparison.csv").set_index(["indicator", "scenario"])
    chosen = "public_school_share,employed_rate"
    res = runner.invoke(app, [*args, "--indicators", chosen])
    assert res.exit_code == 0, res.output
    assert _runs(db) == before  # nothing re-run, nothing rewritten
    frame = pd.read_csv(out / "comparison.csv")
    assert frame["indicator"].tolist() == ["public_school_share"] * 2 + ["employed_rate"] * 2
    again = frame.set_index(["indicator", "scenario"])
    pd.testing.assert_frame_equal(again, before_csv.loc[again.index])
    assert "mean_monthly_income" not in res.output


def test_cli_results_list_runs_export(compared, tmp_path) -> None:
    db, _, first, _ = compared
    assert first.exit_code == 0, first.output
    url = f"sqlite:///{db}"
    res = runner.invoke(app, ["results", "list", "--db", url])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if "compare:tiny+tiny_full" in x)
    assert line.split()[-3:] == ["6", "6", "0"] and "compare" in line.split()
    res = runner.invoke(app, ["results", "runs", "compare:tiny+tiny_full", "--db", url])
    assert res.exit_code == 0, res.output
    assert sum(" done " in x for x in res.output.splitlines()) == 6
    for table, suffix in (("runs", ".csv"), ("summaries", ".parquet"), ("panel", ".csv")):
        path = tmp_path / f"{table}{suffix}"
        res = runner.invoke(
            app,
            ["results", "export", table, str(path), "--experiment", "compare:tiny+tiny_full", "--db", url],
        )
        assert res.exit_code == 0, res.output
        frame = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
        assert len(frame) == (6 * 6 if table == "panel" else 6)
    res = runner.invoke(app, ["results", "export", "nope", str(tmp_path / "x.csv"), "--db", url])
    assert res.exit_code == 2 and "tables are: experiments, runs, panel, summaries" in res.output
    res = runner.invoke(app, ["results", "export", "runs", str(tmp_path / "x.xlsx"), "--db", url])
    assert res.exit_code == 2 and "unknown suffix '.xlsx'" in res.output
    res = runner.invoke(app, ["results", "runs", "no-such", "--db", url])
    assert res.exit_code == 2 and "no experiment named 'no-such'" in res.output
    assert "Traceback" not in res.output


def test_cli_compare_bad_indicator_exits_2_naming_allowed(files, tmp_path) -> None:
    db, out = tmp_path / "s.db", tmp_path / "out"
    res = runner.invoke(
        app,
        ["compare", *map(str, files), "--reps", "2", "--indicators", "employed_rate,nope",
         "--db", f"sqlite:///{db}", "--output-dir", str(out)],
    )  # fmt: skip
    assert res.exit_code == 2
    assert "unknown indicator(s) 'nope'" in res.output and "allowed: persons, households" in res.output
    assert not db.exists() and not out.exists()


def test_cli_compare_bad_db_url_exits_2_before_running(files, tmp_path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["compare", *map(str, files), "--reps", "2", "--db", "nosuchdb://x", "--output-dir", str(out)]
    )
    assert res.exit_code == 2
    assert "nosuchdb://x" in res.output and "sqlite:///" in res.output
    assert not out.exists()


def test_cli_compare_needs_two_distinct_scenarios(files, tmp_path) -> None:
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["compare", str(files[0]), "--reps", "2", "--db", f"sqlite:///{db}"])
    assert res.exit_code == 2 and "at least two scenario files" in res.output
    res = runner.invoke(
        app, ["compare", str(files[0]), str(files[0]), "--reps", "2", "--db", f"sqlite:///{db}"]
    )
    assert res.exit_code == 2 and "'tiny' repeat" in res.output
    assert not db.exists()
