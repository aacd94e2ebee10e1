"""Fiscal: the county's monthly costs by category and the transfers it receives (P1, P2).

Costs follow what the other phases did this month (their accounts' flows) at the unit costs of
``county.costs`` (``rules.fiscal.month_costs``); transfers are paid per settled person and per
migrant living in town who has not settled (``rules.fiscal.month_transfers``). The account keeps
every category's cumulative total, so that the total cost always equals the sum of its
categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from countysim.parameters.county import Costs
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules.fiscal import (
    CATEGORIES,
    MonthActivity,
    committed_settlement_cost,
    month_costs,
    month_transfers,
    town_migrants,
)
from countysim.state import Account, CountyState, flow


@dataclass
class FiscalAccount(Account):
    """Cumulative costs by category and transfers, and this month's, yuan."""

    cost: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0.0))
    transfers: float = 0.0
    committed_settlement: float = 0.0
    month_cost: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0.0))
    month_transfers: float = flow(0.0)

    @property
    def total(self) -> float:
        """Cumulative cost over all categories."""
        return float(sum(self.cost.values()))


def _alive_with(pop, mask: np.ndarray) -> np.ndarray:
    """The living persons among those ``mask`` holds for (a few: pupils, settled persons)."""
    idx = np.flatnonzero(mask)
    return idx[pop.alive[idx]]


def _fiscal(state: CountyState) -> FiscalAccount:
    return state.accounts["fiscal"]  # type: ignore[return-value]


def _cost_of(category: str):
    return lambda st, s: _fiscal(st).cost[category]


INDICATORS = (
    Indicator("fiscal_cost_cum", "yuan", "county spending on the action's measures since the start", 0, "P2",
              lambda st, s: _fiscal(st).total),
    *[Indicator(f"fiscal_cost_{cat}_cum", "yuan", f"spending on {cat} since the start", 0, "P2",
                _cost_of(cat))
      for cat in CATEGORIES],
    Indicator("transfer_revenue_cum", "yuan", "transfers linked to settled and resident migrants since the start", 1, "P2",
              lambda st, s: _fiscal(st).transfers),
    Indicator("net_fiscal_cost_cum", "yuan", "spending less transfers since the start", -1, "P2",
              lambda st, s: _fiscal(st).total - _fiscal(st).transfers),
    Indicator("settlement_cost_per_settled_person", "yuan per person",
              "public cost committed per person settled since the start: one-off items, yearly items over "
              "their years (present value) and the schooling ahead of settled children", 0, "P6",
              lambda st, s: share(_fiscal(st).committed_settlement, st.accounts["settlement"].persons)),
)  # fmt: skip


def book(
    account: FiscalAccount, pop: Population, activity: MonthActivity, costs: Costs, levers: dict[str, float]
) -> None:
    """Book a month's costs and transfers into ``account``."""
    residents = town_migrants(pop)
    spent = month_costs(activity, costs, levers, residents)
    for k, v in spent.items():
        account.cost[k] += v
    account.month_cost = spent
    # a settled person counts once, as settled; residents are those still of rural hukou; the
    # central reward fund pays once per newly settled person
    account.month_transfers = month_transfers(
        activity.settled_persons, town_migrants(pop, rural_hukou_only=True), levers,
        activity.settled_new, costs.central_reward_per_settled_yuan,
    )  # fmt: skip
    account.transfers += account.month_transfers


class FiscalPhase(Phase):
    """The month's costs by category and transfers, from what the other phases did."""

    name = "fiscal"
    clauses = ("P1", "P2")
    Account = FiscalAccount
    indicators = INDICATORS

    def bind(self, scenario) -> Costs:
        """The county's unit costs."""
        return scenario.county.costs

    def step(self, state: CountyState, ctx: Context) -> None:
        """Book this month's costs and transfers."""
        pop, acc = state.pop, state.accounts
        public, purchased = (_alive_with(pop, pop.school == code) for code in (c.S_PUBLIC, c.S_PURCHASED))
        primary = int((pop.age_m[public] // 12 <= 11).sum())
        labour, training, rights, settlement = (
            acc["labour"],
            acc["training"],
            acc["rights"],
            acc["settlement"],
        )
        activity = MonthActivity(
            subsidy_yuan=training.subsidy_this_month,
            referrals=labour.referrals,
            placements=labour.placements,
            pupils_primary=primary,
            pupils_junior=len(public) - primary,
            purchased_places=len(purchased),
            seats_built=float(acc["schooling"].seats_built_this_month.sum()),
            units_built=acc["housing"].built_this_month,
            units_occupied=int((pop.housing == c.H_AFFORDABLE).sum()),
            startups_supported=acc["enterprise"].supported_this_month,
            park_places_used=int(pop.in_park.sum()),
            inspected=rights.inspected_this_month,
            legal_cases=rights.legal_cases_this_month,
            spring_festival=ctx.month.spring_festival,
            settled_new=settlement.persons_this_month,
            settled_persons=len(_alive_with(pop, pop.hukou == 1)),
        )
        costs = state.params[self.name]
        book(_fiscal(state), pop, activity, costs, ctx.levers)
        _fiscal(state).committed_settlement += committed_settlement_cost(
            settlement.persons_this_month, settlement.child_school_years_this_month, costs
        )
