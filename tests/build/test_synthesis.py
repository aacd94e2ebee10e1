"""The synthetic population matches its profile and its household links hold."""

import numpy as np
import pytest

from countysim.build.synthesis import cut_by_rank, synthesize
from countysim.population import codes as c
from countysim.rng import Streams


@pytest.fixture(scope="module")
def pop_and_spec(baseline):
    spec = baseline.replace(**{"county.households.n": 20_000})
    return synthesize(spec, Streams(1)), spec


def test_cut_by_rank_gives_exact_shares():
    cat = cut_by_rank(np.random.default_rng(0).random(1000), np.array([0.1, 0.6, 0.3]))
    assert np.bincount(cat).tolist() == [100, 600, 300]


def test_worker_marginals_match_profile(pop_and_spec):
    pop, spec = pop_and_spec
    wk = spec.county.workers
    w = pop.role == c.WORKER
    edu = np.bincount(pop.edu[w], minlength=5) / w.sum()
    assert np.allclose(edu, wk.edu_shares, atol=0.002)
    skill = np.bincount(pop.skill[w], minlength=5) / w.sum()
    assert np.allclose(skill, wk.skill_shares, atol=0.002)
    jobs = np.bincount(pop.job[w], minlength=len(c.JOB_NAMES)) / w.sum()
    expected = [wk.initial_jobs[n] for n in c.JOB_NAMES]
    assert np.allclose(jobs, expected, atol=0.002)
    age = pop.age_m[w] / 12
    assert 40.5 < age.mean() < 44.5  # NBS 2022: 42.3
    assert 0.44 < (age < 41).mean() < 0.50  # NBS: 47.0 % aged 40 and under
    assert 0.26 < (age >= 51).mean() < 0.32  # NBS: 29.2 % over 50
    assert 0.30 < (pop.sex[w] == c.FEMALE).mean() < 0.42  # NBS 2021: 35.9 %


def test_education_falls_with_age(pop_and_spec):
    pop, _ = pop_and_spec
    w = pop.role == c.WORKER
    young, old = w & (pop.age_m < 30 * 12), w & (pop.age_m >= 50 * 12)
    assert pop.edu[young].mean() > pop.edu[old].mean() + 0.3


def test_household_links(pop_and_spec):
    pop, spec = pop_and_spec
    assert pop.n_households == spec.county.households.n
    assert pop.hh.min() == 0 and pop.hh.max() == pop.n_households - 1
    workers = pop.household_count(pop.role == c.WORKER)
    assert workers.min() >= 1 and workers.max() <= 2  # every household has one or two workers
    # each child is at least 20 years younger than the household's oldest worker
    head_age = np.zeros(pop.n_households, dtype=np.int32)
    np.maximum.at(head_age, pop.hh[pop.role == c.WORKER], pop.age_m[pop.role == c.WORKER])
    kids = pop.role == c.CHILD
    assert np.all(pop.age_m[kids] <= head_age[pop.hh[kids]] - 20 * 12 + 12)
    assert np.all(pop.age_m[kids] < pop.entry_age_m[kids])
    assert np.all(pop.age_m[pop.role == c.ELDER] >= 60 * 12)


def test_state_is_consistent(pop_and_spec):
    pop, _ = pop_and_spec
    w = pop.role == c.WORKER
    assert np.all(pop.job[~w] == c.J_NONE)
    assert np.all(pop.wage[pop.job >= c.J_TOWNSHIP] > 0)
    assert np.all(pop.wage[pop.job == c.J_NONE] == 0)
    assert np.all((pop.sector > 0) == (pop.job >= c.J_TOWNSHIP))
    assert np.all(pop.loc[w] == np.asarray(c.JOB_LOCATION)[pop.job[w]])
    assert pop.poverty[w].mean() == pytest.approx(0.12, abs=0.01)


def test_default_county_is_the_whole_population(baseline):
    pop = synthesize(baseline, Streams(baseline.seed))
    assert pop.n >= 300_000  # persons in all the county's migrant-worker households
    assert pop.n_households == 110_000


def test_same_seed_same_population(baseline):
    spec = baseline.replace(**{"county.households.n": 3000})
    a, b = synthesize(spec, Streams(5)), synthesize(spec, Streams(5))
    for col in ("age_m", "edu", "job", "wage", "hh", "poverty"):
        assert np.array_equal(getattr(a, col), getattr(b, col))
    assert not np.array_equal(a.age_m, synthesize(spec, Streams(6)).age_m)
