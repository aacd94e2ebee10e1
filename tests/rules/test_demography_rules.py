"""Demography rules, tested without a model."""

import numpy as np

from countysim.population import codes as c
from countysim.rules import demography
from countysim.scenario import DemographyBehaviour

BEH = DemographyBehaviour()


def test_death_hazard_rises_with_age():
    h = demography.death_hazard(np.array([20, 59, 60, 70, 85, 120]), BEH)
    assert h[0] == h[1] == BEH.mortality_under_60
    assert h[3] == BEH.mortality_60_plus
    assert h[2] < h[3] < h[4] <= h[5] <= 1


def test_exit_age_by_sex():
    age_m = np.array([int(BEH.exit_age_women * 12), int(BEH.exit_age_women * 12)])
    sex = np.array([c.FEMALE, c.MALE])
    assert demography.exit_due(age_m, sex, BEH).tolist() == [True, False]


def test_newborns():
    sex, _edu, entry, effect = demography.newborn_attributes(np.random.default_rng(0), 20_000)
    assert abs((sex == c.MALE).mean() - demography.MALE_SHARE_AT_BIRTH) < 0.02
    assert set(np.unique(entry // 12)) <= {16, 19, 22}
    assert abs(effect.mean()) < 0.05
