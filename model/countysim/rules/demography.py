"""Demography: the rules of deaths, births, labour-market entry and exit.

Pure functions and constants (no model): the monthly death hazard by age, who is due to leave
the labour market, the attributes of newborns, and entry ages by planned education. The
demography phase (``countysim.phases.demography``) applies them in the month's order.
"""

from __future__ import annotations

import numpy as np

from countysim.parameters.behaviour import DemographyBehaviour
from countysim.population import codes as c

MALE_SHARE_AT_BIRTH = 0.527  # sex ratio at birth 111.3 (7th census, 2020)
#: planned final education of a newborn (none, primary, junior, senior, college): the recent
#: rural cohort (assumption: ~55 % go beyond junior school, towards national enrolment rates)
NEWBORN_EDU = (0.0, 0.02, 0.43, 0.28, 0.27)
#: labour-market entry age in years by planned education: junior or less at 16, senior at 19,
#: college at 22
ENTRY_AGE_BY_EDU = np.array([16, 16, 16, 19, 22], dtype=np.int16)


GOMPERTZ_SLOPE = 1.085  # mortality rises ~8.5 % a year of age over 60 (Gompertz; life tables)


def death_hazard(age_years: np.ndarray, beh: DemographyBehaviour) -> np.ndarray:
    """Monthly probability of death by age."""
    old = beh.mortality_60_plus * GOMPERTZ_SLOPE ** (age_years.astype(np.float64) - 70)
    return np.where(age_years >= 60, np.minimum(old, 1.0), beh.mortality_under_60)


def exit_due(age_m: np.ndarray, sex: np.ndarray, beh: DemographyBehaviour) -> np.ndarray:
    """Workers at or past the exit age for their sex."""
    exit_m = np.where(sex == c.FEMALE, beh.exit_age_women, beh.exit_age_men) * 12
    return age_m >= exit_m


def newborn_attributes(
    gen: np.random.Generator, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sex, planned education, entry age (months) and wage effect of ``k`` newborns."""
    sex = np.where(gen.random(k) < MALE_SHARE_AT_BIRTH, c.MALE, c.FEMALE).astype(np.int8)
    edu = np.searchsorted(np.cumsum(NEWBORN_EDU), gen.random(k), side="right").clip(0, 4).astype(np.int8)
    entry = (ENTRY_AGE_BY_EDU[edu] * 12).astype(np.int16)
    effect = gen.standard_normal(k).astype(np.float32)
    return sex, edu, entry, effect
