"""The model against the national monitoring figures: the baseline's levels, the 2019-2022 trends."""

import re

import numpy as np
import pytest

import countysim as cs
from countysim.cli_common import table
from countysim.plausibility import LEVELS, TABLE_HEADER, TRENDS, compare, nbs_figures, table_rows

from helpers import ROOT

VALIDATION = ROOT / "scenarios" / "validation" / "from_2019.toml"


def test_nbs_figures_load():
    figures = nbs_figures()
    assert figures["2022:mean_monthly_income"] == 4615
    assert abs(figures["2022:out_migrant_share"] - 17190 / 29562) < 1e-12
    assert abs(figures["2022:local_share"] - 12372 / 29562) < 1e-12
    assert figures["2021:primary_public_or_subsidised_share"] == pytest.approx(0.844 + 0.105)


def test_baseline_first_year_is_plausible(baseline):
    table = compare(cs.run(baseline, months=12))
    assert list(table["check"].unique()) == ["level"]  # a run from 2023 covers no trend
    assert len(table) == len(LEVELS)
    outside = table[~table["within"]]
    assert outside.empty, outside[["indicator", "model", "low", "high"]].to_string()


@pytest.fixture(scope="module")
def validation():
    spec = cs.load_scenario(VALIDATION)
    return compare([cs.run(spec, seed=spec.seed + k) for k in range(2)])


def test_2019_2022_trends_run_the_national_way(validation):
    """Every trend of the table: the right direction, and a slope within its range."""
    trends = validation[validation["check"] == "trend"]
    assert len(trends) == len(TRENDS)
    outside = trends[~trends["within"]]
    assert outside.empty, outside[["indicator", "model", "reference_value", "low", "high"]].to_string()
    for row in trends.itertuples():
        if row.indicator != "survey_migrant_workers":  # its own range, with its county reason
            assert np.sign(row.model) == np.sign(row.reference_value), row.indicator


def test_2019_2022_levels_are_plausible(validation):
    levels = validation[validation["check"] == "level"]
    outside = levels[~levels["within"]]
    assert outside.empty, outside[["indicator", "model", "low", "high"]].to_string()


def _block(page: str, marker: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}:begin -->\n(.*?)<!-- {marker}:end -->", text, re.S)
    assert found, f"docs/{page} has no generated block {marker}"
    return found.group(1)


def _markdown(checks, capsys) -> str:
    capsys.readouterr()
    table(TABLE_HEADER, table_rows(checks), markdown=True)
    return capsys.readouterr().out


def test_calibration_doc_shows_the_current_tables(validation, baseline, capsys):
    stale = "docs/calibration.md is stale: run `uv run python docs/build.py`"
    assert _block("calibration.md", "plausibility-validation") == _markdown(validation, capsys), stale
    first_year = compare(cs.run(baseline, months=12))
    assert _block("calibration.md", "plausibility-baseline") == _markdown(first_year, capsys), stale


def test_a_workforce_that_grows_younger_is_caught():
    """The trend check can fail: a county whose workers retire at 50 does not age as the nation does."""
    spec = cs.load_scenario(VALIDATION).replace(**{
        "county.households.n": 20_000,
        "behaviour.demography.exit_years_after_statutory_men": -10.0,
        "behaviour.demography.exit_years_after_statutory_women": 0.0,
        "behaviour.demography.child_edu_shares": (0.0, 0.01, 0.6, 0.29, 0.1),
    })  # fmt: skip
    table = compare(cs.run(spec)).set_index("indicator")
    trends = table[table["check"] == "trend"]
    assert not trends.loc["survey_mean_age", "within"]
    assert trends.loc["survey_mean_age", "model"] < 0


def test_a_wrong_profile_is_caught(baseline):
    """The level check can fail: a county paying half the wages is flagged."""
    poor = baseline.replace(
        **{
            "county.labour.wage_outside_province": 2300,
            "county.labour.wage_other_province": 2600,
            "county.households.n": 5000,
        }
    )
    table = compare(cs.run(poor, months=12)).set_index("indicator")
    assert not table.loc["survey_mean_income_out", "within"]


def test_plausibility_command(tmp_path):
    from typer.testing import CliRunner

    from countysim.cli import app

    small = tmp_path / "small.toml"
    small.write_text(f'extends = "{VALIDATION.as_posix()}"\n[county.households]\nn = 3000\n')
    res = CliRunner().invoke(app, ["plausibility", str(small), "--markdown"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "| trend | survey_mean_age | 2019-2022 |" in res.output
    assert "| level | survey_mean_income | 2022 |" in res.output
    assert res.exit_code in (0, 1)  # 1 when a row leaves its range (a small county is noisier)
