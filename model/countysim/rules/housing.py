"""Housing: where town-based households live, and the affordable-housing queue (clause P3).

The month's housing phase, in order:

1. **residence** — a household is based in the county town when one of its workers lives there
   (a town job, or jobless after one), or it has settled or owns a home there; it is based
   outside when all its workers are outside the county; otherwise in the village. Months in
   town count up; a residence permit (居住證) comes after ``town.permit_months``.
2. **leaving and arriving** — households leaving town give up their rented room, dormitory or
   affordable unit; households arriving live in an employer dormitory (with probability
   ``p_dormitory``) or rent.
3. **stock** — affordable units are added a twelfth of the annual plan each month (P3).
4. **queue** — eligible, aware households apply (eligibility: included in housing security
   (P3 share), ``p3_min_town_months`` in town, renting or in a dormitory); the longest-waiting
   get the units that are free; the list never holds anyone who left town.
5. **purchase** — households that can make the down payment buy at a monthly rate.
6. **savings** — households save a share of their income.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from countysim.calendar import Month
from countysim.parameters.behaviour import HousingBehaviour
from countysim.parameters.county import County
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.labour import count_this_month
from countysim.rules.services import aware

TOWN_TENANCY = (c.H_RENT, c.H_DORM, c.H_AFFORDABLE)


@dataclass
class HousingAccount:
    """The affordable-housing stock and this month's building."""

    units: float = 0.0
    built_this_month: int = 0
    allocated_cum: int = 0
    purchases_cum: int = 0


def household_any(pop: Population, mask: np.ndarray) -> np.ndarray:
    """Per household: at least one person satisfies ``mask``."""
    return np.bincount(pop.hh[mask], minlength=pop.n_households) > 0


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


def step(
    pop: Population,
    beh: HousingBehaviour,
    county: County,
    levers: dict[str, float],
    take_up: float,
    streams: Streams,
    month: Month,
    account: HousingAccount,
) -> None:
    """Run the housing phase for one month; mutates ``pop`` and ``account``."""
    t, H = month.t, pop.n_households

    # 1. residence, months in town, permits
    res = residence(pop)
    pop.residence[:] = res
    town = res == c.R_TOWN
    pop.town_months[:] = np.where(town, np.minimum(pop.town_months + 1, 32000), 0)
    pop.permit[:] = town & (pop.town_months >= county.town.permit_months)

    # 2. leaving and arriving
    leaving = ~town & c.in_codes(pop.housing, TOWN_TENANCY)
    pop.housing[leaving] = c.H_RURAL
    pop.wait_months[~town] = 0
    arriving = town & (pop.housing == c.H_RURAL)
    dorm = streams.uniform("housing.dormitory", t, H) < beh.p_dormitory
    pop.housing[arriving] = np.where(dorm[arriving], c.H_DORM, c.H_RENT)

    # 3. stock
    account.built_this_month = count_this_month(levers["p3_units_per_year"], month.month - 1)
    account.units += account.built_this_month

    # 4. queue
    included = streams.uniform("housing.eligibility", -1, H) < levers["p3_migrant_eligibility"]
    ok = eligible_for_unit(pop, included, levers["p3_min_town_months"])
    pop.wait_months[~ok & (pop.housing != c.H_AFFORDABLE)] = 0
    waiting = pop.wait_months > 0
    pop.wait_months[waiting] += 1
    p_apply = np.minimum(beh.p_apply_affordable * take_up, 1.0)
    apply = ok & ~waiting & aware(pop, c.SV_HOUSING) & (streams.uniform("housing.apply", t, H) < p_apply)
    pop.wait_months[apply] = 1
    free = int(account.units) - int((pop.housing == c.H_AFFORDABLE).sum())
    queue = np.flatnonzero(pop.wait_months > 0)
    if free > 0 and len(queue):
        order = np.lexsort((streams.uniform("housing.lot", t, H)[queue], -pop.wait_months[queue]))
        got = queue[order[:free]]
        pop.housing[got] = c.H_AFFORDABLE
        pop.wait_months[got] = 0
        account.allocated_cum += len(got)

    # 5. purchase, 6. savings
    income = np.bincount(pop.hh, weights=pop.wage, minlength=H)
    pop.savings[:] += (beh.saving_rate * income).astype(np.float32)
    down = county.housing.house_price_yuan * county.housing.down_payment_share
    can_buy = town & c.in_codes(pop.housing, TOWN_TENANCY) & (pop.savings >= down)
    buy = can_buy & (streams.uniform("housing.buy", t, H) < beh.p_buy)
    pop.housing[buy] = c.H_OWNED
    pop.wait_months[buy] = 0
    pop.savings[buy] -= down
    account.purchases_cum += int(buy.sum())
