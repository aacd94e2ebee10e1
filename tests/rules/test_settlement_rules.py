"""Settlement rules, tested on hand-built households."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countysim.parameters.behaviour import SettlementBehaviour
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules import settlement

BEH = SettlementBehaviour()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}
CONDITIONS = ("p6_require_insurance", "p6_require_housing", "p6_require_stable_job")
ALL_AWARE = (1 << len(c.SERVICE_NAMES)) - 1


def random_households(seed, h=400):
    rng = np.random.default_rng(seed)
    pop = Population(0, h)
    pop.residence[:] = rng.integers(0, 3, h)
    pop.settled[:] = rng.random(h) < 0.1
    pop.aware[:] = rng.integers(0, 64, h)
    pop.town_months[:] = rng.integers(0, 80, h)
    pop.housing[:] = rng.integers(0, 5, h)
    pop.settle_open[:] = rng.random(h) < 0.5
    facts = {k: rng.random(h) < 0.5 for k in ("insured", "stable", "children_in_town")}
    return pop, facts


def households(h, **columns):
    pop = Population(0, h)
    pop.settle_open[:] = True  # open to settling unless a test says otherwise
    for name, value in columns.items():
        getattr(pop, name)[:] = value
    return pop


def facts_of(h, insured=False, stable=False, children=False):
    return {
        "insured": np.full(h, insured),
        "stable": np.full(h, stable),
        "children_in_town": np.full(h, children),
    }


@given(seed=st.integers(0, 10_000), drop=st.sets(st.sampled_from(CONDITIONS), min_size=1))
def test_removing_conditions_never_removes_an_eligible_household(seed, drop):
    pop, facts = random_households(seed)
    strict = settlement.eligible(pop, facts, STATUS_QUO)
    loose = settlement.eligible(pop, facts, {**STATUS_QUO, **dict.fromkeys(drop, 0.0)})
    assert np.all(loose[strict])
    assert loose.sum() >= strict.sum()


def test_each_condition_binds_on_its_own():
    h = 4
    pop = households(h, residence=c.R_TOWN, aware=ALL_AWARE, town_months=60, housing=c.H_OWNED)
    facts = facts_of(h, insured=True, stable=True)
    assert settlement.eligible(pop, facts, STATUS_QUO).all()
    for lever, fact in (("p6_require_insurance", "insured"), ("p6_require_stable_job", "stable")):
        lacking = {**facts, fact: np.zeros(h, bool)}
        assert not settlement.eligible(pop, lacking, STATUS_QUO).any()
        assert settlement.eligible(pop, lacking, {**STATUS_QUO, lever: 0.0}).all()
    pop.housing[:] = [c.H_RENT, c.H_DORM, c.H_AFFORDABLE, c.H_OWNED]
    assert settlement.eligible(pop, facts, STATUS_QUO).tolist() == [False, False, True, True]
    assert settlement.eligible(pop, facts, {**STATUS_QUO, "p6_require_housing": 0.0}).all()


def test_min_town_months():
    pop = households(5, residence=c.R_TOWN, aware=ALL_AWARE, housing=c.H_OWNED)
    pop.town_months[:] = [0, 11, 12, 35, 36]
    facts = facts_of(5, insured=True, stable=True)
    lv = {**STATUS_QUO, "p6_min_town_months": 36}
    assert settlement.eligible(pop, facts, lv).tolist() == [False, False, False, False, True]
    lv["p6_min_town_months"] = 12
    assert settlement.eligible(pop, facts, lv).tolist() == [False, False, True, True, True]
    lv["p6_min_town_months"] = 0
    assert settlement.eligible(pop, facts, lv).all()


def test_only_aware_unsettled_town_households_are_eligible():
    no_conditions = {**STATUS_QUO, "p6_min_town_months": 0, **dict.fromkeys(CONDITIONS, 0.0)}
    pop = households(4, residence=c.R_TOWN, aware=ALL_AWARE)
    pop.residence[1] = c.R_VILLAGE
    pop.settled[2] = True
    pop.aware[3] = ALL_AWARE & ~(1 << c.SV_SETTLEMENT)  # aware of everything but settlement
    ok = settlement.eligible(pop, facts_of(4), no_conditions)
    assert ok.tolist() == [True, False, False, False]


def test_a_household_that_would_not_settle_on_any_terms_never_is_eligible():
    no_conditions = {**STATUS_QUO, "p6_min_town_months": 0, **dict.fromkeys(CONDITIONS, 0.0)}
    pop = households(3, residence=c.R_TOWN, aware=ALL_AWARE, settle_open=[True, False, True])
    assert settlement.eligible(pop, facts_of(3), no_conditions).tolist() == [True, False, True]


def test_a_lasting_taste_shifts_the_settling_probability():
    pop = households(3, settle_taste=[-1.0, 0.0, 1.0])
    p = probability()(pop)
    assert p[0] < p[1] < p[2]


def probability(take_up=1.0, facts=None, **levers):
    return lambda pop: settlement.settle_probability(
        pop, facts or facts_of(pop.n_households), BEH, {**STATUS_QUO, **levers}, take_up
    )


def test_settle_probability_falls_with_land_at_risk():
    pop = households(4, land_value=[0, 50_000, 100_000, 300_000])
    p = probability()(pop)
    assert np.all(np.diff(p) < 0)
    kept = probability(p6_land_rights_kept=1.0)(pop)
    assert np.allclose(kept, kept[0])  # guaranteed land rights: land value no longer matters
    assert np.all(kept[1:] > p[1:])
    assert np.all(probability(p6_land_rights_kept=0.8)(pop)[1:] > p[1:])


def test_settle_probability_rises_with_housing_and_services():
    pop = households(3, housing=[c.H_RENT, c.H_AFFORDABLE, c.H_OWNED], land_value=60_000)
    p = probability()(pop)
    assert p[0] < p[1] < p[2]
    low, high = probability(p1_service_standard=0.3)(pop), probability(p1_service_standard=1.0)(pop)
    assert np.all(high > low)
    over = probability(p1_service_standard=1.5)(pop)
    assert over == pytest.approx(high)  # the standard counts up to its full level
    with_facts = probability(facts=facts_of(3, stable=True, children=True))(pop)
    assert np.all(with_facts > p)


@given(
    seed=st.integers(0, 10_000),
    take_up=st.floats(0, 60),
    kept=st.floats(0, 1),
    standard=st.floats(0, 1.5),
)
def test_settle_probability_is_a_probability(seed, take_up, kept, standard):
    pop, facts = random_households(seed, h=50)
    pop.land_value[:] = np.random.default_rng(seed).uniform(0, 1e6, 50)
    lv = {**STATUS_QUO, "p6_land_rights_kept": kept, "p1_service_standard": standard}
    p = settlement.settle_probability(pop, facts, BEH, lv, take_up)
    assert np.all(p >= 0) and np.all(p <= 1)
    one = settlement.settle_probability(pop, facts, BEH, lv, 1.0)
    assert p == pytest.approx(np.minimum(one * take_up, 1.0))


def test_settle_probability_is_capped_at_one():
    eager = SettlementBehaviour(base=5.0)
    pop = households(2, housing=c.H_OWNED)
    p = settlement.settle_probability(pop, facts_of(2, stable=True), eager, STATUS_QUO, 2.0)
    assert np.all(p == 1.0)
    p = settlement.settle_probability(pop, facts_of(2, stable=True), eager, STATUS_QUO, 0.5)
    assert np.all((p > 0.49) & (p < 0.5))
