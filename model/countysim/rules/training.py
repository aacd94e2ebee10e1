"""Training: the rules of application, allocation, completion and certification (S1-S5, E3).

Pure functions (no model): annual places (S1 + pooled S4), programme shares of the plan (S3, S5,
E3), the monthly application rate (S1 subsidy, S2 outreach, S5 targeting), allocation with a
priority share (S2), completion by programme and age, and the skill level certification gives.
The training phase (``countysim.phases.training``) applies them in the month's order.
"""

from __future__ import annotations

import numpy as np

from countysim.parameters.behaviour import TrainingBehaviour
from countysim.population import codes as c

OLDER_AGE = 45  # 大齡 programmes (assumption: 45+, the usual cut-off of "older workers" policies)
YOUNG_AGE = 30  # young-worker programmes: under 30
REPEAT_APPLY = 0.3  # re-application rate of those trained already, relative (assumption)
SUBSIDY_REFERENCE_YUAN = 1000.0  # level-4 subsidy (countysim/data/norms.csv): the elasticity's base


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
