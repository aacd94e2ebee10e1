"""The baseline's first year lies within the ranges of the national monitoring figures."""

import countysim as cs
from countysim.plausibility import CHECKS, compare, nbs_figures


def test_nbs_figures_load():
    figures = nbs_figures()
    assert figures["2022:mean_monthly_income"] == 4615
    assert abs(figures["2022:out_migrant_share"] - 17190 / 29562) < 1e-12


def test_baseline_first_year_is_plausible(baseline):
    result = cs.run(baseline, months=12)
    table = compare(result)
    assert len(table) == len(CHECKS)
    outside = table[~table["within"]]
    assert outside.empty, outside[["indicator", "model", "low", "high"]].to_string()


def test_a_wrong_profile_is_caught(baseline):
    """The check can fail: a county paying half the wages is flagged."""
    poor = baseline.replace(
        **{
            "county.labour.wage_outside_province": 2300,
            "county.labour.wage_other_province": 2600,
            "county.households.n": 5000,
        }
    )
    table = compare(cs.run(poor, months=12)).set_index("indicator")
    assert not table.loc["mean_monthly_income_out", "within"]
