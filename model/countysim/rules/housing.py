"""Housing: the rules of where households are based and who may queue for a unit (clause P3).

Pure functions (no model): a household's residence (town, village or outside) from where its
workers live, eligibility for the affordable-housing list (P3), and the household budget of the
month. The housing phase (``countysim.phases.housing``) applies them, in compiled passes
(``countysim.rules.homes_kernels``) that give the same numbers as these functions.
"""

from __future__ import annotations

import numpy as np

from countysim.parameters.behaviour import HousingBehaviour
from countysim.parameters.county import Housing
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


def per_member_consumption(beh: HousingBehaviour) -> np.ndarray:
    """Basic consumption per member living in the village, the county town and outside (yuan, base year)."""
    return np.array([beh.consumption_village_yuan, beh.consumption_town_yuan, beh.consumption_outside_yuan])


def rent_by_housing(market: Housing, price: float) -> np.ndarray:
    """This month's rent by housing code: the market rent, the affordable rent, else nothing."""
    rent = np.zeros(len(c.HOUSING_NAMES))
    rent[c.H_RENT], rent[c.H_AFFORDABLE] = market.rent_yuan_month, market.affordable_rent_yuan_month
    return price * rent


def household_budget(
    pop: Population,
    income: np.ndarray,
    members: np.ndarray,
    expense: np.ndarray,
    beh: HousingBehaviour,
    market: Housing,
    price: float,
) -> np.ndarray:
    """The household budget of the month; returns the regular spending of each household.

    Income less basic consumption where each member lives (``members``: ``members_by_place``)
    and a share of the income above it, rent or the mortgage payment, and remittances; a
    household meeting a major expense (``expense``) pays it from its savings, which never go
    below zero. Mortgages run a month down. Updates ``pop.savings``, ``pop.mortgage`` and
    ``pop.mortgage_left``.
    """
    basic = price * (members @ per_member_consumption(beh))
    consumption = basic + beh.marginal_consumption * np.maximum(income - basic, 0.0)
    rent = price * np.where(pop.housing == c.H_RENT, market.rent_yuan_month,
                            np.where(pop.housing == c.H_AFFORDABLE, market.affordable_rent_yuan_month, 0.0))  # fmt: skip
    paying = pop.mortgage_left > 0
    mortgage = np.where(paying, pop.mortgage, 0.0)
    pop.mortgage_left[paying] -= 1
    pop.mortgage[pop.mortgage_left == 0] = 0.0
    major = np.where(expense, beh.major_expense_months * income, 0.0)
    regular = consumption + rent + mortgage + beh.remittance_share * income
    spending = regular + major
    pop.savings[:] = np.maximum(pop.savings + income - spending, 0.0).astype(np.float32)
    return regular
