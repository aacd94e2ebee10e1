"""Demography rules, tested without a model."""

import numpy as np
import pytest

from countysim.population import codes as c
from countysim.rules import demography
from countysim.scenario import DemographyBehaviour

BEH = DemographyBehaviour()


def test_death_hazard_rises_with_age():
    h = demography.death_hazard(np.array([20, 59, 60, 70, 85, 120]), BEH)
    assert h[0] == h[1] == BEH.mortality_under_60
    assert h[3] == BEH.mortality_60_plus
    assert h[2] < h[3] < h[4] <= h[5] <= 1


def month(label):
    y, m = map(int, label.split("-"))
    return y * 12 + m - 1


@pytest.mark.parametrize(
    ("sex", "born", "years", "months"),
    [
        (c.MALE, "1964-12", 60, 0),  # before the reform
        (c.MALE, "1965-01", 60, 1),
        (c.MALE, "1965-04", 60, 1),
        (c.MALE, "1965-05", 60, 2),
        (c.MALE, "1976-08", 62, 11),
        (c.MALE, "1976-09", 63, 0),
        (c.MALE, "1990-01", 63, 0),
        (c.FEMALE, "1974-12", 50, 0),
        (c.FEMALE, "1975-01", 50, 1),
        (c.FEMALE, "1975-03", 50, 2),
        (c.FEMALE, "1984-11", 55, 0),
    ],
)
def test_statutory_age_follows_the_2025_reform(sex, born, years, months):
    got = demography.statutory_age_m(np.array([sex]), np.array([month(born)]))
    assert got.tolist() == [years * 12 + months]
    old = demography.statutory_age_m(np.array([sex]), np.array([month(born)]), reform=False)
    assert old.tolist() == [60 * 12 if sex == c.MALE else 50 * 12]


def test_exit_hazard_rises_with_age_and_later_under_the_reform():
    now = month("2035-01")
    ages = np.arange(40, 80) * 12
    men = demography.exit_hazard(ages, np.full(len(ages), c.MALE), now, BEH)
    assert np.all(np.diff(men) >= 0) and men[0] < 1e-3 and men[-1] > 0.02
    women = demography.exit_hazard(ages, np.full(len(ages), c.FEMALE), now, BEH)
    assert np.all(women >= men)  # women's statutory age is lower
    old_rules = BEH.model_copy(update={"retirement_reform": False})
    at_62 = np.array([62 * 12])  # born 1973: three years' delay at most by then
    assert (
        demography.exit_hazard(at_62, np.array([c.MALE]), now, BEH)[0]
        < demography.exit_hazard(at_62, np.array([c.MALE]), now, old_rules)[0]
    )


def test_newborns():
    sex, _edu, entry, effect = demography.newborn_attributes(
        np.random.default_rng(0), 20_000, BEH.child_edu_shares
    )
    assert abs((sex == c.MALE).mean() - demography.MALE_SHARE_AT_BIRTH) < 0.02
    assert set(np.unique(entry // 12)) <= {16, 19, 22}
    assert abs(effect.mean()) < 0.05
