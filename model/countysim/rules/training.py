"""Training: the rules of application, allocation, completion and certification (S1-S5, E3).

Pure functions (no model): annual places (S1 + pooled S4), programme shares of the plan (S3, S5,
E3), the monthly application rate (S1 subsidy, S2 outreach, S5 targeting), allocation with a
priority share (S2), completion by programme and age, and the skill level certification gives.
The training phase (``countysim.phases.training``) applies them in the month's order.
"""

from __future__ import annotations

import numpy as np

from countysim.backend import unsigned
from countysim.parameters.behaviour import TrainingBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.services import aware

OLDER_AGE = 45  # 大齡 programmes (assumption: 45+, the usual cut-off of "older workers" policies)
YOUNG_AGE = 30  # young-worker programmes: under 30
REPEAT_APPLY = 0.3  # re-application rate of those trained already, relative (assumption)
SUBSIDY_REFERENCE_YUAN = 1000.0  # level-4 subsidy (countysim/data/norms.csv): the elasticity's base
MAX_APPLY_AGE = 60  # oldest age (years) at which a worker applies (assumption: training for working ages)


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


def _rate_terms(beh: TrainingBehaviour, levers: dict[str, float]) -> tuple[float, float, float, float, float]:
    """The application rate's factors common to everyone: subsidy, outreach, the age programmes' pull."""
    subsidy = (max(levers["s1_subsidy_yuan"], 1.0) / SUBSIDY_REFERENCE_YUAN) ** beh.subsidy_elasticity
    # a programme for one's age group draws applicants; full effect at 20 % of places
    older = float(np.minimum(levers["s5_older_programme_share"] / 0.2, 1.0))
    young = float(np.minimum(levers["s5_young_programme_share"] / 0.2, 1.0))
    return subsidy, 1.0 + levers["s2_outreach"], older, young, beh.rel_apply_targeted - 1.0


def application_rate(
    jobless: np.ndarray,
    poverty: np.ndarray,
    age_years: np.ndarray,
    trained: np.ndarray,
    beh: TrainingBehaviour,
    levers: dict[str, float],
) -> np.ndarray:
    """Monthly probability that a willing worker not in a course applies."""
    subsidy, outreach, older, young, targeted_gain = _rate_terms(beh, levers)
    p = np.full(len(jobless), beh.p_apply)
    p *= np.where(jobless, beh.rel_apply_jobless, 1.0)
    p *= subsidy
    p *= np.where(poverty, outreach, 1.0)
    targeted = np.where(age_years >= OLDER_AGE, older, np.where(age_years < YOUNG_AGE, young, 0.0))
    p *= 1.0 + targeted_gain * targeted
    p *= np.where(trained, REPEAT_APPLY, 1.0)
    return np.minimum(p, 1.0)


def applicants(
    pop: Population,
    beh: TrainingBehaviour,
    levers: dict[str, float],
    take_up: float,
    streams: Streams,
    t: int,
) -> np.ndarray:
    """Who applies for training in month ``t`` (their slots, in order).

    A living worker of 60 or less, willing and not in a course, whose household knows of the
    offer, applies with ``application_rate`` × ``take_up`` (at most 1), drawing the stream
    ``training.apply``. Under the counter generator, one compiled pass (``rules.training_kernels``)
    over the workers who may apply; otherwise :func:`applicants_reference`.
    """
    key = streams.counter_key("training.apply", t)
    if key is None:  # the reference generator: every slot's number, in sequence
        return applicants_reference(pop, beh, levers, take_up, streams.uniform("training.apply", t, pop.n))
    from countysim.rules import training_kernels as k  # compiled on first use

    subsidy, outreach, older, young, targeted_gain = _rate_terms(beh, levers)
    can = _may_apply(pop)
    out = np.empty(len(can), dtype=np.int64)
    n = k.applicants(
        can, pop.age_m, unsigned(pop.job), pop.poverty, pop.trained, pop.hh, pop.aware, c.SV_TRAINING,
        MAX_APPLY_AGE, OLDER_AGE, YOUNG_AGE, beh.p_apply, beh.rel_apply_jobless, subsidy, outreach, older, young,
        targeted_gain, REPEAT_APPLY, float(take_up), key, out,
    )  # fmt: skip
    return out[:n]


def _may_apply(pop: Population) -> np.ndarray:
    """The living workers, willing and not in a course (their slots)."""
    ok = np.equal(pop.role, c.WORKER)
    ok &= pop.alive
    ok &= pop.willing
    ok &= np.equal(pop.programme, c.P_NONE)
    return np.flatnonzero(ok)


def applicants_reference(
    pop: Population, beh: TrainingBehaviour, levers: dict[str, float], take_up: float, u: np.ndarray
) -> np.ndarray:
    """:func:`applicants` in numpy, with ``u`` every slot's number of the stream."""
    can = _may_apply(pop)
    can = can[pop.age_m[can] // 12 <= MAX_APPLY_AGE]
    jobless = (pop.job[can] == c.J_NONE) | (pop.job[can] == c.J_FARM)
    p = np.minimum(
        application_rate(jobless, pop.poverty[can], pop.age_m[can] // 12, pop.trained[can], beh, levers)
        * take_up,
        1.0,
    )
    knows = aware(pop, c.SV_TRAINING)[pop.hh[can]]  # only those aware of the training offer apply
    return can[knows & (u[can] < p)]


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
