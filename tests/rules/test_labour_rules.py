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


def test_choice_utility_family_and_age_terms():
    income = np.full((3, 5), 5000.0)
    find = np.full(5, 0.3)
    kids = np.array([0, 2, 0])
    age = np.array([30, 30, 60])
    u = labour.choice_utility(income, find, kids, np.zeros(3), age, BEH, living_cost=0.0)
    assert u[1, 3] < u[0, 3]  # children at home make an outside job less attractive
    assert u[2, 3] < u[0, 3]  # so does age
    assert u[1, 0] == u[0, 0]  # but not a township job
    u2 = labour.choice_utility(income, np.array([0.3, 0.01, 0.3, 0.3, 0.3]), kids, np.zeros(3), age, BEH, 0.0)
    assert u2[0, 1] < u[0, 1]  # a market where nobody finds work attracts fewer searchers


def test_search_intensity():
    job = np.array([c.J_NONE, c.J_FARM, c.J_TOWNSHIP, c.J_NONE], np.int8)
    age = np.array([30, 30, 30, 60])
    s = labour.search_intensity(job, age, BEH, post_festival=False)
    assert s[0] == 1 and s[1] == BEH.search_farm and s[2] == 0 and s[3] < 1


@pytest.mark.parametrize("months", [1, 2, 14])
def test_searchers_expect_the_chance_offered_not_the_months_luck(small_baseline, months):
    """Expected finding chances come from the markets' terms, not from how the hire draws fell."""
    from countysim.model import CountyModel

    model = CountyModel(small_baseline)
    for _ in range(months):
        model.step()
    beh, lv, month = small_baseline.behaviour.labour, model.levers, model.month
    eff = 1.0 + beh.rel_info_match * lv["e6_info_coverage"]
    if month.post_festival:
        eff *= 1.0 + lv["e6_campaign_intensity"]
    rate = model.state.accounts["labour"].find_rate
    assert rate[3] == pytest.approx(min(beh.p_find_outside * eff, 1.0), rel=1e-12)
    assert rate[4] == pytest.approx(min(beh.p_find_outside * eff, 1.0), rel=1e-12)
    assert rate[2] == pytest.approx(beh.p_start_business, rel=1e-12)
    assert np.all((rate >= 0) & (rate <= 1))
