"""Enterprise rules, tested without a model."""

import numpy as np
import pytest

from countysim.parameters.behaviour import EnterpriseBehaviour
from countysim.policy.levers import LEVERS
from countysim.rules import enterprise

BEH = EnterpriseBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}
NO_SUPPORT = {**STATUS_QUO, "e7_loan_support": 0.0, "e7_mentoring": 0.0}
FULL_SUPPORT = {**STATUS_QUO, "e7_loan_support": 1.0, "e7_mentoring": 1.0}


def test_start_rate_rises_with_loans_and_mentoring():
    base = enterprise.start_rate(BEH, NO_SUPPORT)
    assert base == pytest.approx(BEH.p_start)
    loans = enterprise.start_rate(BEH, {**NO_SUPPORT, "e7_loan_support": 1.0})
    mentoring = enterprise.start_rate(BEH, {**NO_SUPPORT, "e7_mentoring": 1.0})
    assert loans == pytest.approx(BEH.p_start * (1 + BEH.rel_loan))
    assert mentoring == pytest.approx(BEH.p_start * (1 + BEH.rel_mentoring))
    both = enterprise.start_rate(BEH, FULL_SUPPORT)
    assert both == pytest.approx(BEH.p_start * (1 + BEH.rel_loan) * (1 + BEH.rel_mentoring))
    assert base < enterprise.start_rate(BEH, STATUS_QUO) < both


def test_start_rate_is_capped_at_one():
    eager = EnterpriseBehaviour(p_start=0.8, rel_loan=2.0)
    assert enterprise.start_rate(eager, NO_SUPPORT) == pytest.approx(0.8)
    assert enterprise.start_rate(eager, FULL_SUPPORT) == 1.0


def test_support_lowers_failure():
    out = np.array([False])
    none = enterprise.failure_rate(out, BEH, NO_SUPPORT)[0]
    half = enterprise.failure_rate(out, BEH, {**NO_SUPPORT, "e7_loan_support": 1.0})[0]
    full = enterprise.failure_rate(out, BEH, FULL_SUPPORT)[0]
    assert none == pytest.approx(BEH.p_fail)
    assert full == pytest.approx(BEH.p_fail * BEH.rel_fail_supported)
    assert full < half < none


def test_park_lowers_failure():
    in_park = np.array([False, True])
    for lv in (NO_SUPPORT, STATUS_QUO, FULL_SUPPORT):
        out, park = enterprise.failure_rate(in_park, BEH, lv)
        assert park == pytest.approx(out * BEH.rel_fail_park) and park < out
    assert 0 <= enterprise.failure_rate(in_park, BEH, FULL_SUPPORT).min()
