"""Training rules, tested without a model."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.rules import training
from countysim.scenario import TrainingBehaviour

BEH = TrainingBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}


@given(
    n=st.integers(0, 300),
    places=st.integers(0, 400),
    reserved_share=st.floats(0, 1),
    seed=st.integers(0, 1000),
)
def test_allocation_never_exceeds_places_and_serves_priority_first(n, places, reserved_share, seed):
    rng = np.random.default_rng(seed)
    applicants = np.arange(n) * 3
    priority = rng.random(n) < 0.3
    draw = rng.random(n)
    reserved = round(reserved_share * places)
    chosen = training.allocate(applicants, priority, draw, places, reserved)
    assert len(chosen) == min(n, places)
    assert len(np.unique(chosen)) == len(chosen)
    assert set(chosen) <= set(applicants)
    n_pri_chosen = int(np.isin(chosen, applicants[priority]).sum())
    assert n_pri_chosen >= min(reserved, int(priority.sum()), places)


def test_allocation_takes_everyone_when_places_suffice():
    chosen = training.allocate(np.array([5, 9]), np.array([False, True]), np.array([0.9, 0.1]), 10, 0)
    assert sorted(chosen) == [5, 9]


def test_places_include_pooled_provider_capacity():
    lv = {**STATUS_QUO, "s1_training_places_per_year": 1000, "s4_pooling": 0.5}
    assert training.places_per_year(lv, enterprise=400, college=600) == 1500


def test_programme_shares_sum_to_one_and_scale_down_when_oversubscribed():
    share = training.programme_shares(STATUS_QUO)
    assert share.sum() == pytest.approx(1) and share[c.P_NONE] == 0
    over = {**STATUS_QUO, "s3_advanced_share": 0.8, "s5_older_programme_share": 0.8}
    share = training.programme_shares(over)
    assert share.sum() == pytest.approx(1) and share[c.P_GENERAL] == pytest.approx(0)


def test_application_rate_responds_to_levers():
    one = np.array([False])
    base = training.application_rate(one, np.array([True]), np.array([35]), one, BEH, STATUS_QUO)[0]
    outreach = training.application_rate(
        one, np.array([True]), np.array([35]), one, BEH, {**STATUS_QUO, "s2_outreach": 1.0}
    )[0]
    subsidy = training.application_rate(
        one, np.array([True]), np.array([35]), one, BEH, {**STATUS_QUO, "s1_subsidy_yuan": 3000}
    )[0]
    jobless = training.application_rate(
        np.array([True]), np.array([True]), np.array([35]), one, BEH, STATUS_QUO
    )[0]
    repeat = training.application_rate(
        one, np.array([True]), np.array([35]), np.array([True]), BEH, STATUS_QUO
    )[0]
    assert outreach == pytest.approx(2 * base) and subsidy > base and jobless > base and repeat < base
    older = {**STATUS_QUO, "s5_older_programme_share": 0.2}
    p50 = training.application_rate(one, one, np.array([50]), one, BEH, older)[0]
    p35 = training.application_rate(one, one, np.array([35]), one, BEH, older)[0]
    assert p50 == pytest.approx(p35 * BEH.rel_apply_targeted)


def test_completion_by_age_and_programme():
    prog = np.array([c.P_GENERAL, c.P_GENERAL, c.P_OLDER], np.int8)
    p = training.completion_rate(prog, np.array([30, 50, 50]), BEH)
    assert p[0] == BEH.p_complete and p[1] == BEH.p_complete_45plus and p[2] == BEH.p_complete_targeted


def test_skill_after_certification():
    skill = np.array([0, 1, 2, 2, 3, 4], np.int8)
    general = training.skill_after(np.full(6, c.P_GENERAL, np.int8), skill)
    advanced = training.skill_after(np.full(6, c.P_ADVANCED, np.int8), skill)
    craft = training.skill_after(np.full(6, c.P_CRAFTSMAN, np.int8), skill)
    assert general.tolist() == [1, 2, 2, 2, 3, 4]  # ordinary courses stop at 中級
    assert advanced.tolist() == [1, 2, 3, 3, 4, 4]  # advanced ones reach 高級工 and 技師
    assert craft.tolist() == [1, 1, 2, 2, 3, 4]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_compiled_applicants_are_the_numpy_rules(seed):
    """The compiled pass chooses the applicants of the numpy rule, drawing the same stream."""
    from countysim.population.state import Population
    from countysim.rng import Streams

    rng = np.random.default_rng(seed)
    n, h = 20_000, 7_000
    pop = Population(n, h)
    pop.hh[:] = rng.integers(0, h, n)
    pop.alive[:] = rng.random(n) < 0.95
    pop.role[:] = rng.integers(0, 3, n)
    pop.willing[:] = rng.random(n) < 0.6
    pop.programme[:] = np.where(rng.random(n) < 0.1, c.P_GENERAL, c.P_NONE)
    pop.age_m[:] = rng.integers(16 * 12, 70 * 12, n)
    pop.job[:] = rng.integers(0, len(c.JOB_NAMES), n)
    pop.poverty[:] = rng.random(n) < 0.2
    pop.trained[:] = rng.random(n) < 0.3
    pop.aware[:] = rng.integers(0, 256, h)
    levers = {
        **STATUS_QUO,
        "s2_outreach": 0.5,
        "s5_older_programme_share": 0.1,
        "s5_young_programme_share": 0.3,
    }
    beh = TrainingBehaviour(p_apply=0.2)
    got = training.applicants(pop, beh, levers, 1.4, Streams(seed), 5)
    expected = training.applicants_reference(
        pop, beh, levers, 1.4, Streams(seed).uniform("training.apply", 5, n)
    )
    np.testing.assert_array_equal(got, expected)
    assert len(got) > 100
    # the reference generator takes the numpy rule
    pcg = training.applicants(pop, beh, levers, 1.4, Streams(seed, generator="pcg64"), 5)
    ref = training.applicants_reference(
        pop, beh, levers, 1.4, Streams(seed, generator="pcg64").uniform("training.apply", 5, n)
    )
    np.testing.assert_array_equal(pcg, ref)
