"""Enterprise: the rules of returnee start-ups and their survival (clause E7).

Pure functions (no model): the monthly start-up rate of an eligible returnee and the failure
rate of running start-ups, both raised or lowered by loan support, mentoring and parks (E7). The
enterprise phase (``countysim.phases.enterprise``) applies them.
"""

from __future__ import annotations

import numpy as np

from countysim.parameters.behaviour import EnterpriseBehaviour

RETURNEE_WINDOW = 24  # months after return in which a returnee counts as one (assumption)


def start_rate(beh: EnterpriseBehaviour, levers: dict[str, float]) -> float:
    """Monthly start-up probability of an eligible returnee."""
    return min(
        beh.p_start
        * (1 + beh.rel_loan * levers["e7_loan_support"])
        * (1 + beh.rel_mentoring * levers["e7_mentoring"]),
        1.0,
    )


def failure_rate(in_park: np.ndarray, beh: EnterpriseBehaviour, levers: dict[str, float]) -> np.ndarray:
    """Monthly failure probability of active start-ups."""
    support = (levers["e7_loan_support"] + levers["e7_mentoring"]) / 2
    rel = 1.0 - (1.0 - beh.rel_fail_supported) * support
    return beh.p_fail * rel * np.where(in_park, beh.rel_fail_park, 1.0)
