"""Invariants every month must satisfy (used by the model tests)."""

from __future__ import annotations

import numpy as np

from countysim.population import codes as c
from countysim.rules.schooling import stage_of


def check(model) -> None:
    """Assert every invariant on the model's state after a step."""
    pop, lv, acc = model.pop, model.levers, model.state.accounts
    jobs, schools = model.state.jobs, acc["schooling"]
    alive = pop.alive
    worker = alive & (pop.role == c.WORKER)
    # jobs, wages, courses, contracts and insurance belong to living workers only
    assert np.all(pop.job[~worker] == c.J_NONE)
    assert np.all(pop.wage[~worker] == 0)
    assert np.all(pop.programme[~worker] == c.P_NONE)
    assert np.all(pop.wage[worker & (pop.job >= c.J_TOWNSHIP)] > 0)
    assert not np.any(pop.contract & ~(worker & (pop.job >= c.J_TOWNSHIP)))
    assert not np.any(pop.arrears[~alive] > 0)
    # allocations within capacity
    filled = np.bincount(pop.job[worker], minlength=len(c.JOB_NAMES))
    assert filled[c.J_COUNTY_FORMAL] <= jobs.county_formal + 1e-6
    assert filled[c.J_COUNTY_FLEX] <= jobs.county_flexible + 1e-6
    assert acc["training"].enrolled_this_month <= acc["training"].places_this_month
    kid = alive & (pop.role == c.CHILD)
    stage = stage_of(pop.age_m // 12)
    public = kid & (pop.school == c.S_PUBLIC)
    # a pupil keeps a seat until the next September even if a birthday moves the stage
    assert public.sum() <= schools.seats[c.ST_PRIMARY] + schools.seats[c.ST_JUNIOR]
    if model.month.school_year_start:
        for st in (c.ST_PRIMARY, c.ST_JUNIOR):
            assert (public & (stage == st)).sum() <= schools.seats[st]
    if model.month.school_year_start:
        assert (kid & (pop.school == c.S_PURCHASED)).sum() <= lv["p5_purchased_places"]
    assert (kid & (pop.school == c.S_PRIVATE)).sum() <= model.spec.county.schools.private_places
    assert (pop.housing == c.H_AFFORDABLE).sum() <= acc["housing"].units
    assert pop.in_park.sum() <= lv["e7_park_places"]
    assert np.all(pop.school[alive & ~kid] == c.S_NONE)
    # settlement: town hukou only in settled households
    assert np.all(pop.settled[pop.hh[alive & (pop.hukou == 1)]])
    # money adds up
    f = acc["fiscal"]
    assert np.isclose(f.total, sum(f.cost.values()))
    assert all(v >= 0 for v in f.cost.values()) and f.transfers >= 0
    # a person's location follows the job
    working = worker & (pop.job != c.J_NONE)
    assert np.all(pop.loc[working] == np.asarray(c.JOB_LOCATION)[pop.job[working]])
