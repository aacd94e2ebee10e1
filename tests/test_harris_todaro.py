"""The labour phase reproduces the Harris-Todaro equilibrium u* = 1 - w_A / w_M (an analytic case)."""

from __future__ import annotations

import numpy as np
import pytest

import countysim as cs

from helpers import ROOT

SCENARIO = ROOT / "scenarios" / "analytic" / "harris_todaro.toml"


@pytest.fixture(scope="module")
def economy():
    return cs.load_scenario(SCENARIO).replace(**{"horizon.months": 96, "county.households.n": 8000})


@pytest.mark.parametrize("ratio", [0.4, 0.5, 0.6])
def test_town_unemployment_settles_at_harris_todaro(economy, ratio):
    wage = economy.county.labour.wage_county
    run = cs.run(economy.replace(**{"county.labour.income_farm": ratio * wage}), seed=1)
    u = run.series("county_town_unemployment_rate")
    assert abs(float(np.mean(u[-36:])) - (1 - ratio)) < 0.02


def test_the_equilibrium_moves_with_the_rural_income(economy):
    """A better rural alternative keeps more workers out of the town: less urban unemployment."""
    wage = economy.county.labour.wage_county
    u = [
        float(np.mean(cs.run(economy.replace(**{"county.labour.income_farm": r * wage}), seed=2)
                      .series("county_town_unemployment_rate")[-36:]))
        for r in (0.3, 0.7)
    ]  # fmt: skip
    assert u[0] > u[1] + 0.3
