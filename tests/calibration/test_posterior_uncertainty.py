"""Replications over a posterior ensemble: wider intervals, pairing kept, Monte-Carlo errors reported."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from countysim.assessment import monte_carlo_error
from countysim.calibration import Ensemble
from countysim.cli import app
from countysim.experiments import InlineExecutor
from countysim.experiments.compare import band, compare

REPS = 8


def spread_ensemble() -> Ensemble:
    """Twenty values of a parameter that moves employment a lot, equally weighted."""
    x = np.linspace(0.15, 0.5, 20)
    return Ensemble("spread", pd.DataFrame({"behaviour.labour.p_find_outside": x}), np.full(20, 1 / 20))


@pytest.fixture(scope="module")
def comparisons(small_baseline):
    base = small_baseline.replace(**{"horizon.months": 12})
    action = base.replace(name="more-placements", **{"levers.e2_placements_per_year": 3000})
    plain = compare([base, action], REPS, seed=1, executor=InlineExecutor())
    varied = compare([base, action], REPS, seed=1, executor=InlineExecutor(), posterior=spread_ensemble())
    return plain, varied


def test_the_interval_of_a_headline_indicator_is_at_least_as_wide(comparisons):
    plain, varied = comparisons
    for name in plain.results:
        _, lo_plain, hi_plain = band(plain.results[name], "employed_rate")
        _, lo_post, hi_post = band(varied.results[name], "employed_rate")
        assert hi_post[-1] - lo_post[-1] >= hi_plain[-1] - lo_plain[-1], name
    assert plain.uncertainty.startswith("seed noise only")
    assert "behavioural-parameter uncertainty" in varied.uncertainty and "'spread'" in varied.uncertainty


def test_the_paired_difference_still_gains_from_pairing(comparisons):
    _, varied = comparisons
    row = varied.summary.query("indicator == 'mean_monthly_income' and scenario == 'more-placements'").iloc[0]
    # common (parameter set, seed) pairs: the paired interval is narrower than independent runs would give
    assert row["n"] == REPS and math.isfinite(row["pairing_gain"]) and row["pairing_gain"] > 1.0
    # both scenarios' replication r ran the same parameter set on the same seed
    base_runs, other_runs = varied.results.values()
    assert [r.seed for r in base_runs] == [r.seed for r in other_runs]


def test_monte_carlo_error_of_a_probability():
    se, needed = monte_carlo_error(3, 3)
    p = 4 / 5  # one success and one failure added
    assert se == pytest.approx(math.sqrt(p * (1 - p) / 3))
    assert needed == math.ceil(1.6448536269514722**2 * p * (1 - p) / 0.05**2)
    assert monte_carlo_error(500, 1000)[1] == math.ceil(1.6448536269514722**2 * 0.25 / 0.0025)


def test_the_commands_say_what_their_intervals_include(tmp_path, tiny):
    db = f"sqlite:///{tmp_path / 's.db'}"
    ensemble = spread_ensemble()
    ensemble.provenance = {}
    path = ensemble.to_csv(tmp_path / "spread.csv")
    common = ["--reps", "2", "--months", "12", "--db", db, "--workers", "1", "-q"]
    res = CliRunner().invoke(app, ["needs", str(tiny), *common, "--output-dir", str(tmp_path / "n"),
                                   "--posterior", str(path)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert (
        "intervals include seed noise and behavioural-parameter uncertainty (posterior ensemble 'spread'"
        in res.output
    )
    res = CliRunner().invoke(app, ["needs", str(tiny), *common, "--output-dir", str(tmp_path / "m"),
                                   "--posterior", "none"])  # fmt: skip
    assert res.exit_code == 0 and "intervals include seed noise only" in res.output
    res = CliRunner().invoke(app, ["needs", str(tiny), *common, "--posterior", "nothing-stored"])
    assert res.exit_code == 2 and "--posterior: no calibration named 'nothing-stored'" in res.output


def test_assess_reports_the_monte_carlo_error(tmp_path, tiny):
    targets = tmp_path / "t.toml"
    targets.write_text(
        '[[target]]\nid = "T1"\nclause = "E1"\nindicator = "employed_rate"\nop = ">="\nvalue = 0.5\nat = "2023-12"\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(app, ["assess", str(tiny), "--targets", str(targets), "--reps", "3", "--months", "12",
                                   "--db", f"sqlite:///{tmp_path / 's.db'}", "--workers", "1", "-q",
                                   "--posterior", "none", "--output-dir", str(tmp_path / "a")])  # fmt: skip
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(tmp_path / "a" / "assessment.csv")
    met = round(frame["probability"].iloc[0] * 3)
    se, needed = monte_carlo_error(met, 3)
    assert (
        frame["probability_mc_se"].iloc[0] == pytest.approx(se) and frame["reps_for_0_05"].iloc[0] == needed
    )
    assert f"T1 {met / 3:.2f} ± {se:.2f} (±0.05 needs {needed} replications)" in res.output
