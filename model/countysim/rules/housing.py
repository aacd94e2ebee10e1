"""Housing: the rules of where households are based and who may queue for a unit (clause P3).

Pure functions (no model): a household's residence (town, village or outside) from where its
workers live, and eligibility for the affordable-housing list (P3). The housing phase
(``countysim.phases.housing``) applies them.
"""

from __future__ import annotations

import numpy as np

from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules.arrays import household_any

TOWN_TENANCY = (c.H_RENT, c.H_DORM, c.H_AFFORDABLE)


def residence(pop: Population) -> np.ndarray:
    """Where each household is based this month (codes.RESIDENCE_NAMES)."""
    worker = pop.alive & (pop.role == c.WORKER)
    in_town = household_any(pop, worker & (pop.loc == c.COUNTY_TOWN))
    has_worker = household_any(pop, worker)
    at_home = household_any(pop, worker & (pop.loc < c.OUTSIDE_PROVINCE))
    town = in_town | pop.settled | (pop.housing == c.H_OWNED)
    out = has_worker & ~at_home & ~town
    return np.where(town, c.R_TOWN, np.where(out, c.R_OUTSIDE, c.R_VILLAGE)).astype(np.int8)


def eligible_for_unit(pop: Population, included: np.ndarray, min_months: float) -> np.ndarray:
    """Households that may join the affordable-housing list."""
    tenant = (pop.housing == c.H_RENT) | (pop.housing == c.H_DORM)
    return (pop.residence == c.R_TOWN) & tenant & included & (pop.town_months >= min_months)


def mortgage_payment(loan: float, annual_rate: float, years: int) -> float:
    """Monthly payment of an annuity mortgage of ``loan`` yuan."""
    n = 12 * years
    r = annual_rate / 12
    return loan / n if r == 0 else loan * r / (1.0 - (1.0 + r) ** -n)


def members_by_place(pop: Population) -> np.ndarray:
    """Per household, living members in the village, the county town and outside: shape (H, 3)."""
    alive = pop.alive
    place = np.minimum(pop.loc[alive], c.OUTSIDE_PROVINCE)  # both outside locations together
    key = pop.hh[alive].astype(np.int64) * 3 + place
    return np.bincount(key, minlength=pop.n_households * 3).reshape(pop.n_households, 3)
