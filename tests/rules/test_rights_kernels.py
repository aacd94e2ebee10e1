"""The rights phase's compiled pass equals its numpy rule, and draws the streams' numbers."""

import numpy as np
import pytest

from countysim.parameters.behaviour import RightsBehaviour
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.rng import StreamError, Streams
from countysim.rules import rights
from countysim.rules import rights_kernels as k

N = 4000
CODES = k.Codes(c.WORKER, rights.WAGE_JOB, rights.WORKING_JOB, rights.FLEXIBLE_JOB, 3)
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}


def columns(seed: int) -> k.Columns:
    """A random population's columns, with every group the pass tells apart well represented."""
    g = np.random.default_rng(seed)

    def flag(p):
        return g.random(N) < p

    def codes(n, dtype=np.int8):
        return g.integers(0, n, N).astype(dtype)

    return k.Columns(
        alive=flag(0.95),
        role=codes(len(c.ROLE_NAMES)),
        job=codes(len(c.JOB_NAMES)),
        sector=codes(len(c.SECTOR_NAMES)),
        tenure=(g.integers(0, 30, N) * flag(0.7)).astype(np.int16),
        loc=codes(len(c.LOCATION_NAMES)),
        contract=flag(0.4),
        ins_pension=flag(0.5),
        ins_medical=flag(0.5),
        ins_unemployment=flag(0.5),
        ins_injury=flag(0.5),
        pension_account=flag(0.5),
        ins_loc=codes(len(c.LOCATION_NAMES)),
        injury_left=(g.integers(0, 4, N) * flag(0.2)).astype(np.int8),
        arrears=(g.random(N) * 3000 * flag(0.2)).astype(np.float32),
        arrears_age=(g.integers(0, 12, N) * flag(0.3)).astype(np.int16),
    )


def random_tables(seed: int) -> rights.RightsTables:
    """Probabilities by code drawn at random (large enough that every outcome occurs)."""
    g = np.random.default_rng(seed)
    n_jobs, n_sectors = len(c.JOB_NAMES), len(c.SECTOR_NAMES)
    return rights.RightsTables(
        p_hire=g.random(n_jobs),
        p_later=g.random(n_jobs),
        p_with=g.random((4, n_jobs)),
        p_without=g.random((4, n_jobs)),
        p_catch_up=g.random(n_jobs),
        p_flexible=0.5,
        p_injury=g.random(n_sectors) * 0.5,
        p_arrears=g.random((n_sectors, n_jobs)) * 0.5,
    )


def draws(seed: int) -> tuple[np.ndarray, ...]:
    g = np.random.default_rng(seed)
    return tuple(g.random(N) if width == 1 else g.random((N, width)) for _, width in k.STREAMS)


def tabled(u: tuple[np.ndarray, ...]) -> k.Sources:
    return k.Sources(np.zeros(len(k.STREAMS), dtype=np.uint64), tuple(x.reshape(-1) for x in u))


def assert_same(a: k.Columns, b: k.Columns, out_a, out_b) -> None:
    for name, x, y in zip(k.Columns._fields, a, b, strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    for x, y in zip(out_a, out_b, strict=True):
        assert x.dtype == np.int64 and np.array_equal(x, y)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pass_equals_numpy_rule(seed):
    col, tab, u = columns(seed), random_tables(seed), draws(seed)
    ref = k.Columns(*(x.copy() for x in col))
    out = k.rights_pass(col, tab, tabled(u), CODES)
    expected = k.rights_pass_reference(ref, tab, u, CODES)
    assert_same(col, ref, out, expected)
    assert all(len(x) for x in out)  # every list is exercised


def test_pass_equals_numpy_rule_under_the_months_tables():
    beh = RightsBehaviour()
    levers = {**STATUS_QUO, "w1_joint_mechanism": 1.0, "r7_flexible_scheme": 1.0}
    tab = rights.month_tables(beh, levers, rights.outside_enforcement(beh, 2025.0))
    col, u = columns(7), draws(7)
    ref = k.Columns(*(x.copy() for x in col))
    assert_same(
        col, ref, k.rights_pass(col, tab, tabled(u), CODES), k.rights_pass_reference(ref, tab, u, CODES)
    )


@pytest.mark.parametrize("generator", ["splitmix64", "pcg64"])
def test_pass_draws_the_streams_numbers(generator):
    # the kernel's own draws (from the keys, or the pcg64 tables) are Streams.uniform's numbers
    col, tab = columns(4), random_tables(4)
    ref = k.Columns(*(x.copy() for x in col))
    out = k.rights_pass(col, tab, k.sources(Streams(5, generator=generator), 3, N), CODES)
    s = Streams(5, generator=generator)
    u = tuple(
        s.uniform(name, 3, N) if width == 1 else s.uniform(name, 3, N, width) for name, width in k.STREAMS
    )
    assert_same(col, ref, out, k.rights_pass(ref, tab, tabled(u), CODES))


def test_sources_check_the_streams():
    registry = {name: "test" for name, _ in k.STREAMS}
    s = Streams(1, registry)
    k.sources(s, 0, 10)
    with pytest.raises(StreamError, match="drawn twice"):
        k.sources(s, 0, 10)
    with pytest.raises(StreamError, match="not declared"):
        k.sources(Streams(1, {}), 0, 10)


def test_month_tables_give_the_rules_per_person():
    beh = RightsBehaviour()
    levers = {**STATUS_QUO, "w1_joint_mechanism": 0.5, "r1_contract_enforcement": 0.7, "r5_prevention": 0.4}
    outside = rights.outside_enforcement(beh, 2024.5)
    tab = rights.month_tables(beh, levers, outside)
    g = np.random.default_rng(0)
    job = g.integers(0, len(c.JOB_NAMES), 500).astype(np.int8)
    sector = g.integers(0, len(c.SECTOR_NAMES), 500).astype(np.int8)
    w1 = levers["w1_joint_mechanism"]
    enforce = rights.by_jurisdiction(job, rights.strengthened(levers["r1_contract_enforcement"], w1), outside)
    drive = rights.by_jurisdiction(job, rights.strengthened(levers["r2_enrolment_drive"], w1), outside)
    prevention = rights.by_jurisdiction(job, rights.strengthened(levers["r5_prevention"], w1), outside)
    assert np.array_equal(tab.p_hire[job], rights.contract_at_hire(job, beh, enforce))
    assert np.array_equal(tab.p_later[job], beh.p_contract_later * enforce)
    assert np.array_equal(tab.p_catch_up[job], beh.p_enrol_later * drive)
    for i, name in enumerate(c.INSURANCE_NAMES):
        with_contract = rights.closing_gap(beh.p_enrol_with_contract[name], drive, beh.drive_gap_closed)
        without = rights.closing_gap(beh.p_enrol_without_contract[name], drive, beh.drive_gap_closed)
        assert np.array_equal(tab.p_with[i][job], with_contract)
        assert np.array_equal(tab.p_without[i][job], without)
    assert np.array_equal(tab.p_arrears[sector, job], rights.arrears_hazard(sector, beh, prevention))
    assert tab.p_injury[0] == 0 and tab.p_arrears[0].max() == 0  # no sector, no employer
