"""Fiscal rules: monthly costs by category and transfers, tested without a model."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countysim.parameters.county import Costs
from countysim.phases.fiscal import FiscalAccount, book
from countysim.policy.levers import LEVERS, LEVERS_BY_NAME
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rules import fiscal

COSTS = Costs()
STATUS_QUO = {lv.name: lv.status_quo for lv in LEVERS}
ZERO_LEVERS = dict.fromkeys(STATUS_QUO, 0.0)
NOTHING = fiscal.MonthActivity(
    subsidy_yuan=0.0,
    referrals=0,
    placements=0,
    pupils_primary=0,
    pupils_junior=0,
    purchased_places=0,
    seats_built=0.0,
    units_built=0,
    units_occupied=0,
    startups_supported=0.0,
    park_places_used=0,
    inspected=0,
    legal_cases=0,
    spring_festival=False,
)
#: activity field -> (category it costs in, expected cost of 12 units at status-quo levers)
OWN_CATEGORY = {
    "subsidy_yuan": ("training", 12),
    "referrals": ("employment", 12 * COSTS.referral_yuan),
    "placements": ("employment", 12 * COSTS.placement_yuan),
    "pupils_primary": ("schooling", COSTS.primary_pupil_yuan_year),
    "pupils_junior": ("schooling", COSTS.junior_pupil_yuan_year),
    "purchased_places": ("schooling", COSTS.purchased_place_yuan_year),
    "seats_built": ("schooling", 12 * COSTS.seat_build_yuan),
    "units_built": ("housing", 12 * COSTS.affordable_unit_build_yuan),
    "units_occupied": ("housing", 12 * COSTS.affordable_unit_yuan_month),
    "startups_supported": ("enterprise", 12 * COSTS.startup_support_yuan),
    "park_places_used": ("enterprise", COSTS.park_place_yuan_year),
    "inspected": ("rights", 12 * COSTS.inspection_case_yuan),
    "legal_cases": ("rights", 12 * COSTS.legal_aid_case_yuan),
}
#: lever -> (category, yearly cost at value 1)
LEVER_CATEGORY = {
    "g2_window_coverage": ("services", COSTS.window_yuan_year),
    "w4_publicity": ("services", COSTS.publicity_yuan_year),
    "g3_monitoring_coverage": ("services", COSTS.monitoring_yuan_year),
    "g1_coordination": ("services", COSTS.coordination_yuan_year),
    "e5_pes_village_coverage": ("employment", COSTS.pes_coverage_yuan_year),
}


def test_categories_are_the_cost_keys():
    assert set(fiscal.month_costs(NOTHING, COSTS, STATUS_QUO, 0)) == set(fiscal.CATEGORIES)


def test_nothing_costs_nothing():
    spent = fiscal.month_costs(NOTHING, COSTS, ZERO_LEVERS, residents=0)
    assert spent == dict.fromkeys(fiscal.CATEGORIES, 0.0)
    festival = dataclasses.replace(NOTHING, spring_festival=True)
    assert sum(fiscal.month_costs(festival, COSTS, ZERO_LEVERS, residents=1000).values()) == 0


@pytest.mark.parametrize("field", sorted(OWN_CATEGORY))
def test_each_activity_costs_in_its_own_category(field):
    base = fiscal.month_costs(NOTHING, COSTS, STATUS_QUO, residents=100)
    more = fiscal.month_costs(dataclasses.replace(NOTHING, **{field: 12}), COSTS, STATUS_QUO, residents=100)
    category, expected = OWN_CATEGORY[field]
    assert more[category] - base[category] == pytest.approx(expected)
    assert expected > 0
    for other in fiscal.CATEGORIES:
        if other != category:
            assert more[other] == base[other]


@pytest.mark.parametrize("lever", sorted(LEVER_CATEGORY))
def test_each_lever_costs_in_its_own_category(lever):
    base = fiscal.month_costs(NOTHING, COSTS, ZERO_LEVERS, residents=100)
    more = fiscal.month_costs(NOTHING, COSTS, {**ZERO_LEVERS, lever: 1.0}, residents=100)
    category, per_year = LEVER_CATEGORY[lever]
    assert more[category] - base[category] == pytest.approx(per_year / 12)
    assert all(more[k] == base[k] for k in fiscal.CATEGORIES if k != category)


def test_service_standard_costs_per_resident_and_spring_warmth_in_festival_month():
    lv = {**ZERO_LEVERS, "p1_service_standard": 1.0}
    assert fiscal.month_costs(NOTHING, COSTS, lv, residents=0)["services"] == 0
    per_month = fiscal.month_costs(NOTHING, COSTS, lv, residents=1200)["services"]
    assert per_month == pytest.approx(1200 * COSTS.service_standard_yuan_year / 12)
    warm = {**ZERO_LEVERS, "g4_spring_warmth": 0.5}
    assert fiscal.month_costs(NOTHING, COSTS, warm, 0)["services"] == 0
    festival = dataclasses.replace(NOTHING, spring_festival=True)
    assert fiscal.month_costs(festival, COSTS, warm, 0)["services"] == pytest.approx(
        0.5 * COSTS.spring_warmth_yuan
    )


def lever_values():
    return st.fixed_dictionaries({
        name: st.floats(max(lv.lo, 0.0), lv.hi) for name, lv in LEVERS_BY_NAME.items()
    })  # fmt: skip


activities = st.builds(
    fiscal.MonthActivity,
    subsidy_yuan=st.floats(0, 1e7),
    referrals=st.integers(0, 10_000),
    placements=st.integers(0, 10_000),
    pupils_primary=st.integers(0, 10_000),
    pupils_junior=st.integers(0, 10_000),
    purchased_places=st.integers(0, 10_000),
    seats_built=st.floats(0, 1e4),
    units_built=st.integers(0, 1000),
    units_occupied=st.integers(0, 10_000),
    startups_supported=st.floats(0, 1e3),
    park_places_used=st.integers(0, 1000),
    inspected=st.integers(0, 1000),
    legal_cases=st.integers(0, 1000),
    spring_festival=st.booleans(),
)


@given(activity=activities, levers=lever_values(), residents=st.integers(0, 10**6))
def test_costs_are_never_negative(activity, levers, residents):
    spent = fiscal.month_costs(activity, COSTS, {**STATUS_QUO, **levers}, residents)
    assert all(v >= 0 for v in spent.values())


def test_month_transfers():
    assert fiscal.month_transfers(500, 2000, STATUS_QUO) == 0  # no transfers in the status quo
    lv = {**STATUS_QUO, "p2_transfer_per_settled_yuan": 1200.0, "p2_transfer_per_resident_yuan": 240.0}
    assert fiscal.month_transfers(10, 0, lv) == pytest.approx(1000.0)
    assert fiscal.month_transfers(0, 100, lv) == pytest.approx(2000.0)
    assert fiscal.month_transfers(10, 100, lv) == pytest.approx(3000.0)


def test_town_migrants_counts_the_living_in_town():
    pop = Population(5, 2)
    pop.loc[:] = [c.COUNTY_TOWN, c.COUNTY_TOWN, c.VILLAGE, c.OUTSIDE_PROVINCE, c.COUNTY_TOWN]
    pop.alive[4] = False
    assert fiscal.town_migrants(pop) == 2
    pop.hukou[0] = 1
    assert fiscal.town_migrants(pop, rural_hukou_only=True) == 1


def test_step_books_every_month_and_total_is_the_sum_of_categories():
    pop = Population(6, 3)
    pop.loc[:] = [c.COUNTY_TOWN, c.COUNTY_TOWN, c.COUNTY_TOWN, c.VILLAGE, c.VILLAGE, c.COUNTY_TOWN]
    pop.hukou[:] = [1, 1, 0, 0, 1, 0]
    pop.alive[5] = False
    lv = {**STATUS_QUO, "p2_transfer_per_settled_yuan": 600.0, "p2_transfer_per_resident_yuan": 120.0}
    account = FiscalAccount()
    rng = np.random.default_rng(0)
    booked = dict.fromkeys(fiscal.CATEGORIES, 0.0)
    for t in range(7):
        activity = dataclasses.replace(
            NOTHING,
            referrals=int(rng.integers(0, 50)),
            pupils_primary=int(rng.integers(0, 50)),
            units_built=int(rng.integers(0, 5)),
            inspected=int(rng.integers(0, 5)),
            startups_supported=float(rng.random() * 3),
            spring_festival=t == 1,
            settled_persons=3,  # alive with hukou 1, as the phase counts them
        )
        book(account, pop, activity, COSTS, lv)
        spent = fiscal.month_costs(activity, COSTS, lv, residents=3)
        assert account.month_cost == pytest.approx(spent)
        for k, v in spent.items():
            booked[k] += v
        assert account.cost == pytest.approx(booked)
        assert account.total == pytest.approx(sum(booked.values()))
        assert account.total == pytest.approx(sum(account.cost.values()))
        # 3 settled persons alive (hukou 1); of the 3 living in town, 1 has not settled (a
        # settled person counts once, as settled)
        assert account.month_transfers == pytest.approx((600 * 3 + 120 * 1) / 12)
        assert account.transfers == pytest.approx((t + 1) * (600 * 3 + 120 * 1) / 12)
    assert account.total > 0


def test_settling_costs_once_and_yearly_and_brings_the_central_reward():
    pop = Population(3, 1)
    lv = {**STATUS_QUO, "p2_transfer_per_settled_yuan": 0.0, "p2_transfer_per_resident_yuan": 0.0}
    account = FiscalAccount()
    activity = dataclasses.replace(NOTHING, settled_new=2, settled_persons=10)
    book(account, pop, activity, COSTS, lv)
    once = COSTS.settlement_infrastructure_yuan + COSTS.settlement_housing_yuan
    assert account.cost["settlement"] == pytest.approx(
        2 * once + 10 * fiscal.settlement_yearly_yuan(COSTS) / 12
    )
    assert account.transfers == pytest.approx(2 * COSTS.central_reward_per_settled_yuan)
    committed = fiscal.committed_settlement_cost(2, 9.0, COSTS)
    per_pupil = (COSTS.primary_pupil_yuan_year + COSTS.junior_pupil_yuan_year) / 2
    assert committed == pytest.approx(
        2 * (once + fiscal.settlement_yearly_yuan(COSTS) * fiscal.annuity_factor(0.03, 20)) + 9 * per_pupil
    )
    assert fiscal.annuity_factor(0.0, 20) == 20
