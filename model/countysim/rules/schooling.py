"""Schooling: where each compulsory-age child goes to school (clauses P4, P5).

Every September, each child aged 6-14 (primary 6-11, junior 12-14) has a school:

- a child of a household **based outside** the county goes to school where the parents work
  with probability ``p_follow_outside`` (else stays in the village school, left behind);
- a child of a household **based in the county town** is brought to town with probability
  ``p_bring_child``. A pupil already in a town school keeps the place within a stage; a new
  applicant to a stage is **eligible** for a public seat with town hukou (settled), or with a
  residence permit — alone when admission is on the residence-permit basis (P5), otherwise with
  the documents the county asks for, which fewer households lack as non-compliant requirements
  are removed (P5). Eligible applicants fill the free public seats of their stage — town-hukou
  children first unless the permit is the main basis, then by lot; the rest are eligible
  applicants turned away for lack of seats (the **seat shortage**, P4). Children without a
  public seat take a government-purchased private place while any is free (P5), else a private
  school (``p_private_if_refused``), else go back to the village school;
- a child of a household **based in the village** attends the village school.

Between Septembers a town pupil whose household leaves town goes back to the village school,
and a child whose parents come home from outside rejoins the village school. Public seats grow
each year by the plan (P4); children live where they go to school.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from countysim.calendar import Month
from countysim.parameters.behaviour import SchoolingBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.labour import count_this_month
from countysim.rules.services import person_aware


def stage_of(age_years: np.ndarray) -> np.ndarray:
    """Compulsory-education stage by age in September."""
    return np.where((age_years >= 6) & (age_years <= 11), c.ST_PRIMARY,
                    np.where((age_years >= 12) & (age_years <= 14), c.ST_JUNIOR, c.ST_NONE)).astype(np.int8)  # fmt: skip


@dataclass
class SchoolAccount:
    """Seats and the last September's admissions."""

    seats: np.ndarray = field(default_factory=lambda: np.zeros(3))  # by stage code
    seats_built_this_month: np.ndarray = field(default_factory=lambda: np.zeros(3))
    shortage: np.ndarray = field(default_factory=lambda: np.zeros(3))  # eligible turned away
    applicants: np.ndarray = field(default_factory=lambda: np.zeros(3))  # eligible new applicants
    continuing: np.ndarray = field(default_factory=lambda: np.zeros(3))  # pupils keeping a seat

    @property
    def demand(self) -> np.ndarray:
        """Public seats wanted at the last September by stage: continuing pupils + eligible applicants."""
        return self.continuing + self.applicants


def eligible_for_public(
    hukou_town: np.ndarray, permit: np.ndarray, documents: np.ndarray, levers: dict[str, float]
) -> np.ndarray:
    """Children eligible for a county public seat (P5)."""
    if levers["p5_permit_basis"] >= 0.5:
        return hukou_town | permit
    return hukou_town | (permit & documents)


def document_rate(beh: SchoolingBehaviour, levers: dict[str, float]) -> float:
    """Share of households meeting the document requirements, as non-compliant ones go (P5)."""
    return beh.p_documents + (1.0 - beh.p_documents) * levers["p5_remove_documents"]


def admit(applicants: np.ndarray, priority: np.ndarray, lot: np.ndarray, free: int) -> np.ndarray:
    """The applicants given the ``free`` seats: priority group first, then by lot."""
    if free <= 0 or len(applicants) == 0:
        return applicants[:0]
    order = np.lexsort((lot, ~priority))
    return applicants[order[:free]]


