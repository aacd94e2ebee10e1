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
5. **budget** — savings change by income less consumption (basic consumption by where each
   member lives, and a share of the income above it), rent or
   the mortgage payment, remittances to relatives and, now and then, a major expense (a village
   house, a wedding, illness); savings never go below zero.
6. **purchase** — town tenants who can make the down payment and carry the mortgage (payment
   within a share of income) buy at a monthly rate; the mortgage is paid from then on.

The rules are in ``countysim.rules.housing``; the phase applies them in a few compiled passes
(``countysim.rules.homes_kernels``) that give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.backend import unsigned
from countysim.parameters.behaviour import HousingBehaviour, ServicesBehaviour
from countysim.parameters.county import Housing, Labour
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rng import TRAIT
from countysim.rules.arrays import count_this_month
from countysim.rules.housing import mortgage_payment, per_member_consumption, rent_by_housing
from countysim.rules.labour import growth_factor
from countysim.rules.services import aware, take_up_factor
from countysim.state import Account, CountyState, flow


class HousingParams(NamedTuple):
    """What the housing phase reads."""

    beh: HousingBehaviour
    housing: Housing  # the county town's housing market and the affordable stock at the start
    permit_months: int  # months in town before a residence permit (county.town)
    services: ServicesBehaviour  # how one-stop windows ease take-up (G2)
    labour: Labour  # nominal growth of incomes and prices (county.labour)


@dataclass
class HousingAccount(Account):
    """The affordable-housing stock, this month's building, and cumulative allocations and purchases."""

    units: float = 0.0
    allocated_cum: int = 0
    purchases_cum: int = 0
    built_this_month: int = flow()
    income_this_month: float = flow(0.0)
    spending_this_month: float = flow(0.0)
    rent_this_month: float = flow(0.0)
    renter_income_this_month: float = flow(0.0)


def _housing(state: CountyState) -> HousingAccount:
    return state.accounts["housing"]  # type: ignore[return-value]


_NOT_OWNED = tuple(h for h in range(len(c.HOUSING_NAMES)) if h != c.H_OWNED)

