"""The model as a whole: invariants every month, reproducibility, common random numbers."""

from __future__ import annotations

import numpy as np
import pytest

import countysim as cs
from countysim import indicators

import invariants
from helpers import small

SHARES = [i.name for i in indicators.CATALOGUE if i.unit == "share"]


@pytest.fixture(scope="module")
def stepped(small_baseline):
    """Run the small county month by month, checking invariants after each month."""
    model = cs.CountyModel(small_baseline, seed=11)
    alive_before = int(model.pop.alive.sum())
    checks = []
    while model.running:
        model.step()
        pop = model.pop
        alive = int(pop.alive.sum())
        demo = model.state.accounts["demography"]
        checks.append((alive, alive_before + demo.births - demo.deaths - demo.emigrations))
        alive_before = alive
        invariants.check(model)
    return model, checks


def test_persons_conserved(stepped):
    _, checks = stepped
    for alive, expected in checks:
        assert alive == expected  # in = out + change in stock, every month


def test_rates_within_bounds(stepped):
    model, _ = stepped
    res = model.result()
    for name in SHARES:
        s = res.series(name)
        assert np.all((s >= 0) & (s <= 1)), name
    assert np.all(np.isfinite(res.values))
    assert np.all(np.diff(res.series("training_person_times")) >= 0)


def test_the_run_moves(stepped):
    model, _ = stepped
    res = model.result()
    assert res.series("training_person_times")[-1] > 0
    assert res.series("births_cum")[-1] > 0 and res.series("deaths_cum")[-1] > 0
    assert res.series("hires").sum() > 0
    assert 0.75 < res.series("employed_rate")[-1] < 1


def test_step_past_horizon_refuses(small_baseline):
    model = cs.CountyModel(small_baseline.replace(**{"horizon.months": 1}), seed=1)
    model.step()
    assert not model.running
    with pytest.raises(RuntimeError, match="already simulated"):
        model.step()


def test_same_seed_identical_results(small_baseline):
    a = cs.run(small_baseline, seed=3).to_frame()
    b = cs.run(small_baseline, seed=3).to_frame()
    assert a.to_csv(index=False) == b.to_csv(index=False)
    assert not a.equals(cs.run(small_baseline, seed=4).to_frame())


def test_common_random_numbers(small_baseline):
    """A training lever leaves demography untouched and labour nearly so."""
    few = small_baseline.replace(**{"levers.s1_training_places_per_year": 100, "levers.s4_pooling": 0})
    b, a = cs.run(small_baseline, seed=5), cs.run(few, seed=5)
    for name in ("births_cum", "deaths_cum", "persons"):
        assert np.array_equal(a.series(name), b.series(name)), name
    assert b.series("training_person_times")[-1] > a.series("training_person_times")[-1]


def test_population_reused_is_copied(small_baseline):
    model = cs.CountyModel(small_baseline, seed=2)
    start = model.pop.copy()
    other = cs.CountyModel(small_baseline, seed=2, population=start)
    other.step()
    assert np.array_equal(start.age_m, model.pop.age_m)  # the given population was not mutated


def test_months_override(small_baseline):
    res = cs.run(small_baseline, months=3)
    assert res.months == ("2023-01", "2023-02", "2023-03")
    with pytest.raises(ValueError, match="between 1 and 360"):
        cs.run(small_baseline, months=0)


def test_default_county_size(baseline):
    res = cs.run(small(baseline, households=110_000, months=1))
    assert res.persons >= 300_000
