"""Labour rules, tested without a model."""

import numpy as np
import pytest

from countysim.population import codes as c
from countysim.rules import labour
from countysim.scenario import Labour, LabourBehaviour

BEH, PROF = LabourBehaviour(), Labour()


def hazard(job, tenure=24, certified=False, placed=False, sf=False, rel_county=1.0, rel_placed=1.0):
    j = np.array([job], dtype=np.int8)
    return labour.separation_hazard(
        j, np.array([tenure]), np.array([certified]), np.array([placed]), sf, BEH, rel_county, rel_placed
    )[0]


def test_separation_hazard_terms():
    assert hazard(c.J_NONE) == 0 and hazard(c.J_FARM) == 0
    assert hazard(c.J_COUNTY_FORMAL) == pytest.approx(BEH.p_sep_county_formal)
    assert hazard(c.J_COUNTY_FORMAL, rel_county=0.5) == pytest.approx(BEH.p_sep_county_formal * 0.5)
    assert hazard(c.J_TOWNSHIP, rel_county=0.5) == pytest.approx(
        BEH.p_sep_township
    )  # E1 acts on county jobs only
    assert hazard(c.J_OUTSIDE_PROVINCE, sf=True) == pytest.approx(
        BEH.p_sep_outside * BEH.rel_sep_spring_festival
    )
    assert hazard(c.J_TOWNSHIP, tenure=2) == pytest.approx(BEH.p_sep_township * BEH.rel_sep_new_hire)
    assert hazard(c.J_TOWNSHIP, certified=True) < hazard(c.J_TOWNSHIP)
    assert hazard(c.J_OTHER_PROVINCE, placed=True, rel_placed=0.7) == pytest.approx(BEH.p_sep_outside * 0.7)


def test_matching_is_capped_by_searchers_and_vacancies():
    assert labour.matching_hires(0, 100, 0.4, 0.5) == 0
    assert labour.matching_hires(100, 0, 0.4, 0.5) == 0
    assert labour.matching_hires(10, 10_000, 5.0, 0.5) == 10
    assert labour.matching_hires(10_000, 10, 5.0, 0.5) == 10
    m = labour.matching_hires(400, 100, 0.4, 0.5)
    assert m == pytest.approx(0.4 * 400**0.5 * 100**0.5)
    assert labour.matching_hires(800, 100, 0.4, 0.5) > m  # more searchers, more hires


def test_wage_equation():
    n = 4
    args = dict(
        sector=np.full(n, 1, np.int8),
        edu=np.full(n, 2, np.int8),
        age_years=np.full(n, 38),
        tenure=np.zeros(n, np.int16),
        effect=np.zeros(n, np.float32),
        premium=np.zeros(n),
        profile=PROF,
        beh=BEH,
        absolute_month=PROF.wage_reference_year * 12 + 6,
    )
    w = labour.wage_of(
        job=np.array([c.J_NONE, c.J_FARM, c.J_TOWNSHIP, c.J_OTHER_PROVINCE], np.int8),
        skill=np.zeros(n, np.int8),
        **args,
    )
    assert w[0] == 0 and w[1] == pytest.approx(PROF.income_farm)
    assert w[2] == pytest.approx(PROF.wage_township) and w[3] == pytest.approx(PROF.wage_other_province)
    jobs = np.full(n, c.J_TOWNSHIP, np.int8)
    by_skill = labour.wage_of(job=jobs, skill=np.arange(n, dtype=np.int8), **args)
    assert np.all(np.diff(by_skill) > 0)
    later = labour.wage_of(
        job=jobs, skill=np.zeros(n, np.int8), **{**args, "absolute_month": args["absolute_month"] + 12}
    )
    assert later[0] == pytest.approx(PROF.wage_township * (1 + PROF.wage_growth), rel=1e-5)