INDICATORS = (
    Indicator("households_in_town", "households", "households based in the county town", 0, "O3",
              lambda st, s: float(s.households.count(residence=c.R_TOWN))),
    Indicator("residence_permit_households", "households", "town households holding a residence permit", 1, "P5",
              lambda st, s: float(s.households.count(permit=1))),
    Indicator("affordable_units", "units", "affordable rental units open to migrant households", 1, "P3",
              lambda st, s: _housing(st).units),
    Indicator("affordable_housing_households", "households", "town households in an affordable unit", 1, "P3",
              lambda st, s: float(s.households.count(housing=c.H_AFFORDABLE))),
    Indicator("housing_waitlist", "households", "households on the affordable-housing waiting list", -1, "P3",
              lambda st, s: float(s.households.count(waiting=1))),
    Indicator("town_home_owners", "households", "town households owning their home", 1, "P3",
              lambda st, s: float(s.households.count(residence=c.R_TOWN, housing=c.H_OWNED))),
    Indicator("town_home_ownership_rate", "share", "town households owning their home / town households", 0, "P3",
              lambda st, s: share(s.households.count(residence=c.R_TOWN, housing=c.H_OWNED), s.households.count(residence=c.R_TOWN))),
    Indicator("mean_household_savings", "yuan", "mean savings of households with a living member", 0, "P3",
              lambda st, s: float(st.pop.savings[s.living_households].mean())),
    Indicator("household_saving_rate", "share of income",
              "households' income less regular spending (consumption, rent, mortgage, remittances) this month / "
              "income; major expenses are paid from the savings", 0, "P3",
              lambda st, s: share(_housing(st).income_this_month - _housing(st).spending_this_month,
                                  _housing(st).income_this_month)),
    Indicator("rent_burden", "share", "rent paid by renting households with an income / their income, this month",
              -1, "P3",
              lambda st, s: share(_housing(st).rent_this_month, _housing(st).renter_income_this_month)),
    Indicator("housing_security_coverage", "share", "town households in affordable units / town households not owning", 1, "P3",
              lambda st, s: share(s.households.count(housing=c.H_AFFORDABLE),
                                  s.households.count(residence=c.R_TOWN, housing=_NOT_OWNED))),
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
        "buy": "which town households able to make the down payment and carry the mortgage buy this month",
        "expense": "which households meet a major expense this month (village house, wedding, illness)",
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
            scenario.behaviour.housing, county.housing, county.town.permit_months, scenario.behaviour.services,
            county.labour,
        )  # fmt: skip

    def init(self, state: CountyState, scenario) -> None:
        """The account starts with the county's affordable units."""
        super().init(state, scenario)
        _housing(state).units = float(scenario.county.housing.affordable_units)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the housing phase for one month."""
        from countysim.rules import homes_kernels as k  # compiled on first use

        beh, housing, permit_months, services, labour = state.params[self.name]
        acc = _housing(state)
        pop, levers, streams, month = state.pop, ctx.levers, ctx.streams, ctx.month
        t, H = month.t, pop.n_households
        take_up = take_up_factor(services, levers)

        # one pass over the persons: where each household's workers are, its income (summed in
        # slot order), its living members by place
        code = np.empty(pop.n, dtype=np.uint8)
        k.town_codes(pop.alive, unsigned(pop.role), unsigned(pop.loc), code)
        flags, income, members = np.zeros(H, np.uint8), np.zeros(H), np.zeros((H, 4), np.int32)
        k.town_pass(pop.hh, code, pop.wage, flags, income, members)

        # 1-2. residence, months in town, permits; leaving and arriving (one pass)
        arrivals = k.select(
            k.settle_in, flags, pop.settled, pop.housing, pop.residence, pop.town_months, pop.permit,
            pop.wait_months, permit_months,
        )  # fmt: skip
        dorm = streams.uniform("housing.dormitory", t, arrivals) < beh.p_dormitory
        pop.housing[arrivals] = np.where(dorm, c.H_DORM, c.H_RENT)

        # 3. stock
        acc.built_this_month = count_this_month(levers["p3_units_per_year"], month.month - 1)
        acc.units += acc.built_this_month

        # 4. queue: the tenants long enough in town who are included in housing security may wait
        tenants = k.select(
            k.unit_candidates, pop.residence, pop.housing, pop.town_months, levers["p3_min_town_months"]
        )
        ok = tenants[
            streams.uniform("housing.eligibility", TRAIT, tenants) < levers["p3_migrant_eligibility"]
        ]
        may_wait = np.zeros(H, dtype=bool)
        may_wait[ok] = True
        k.keep_waiting(may_wait, pop.housing, pop.wait_months)
        new = ok[(pop.wait_months[ok] == 0) & aware(pop, c.SV_HOUSING)[ok]]
        p_apply = np.minimum(beh.p_apply_affordable * take_up, 1.0)
        pop.wait_months[new[streams.uniform("housing.apply", t, new) < p_apply]] = 1
        free = int(acc.units) - np.count_nonzero(pop.housing == c.H_AFFORDABLE)
        queue = np.flatnonzero(pop.wait_months > 0)
        if free > 0 and len(queue):
            order = np.lexsort((streams.uniform("housing.lot", t, queue), -pop.wait_months[queue]))
            got = queue[order[:free]]
            pop.housing[got] = c.H_AFFORDABLE
            pop.wait_months[got] = 0
            acc.allocated_cum += len(got)

        # 5. the household budget: income less consumption where each member lives, rent or the
        # mortgage, remittances and the occasional major expense; savings never go below zero
        # (a household without income this month has no major expense to meet from it)
        expense = streams.chance("housing.expense", t, income > 0, beh.p_major_expense)
        price = growth_factor(labour, month.absolute)
        per_member = per_member_consumption(beh)
        # whole yuan per member: the basic consumption sums exactly, in any order; else numpy's
        basic = np.empty(0) if _whole_yuan(per_member) else np.ascontiguousarray(members[:, :3]) @ per_member
        rent = rent_by_housing(housing, price)
        regular = np.empty(H)
        k.budget(
            income, basic, members, per_member, price, beh.marginal_consumption, pop.housing, rent, pop.mortgage,
            pop.mortgage_left, expense, beh.major_expense_months, beh.remittance_share, pop.savings, regular,
        )  # fmt: skip
        acc.income_this_month, acc.spending_this_month = float(income.sum()), float(regular.sum())
        renting = np.flatnonzero((pop.housing == c.H_RENT) & (income > 0))
        acc.rent_this_month = float(np.full(len(renting), rent[c.H_RENT]).sum())
        acc.renter_income_this_month = float(income[renting].sum())

        # 6. purchase: town tenants who can make the down payment and carry the mortgage buy
        down = housing.house_price_yuan * housing.down_payment_share
        payment = mortgage_payment(housing.house_price_yuan - down, beh.mortgage_rate, beh.mortgage_years)
        can_buy = k.select(
            k.buyers, pop.residence, pop.housing, pop.savings, income, np.float32(down), payment,
            beh.max_payment_share,
        )  # fmt: skip
        buy = can_buy[streams.uniform("housing.buy", t, can_buy) < beh.p_buy]
        pop.housing[buy] = c.H_OWNED
        pop.wait_months[buy] = 0
        pop.savings[buy] -= down
        pop.mortgage[buy] = payment
        pop.mortgage_left[buy] = 12 * beh.mortgage_years
        acc.purchases_cum += len(buy)


def _whole_yuan(values: np.ndarray) -> bool:
    """Whole numbers small enough that their multiples by member counts sum exactly in float64."""
    return bool(np.all((values == np.floor(values)) & (np.abs(values) < 2.0**32)))
