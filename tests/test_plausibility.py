"""The baseline's first year lies within the ranges of the national monitoring figures."""

import countysim as cs
from countysim.plausibility import CHECKS, compare, nbs_figures

from helpers import ROOT


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


def test_plausibility_command(tmp_path):
    from typer.testing import CliRunner

    from countysim.cli import app

    small = tmp_path / "small.toml"
    small.write_text(
        f'extends = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n[county.households]\nn = 3000\n'
    )
    res = CliRunner().invoke(app, ["plausibility", str(small), "--markdown"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "| mean_monthly_income |" in res.output and "| within |" in res.output.replace(
        " within ", " within "
    )
    assert res.exit_code in (0, 1)  # 1 when a row leaves its range (a small county is noisier)
