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

The rules are in ``countysim.rules.housing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.parameters.behaviour import HousingBehaviour, ServicesBehaviour
from countysim.parameters.county import Housing
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month
from countysim.rules.housing import TOWN_TENANCY, eligible_for_unit, residence
from countysim.rules.services import aware, take_up_factor
from countysim.state import Account, CountyState, flow


class HousingParams(NamedTuple):
    """What the housing phase reads."""

    beh: HousingBehaviour
    housing: Housing  # the county town's housing market and the affordable stock at the start
    permit_months: int  # months in town before a residence permit (county.town)
    services: ServicesBehaviour  # how one-stop windows ease take-up (G2)


@dataclass
class HousingAccount(Account):
    """The affordable-housing stock, this month's building, and cumulative allocations and purchases."""

    units: float = 0.0
    allocated_cum: int = 0
    purchases_cum: int = 0
    built_this_month: int = flow()


def _housing(state: CountyState) -> HousingAccount:
    return state.accounts["housing"]  # type: ignore[return-value]


INDICATORS = (
    Indicator("households_in_town", "households", "households based in the county town", 0, "O3",
              lambda st, s: float(s.town.sum())),
    Indicator("residence_permit_households", "households", "town households holding a residence permit", 1, "P5",
              lambda st, s: float(st.pop.permit.sum())),
    Indicator("affordable_units", "units", "affordable rental units open to migrant households", 1, "P3",
              lambda st, s: _housing(st).units),
    Indicator("affordable_housing_households", "households", "town households in an affordable unit", 1, "P3",
              lambda st, s: float((st.pop.housing == c.H_AFFORDABLE).sum())),
    Indicator("housing_waitlist", "households", "households on the affordable-housing waiting list", -1, "P3",
              lambda st, s: float((st.pop.wait_months > 0).sum())),
    Indicator("town_home_owners", "households", "town households owning their home", 1, "P3",
              lambda st, s: float((s.town & (st.pop.housing == c.H_OWNED)).sum())),
    Indicator("housing_security_coverage", "share", "town households in affordable units / town households not owning", 1, "P3",
              lambda st, s: share(int((st.pop.housing == c.H_AFFORDABLE).sum()),
                                  int((s.town & (st.pop.housing != c.H_OWNED)).sum()))),
)  # fmt: skip


class HousingPhase(Phase):
    """Residence and permits, moving in and out of town, the affordable-unit queue, purchase, savings."""

    name = "housing"
    section = "housing"
    clauses = ("P3",)
    streams: ClassVar[dict[str, str]] = {
        "dormitory": "whether a household arriving in town lives in an employer dormitory or rents",
        "apply": "which eligible, aware households apply for an affordable unit this month",
        "lot": "the order among applicants who have waited equally long",
        "buy": "which town households able to make the down payment buy this month",
    }
    traits: ClassVar[dict[str, str]] = {
        "eligibility": "whether a household is included in housing security (P3 share)"
    }
    Account = HousingAccount
    indicators = INDICATORS

    def bind(self, scenario) -> HousingParams:
        """The housing behaviour, the county's housing profile, the permit rule, and take-up."""
        county = scenario.county
        return HousingParams(
            scenario.behaviour.housing, county.housing, county.town.permit_months, scenario.behaviour.services
        )

    def init(self, state: CountyState, scenario) -> None:
        """The account starts with the county's affordable units."""
        super().init(state, scenario)
        _housing(state).units = float(scenario.county.housing.affordable_units)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the housing phase for one month."""
        beh, housing, permit_months, services = state.params[self.name]
        acc = _housing(state)
        pop, levers, streams, month = state.pop, ctx.levers, ctx.streams, ctx.month
        t, H = month.t, pop.n_households
        take_up = take_up_factor(services, levers)

        # 1. residence, months in town, permits
        res = residence(pop)
        pop.residence[:] = res
        town = res == c.R_TOWN
        pop.town_months[:] = np.where(town, np.minimum(pop.town_months + 1, 32000), 0)
        pop.permit[:] = town & (pop.town_months >= permit_months)

        # 2. leaving and arriving
        leaving = ~town & c.in_codes(pop.housing, TOWN_TENANCY)
        pop.housing[leaving] = c.H_RURAL
        pop.wait_months[~town] = 0
        arriving = town & (pop.housing == c.H_RURAL)
        dorm = streams.uniform("housing.dormitory", t, H) < beh.p_dormitory
        pop.housing[arriving] = np.where(dorm[arriving], c.H_DORM, c.H_RENT)

        # 3. stock
        acc.built_this_month = count_this_month(levers["p3_units_per_year"], month.month - 1)
        acc.units += acc.built_this_month

        # 4. queue
        included = streams.uniform("housing.eligibility", -1, H) < levers["p3_migrant_eligibility"]
        ok = eligible_for_unit(pop, included, levers["p3_min_town_months"])
        pop.wait_months[~ok & (pop.housing != c.H_AFFORDABLE)] = 0
        waiting = pop.wait_months > 0
        pop.wait_months[waiting] += 1
        p_apply = np.minimum(beh.p_apply_affordable * take_up, 1.0)
        apply = ok & ~waiting & aware(pop, c.SV_HOUSING) & (streams.uniform("housing.apply", t, H) < p_apply)
        pop.wait_months[apply] = 1
        free = int(acc.units) - int((pop.housing == c.H_AFFORDABLE).sum())
        queue = np.flatnonzero(pop.wait_months > 0)
        if free > 0 and len(queue):
            order = np.lexsort((streams.uniform("housing.lot", t, H)[queue], -pop.wait_months[queue]))
            got = queue[order[:free]]
            pop.housing[got] = c.H_AFFORDABLE
            pop.wait_months[got] = 0
            acc.allocated_cum += len(got)

        # 5. purchase, 6. savings
        income = np.bincount(pop.hh, weights=pop.wage, minlength=H)
        pop.savings[:] += (beh.saving_rate * income).astype(np.float32)
        down = housing.house_price_yuan * housing.down_payment_share
        can_buy = town & c.in_codes(pop.housing, TOWN_TENANCY) & (pop.savings >= down)
        buy = can_buy & (streams.uniform("housing.buy", t, H) < beh.p_buy)
        pop.housing[buy] = c.H_OWNED
        pop.wait_months[buy] = 0
        pop.savings[buy] -= down
        acc.purchases_cum += int(buy.sum())
