"""Training: capacity-limited enrolment, completion, certification, skill up (clauses S1-S5, E3).

The month's training phase, in order:

1. **progress** — courses that end this month complete (by programme and age: older workers
   complete ordinary courses less often, age-targeted programmes (S5) raise completion);
   completers are certified at a rate and move one skill level up (ordinary courses up to 中級,
   advanced programmes to 高級工 and 技師, S3); labour-brand graduates carry
   the brand (E3), craftsman graduates become rural craftsmen (S3). The subsidy (S1) is paid per
   certified trainee.
2. **application** — willing workers not in a course apply at a monthly rate raised for the
   jobless, by the subsidy, by outreach to poverty-alleviated workers (S2) and by programmes
   for one's age group (S5); those already trained re-apply less.
3. **allocation** — this month's places (subsidised places (S1) plus the pooled share of
   enterprise and college capacity (S4)) are fixed once a year by the annual plan (January, or
   the first month of the run) from the levers' values then, and offered a twelfth a month; they
   go first to
   poverty-alleviated applicants up to the S2 priority share, then by lot.
4. **enrolment** — each place is in a programme by the plan's shares (advanced, craftsman,
   brand, older, young, general); an enrollee not eligible for the drawn programme takes the
   general course. Every enrolment is one person-time (人次).

Training does not stop a worker from working: most courses are short and part-time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from countysim.calendar import Month
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.labour import count_this_month
from countysim.rules.services import person_aware
from countysim.scenario import Scenario, TrainingBehaviour

OLDER_AGE = 45  # 大齡 programmes (assumption: 45+, the usual cut-off of "older workers" policies)
YOUNG_AGE = 30  # young-worker programmes: under 30
REPEAT_APPLY = 0.3  # re-application rate of those trained already, relative (assumption)
SUBSIDY_REFERENCE_YUAN = 1000.0  # level-4 subsidy (data/norms.csv): the elasticity's base


def places_per_year(levers: dict[str, float], enterprise: float, college: float) -> float:
    """Annual training places: subsidised places plus the pooled provider capacity (S1, S4)."""
    return levers["s1_training_places_per_year"] + levers["s4_pooling"] * (enterprise + college)


def programme_shares(levers: dict[str, float]) -> np.ndarray:
    """Shares of places by programme code (general takes what the others leave)."""
    share = np.zeros(len(c.PROGRAMME_NAMES))
    share[c.P_ADVANCED] = levers["s3_advanced_share"]
    share[c.P_CRAFTSMAN] = levers["s3_craftsman_share"]
    share[c.P_BRAND] = levers["e3_brand_share"]
    share[c.P_OLDER] = levers["s5_older_programme_share"]
    share[c.P_YOUNG] = levers["s5_young_programme_share"]
    total = share.sum()
    if total > 1.0:  # over-subscribed plan: scale the special programmes down to fit
        share /= total
    share[c.P_GENERAL] = 1.0 - share.sum()
    return share


def application_rate(
    jobless: np.ndarray,
    poverty: np.ndarray,
    age_years: np.ndarray,
    trained: np.ndarray,
    beh: TrainingBehaviour,
    levers: dict[str, float],
) -> np.ndarray:
    """Monthly probability that a willing worker not in a course applies."""
    p = np.full(len(jobless), beh.p_apply)
    p *= np.where(jobless, beh.rel_apply_jobless, 1.0)
    p *= (max(levers["s1_subsidy_yuan"], 1.0) / SUBSIDY_REFERENCE_YUAN) ** beh.subsidy_elasticity
    p *= np.where(poverty, 1.0 + levers["s2_outreach"], 1.0)
    # a programme for one's age group draws applicants; full effect at 20 % of places
    older = np.minimum(levers["s5_older_programme_share"] / 0.2, 1.0)
    young = np.minimum(levers["s5_young_programme_share"] / 0.2, 1.0)
    targeted = np.where(age_years >= OLDER_AGE, older, np.where(age_years < YOUNG_AGE, young, 0.0))
    p *= 1.0 + (beh.rel_apply_targeted - 1.0) * targeted
    p *= np.where(trained, REPEAT_APPLY, 1.0)
    return np.minimum(p, 1.0)


def allocate(
    applicants: np.ndarray, priority: np.ndarray, draw: np.ndarray, places: int, reserved: int
) -> np.ndarray:
    """Choose who gets a place.

    Args:
        applicants: slots of applicants.
        priority: per applicant, belongs to the priority group.
        draw: per applicant, a uniform lot.
        places: places this month.
        reserved: places offered first to the priority group (≤ ``places``).

    Returns:
        Slots given a place: never more than ``places``; the priority group first up to
        ``reserved``, then the rest by lot.
    """
    if places <= 0 or len(applicants) == 0:
        return applicants[:0]
    reserved = min(reserved, places)
    pri = np.flatnonzero(priority)
    first = pri[np.argsort(draw[pri], kind="stable")[:reserved]]
    rest = np.setdiff1d(np.arange(len(applicants)), first, assume_unique=True)
    others = rest[np.argsort(draw[rest], kind="stable")[: places - len(first)]]
    return applicants[np.concatenate([first, others])]


def completion_rate(programme: np.ndarray, age_years: np.ndarray, beh: TrainingBehaviour) -> np.ndarray:
    """Probability of completing the course by programme and age."""
    p = np.where(age_years >= OLDER_AGE, beh.p_complete_45plus, beh.p_complete)
    targeted = (programme == c.P_OLDER) | (programme == c.P_YOUNG)
    return np.where(targeted, beh.p_complete_targeted, p)


#: highest skill level a programme certifies to: ordinary courses stop at 中級 (level 4
#: certificate); 高級工 and above need an advanced programme (clause S3)
TOP_LEVEL = np.array([0, 2, len(c.SKILL_NAMES) - 1, 1, 2, 2, 2], dtype=np.int8)


def skill_after(programme: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Skill level after certification: one level up, to the programme's top level at most.

    Craftsman programmes certify a craft (the craftsman flag) and give a first certificate to
    those without one.
    """
    return np.maximum(skill, np.minimum(skill + 1, TOP_LEVEL[programme])).astype(np.int8)