def step(
    pop: Population,
    beh: SchoolingBehaviour,
    levers: dict[str, float],
    streams: Streams,
    month: Month,
    account: SchoolAccount,
    private_places: int,
) -> None:
    """Run the schooling phase for one month; mutates ``pop`` and ``account``."""
    t = month.t
    res = pop.residence[pop.hh]
    kid = pop.alive & (pop.role == c.CHILD)

    # seats grow by the plan, a twelfth a month
    built = np.array([0.0,
                      count_this_month(levers["p4_primary_seats_per_year"], month.month - 1),
                      count_this_month(levers["p4_junior_seats_per_year"], month.month - 1)])  # fmt: skip
    account.seats_built_this_month = built
    account.seats += built

    # between Septembers: children follow their household
    back = kid & (
        (c.in_codes(pop.school, c.TOWN_SCHOOLS) & (res != c.R_TOWN))
        | ((pop.school == c.S_OUTSIDE) & (res != c.R_OUTSIDE))
    )
    pop.school[back] = c.S_VILLAGE

    if month.school_year_start:
        _september(pop, beh, levers, streams, t, kid, res, account, private_places)

    # children live where they go to school; the others where the household is based
    school = pop.school
    pop.loc[kid & c.in_codes(school, c.TOWN_SCHOOLS)] = c.COUNTY_TOWN
    pop.loc[kid & (school == c.S_VILLAGE)] = c.VILLAGE
    rest = kid & (school == c.S_NONE)
    pop.loc[rest] = np.where(res[rest] == c.R_TOWN, c.COUNTY_TOWN, c.VILLAGE)
    outside = np.flatnonzero(kid & (school == c.S_OUTSIDE))
    if len(outside):
        parent_loc = np.zeros(pop.n_households, dtype=np.int8)
        worker = pop.alive & (pop.role == c.WORKER)
        np.maximum.at(parent_loc, pop.hh[worker], pop.loc[worker])
        pop.loc[outside] = np.maximum(parent_loc[pop.hh[outside]], c.OUTSIDE_PROVINCE)


def _september(pop, beh, levers, streams, t, kid, res, account, private_places) -> None:
    n = pop.n
    age = pop.age_m // 12
    stage = stage_of(age)
    compulsory = kid & (stage != c.ST_NONE)
    pop.school[kid & ~compulsory] = c.S_NONE
    # a pupil keeps a town place within a stage; a new stage means a new admission
    prev_stage = stage_of((pop.age_m - 12) // 12)
    keeps = compulsory & c.in_codes(pop.school, c.TOWN_SCHOOLS) & (prev_stage == stage) & (res == c.R_TOWN)

    # where a child goes is a lasting family preference (bring to town, follow outside, private
    # school if refused): the same draws every September
    u = streams.uniform("schooling.choice", -1, n, 3)
    outside_kid = compulsory & (res == c.R_OUTSIDE)
    pop.school[outside_kid] = np.where(u[outside_kid, 0] < beh.p_follow_outside, c.S_OUTSIDE, c.S_VILLAGE)
    village_kid = compulsory & (res == c.R_VILLAGE)
    pop.school[village_kid] = c.S_VILLAGE
    town_kid = compulsory & (res == c.R_TOWN) & ~keeps
    wants = town_kid & (u[:, 1] < beh.p_bring_child) & person_aware(pop, c.SV_SCHOOLING)
    pop.school[town_kid & ~wants] = c.S_VILLAGE

    hukou_town = pop.hukou == 1
    permit = pop.permit[pop.hh]
    docs = streams.uniform("schooling.documents", -1, pop.n_households)[pop.hh] < document_rate(beh, levers)
    ok = eligible_for_public(hukou_town, permit, docs, levers)
    lot = streams.uniform("schooling.lot", -1, n)  # admission order, e.g. distance to school
    priority = hukou_town if levers["p5_permit_basis"] < 0.5 else (hukou_town | permit)
    placed = np.zeros(n, dtype=bool)
    for st in (c.ST_PRIMARY, c.ST_JUNIOR):
        continuing = int((keeps & (pop.school == c.S_PUBLIC) & (stage == st)).sum())
        free = int(account.seats[st]) - continuing
        applicants = np.flatnonzero(wants & ok & (stage == st))
        got = admit(applicants, priority[applicants], lot[applicants], free)
        pop.school[got] = c.S_PUBLIC
        placed[got] = True
        account.applicants[st] = len(applicants)
        account.continuing[st] = continuing
        account.shortage[st] = len(applicants) - len(got)

    # the rest of those who want a town school: purchased place, private school, or back home
    rest = np.flatnonzero(wants & ~placed)
    held = int((keeps & (pop.school == c.S_PURCHASED)).sum())
    free_purchased = max(int(levers["p5_purchased_places"]) - held, 0)
    bought = rest[np.argsort(lot[rest], kind="stable")[:free_purchased]]
    pop.school[bought] = c.S_PURCHASED
    others = np.setdiff1d(rest, bought, assume_unique=True)
    private = others[u[others, 2] < beh.p_private_if_refused]
    free_private = max(private_places - int((keeps & (pop.school == c.S_PRIVATE)).sum()), 0)
    private = private[np.argsort(lot[private], kind="stable")[:free_private]]
    pop.school[others] = c.S_VILLAGE
    pop.school[private] = c.S_PRIVATE
