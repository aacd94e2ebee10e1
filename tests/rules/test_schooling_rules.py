"""Schooling rules, tested without a model."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countysim.parameters.behaviour import SchoolingBehaviour
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.rules import schooling

BEH = SchoolingBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}


def test_stage_of_age():
    stage = schooling.stage_of(np.arange(0, 20))
    assert stage.tolist() == [c.ST_NONE] * 6 + [c.ST_PRIMARY] * 6 + [c.ST_JUNIOR] * 3 + [c.ST_NONE] * 5
    assert schooling.stage_of(np.array([-1, 100])).tolist() == [c.ST_NONE, c.ST_NONE]


def test_eligible_for_public_permit_basis_versus_documents():
    # every combination of (town hukou, permit, documents)
    combos = np.array([[h, p, d] for h in (0, 1) for p in (0, 1) for d in (0, 1)], dtype=bool)
    hukou, permit, docs = combos.T
    hukou_first = schooling.eligible_for_public(hukou, permit, docs, {**STATUS_QUO, "p5_permit_basis": 0})
    permit_basis = schooling.eligible_for_public(hukou, permit, docs, {**STATUS_QUO, "p5_permit_basis": 1})
    assert hukou_first.tolist() == (hukou | (permit & docs)).tolist()
    assert permit_basis.tolist() == (hukou | permit).tolist()
    assert np.all(permit_basis[hukou_first])  # the permit basis never turns anyone away
    assert not hukou_first[~hukou & permit & ~docs].any() and permit_basis[~hukou & permit & ~docs].all()
    assert not permit_basis[~hukou & ~permit].any()


def test_document_rate():
    assert schooling.document_rate(BEH, {**STATUS_QUO, "p5_remove_documents": 0}) == pytest.approx(
        BEH.p_documents
    )
    assert schooling.document_rate(BEH, {**STATUS_QUO, "p5_remove_documents": 1}) == pytest.approx(1.0)
    rates = [schooling.document_rate(BEH, {**STATUS_QUO, "p5_remove_documents": x}) for x in (0, 0.3, 0.7)]
    assert rates[0] < rates[1] < rates[2] < 1


@given(n=st.integers(0, 200), free=st.integers(-5, 250), share=st.floats(0, 1), seed=st.integers(0, 1000))
def test_admit_fills_free_seats_priority_first_then_by_lot(n, free, share, seed):
    rng = np.random.default_rng(seed)
    applicants = np.arange(n) * 7 + 3
    priority = rng.random(n) < share
    lot = rng.random(n)
    got = schooling.admit(applicants, priority, lot, free)
    assert len(got) == min(n, max(free, 0))
    assert len(np.unique(got)) == len(got) and set(got) <= set(applicants)
    admitted = np.isin(applicants, got)
    if (admitted & ~priority).any():
        assert admitted[priority].all()  # nobody without priority before everyone with it
    for group in (priority, ~priority):
        inside, outside = lot[group & admitted], lot[group & ~admitted]
        if len(inside) and len(outside):
            assert inside.max() < outside.min()  # within a group, the lot decides


def test_admit_small_cases():
    applicants = np.array([10, 11, 12, 13])
    priority = np.array([False, True, False, True])
    lot = np.array([0.1, 0.9, 0.2, 0.5])
    assert schooling.admit(applicants, priority, lot, 0).tolist() == []
    assert schooling.admit(applicants, priority, lot, -3).tolist() == []
    assert schooling.admit(applicants, priority, lot, 1).tolist() == [13]
    assert schooling.admit(applicants, priority, lot, 3).tolist() == [13, 11, 10]
    assert sorted(schooling.admit(applicants, priority, lot, 10)) == [10, 11, 12, 13]
