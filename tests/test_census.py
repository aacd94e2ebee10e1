"""The month's census (``Snapshot``): its compiled passes against the plain-numpy expressions.

The indicators read counts from the census's grids and means from its sums instead of making a
pass over the persons each; here every mask, grid cell, count and mean is checked against the
numpy expression it replaces, on a county several months into a run (so that jobs, insurance,
training, arrears and housing have moved from their start).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from countysim.model import CountyModel
from countysim.phases import Snapshot
from countysim.phases.base import MEANS, Grid
from countysim.population import codes as c


@pytest.fixture(scope="module")
def county(small_baseline):
    model = CountyModel(small_baseline.replace(**{"horizon.months": 14}), seed=11)
    while model.running:
        model.step()
    return model.state


@pytest.fixture(scope="module")
def snap(county):
    return Snapshot(county)


def test_the_masks_are_the_numpy_expressions(county, snap) -> None:
    pop = county.pop
    worker = pop.alive & (pop.role == c.WORKER)
    employed = worker & (pop.job >= c.J_TOWNSHIP)
    surveyed = employed & (pop.hukou == 0)
    age = pop.age_m // 12
    expected = {
        "worker": worker,
        "employed": employed,
        "outside": employed & (pop.job >= c.J_OUTSIDE_PROVINCE),
        "employee": worker & np.isin(pop.job, c.WAGE_JOBS),
        "surveyed": surveyed,
        "township": surveyed & np.isin(pop.job, c.SURVEY_LOCAL_JOBS),
        "kid": pop.alive & (pop.role == c.CHILD) & (age >= 6) & (age <= 14),
    }
    for name, mask in expected.items():
        assert mask.any(), name  # the county has some of each, so the comparison means something
        np.testing.assert_array_equal(getattr(snap, name), mask, err_msg=name)
    at_home = np.bincount(pop.hh[worker & (pop.loc == c.VILLAGE)], minlength=pop.n_households) > 0
    np.testing.assert_array_equal(snap.worker_at_home, at_home)
    np.testing.assert_array_equal(snap.by_role, np.bincount(pop.role[pop.alive], minlength=len(c.ROLE_NAMES)))
    np.testing.assert_array_equal(
        snap.by_location, np.bincount(pop.loc[pop.alive], minlength=len(c.LOCATION_NAMES))
    )
    assert snap.n_town_hukou == int((pop.alive & (pop.hukou == 1)).sum())
    np.testing.assert_array_equal(snap.surveyed_by_age, np.bincount(age[surveyed], minlength=201))


def _worker_codes(pop, worker) -> dict[str, dict[str, np.ndarray]]:
    """Each grid's codes of every worker, by the plain numpy expressions."""
    w = np.flatnonzero(worker)
    return {
        "workers": {
            "job": pop.job[w], "hukou": pop.hukou[w], "sex": pop.sex[w], "edu": pop.edu[w],
            "tenure": (pop.tenure[w] >= 6).astype(int) + (pop.tenure[w] >= 12), "over_50": pop.age_m[w] // 12 > 50,
        },
        "worker_rights": {
            "job": pop.job[w], "contract": pop.contract[w], "pension": pop.ins_pension[w],
            "medical": pop.ins_medical[w], "unemployment": pop.ins_unemployment[w], "injury": pop.ins_injury[w],
        },
        "worker_skills": {
            "skill": (pop.skill[w] > 0).astype(int) + (pop.skill[w] >= c.SKILL_HIGH), "craftsman": pop.craftsman[w],
            "brand": pop.brand[w], "willing": pop.willing[w], "trained": pop.trained[w], "poverty": pop.poverty[w],
        },
    }  # fmt: skip


