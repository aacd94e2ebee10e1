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

The rules are in ``countysim.rules.housing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.parameters.behaviour import HousingBehaviour, ServicesBehaviour
from countysim.parameters.county import Housing, Labour
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month
from countysim.rules.housing import (
    TOWN_TENANCY,
    eligible_for_unit,
    members_by_place,
    mortgage_payment,
    residence,
)
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
        beh, housing, permit_months, services, labour = state.params[self.name]
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
        arrivals = np.flatnonzero(arriving)
        dorm = streams.uniform("housing.dormitory", t, arrivals) < beh.p_dormitory
        pop.housing[arrivals] = np.where(dorm, c.H_DORM, c.H_RENT)

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
        apply = streams.chance("housing.apply", t, ok & ~waiting & aware(pop, c.SV_HOUSING), p_apply)
        pop.wait_months[apply] = 1
        free = int(acc.units) - int((pop.housing == c.H_AFFORDABLE).sum())
        queue = np.flatnonzero(pop.wait_months > 0)
        if free > 0 and len(queue):
            order = np.lexsort((streams.uniform("housing.lot", t, queue), -pop.wait_months[queue]))
            got = queue[order[:free]]
            pop.housing[got] = c.H_AFFORDABLE
            pop.wait_months[got] = 0
            acc.allocated_cum += len(got)

        # 5. the household budget: income less consumption where each member lives, rent or the
        # mortgage, remittances and the occasional major expense; savings never go below zero
        income = np.bincount(pop.hh, weights=pop.wage, minlength=H)
        price = growth_factor(labour, month.absolute)
        members = members_by_place(pop)
        basic = price * (members @ np.array([beh.consumption_village_yuan, beh.consumption_town_yuan,
                                              beh.consumption_outside_yuan]))  # fmt: skip
        consumption = basic + beh.marginal_consumption * np.maximum(income - basic, 0.0)
        rent = price * np.where(pop.housing == c.H_RENT, housing.rent_yuan_month,
                                np.where(pop.housing == c.H_AFFORDABLE, housing.affordable_rent_yuan_month, 0.0))  # fmt: skip
        paying = pop.mortgage_left > 0
        mortgage = np.where(paying, pop.mortgage, 0.0)
        pop.mortgage_left[paying] -= 1
        pop.mortgage[pop.mortgage_left == 0] = 0.0
        # (a household without income this month has no major expense to meet from it)
        major = np.where(streams.chance("housing.expense", t, income > 0, beh.p_major_expense),
                         beh.major_expense_months * income, 0.0)  # fmt: skip
        regular = consumption + rent + mortgage + beh.remittance_share * income
        spending = regular + major
        acc.income_this_month, acc.spending_this_month = float(income.sum()), float(regular.sum())
        renting = (pop.housing == c.H_RENT) & (income > 0)
        acc.rent_this_month = float(rent[renting].sum())
        acc.renter_income_this_month = float(income[renting].sum())
        pop.savings[:] = np.maximum(pop.savings + income - spending, 0.0).astype(np.float32)

        # 6. purchase: town tenants who can make the down payment and carry the mortgage buy
        down = housing.house_price_yuan * housing.down_payment_share
        payment = mortgage_payment(housing.house_price_yuan - down, beh.mortgage_rate, beh.mortgage_years)
        can_buy = (
            town & c.in_codes(pop.housing, TOWN_TENANCY) & (pop.savings >= down)
            & (payment <= beh.max_payment_share * income)
        )  # fmt: skip
        buy = streams.chance("housing.buy", t, can_buy, beh.p_buy)
        pop.housing[buy] = c.H_OWNED
        pop.wait_months[buy] = 0
        pop.savings[buy] -= down
        pop.mortgage[buy] = payment
        pop.mortgage_left[buy] = 12 * beh.mortgage_years
        acc.purchases_cum += int(buy.sum())
