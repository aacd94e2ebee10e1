"""Housing rules, tested on a tiny hand-built population."""

import numpy as np

from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules import housing
from countysim.rules.arrays import household_any


def people(households, persons):
    """A population from ``persons``: (household, role, loc) tuples."""
    pop = Population(len(persons), households)
    for i, (h, role, loc) in enumerate(persons):
        pop.hh[i], pop.role[i], pop.loc[i] = h, role, loc
    return pop


W, CH, EL = c.WORKER, c.CHILD, c.ELDER


def test_residence_by_where_workers_live():
    pop = people(
        6,
        [
            (0, W, c.COUNTY_TOWN),  # a worker in town: town
            (0, W, c.OUTSIDE_PROVINCE),
            (1, W, c.OUTSIDE_PROVINCE),  # all workers outside: outside
            (1, W, c.OTHER_PROVINCE),
            (1, CH, c.VILLAGE),
            (2, W, c.OUTSIDE_PROVINCE),  # one worker at home in the village: village
            (2, W, c.VILLAGE),
            (3, EL, c.VILLAGE),  # no worker: village
            (4, W, c.OTHER_PROVINCE),  # settled: town wherever the workers are
            (5, W, c.OTHER_PROVINCE),  # owns a town home: town
        ],
    )
    pop.settled[4] = True
    pop.housing[5] = c.H_OWNED
    res = housing.residence(pop)
    assert res.tolist() == [c.R_TOWN, c.R_OUTSIDE, c.R_VILLAGE, c.R_VILLAGE, c.R_TOWN, c.R_TOWN]


def test_residence_ignores_the_dead_and_dependants():
    pop = people(
        3,
        [
            (0, W, c.COUNTY_TOWN),  # dead: no longer places the household in town
            (0, W, c.OUTSIDE_PROVINCE),
            (1, CH, c.COUNTY_TOWN),  # a child in town does not make the household town-based
            (1, W, c.OUTSIDE_PROVINCE),
            (2, W, c.OUTSIDE_PROVINCE),  # the only worker is dead: village
        ],
    )
    pop.alive[[0, 4]] = False
    assert housing.residence(pop).tolist() == [c.R_OUTSIDE, c.R_OUTSIDE, c.R_VILLAGE]


def test_household_any():
    pop = people(4, [(0, W, 0), (0, W, 1), (2, W, 1), (3, CH, 1)])
    assert household_any(pop, pop.loc == 1).tolist() == [True, False, True, True]
    assert household_any(pop, pop.role == W).tolist() == [True, False, True, False]


def test_eligible_for_unit_conditions():
    pop = Population(0, 7)
    pop.residence[:] = c.R_TOWN
    pop.housing[:] = c.H_RENT
    pop.town_months[:] = 30
    pop.town_months[0] = 24  # exactly the minimum is enough
    pop.housing[1] = c.H_DORM  # dormitory: eligible
    pop.residence[2] = c.R_VILLAGE  # not in town
    pop.housing[3] = c.H_OWNED  # owners
    pop.housing[4] = c.H_AFFORDABLE  # already has a unit
    pop.town_months[5] = 23  # too recent
    included = np.array([True] * 6 + [False])  # 6: outside housing security
    ok = housing.eligible_for_unit(pop, included, 24)
    assert ok.tolist() == [True, True, False, False, False, False, False]
    assert housing.eligible_for_unit(pop, included, 0)[5]
    assert not housing.eligible_for_unit(pop, np.ones(7, bool), 0)[[2, 3, 4]].any()