def test_choice_utility_is_expected_income_with_family_and_age_terms():
    m = len(labour.MARKETS)
    pay = np.full((3, m), 5000.0)
    chance = np.full((3, m), 0.9)
    kids = np.array([0, 2, 0])
    age = np.array([30, 30, 60])
    u = labour.choice_utility(pay, chance, kids, np.zeros(3), age, BEH, living_cost=0.0)
    out = labour.M_OUTSIDE
    assert u[1, out] < u[0, out]  # children at home make an outside job less attractive
    assert u[2, out] < u[0, out]  # so does age
    assert u[1, labour.M_TOWNSHIP] == u[0, labour.M_TOWNSHIP]  # but not a township job
    # pay and the chance of work enter as one product: halving either costs the same
    half_pay = labour.choice_utility(pay / 2, chance, kids, np.zeros(3), age, BEH, 0.0)
    half_chance = labour.choice_utility(pay, chance / 2, kids, np.zeros(3), age, BEH, 0.0)
    assert np.allclose(half_pay, half_chance)
    assert np.allclose(u - half_pay, BEH.choice_income * np.log(2))
    # living away costs: an outside market's value is its pay net of living cost
    away = labour.choice_utility(pay, chance, kids, np.zeros(3), age, BEH, living_cost=1000.0)
    assert np.allclose(u[:, out] - away[:, out], BEH.choice_income * np.log(5000 / 4000))
    # moving across the county's border to search costs a searcher at home, not one already there
    home = np.full(3, c.VILLAGE, dtype=np.int8)
    there = np.full(3, c.OUTSIDE_PROVINCE, dtype=np.int8)
    at_home = labour.choice_utility(pay, chance, kids, np.zeros(3), age, BEH, 0.0, home)
    outside = labour.choice_utility(pay, chance, kids, np.zeros(3), age, BEH, 0.0, there)
    assert np.allclose(u[:, out] - at_home[:, out], BEH.migration_cost)
    assert np.allclose(outside[:, out], u[:, out])
    assert np.allclose(u[:, labour.M_TOWNSHIP] - outside[:, labour.M_TOWNSHIP], BEH.migration_cost)


def test_employment_rate_is_the_share_of_a_markets_labour_force_in_work():
    rate = labour.employment_rate(
        np.array([90.0, 0.0, 0.0]), np.array([10.0, 5.0, 0.0]), np.array([0.2, 0.3, 0.4])
    )
    assert rate.tolist() == pytest.approx([0.9, 0.0, 0.4])  # an empty market offers one searcher's chance
    assert labour.matching_chance(0, 100, 0.3, 0.5) == pytest.approx(min(1.0, 0.3 * 100**0.5))
    assert labour.matching_chance(400, 100, 0.3, 0.5) == pytest.approx(0.3 * (100 / 400) ** 0.5)
    assert labour.matching_chance(10, 0, 0.3, 0.5) == 0.0


def test_older_searchers_are_hired_less():
    w = labour.hiring_weight(np.array([30, 50, 60, 70]), BEH)
    assert w[0] == w[1] == 1 and w[1] > w[2] > w[3] > 0


def test_search_intensity():
    job = np.array([c.J_NONE, c.J_FARM, c.J_TOWNSHIP, c.J_NONE], np.int8)
    age = np.array([30, 30, 30, 60])
    s = labour.search_intensity(job, age, BEH, post_festival=False)
    assert s[0] == 1 and s[1] == BEH.search_farm and s[2] == 0 and s[3] < 1


@pytest.mark.parametrize("months", [1, 2, 14])
def test_expectations_step_towards_each_markets_employment_rate(small_baseline, months):
    """What searchers expect moves each month by a weighted step towards what the markets showed."""
    from countysim.model import CountyModel

    model = CountyModel(small_baseline)
    acc = model.state.accounts["labour"]
    for _ in range(months):
        before = acc.expected.copy() if acc.expecting else None
        model.step()
    lam = small_baseline.behaviour.labour.expectation_weight
    if before is not None:
        assert acc.expected == pytest.approx(before + lam * (acc.employment - before), rel=1e-12)
    assert acc.expected[labour.M_FARM] == 1.0 and acc.employment[labour.M_FARM] == 1.0
    assert np.all((acc.expected >= 0) & (acc.expected <= 1))
    assert np.all((acc.employment >= 0) & (acc.employment <= 1))
