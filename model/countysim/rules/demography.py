"""Demography: the rules of deaths, births, labour-market entry and exit.

Pure functions and constants (no model): the monthly death hazard by age, who is due to leave
the labour market, the attributes of newborns, and entry ages by planned education. The
demography phase (``countysim.phases.demography``) applies them in the month's order.
"""

from __future__ import annotations

import numpy as np

from countysim import backend
from countysim.parameters.behaviour import DemographyBehaviour
from countysim.population import codes as c

MALE_SHARE_AT_BIRTH = 0.527  # sex ratio at birth 111.3 (7th census, 2020)
#: labour-market entry age in years by planned education: junior or less at 16, senior at 19,
#: college at 22 (the lengths of China's school stages)
ENTRY_AGE_BY_EDU = np.array([16, 16, 16, 19, 22], dtype=np.int16)

#: the earliest age at which a worker leaves the labour market for good (the exit hazard is 0 before)
EARLIEST_EXIT_AGE = 45
#: statutory retirement ages before the 2025 reform, in months: men 60, women workers 50
STATUTORY_AGE_M = {c.MALE: 60 * 12, c.FEMALE: 50 * 12}
#: the 2025 reform (NPC Standing Committee decision of 2024-09-13): by sex, the first birth month
#: (absolute month number) affected, the months of birth per month of delay, the maximum delay
REFORM = {c.MALE: (1965 * 12, 4, 36), c.FEMALE: (1975 * 12, 2, 60)}


GOMPERTZ_SLOPE = 1.085  # mortality rises ~8.5 % a year of age over 60 (Gompertz; life tables)


def death_hazard(age_years: np.ndarray, beh: DemographyBehaviour) -> np.ndarray:
    """Monthly probability of death by age (computed with the backend's array module)."""
    xp = backend.xp()
    old = beh.mortality_60_plus * GOMPERTZ_SLOPE ** (xp.astype(age_years, xp.float64) - 70)
    return xp.where(age_years >= 60, xp.clip(old, max=1.0), beh.mortality_under_60)


def death_hazard_by_age_m(age_dtype: np.dtype, beh: DemographyBehaviour) -> np.ndarray:
    """``death_hazard`` at every age in months that an ``age_dtype`` column holds (from 0).

    ``death_hazard_by_age_m(age_m.dtype, beh)[age_m]`` is ``death_hazard(age_m // 12, beh)``:
    a power for each of a few thousand whole years instead of one per person.
    """
    n = int(np.iinfo(age_dtype).max) + 1
    years = death_hazard(np.arange((n + 11) // 12, dtype=age_dtype), beh)
    return np.repeat(np.asarray(years), 12)[:n]


def statutory_age_m(sex: np.ndarray, birth_month: np.ndarray, reform: bool = True) -> np.ndarray:
    """Statutory retirement age in months by sex and birth month (absolute month number).

    Under the 2025 reform the age rises by one month for every four months of birth from January
    1965 for men (60 to 63 for those born from September 1976) and for every two months of birth
    from January 1975 for women workers (50 to 55 for those born from November 1984).
    """
    out = np.where(sex == c.FEMALE, STATUTORY_AGE_M[c.FEMALE], STATUTORY_AGE_M[c.MALE]).astype(np.int32)
    if reform:
        for code, (first, per, cap) in REFORM.items():
            mine = sex == code
            later = np.asarray(birth_month)[mine] - first
            delay = np.where(later >= 0, np.minimum((later + per) // per, cap), 0)
            out[mine] += delay.astype(np.int32)
    return out


def exit_hazard(age_m: np.ndarray, sex: np.ndarray, month: int, beh: DemographyBehaviour) -> np.ndarray:
    """Monthly probability that a worker leaves the labour market for good (retirement, age).

    Exit ages follow a logistic distribution around the statutory retirement age plus the years
    migrant workers work past it (``exit_years_after_statutory_*``), spread over
    ``exit_spread_years``; the hazard of a logistic distribution is its CDF over its scale. From
    50, health and care duties add ``p_exit_monthly_50_plus``.

    Args:
        age_m: ages in months.
        sex: sex codes.
        month: the current absolute month number (birth month = month − age).
        beh: demography behaviour.
    """
    statutory = statutory_age_m(sex, month - age_m, beh.retirement_reform) / 12.0
    past = np.where(sex == c.FEMALE, beh.exit_years_after_statutory_women, beh.exit_years_after_statutory_men)
    z = (age_m / 12.0 - statutory - past) / beh.exit_spread_years
    yearly = 1.0 / (1.0 + np.exp(-z)) / beh.exit_spread_years
    h = 1.0 - np.exp(-yearly / 12.0)
    return np.where(age_m >= 50 * 12, 1.0 - (1.0 - h) * (1.0 - beh.p_exit_monthly_50_plus), h)


def exit_hazard_by_sex_and_age(
    first_age_m: int, last_age_m: int, month: int, beh: DemographyBehaviour, age_dtype: np.dtype
) -> np.ndarray:
    """``exit_hazard`` of this month for every sex and every age in months from ``first_age_m``.

    Shape ``(sexes, ages)``: ``table[sex, age_m - first_age_m]`` up to ``last_age_m``. The hazard depends on a worker only through sex and age (the birth month is the month less
    the age), so a table of a few hundred ages serves every worker.
    """
    ages = np.arange(first_age_m, last_age_m + 1, dtype=age_dtype)
    return np.stack(
        [
            exit_hazard(ages, np.full(len(ages), code, dtype=np.int8), month, beh)
            for code in range(len(c.SEX_NAMES))
        ]
    )


def planned_education(u: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """Planned final education codes of children from uniform draws and the cohort's shares."""
    return np.searchsorted(np.cumsum(shares), u, side="right").clip(0, len(shares) - 1).astype(np.int8)


def newborn_attributes(
    gen: np.random.Generator, k: int, edu_shares: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sex, planned education, entry age (months) and wage effect of ``k`` newborns."""
    sex = np.where(gen.random(k) < MALE_SHARE_AT_BIRTH, c.MALE, c.FEMALE).astype(np.int8)
    edu = planned_education(gen.random(k), edu_shares)
    entry = (ENTRY_AGE_BY_EDU[edu] * 12).astype(np.int16)
    effect = gen.standard_normal(k).astype(np.float32)
    return sex, edu, entry, effect
