"""Schooling: seats grow by the plan; each September every compulsory-age child gets a school.

The month's schooling phase (clauses P4, P5): public seats grow by a twelfth of the year's plan —
the county's own response to the last September's unmet demand (``county.schools.
seat_plan_response``) plus the seats the P4 lever adds; between Septembers children follow their household (a town pupil whose household left
town goes back to the village school); each September every child aged 6-14 is placed
(``rules.schooling.september``: public seat, purchased place, private school, village school or
school where the parents work); children live where they go to school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.parameters.behaviour import SchoolingBehaviour
from countysim.phases.base import Context, Indicator, Phase, Snapshot, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month
from countysim.rules.schooling import follow_household, live_where_schooled, september
from countysim.state import Account, CountyState, flow


class SchoolingParams(NamedTuple):
    """What the schooling phase reads."""

    beh: SchoolingBehaviour
    private_places: int  # fee-paying private school places in town (county.schools)
    plan_response: float  # share of last September's unmet demand the county's own plan adds
    plan_margin: float  # share above last September's demand the plan aims for


@dataclass
class SchoolAccount(Account):
    """Public seats by stage code, this month's building, and the last September's admissions."""

    seats: np.ndarray = field(default_factory=lambda: np.zeros(3))
    shortage: np.ndarray = field(default_factory=lambda: np.zeros(3))  # eligible turned away
    applicants: np.ndarray = field(default_factory=lambda: np.zeros(3))  # eligible new applicants
    continuing: np.ndarray = field(default_factory=lambda: np.zeros(3))  # pupils keeping a seat
    transfers: np.ndarray = field(default_factory=lambda: np.zeros(3))  # eligible pupils asking to move in
    plan: np.ndarray = field(default_factory=lambda: np.zeros(3))  # seats to add this year
    demand_before: np.ndarray = field(default_factory=lambda: np.zeros(3))  # demand the September before last
    seats_built_this_month: np.ndarray = flow(size=3)  # noqa: RUF009 - flow() makes a dataclass field

    @property
    def demand(self) -> np.ndarray:
        """Public seats wanted at the last September by stage.

        Continuing pupils, eligible new applicants and eligible pupils asking to transfer in.
        """
        return self.continuing + self.applicants + self.transfers


def _schools(state: CountyState) -> SchoolAccount:
    return state.accounts["schooling"]  # type: ignore[return-value]


def _left_behind(st: CountyState, s: Snapshot) -> float:
    return float(s.left_behind)


TOWN = list(c.TOWN_SCHOOLS)


def _public_only(primary: int):
    def share_public(st: CountyState, s: Snapshot) -> float:
        return share(int(s.pupils[c.S_PUBLIC, primary].sum()), int(s.pupils[TOWN, primary].sum()))

    return share_public


def _in(school: tuple[int, ...]):
    return lambda st, s: float(s.pupils[list(school)].sum())


INDICATORS = (
    Indicator("migrant_children_compulsory", "persons",
              "compulsory-age children (6-14) living with migrant parents in the county town or outside", 0, "P4",
              _in((*c.TOWN_SCHOOLS, c.S_OUTSIDE))),
    Indicator("town_pupils", "persons", "compulsory-age children of town-based households", 0, "P4",
              lambda st, s: float(s.pupils[:, :, 1].sum())),
    Indicator("public_school_share", "share",
              "migrant children schooled in the county town in a public seat or purchased place / all schooled in town "
              "(the NBS measure)", 1, "O3",
              lambda st, s: share(int(s.pupils[[c.S_PUBLIC, c.S_PURCHASED]].sum()), int(s.pupils[TOWN].sum()))),
    Indicator("public_school_share_primary", "share",
              "primary-age migrant children schooled in the county town in a public school / all such children "
              "(NBS: public schools only)", 1, "O3", _public_only(1)),
    Indicator("public_school_share_junior", "share",
              "junior-age migrant children schooled in the county town in a public school / all such children "
              "(NBS: public schools only)", 1, "O3", _public_only(0)),
    Indicator("town_schooling_share", "share",
              "compulsory-age children of town-based households schooled in town / those children", 1, "O3",
              lambda st, s: share(int(s.pupils[TOWN, :, 1].sum()), int(s.pupils[:, :, 1].sum()))),
    Indicator("public_pupils", "persons", "migrant children in county public seats", 1, "P4", _in((c.S_PUBLIC,))),
    Indicator("purchased_place_pupils", "persons", "migrant children in government-purchased private places", 1, "P5",
              _in((c.S_PURCHASED,))),
    Indicator("private_school_pupils", "persons", "migrant children in fee-paying private schools", 0, "P5",
              _in((c.S_PRIVATE,))),
    Indicator("left_behind_children", "persons",
              "compulsory-age children in the village school with no working parent at home", -1, "P5", _left_behind),
    Indicator("seat_shortage_primary", "persons", "eligible applicants turned away for lack of primary seats (last September)", -1, "P4",
              lambda st, s: float(_schools(st).shortage[c.ST_PRIMARY])),
    Indicator("seat_shortage_junior", "persons", "eligible applicants turned away for lack of junior seats (last September)", -1, "P4",
              lambda st, s: float(_schools(st).shortage[c.ST_JUNIOR])),
    Indicator("public_seat_demand_primary", "seats", "public primary seats wanted at the last September (continuing + eligible applicants)", 0, "P4",
              lambda st, s: float(_schools(st).demand[c.ST_PRIMARY])),
    Indicator("public_seat_demand_junior", "seats", "public junior seats wanted at the last September (continuing + eligible applicants)", 0, "P4",
              lambda st, s: float(_schools(st).demand[c.ST_JUNIOR])),
    Indicator("town_pupils_primary", "persons", "primary-age migrant children schooled in the county town (any school)", 0, "P4",
              lambda st, s: float(s.pupils[TOWN, 1].sum())),
    Indicator("town_pupils_junior", "persons", "junior-age migrant children schooled in the county town (any school)", 0, "P4",
              lambda st, s: float(s.pupils[TOWN, 0].sum())),
    Indicator("public_seats_primary", "seats", "public primary seats open to migrant children", 1, "P4",
              lambda st, s: float(_schools(st).seats[c.ST_PRIMARY])),
    Indicator("public_seats_junior", "seats", "public junior seats open to migrant children", 1, "P4",
              lambda st, s: float(_schools(st).seats[c.ST_JUNIOR])),
)  # fmt: skip


class SchoolingPhase(Phase):
    """Seats grow by the plan; between Septembers children follow their household; Septembers place them."""

    name = "schooling"
    section = "schooling"
    clauses = ("P4", "P5", "O3")
    traits: ClassVar[dict[str, str]] = {
        "choice": "a family's lasting preferences: bring the child to town, follow parents outside, "
        "private school if refused (three draws)",
        "documents": "whether a household meets the non-permit document requirements",
        "lot": "a child's place in the admission order (e.g. distance to school)",
    }
    Account = SchoolAccount
    indicators = INDICATORS

    def bind(self, scenario) -> SchoolingParams:
        """The schooling behaviour and the town's private places."""
        schools = scenario.county.schools
        return SchoolingParams(
            scenario.behaviour.schooling,
            schools.private_places,
            schools.seat_plan_response,
            schools.seat_plan_margin,
        )

    def init(self, state: CountyState, scenario) -> None:
        """The account starts with the county's public seats for migrant children."""
        super().init(state, scenario)
        schools = scenario.county.schools
        _schools(state).seats = np.array([0.0, schools.primary_seats, schools.junior_seats])

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the schooling phase for one month."""
        beh, private_places, plan_response, plan_margin = state.params[self.name]
        acc = _schools(state)
        pop, levers, month = state.pop, ctx.levers, ctx.month
        kids = np.flatnonzero(pop.alive & (pop.role == c.CHILD))

        # the year's plan (January, or the run's first month): the county's own response to the
        # demand it expects next September (last September's, grown as the year before it grew, with
        # a margin), plus the seats the P4 lever adds; built a twelfth a month
        if month.annual_plan or ctx.t == 0:
            # next September's demand as the trend of the last two makes it, with a margin
            growth = np.where(acc.demand_before > 0, acc.demand / np.maximum(acc.demand_before, 1.0), 1.0)
            expected = acc.demand * np.clip(growth, 1.0, 1.5) * (1.0 + plan_margin)
            unmet = np.maximum(expected - acc.seats, 0.0)
            extra = np.array([0.0, levers["p4_primary_seats_per_year"], levers["p4_junior_seats_per_year"]])
            acc.plan = np.round(plan_response * unmet) + extra
        built = np.array(
            [count_this_month(acc.plan[st], month.month - 1) for st in range(3)], dtype=np.float64
        )
        acc.seats_built_this_month = built
        acc.seats += built

        follow_household(pop, kids)
        if month.school_year_start:
            acc.demand_before = acc.demand
            kid = np.zeros(len(pop.alive), dtype=bool)
            kid[kids] = True
            acc.applicants, acc.continuing, acc.shortage, acc.transfers = september(
                pop, beh, levers, ctx.streams, kid, pop.residence[pop.hh], acc.seats, private_places
            )
        live_where_schooled(pop, kids)
