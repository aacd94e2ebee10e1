"""Settlement (落戶): eligibility under the county's conditions and the household's choice (P6).

Each month a household based in the county town that has not settled is **eligible** when it
meets every condition the county still imposes (each removable by a lever, P6): months of
residence, a worker in employee pension insurance, an owned home or affordable unit, a worker
with 12+ months in a town job. It must also know it can (awareness of the settlement service),
and want to at all: a minority of households would consider it (``settle_open``).
An eligible household **settles** with a monthly logit probability, shifted by its lasting
taste (``settle_taste``), weighing what settling
brings — public services at the county's standard (P1), a stable job, its housing, its children
schooled in town — against the value of the rural land rights it fears to lose (less when the
county guarantees them, P6), scaled by the ease of one-stop windows (G2). Settling moves the
hukou of every member to the county town.

Pure functions (no model); the settlement phase (``countysim.phases.settlement``) applies them.
"""

from __future__ import annotations

import numpy as np

from countysim.parameters.behaviour import SettlementBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules.arrays import household_any
from countysim.rules.services import aware

STABLE_MONTHS = 12


def household_facts(pop: Population) -> dict[str, np.ndarray]:
    """Per household: the facts the conditions and the choice look at."""
    worker = pop.alive & (pop.role == c.WORKER)
    town_job = worker & c.in_codes(pop.job, (c.J_COUNTY_FORMAL, c.J_COUNTY_FLEX))
    return {
        "insured": household_any(pop, worker & pop.ins_pension),
        "stable": household_any(pop, town_job & (pop.tenure >= STABLE_MONTHS)),
        "children_in_town": household_any(pop, pop.alive & c.in_codes(pop.school, c.TOWN_SCHOOLS)),
    }


def eligible(pop: Population, facts: dict[str, np.ndarray], levers: dict[str, float]) -> np.ndarray:
    """Households meeting the county's settlement conditions (P6) and aware they may settle."""
    ok = (pop.residence == c.R_TOWN) & ~pop.settled & pop.settle_open & aware(pop, c.SV_SETTLEMENT)
    ok &= pop.town_months >= levers["p6_min_town_months"]
    if levers["p6_require_insurance"] >= 0.5:
        ok &= facts["insured"]
    if levers["p6_require_housing"] >= 0.5:
        ok &= (pop.housing == c.H_OWNED) | (pop.housing == c.H_AFFORDABLE)
    if levers["p6_require_stable_job"] >= 0.5:
        ok &= facts["stable"]
    return ok


def settle_probability(
    pop: Population,
    facts: dict[str, np.ndarray],
    beh: SettlementBehaviour,
    levers: dict[str, float],
    take_up: float,
    at: np.ndarray | None = None,
) -> np.ndarray:
    """Monthly probability that a household settles, if eligible.

    For every household, or for the households ``at`` (an index array) only: then one
    probability for each of them, the same numbers as ``settle_probability(...)[at]``.
    """

    def col(values: np.ndarray) -> np.ndarray:
        return values if at is None else values[at]

    housing = col(pop.housing)
    u = (
        beh.base
        + col(pop.settle_taste)
        + beh.stable_job * col(facts["stable"])
        + beh.children_in_town * col(facts["children_in_town"])
    )
    u = u + beh.housing_owned * (housing == c.H_OWNED) + beh.housing_affordable * (housing == c.H_AFFORDABLE)
    u = u + beh.services * min(levers["p1_service_standard"], 1.0)
    at_risk = col(pop.land_value) / 1e5 * (1.0 - levers["p6_land_rights_kept"])
    u = u + beh.land_per_100k * at_risk
    return np.minimum(take_up / (1.0 + np.exp(-u)), 1.0)
