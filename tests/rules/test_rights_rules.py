"""Rights rules, tested without a model."""

import numpy as np
import pytest

from countysim.parameters.behaviour import RightsBehaviour
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.rules import rights

BEH = RightsBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}
ALL_JOBS = np.arange(len(c.JOB_NAMES), dtype=np.int8)
ALL_SECTORS = np.arange(len(c.SECTOR_NAMES), dtype=np.int8)


def resolve(aware, sf=False, **levers):
    lv = {**STATUS_QUO, **levers}
    return rights.resolution_hazard(np.array(aware, dtype=bool), BEH, lv, sf)


def test_contract_at_hire_by_job_without_enforcement():
    p = rights.contract_at_hire(ALL_JOBS, BEH, 0.0)
    for job in (c.J_NONE, c.J_FARM, c.J_SELF):
        assert p[job] == 0
    for name, base in BEH.p_contract_at_hire.items():
        assert p[c.JOB_NAMES.index(name)] == pytest.approx(base)
    assert p[c.J_COUNTY_FORMAL] > p[c.J_COUNTY_FLEX]


def test_contract_at_hire_rises_with_enforcement_by_closing_the_gap():
    levels = np.linspace(0, 1, 6)
    p = np.array([rights.contract_at_hire(ALL_JOBS, BEH, e) for e in levels])
    wage = list(c.WAGE_JOBS)
    assert np.all(np.diff(p[:, wage], axis=0) > 0)
    assert np.all(p[:, [c.J_NONE, c.J_FARM, c.J_SELF]] == 0)  # enforcement never gives them one
    base = p[0, c.J_TOWNSHIP]
    assert p[-1, c.J_TOWNSHIP] == pytest.approx(base + (1 - base) * BEH.enforcement_gap_closed)
    assert np.all(p <= 1)


def test_closing_gap_math():
    assert rights.closing_gap(0.2, 0.0, 0.6) == pytest.approx(0.2)
    assert rights.closing_gap(0.2, 1.0, 1.0) == pytest.approx(1.0)
    assert rights.closing_gap(0.2, 0.5, 0.6) == pytest.approx(0.2 + 0.8 * 0.3)
    arr = rights.closing_gap(np.array([0.0, 1.0]), 1.0, 0.5)
    assert arr.tolist() == pytest.approx([0.5, 1.0])


def test_strengthened_by_joint_mechanism_and_capped():
    assert rights.strengthened(0.4, 0.0) == pytest.approx(0.4)
    assert rights.strengthened(0.4, 1.0) == pytest.approx(0.4 * (1 + rights.W1_BOOST))
    assert rights.strengthened(0.4, 0.5) == pytest.approx(0.4 * (1 + rights.W1_BOOST / 2))
    assert rights.strengthened(0.9, 1.0) == 1.0
    assert rights.strengthened(1.0, 1.0) == 1.0
    assert rights.strengthened(0.0, 1.0) == 0.0


def test_arrears_hazard_by_sector():
    h = rights.arrears_hazard(ALL_SECTORS, BEH, prevention=0.0)
    assert h[0] == 0  # no sector, no employer, no arrears
    assert int(np.argmax(h)) == c.SECTOR_NAMES.index("construction")
    for k, name in enumerate(c.SECTOR_NAMES[1:], start=1):
        assert h[k] == pytest.approx(BEH.p_arrears * BEH.arrears_sector[name])


def test_prevention_lowers_arrears_hazard():
    none = rights.arrears_hazard(ALL_SECTORS, BEH, prevention=0.0)
    half = rights.arrears_hazard(ALL_SECTORS, BEH, prevention=0.5)
    full = rights.arrears_hazard(ALL_SECTORS, BEH, prevention=1.0)
    assert np.all(full[1:] < half[1:]) and np.all(half[1:] < none[1:])
    assert full[1:] == pytest.approx(none[1:] * (1 - BEH.prevention_cut))


def test_resolution_hazard_green_channel_and_legal_aid():
    off = dict(r6_arbitration_green_channel=0.0, r6_legal_aid_reach=0.0)
    assert resolve([False, True], **off) == pytest.approx([BEH.p_resolve_own] * 2)
    green = resolve([False], **{**off, "r6_arbitration_green_channel": 1.0})[0]
    assert green == pytest.approx(BEH.p_resolve_own + BEH.p_resolve_arbitration)
    aid = resolve([False, True], **{**off, "r6_legal_aid_reach": 1.0})
    assert aid[0] == pytest.approx(BEH.p_resolve_own)  # legal aid only helps the aware
    assert aid[1] == pytest.approx(BEH.p_resolve_own + BEH.p_resolve_legal_aid)


def test_resolution_hazard_spring_warmth_only_in_festival_month():
    lv = dict(g4_spring_warmth=1.0)
    normal = resolve([True], sf=False, **lv)[0]
    festival = resolve([True], sf=True, **lv)[0]
    assert festival == pytest.approx(normal * (1 + BEH.rel_spring_warmth))
    assert resolve([True], sf=True, g4_spring_warmth=0.0)[0] == pytest.approx(normal)
    strong = RightsBehaviour(p_resolve_own=0.6, rel_spring_warmth=5.0)
    capped = rights.resolution_hazard(np.array([True]), strong, {**STATUS_QUO, **lv}, True)
    assert capped[0] == 1.0
