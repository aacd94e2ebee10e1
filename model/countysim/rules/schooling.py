"""Schooling: where each compulsory-age child goes to school (clauses P4, P5).

Every September, each child aged 6-14 (primary 6-11, junior 12-14) has a school:

- a child of a household **based outside** the county goes to school where the parents work
  with probability ``p_follow_outside`` (else stays in the village school, left behind);
- a child of a household **based in the county town** is brought to town with probability
  ``p_bring_child``. A pupil already in a town school keeps the place within a stage (a pupil of
  a private school or purchased place moves to a free public seat once eligible); a new
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

The rules here take arrays, parameters and draws (no model); the schooling phase
(``countysim.phases.schooling``) applies them each month, and the start state uses the same
September placement (``countysim.build.initial``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from countysim.backend import max_by_group, unsigned
from countysim.parameters.behaviour import SchoolingBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.services import person_aware


def stage_of(age_years: np.ndarray) -> np.ndarray:
    """Compulsory-education stage by age in September."""
    return np.where((age_years >= 6) & (age_years <= 11), c.ST_PRIMARY,
                    np.where((age_years >= 12) & (age_years <= 14), c.ST_JUNIOR, c.ST_NONE)).astype(np.int8)  # fmt: skip


class Admissions(NamedTuple):
    """One September's admissions by stage code (index 0, no stage, stays 0)."""

    applicants: np.ndarray  # eligible new applicants for a public seat
    continuing: np.ndarray  # pupils keeping a public seat within their stage
    shortage: np.ndarray  # eligible applicants turned away for lack of seats
    transfers: np.ndarray  # eligible pupils of private schools and purchased places asking to move


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


def follow_household(pop: Population, kids: np.ndarray) -> None:
    """Between Septembers, children (``kids``: their indices) follow their household back to the village school.

    A town pupil whose household left town, or a child schooled outside whose parents came
    home, goes back to the village school. :func:`follow_household_reference` in one compiled pass
    over the children.
    """
    from countysim.rules import homes_kernels as k  # compiled on first use

    k.follow_household(kids, unsigned(pop.school), pop.hh, unsigned(pop.residence))


def follow_household_reference(pop: Population, kids: np.ndarray) -> None:
    """:func:`follow_household` in numpy."""
    res = pop.residence[pop.hh[kids]]
    school = pop.school[kids]
    back = (c.in_codes(school, c.TOWN_SCHOOLS) & (res != c.R_TOWN)) | (
        (school == c.S_OUTSIDE) & (res != c.R_OUTSIDE)
    )
    pop.school[kids[back]] = c.S_VILLAGE


def live_where_schooled(pop: Population, kids: np.ndarray) -> None:
    """Children (``kids``: their indices) live where they go to school; the others where the household is based.

    A child schooled outside lives where the furthest of the household's workers works (outside
    the province at least). :func:`live_where_schooled_reference` in one compiled pass over the
    children, which also lists those schooled outside; the household's workers are looked up
    for those only.
    """
    from countysim.rules import homes_kernels as k  # compiled on first use

    outside = np.empty(len(kids), dtype=np.int64)
    n = k.live_where_schooled(kids, unsigned(pop.school), pop.hh, unsigned(pop.residence), pop.loc, outside)
    if n:
        outside = outside[:n]
        worker = pop.alive & (pop.role == c.WORKER)
        parent_loc = max_by_group(pop.hh, worker, pop.loc, pop.n_households)
        pop.loc[outside] = np.maximum(parent_loc[pop.hh[outside]], c.OUTSIDE_PROVINCE)


def live_where_schooled_reference(pop: Population, kids: np.ndarray) -> None:
    """:func:`live_where_schooled` in numpy."""
    school = pop.school[kids]
    loc = pop.loc[kids]
    loc[c.in_codes(school, c.TOWN_SCHOOLS)] = c.COUNTY_TOWN
    loc[school == c.S_VILLAGE] = c.VILLAGE
    rest = school == c.S_NONE
    loc[rest] = np.where(pop.residence[pop.hh[kids[rest]]] == c.R_TOWN, c.COUNTY_TOWN, c.VILLAGE)
    outside = school == c.S_OUTSIDE
    if outside.any():
        worker = pop.alive & (pop.role == c.WORKER)
        parent_loc = max_by_group(pop.hh, worker, pop.loc, pop.n_households)
        loc[outside] = np.maximum(parent_loc[pop.hh[kids[outside]]], c.OUTSIDE_PROVINCE)
    pop.loc[kids] = loc


def september(
    pop: Population,
    beh: SchoolingBehaviour,
    levers: dict[str, float],
    streams: Streams,
    kid: np.ndarray,
    res: np.ndarray,
    seats: np.ndarray,
    private_places: int,
) -> Admissions:
    """Give every compulsory-age child a school for the year (see the module docstring).

    Args:
        pop: the population (``school`` is set for every child).
        beh: schooling behaviour.
        levers: the levers' values this month.
        streams: the run's streams (lasting family preferences, documents, admission order).
        kid: living children.
        res: each person's household residence code.
        seats: public seats by stage code.
        private_places: fee-paying private school places in town.

    Returns:
        The admissions by stage.
    """
    n = pop.n
    admissions = Admissions(np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3))
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
        free = int(seats[st]) - continuing
        applicants = np.flatnonzero(wants & ok & (stage == st))
        got = admit(applicants, priority[applicants], lot[applicants], free)
        pop.school[got] = c.S_PUBLIC
        placed[got] = True
        admissions.applicants[st] = len(applicants)
        admissions.continuing[st] = continuing
        admissions.shortage[st] = len(applicants) - len(got)
        # seats still free take pupils of the stage transferring from a private school or a
        # purchased place once their household is eligible (插班)
        movers = np.flatnonzero(
            keeps & ok & c.in_codes(pop.school, (c.S_PRIVATE, c.S_PURCHASED)) & (stage == st)
        )
        moved = admit(movers, priority[movers], lot[movers], free - len(got))
        pop.school[moved] = c.S_PUBLIC
        admissions.transfers[st] = len(movers)

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
    return admissions
