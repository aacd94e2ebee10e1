"""Every clause this model covers has a lever, and each lever moves what it says it moves."""

from __future__ import annotations

import re

import numpy as np
import pytest

import countysim as cs
from countysim.policy.levers import LEVERS, LEVERS_BY_NAME

from helpers import small

#: clauses whose levers act through the labour and training phases
COVERED = ("E1", "E2", "E3", "E5", "E6", "S1", "S2", "S3", "S4", "S5")


@pytest.mark.parametrize("clause", COVERED)
def test_clause_has_a_lever(clause):
    assert any(lv.clause == clause for lv in LEVERS)


def test_levers_are_documented_and_consistent():
    names = set(cs.indicators.NAMES)
    for lv in LEVERS:
        assert lv.name.startswith(lv.clause.lower() + "_"), lv.name
        assert lv.lo <= lv.status_quo <= lv.hi and lv.lo <= lv.action <= lv.hi, lv.name
        assert lv.unit and lv.mechanism and lv.source, lv.name
        assert set(lv.indicators) <= names, (lv.name, set(lv.indicators) - names)


def test_lever_kinds():
    kinds = {lv.name: lv.kind for lv in LEVERS}
    assert kinds["p6_require_housing"] == "switch" and kinds["s1_subsidy_yuan"] == "yuan"
    assert kinds["e2_placements_per_year"] == "count" and kinds["p4_junior_seats_per_year"] == "count"
    for lv in LEVERS:
        assert not lv.scales or lv.kind == "count", lv.name
        if lv.kind == "switch":
            assert (lv.lo, lv.hi) == (0, 1) and lv.status_quo in (0, 1) and lv.action in (0, 1), lv.name
    with pytest.raises(ValueError, match="kind"):
        type(LEVERS[0])(**{**LEVERS[0].__dict__, "kind": "fraction"})


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"value": 0, "start": "2024-01", "ramp_months": 6}, "is a switch: it takes effect at once"),
        ({"value": 0.5}, "is a switch; allowed 0 (off) or 1 (on)"),
    ],
)
def test_a_switch_has_no_ramp_and_no_middle(baseline, setting, message):
    with pytest.raises(cs.ScenarioError, match=re.escape(message)):
        baseline.replace(**{"levers.p6_require_housing": setting})


def test_scaled_follows_the_scales_fields(baseline):
    half = baseline.scaled(0.5)
    assert half.county.households.n == baseline.county.households.n // 2
    assert half.county.schools.junior_seats == round(baseline.county.schools.junior_seats * 0.5)
    assert half.county.costs.window_yuan_year == baseline.county.costs.window_yuan_year * 0.5
    assert (
        half.county.costs.primary_pupil_yuan_year == baseline.county.costs.primary_pupil_yuan_year
    )  # a unit cost
    assert (
        half.lever_value("p4_junior_seats_per_year", 0)
        == 0.5 * LEVERS_BY_NAME["p4_junior_seats_per_year"].status_quo
    )
    assert half.lever_value("s1_subsidy_yuan", 0) == baseline.lever_value("s1_subsidy_yuan", 0)


def test_ramp(baseline):
    s = baseline.replace(
        **{"levers.e1_county_job_growth": {"value": 0.08, "start": "2024-01", "ramp_months": 4}}
    )
    values = [s.lever_value("e1_county_job_growth", t) for t in (0, 11, 12, 13, 15, 40)]
    sq = LEVERS_BY_NAME["e1_county_job_growth"].status_quo
    assert values == pytest.approx([sq, sq, sq + 0.015, sq + 0.03, 0.08, 0.08])


def final(spec, name, seed=3):
    return cs.run(spec, seed=seed).series(name)[-1]


@pytest.fixture(scope="module")
def county(baseline):
    """A small county whose training places bind (scaled to its size)."""
    return small(
        baseline,
        households=5000,
        months=24,
        **{
            "levers.s1_training_places_per_year": 300,
            "levers.s4_pooling": 0.0,
        },
    )