def course_months(programme: np.ndarray, beh: TrainingBehaviour) -> np.ndarray:
    """Course length in months by programme."""
    months = np.full(len(c.PROGRAMME_NAMES), beh.months_general)
    months[c.P_ADVANCED] = beh.months_advanced
    months[c.P_CRAFTSMAN] = beh.months_craftsman
    return months[programme]


@dataclass
class TrainingAccount:
    """Cumulative training counts since the run began (person-times, 人次)."""

    person_times: int = 0
    person_times_poverty: int = 0
    person_times_45plus: int = 0
    person_times_under30: int = 0
    completions: int = 0
    certifications: int = 0
    new_high_skilled: int = 0
    new_craftsmen: int = 0
    subsidy_yuan: float = 0.0
    places_per_year: float = 0.0
    places_this_month: int = 0
    applicants_this_month: int = 0
    enrolled_this_month: int = 0
    by_programme: np.ndarray = field(default_factory=lambda: np.zeros(len(c.PROGRAMME_NAMES), dtype=np.int64))


def step(
    pop: Population,
    spec: Scenario,
    levers: dict[str, float],
    streams: Streams,
    month: Month,
    account: TrainingAccount,
    take_up: float = 1.0,
) -> None:
    """Run the training phase for one month; mutates ``pop`` and ``account``."""
    beh = spec.behaviour.training
    t, n = month.t, pop.n
    age = pop.age_m // 12

    # 1. progress: courses ending this month --------------------------------------------
    in_course = np.flatnonzero(pop.programme != c.P_NONE)
    pop.course_left[in_course] -= 1
    ending = in_course[pop.course_left[in_course] <= 0]
    prog = pop.programme[ending]
    done = streams.uniform("training.complete", t, n)[ending] < completion_rate(prog, age[ending], beh)
    cert = done & (streams.uniform("training.certify", t, n)[ending] < beh.p_certify)
    certified = ending[cert]
    before = pop.skill[certified]
    pop.skill[certified] = skill_after(prog[cert], before)
    pop.brand[certified[prog[cert] == c.P_BRAND]] = True
    new_crafts = certified[(prog[cert] == c.P_CRAFTSMAN) & ~pop.craftsman[certified]]
    pop.craftsman[new_crafts] = True
    pop.programme[ending] = c.P_NONE
    pop.course_left[ending] = 0
    account.completions += int(done.sum())
    account.certifications += len(certified)
    account.new_high_skilled += int(((before < c.SKILL_HIGH) & (pop.skill[certified] >= c.SKILL_HIGH)).sum())
    account.new_craftsmen += len(new_crafts)
    account.subsidy_yuan += len(certified) * levers["s1_subsidy_yuan"]

    # 2. application --------------------------------------------------------------------
    can = np.flatnonzero(
        pop.alive & (pop.role == c.WORKER) & pop.willing & (pop.programme == c.P_NONE) & (age <= 60)
    )
    jobless = (pop.job[can] == c.J_NONE) | (pop.job[can] == c.J_FARM)
    p = np.minimum(
        application_rate(jobless, pop.poverty[can], age[can], pop.trained[can], beh, levers) * take_up, 1.0
    )
    knows = person_aware(pop, c.SV_TRAINING)[can]  # only those aware of the training offer apply
    applicants = can[knows & (streams.uniform("training.apply", t, n)[can] < p)]
    account.applicants_this_month = len(applicants)

    # 3. allocation ---------------------------------------------------------------------
    prof = spec.county.training
    if month.annual_plan or t == 0:
        account.places_per_year = places_per_year(
            levers, prof.enterprise_places_per_year, prof.college_places_per_year
        )
    places = count_this_month(account.places_per_year, month.month - 1)
    reserved = round(levers["s2_poverty_priority"] * places)
    lot = streams.uniform("training.lot", t, n)[applicants]
    chosen = allocate(applicants, pop.poverty[applicants], lot, places, reserved)
    account.places_this_month, account.enrolled_this_month = places, len(chosen)

    # 4. enrolment ----------------------------------------------------------------------
    cum = np.cumsum(programme_shares(levers))
    u = streams.uniform("training.programme", t, n)[chosen]
    prog = np.clip(np.searchsorted(cum, u * cum[-1], side="right"), 1, len(cum) - 1).astype(np.int8)
    a = age[chosen]
    bad = (
        ((prog == c.P_ADVANCED) & (pop.skill[chosen] < 2))
        | ((prog == c.P_OLDER) & (a < OLDER_AGE))
        | ((prog == c.P_YOUNG) & (a >= YOUNG_AGE))
    )
    prog[bad] = c.P_GENERAL
    pop.programme[chosen] = prog
    pop.course_left[chosen] = course_months(prog, beh)
    pop.trained[chosen] = True
    account.person_times += len(chosen)
    account.person_times_poverty += int(pop.poverty[chosen].sum())
    account.person_times_45plus += int((a >= OLDER_AGE).sum())
    account.person_times_under30 += int((a < YOUNG_AGE).sum())
    account.by_programme += np.bincount(prog, minlength=len(c.PROGRAMME_NAMES))
