"""Settlement (落戶): eligibility under the county's conditions and the household's choice (P6, P1).

Each month every town-based household that has not settled is checked against the county's
conditions (``rules.settlement.eligible``); an eligible household settles with the monthly logit
probability of ``rules.settlement.settle_probability``, and every member's hukou moves to the
county town. The household facts come from one compiled pass over the persons
(``countysim.rules.homes_kernels``), and the choice is computed for the eligible households only.
The phase also defines the urbanization indicators (O4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.backend import unsigned
from countysim.parameters.behaviour import ServicesBehaviour, SettlementBehaviour
from countysim.phases.base import Context, Indicator, Phase, Snapshot, share
from countysim.population import codes as c
from countysim.rules.services import take_up_factor
from countysim.rules.settlement import STABLE_MONTHS, eligible, settle_probability
from countysim.state import Account, CountyState, flow


class SettlementParams(NamedTuple):
    """What the settlement phase reads."""

    beh: SettlementBehaviour
    services: ServicesBehaviour  # how one-stop windows ease take-up (G2)


@dataclass
class SettlementAccount(Account):
    """Households and persons settled since the start; households eligible this month."""

    households: int = 0
    persons: int = 0
    eligible_now: int = flow()
    persons_this_month: int = flow()
    child_school_years_this_month: float = flow(0.0)  # compulsory school years ahead of the settled children


def _settlement(state: CountyState) -> SettlementAccount:
    return state.accounts["settlement"]  # type: ignore[return-value]


def _hukou_urbanization(st: CountyState, s: Snapshot) -> float:
    town = st.profile.town
    modelled_change = s.n_persons - st.persons_at_start
    total = st.profile.hukou_population + modelled_change
    return share(town.town_hukou_population + s.n_town_hukou, total)


def _resident_urbanization(st: CountyState, s: Snapshot) -> float:
    town = st.profile.town
    in_town = int(s.by_location[c.COUNTY_TOWN])
    total = town.town_residents_other + town.rural_residents_other + int(s.by_location[c.VILLAGE]) + in_town
    return share(town.town_residents_other + in_town, total)


INDICATORS = (
    Indicator("settlement_eligible_households", "households", "town households meeting the settlement conditions this month", 1, "P6",
              lambda st, s: float(_settlement(st).eligible_now)),
    Indicator("settled_households_cum", "households", "households that moved their hukou to the county town since the start", 1, "P6",
              lambda st, s: float(_settlement(st).households)),
    Indicator("settled_persons_cum", "persons", "persons who moved their hukou to the county town since the start", 1, "P6",
              lambda st, s: float(_settlement(st).persons)),
    Indicator("hukou_urbanization_rate", "share", "county-town hukou holders / the county's hukou population", 1, "O4",
              _hukou_urbanization),
    Indicator("resident_urbanization_rate", "share", "county-town residents / the county's resident population", 1, "O4",
              _resident_urbanization),
    Indicator("urbanization_gap", "share", "resident minus hukou urbanization rate", -1, "O4",
              lambda st, s: _resident_urbanization(st, s) - _hukou_urbanization(st, s)),
)  # fmt: skip


class SettlementPhase(Phase):
    """Eligibility under the county's settlement conditions and the household's choice."""

    name = "settlement"
    section = "settlement"
    clauses = ("P6", "P1", "O4")
    streams: ClassVar[dict[str, str]] = {"choice": "which eligible households settle this month"}
    Account = SettlementAccount
    indicators = INDICATORS

    def bind(self, scenario) -> SettlementParams:
        """The settlement behaviour and take-up."""
        return SettlementParams(scenario.behaviour.settlement, scenario.behaviour.services)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the settlement phase for one month."""
        from countysim.rules import homes_kernels as k  # compiled on first use

        beh, services = state.params[self.name]
        acc = _settlement(state)
        pop, levers, H = state.pop, ctx.levers, state.pop.n_households
        # the facts of rules.settlement.household_facts: each person's bits, or-ed per household
        bits, found = np.empty(pop.n, dtype=np.uint8), np.zeros(H, dtype=np.uint8)
        k.settlement_codes(
            pop.alive,
            unsigned(pop.role),
            pop.ins_pension,
            unsigned(pop.job),
            pop.tenure,
            unsigned(pop.school),
            STABLE_MONTHS,
            bits,
        )
        k.or_by_group(pop.hh, bits, found)
        facts = {
            "insured": (found & k.INSURED) != 0,
            "stable": (found & k.STABLE) != 0,
            "children_in_town": (found & k.CHILD_IN_TOWN) != 0,
        }
        ok = np.flatnonzero(eligible(pop, facts, levers))
        p = settle_probability(pop, facts, beh, levers, take_up_factor(services, levers), at=ok)
        settles = ok[ctx.streams.uniform("settlement.choice", ctx.t, ok) < p]
        acc.eligible_now = len(ok)
        acc.households += len(settles)
        acc.persons_this_month, school_years = 0, 0
        if len(settles):
            pop.settled[settles] = True
            settling = np.zeros(H, dtype=bool)
            settling[settles] = True
            acc.persons_this_month, school_years = k.move_hukou(
                pop.hh, pop.alive, settling, pop.age_m, pop.hukou
            )
        acc.persons += acc.persons_this_month
        acc.child_school_years_this_month = float(school_years)
