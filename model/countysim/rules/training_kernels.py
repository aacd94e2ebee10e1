"""The compiled pass (numba) of the training rules: who applies this month.

``rules.training.applicants`` in one pass over the workers who may apply, drawing the counter
stream itself; ``rules.training.applicants_reference`` is the numpy rule it replaces, and
``tests/rules/test_training_rules.py`` checks that both choose the same persons. The float
arithmetic is the numpy rule's, step by step in its order, so the probabilities are the same
numbers. Imported on first use, like ``countysim.kernels``.
"""

from __future__ import annotations

import numba
import numpy as np

from countysim.kernels import _unit

# codes (countysim.population.codes), repeated as compile-time constants (checked by
# tests/rules/test_kernel_constants.py)
_J_NONE, _J_FARM = 0, 1


@numba.njit(cache=True, nogil=True)
def applicants(
    can, age_m, job, poverty, trained, hh, aware, bit, max_age, older_age, young_age, p_apply, rel_jobless,
    subsidy, outreach, older, young, targeted_gain, repeat, take_up, key, out,
):  # fmt: skip  # pragma: no cover - compiled
    """The applicants among the slots ``can``, written to the front of ``out`` in order; returns how many.

    Each of ``can`` (living workers, willing, not in a course) aged ``max_age`` or less applies
    with ``rules.training.application_rate`` times ``take_up`` (at most 1), if the household
    knows of the offer (bit ``bit`` of ``aware``), where slot ``i``'s number ``_unit(key, i + 1)``
    of the stream is below it. Free of branches on the person: everyone's probability and number
    are computed, and the list's end moves on only for an applicant.
    """
    n = 0
    for r in range(can.shape[0]):
        i = can[r]
        years = age_m[i] // 12
        j = job[i]
        p = p_apply
        p *= rel_jobless if (j == _J_NONE) | (j == _J_FARM) else 1.0
        p *= subsidy
        p *= outreach if poverty[i] else 1.0
        targeted = older if years >= older_age else (young if years < young_age else 0.0)
        p *= 1.0 + targeted_gain * targeted
        p *= repeat if trained[i] else 1.0
        p = min(min(p, 1.0) * take_up, 1.0)
        knows = (aware[hh[i]] >> bit) & 1
        out[n] = i
        n += (years <= max_age) & (knows == 1) & (_unit(key, np.uint64(i + 1)) < p)
    return n