@pytest.mark.parametrize("grid", ["workers", "worker_rights", "worker_skills"])
def test_every_cell_of_a_grid_counts_its_workers(county, snap, grid) -> None:
    pop = county.pop
    codes = _worker_codes(pop, pop.alive & (pop.role == c.WORKER))[grid]
    g: Grid = getattr(snap, grid)
    assert g.dims == tuple(codes)
    expected = np.zeros_like(g.counts)
    np.add.at(expected, tuple(np.asarray(v, dtype=np.int64) for v in codes.values()), 1)
    np.testing.assert_array_equal(g.counts, expected)
    assert (g.counts > 0).sum() > 10  # workers spread over many cells


def test_a_grid_count_is_the_count_of_a_pass(county, snap) -> None:
    pop = county.pop
    worker = pop.alive & (pop.role == c.WORKER)
    assert snap.workers.count(job=c.WAGE_JOBS, sex=c.FEMALE) == int(
        (worker & np.isin(pop.job, c.WAGE_JOBS) & (pop.sex == c.FEMALE)).sum()
    )
    assert snap.worker_rights.count(job=c.NONFARM_JOBS, pension=1) == int(
        (worker & (pop.job >= c.J_TOWNSHIP) & pop.ins_pension).sum()
    )
    assert snap.worker_skills.count(willing=True, trained=True) == int(
        (worker & pop.willing & pop.trained).sum()
    )
    assert snap.workers.count() == snap.n_workers == int(worker.sum())
    with pytest.raises(KeyError, match=r"no dimension 'colour'.*job, hukou"):
        snap.workers.count(colour=1)


def test_the_other_counts_of_the_census(county, snap) -> None:
    pop = county.pop
    assert snap.n_arrears_open == int((pop.alive & (pop.arrears > 0)).sum()) > 0
    assert snap.n_arrears_slots == int((pop.arrears > 0).sum())
    assert snap.n_placed == int((snap.employed & pop.placed).sum())
    assert snap.n_startups == int((pop.firm_jobs > 0).sum()) > 0
    assert snap.n_startup_jobs == int(pop.firm_jobs.sum())
    assert snap.n_in_park == int(pop.in_park.sum())


def test_the_households_grid_and_awareness_counts(county, snap) -> None:
    pop = county.pop
    for residence, housing, permit in itertools.product(range(3), range(5), range(2)):
        n = snap.households.count(residence=residence, housing=housing, permit=permit)
        assert n == int(
            ((pop.residence == residence) & (pop.housing == housing) & (pop.permit == permit)).sum()
        )
    assert snap.households.count(waiting=1) == int((pop.wait_months > 0).sum())
    np.testing.assert_array_equal(snap.by_awareness, np.bincount(pop.aware, minlength=256))


def test_the_means_are_the_sums_of_a_pass_in_person_order(county, snap) -> None:
    """Bit for bit: the census adds in person order, as a sequential sum does (``np.cumsum``)."""
    pop = county.pop
    s = snap
    groups = {
        "wage_employed": (pop.wage, s.employed),
        "wage_local": (pop.wage, s.employed & ~s.outside),
        "wage_outside": (pop.wage, s.outside),
        "wage_surveyed": (pop.wage, s.surveyed),
        "wage_township": (pop.wage, s.township),
        "wage_surveyed_out": (pop.wage, s.surveyed & ~s.township),
        "age_workers": (pop.age_m, s.worker),
        "age_surveyed": (pop.age_m, s.surveyed),
    }
    assert set(groups) == set(MEANS)
    for name, (values, mask) in groups.items():
        assert mask.sum() > 0, name
        expected = float(np.cumsum(values[mask].astype(np.float64))[-1] / mask.sum())
        assert s.mean(name) == expected, name


def test_left_behind_children_are_those_of_the_numpy_expression(county, snap) -> None:
    pop = county.pop
    village_kids = np.flatnonzero(snap.kid & (pop.school == c.S_VILLAGE))
    assert len(village_kids) > 0
    assert snap.left_behind == int((~snap.worker_at_home[pop.hh[village_kids]]).sum())