def test_zero_training_places_give_zero_trainees(county):
    spec = county.replace(**{"levers.s1_training_places_per_year": 0})
    assert final(spec, "training_person_times") == 0
    assert final(spec, "certifications_cum") == 0


def test_more_places_more_training(county):
    more = county.replace(**{"levers.s1_training_places_per_year": 900})
    assert final(more, "training_person_times") > final(county, "training_person_times")
    assert final(more, "certified_share") > final(county, "certified_share")


def test_poverty_priority_and_outreach_raise_poverty_training(county):
    pri = county.replace(**{"levers.s2_poverty_priority": 1.0, "levers.s2_outreach": 1.0})
    assert final(pri, "training_person_times_poverty") > 1.5 * final(county, "training_person_times_poverty")
    assert final(pri, "poverty_willing_trained_share") > final(county, "poverty_willing_trained_share")


def test_advanced_and_craftsman_programmes(county):
    plan = county.replace(**{"levers.s3_advanced_share": 0.6, "levers.s3_craftsman_share": 0.3})
    assert final(plan, "new_high_skilled_cum") > final(county, "new_high_skilled_cum")
    assert final(plan, "rural_craftsmen") > final(county, "rural_craftsmen")


def test_age_programmes_shift_training_by_age(county):
    older = county.replace(**{"levers.s5_older_programme_share": 0.3})
    assert final(older, "training_person_times_45plus") > final(county, "training_person_times_45plus")


def test_pooling_adds_places(county):
    pooled = county.replace(**{"levers.s4_pooling": 0.1})  # 10 % of 7,000 provider places
    assert final(pooled, "training_person_times") > final(county, "training_person_times")


def test_brand_programmes_make_brand_workers(county):
    brand = county.replace(**{"levers.e3_brand_share": 0.5})
    assert final(county, "brand_workers") == 0 and final(brand, "brand_workers") > 0


def test_east_west_placements(county):
    placed = county.replace(**{"levers.e2_placements_per_year": 400, "levers.e2_wage_premium": 0.1})
    assert final(county, "e2_placed_workers") == 0 and final(placed, "e2_placed_workers") > 100
    assert final(placed, "cross_province_share") > final(county, "cross_province_share")


def test_county_job_growth_raises_local_employment(county):
    grow = county.replace(**{"levers.e1_county_job_growth": 0.3})
    assert final(grow, "county_jobs") > final(county, "county_jobs")
    assert final(grow, "local_employment_share") > final(county, "local_employment_share")


def test_retention_raises_stability(county):
    keep = county.replace(**{"levers.e1_rel_separation_county": 0.4})
    assert final(keep, "stable_employment_rate_12m") > final(county, "stable_employment_rate_12m")


def test_pes_and_campaigns_raise_hiring(county):
    """E5 and E6 raise hires over the run (same seeds: common random numbers)."""
    more = county.replace(
        **{
            "levers.e5_pes_village_coverage": 1.0,
            "levers.e6_info_coverage": 1.0,
            "levers.e6_campaign_intensity": 2.0,
            "levers.e5_referrals_per_month": 50,
        }
    )
    a, b = cs.run(county, seed=3), cs.run(more, seed=3)
    # faster matching hires the jobless sooner: more hires at first, fewer jobless throughout
    assert b.series("hires")[:3].sum() > a.series("hires")[:3].sum()
    assert np.mean(b.series("jobless_rate")) < np.mean(a.series("jobless_rate"))


def test_training_places_follow_the_annual_plan(county):
    """A change decided mid-year enters the next January's plan (annual plans, calendar phase)."""
    mid = county.replace(
        **{"levers.s1_training_places_per_year": {"value": 1200, "start": "2023-06", "from": 300}}
    )
    plan = cs.run(mid, seed=1).series("training_places_per_year")
    assert np.all(plan[:12] == 300) and np.all(plan[12:] == 1200)
    offered = cs.run(mid, seed=1).series("training_places_month")
    assert offered[:12].sum() == 300 and offered[12:24].sum() == 1200
