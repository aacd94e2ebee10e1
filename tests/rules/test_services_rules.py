"""Services rules: awareness bits, learning, take-up and coordination, tested without a model."""

import numpy as np
import pytest

from countysim.calendar import Month, parse_month
from countysim.parameters.behaviour import ServicesBehaviour
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules import services

BEH = ServicesBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}
QUIET = {
    **STATUS_QUO,
    "w4_publicity": 0.0,
    "g2_window_coverage": 0.0,
    "e4_demonstration": 0.0,
    "g4_spring_warmth": 0.0,
}
START = parse_month("2024-01")  # Spring Festival 2024 falls on 10 February
JANUARY, FESTIVAL = Month.at(START, 0), Month.at(START, 1)
N_SERVICES = len(c.SERVICE_NAMES)


def rate(month=JANUARY, beh=BEH, **levers):
    return services.learning_rate(beh, {**QUIET, **levers}, month)


def test_calendar_months_used_here():
    assert not JANUARY.spring_festival and FESTIVAL.spring_festival


def test_aware_reads_one_bit_per_service():
    pop = Population(0, 4)
    pop.aware[:] = [0, 1 << c.SV_HOUSING, (1 << c.SV_EMPLOYMENT) | (1 << c.SV_SETTLEMENT), 63]
    assert services.aware(pop, c.SV_HOUSING).tolist() == [False, True, False, True]
    assert services.aware(pop, c.SV_EMPLOYMENT).tolist() == [False, False, True, True]
    assert services.aware(pop, c.SV_SETTLEMENT).tolist() == [False, False, True, True]
    assert services.aware(pop, c.SV_TRAINING).tolist() == [False, False, False, True]


def test_person_aware_follows_the_household():
    pop = Population(5, 3)
    pop.hh[:] = [2, 0, 1, 2, 0]
    pop.aware[:] = [1 << c.SV_RIGHTS, 0, 1 << c.SV_RIGHTS]
    assert services.person_aware(pop, c.SV_RIGHTS).tolist() == [True, True, False, True, True]
    assert not services.person_aware(pop, c.SV_SCHOOLING).any()


def test_learning_rate_publicity_and_windows_reach_every_service():
    base = rate()
    assert base == pytest.approx(np.full(N_SERVICES, BEH.p_learn))
    assert rate(w4_publicity=1.0) == pytest.approx(base + BEH.publicity)
    assert rate(g2_window_coverage=0.5) == pytest.approx(base + 0.5 * BEH.windows)


def test_demonstration_only_for_employment_and_training():
    base, demo = rate(), rate(e4_demonstration=1.0)
    boosted = [c.SV_EMPLOYMENT, c.SV_TRAINING]
    others = [s for s in range(N_SERVICES) if s not in boosted]
    assert demo[boosted] == pytest.approx(base[boosted] + BEH.demonstration)
    assert demo[others] == pytest.approx(base[others])


def test_spring_warmth_only_in_the_festival_month_for_employment_and_rights():
    assert rate(JANUARY, g4_spring_warmth=1.0) == pytest.approx(rate(JANUARY))
    base, warm = rate(FESTIVAL), rate(FESTIVAL, g4_spring_warmth=1.0)
    boosted = [c.SV_EMPLOYMENT, c.SV_RIGHTS]
    others = [s for s in range(N_SERVICES) if s not in boosted]
    assert warm[boosted] == pytest.approx(base[boosted] + BEH.spring_warmth)
    assert warm[others] == pytest.approx(base[others])


def test_learning_rate_is_capped_at_one():
    loud = ServicesBehaviour(p_learn=0.6, publicity=0.5, demonstration=0.5)
    p = rate(FESTIVAL, beh=loud, w4_publicity=1.0, e4_demonstration=1.0, g4_spring_warmth=1.0)
    assert np.all(p == 1.0)


def test_take_up_factor():
    assert services.take_up_factor(BEH, QUIET) == 1.0
    full = services.take_up_factor(BEH, {**QUIET, "g2_window_coverage": 1.0})
    assert full == pytest.approx(1 + BEH.window_take_up)
    assert 1.0 < services.take_up_factor(BEH, STATUS_QUO) < full


def test_coordination_delay():
    assert services.coordination_delay(BEH, 0.0) == BEH.coordination_delay_months
    assert services.coordination_delay(BEH, 1.0) == 0
    assert services.coordination_delay(ServicesBehaviour(coordination_delay_months=6), 0.5) == 3
    assert services.coordination_delay(ServicesBehaviour(coordination_delay_months=0), 0.0) == 0


def test_initial_awareness_matches_the_shares():
    pop = Population(0, 100_000)
    services.initial_awareness(pop, BEH, Streams(7))
    for k, name in enumerate(c.SERVICE_NAMES):
        share = services.aware(pop, k).mean()
        assert share == pytest.approx(BEH.initial_awareness[name], abs=0.01)
    assert pop.aware.max() < 1 << N_SERVICES


def test_initial_awareness_extremes():
    pop = Population(0, 500)
    shares = dict.fromkeys(c.SERVICE_NAMES, 0.0)
    services.initial_awareness(pop, ServicesBehaviour(initial_awareness=shares), Streams(1))
    assert np.all(pop.aware == 0)
    shares["rights"] = 1.0
    services.initial_awareness(pop, ServicesBehaviour(initial_awareness=shares), Streams(1))
    assert np.all(pop.aware == 1 << c.SV_RIGHTS)


def test_learning_step_only_adds_awareness():
    pop = Population(0, 20_000)
    services.initial_awareness(pop, BEH, Streams(3))
    before = pop.aware.copy()
    lv = {**STATUS_QUO, "w4_publicity": 1.0}
    services.learn(
        pop,
        services.learning_rate(BEH, lv, FESTIVAL),
        Streams(3).uniform("services.learn", 0, pop.n_households, len(c.SERVICE_NAMES)),
    )
    assert np.all((pop.aware & before) == before)  # no bit is ever lost
    learnt = services.aware(pop, c.SV_RIGHTS).mean() - ((before >> c.SV_RIGHTS) & 1).mean()
    p = services.learning_rate(BEH, lv, FESTIVAL)[c.SV_RIGHTS]
    assert learnt == pytest.approx((1 - BEH.initial_awareness["rights"]) * p, abs=0.005)
