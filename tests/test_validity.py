"""Trends a county would recognise: the mechanisms behind them, each checked where it acts."""

from __future__ import annotations

import numpy as np
import pytest

import countysim as cs
from countysim.model import CountyModel
from countysim.population import codes as c
from countysim.rules.rights import COUNTY_WAGE_JOBS

from helpers import ROOT

SCALE = 0.1
SEEDS = (1, 2)


def load(name: str, scale: float = SCALE, **changes) -> cs.Scenario:
    return cs.load_scenario(ROOT / "scenarios" / f"{name}.toml").scaled(scale).replace(**changes)


def mean_last_year(result: cs.RunResult, name: str) -> float:
    return float(np.mean(result.series(name)[-12:]))


def test_higher_outside_wages_never_lower_the_out_share():
    base = load("baseline", **{"horizon.months": 36})
    richer = base.replace(**{
        "county.labour.wage_outside_province": base.county.labour.wage_outside_province * 1.2,
        "county.labour.wage_other_province": base.county.labour.wage_other_province * 1.2,
    })  # fmt: skip
    for seed in SEEDS:
        a, b = cs.run(base, seed=seed), cs.run(richer, seed=seed)
        assert mean_last_year(b, "out_migrant_share") > mean_last_year(a, "out_migrant_share")
        assert mean_last_year(b, "survey_out_share") >= mean_last_year(a, "survey_out_share")


def _contract_rates(spec: cs.Scenario, seed: int) -> tuple[float, float]:
    model = CountyModel(spec, seed=seed)
    while model.running:
        model.step()
    pop = model.pop
    employee = pop.alive & (pop.role == c.WORKER) & c.in_codes(pop.job, c.WAGE_JOBS)
    county = employee & c.in_codes(pop.job, COUNTY_WAGE_JOBS)
    outside = employee & ~county
    return float(pop.contract[county].mean()), float(pop.contract[outside].mean())


def test_county_levers_act_on_county_employers_only():
    """R1 raises contracts among the county's employers; employers in other provinces follow their own trend."""
    base = load("baseline", **{"horizon.months": 24})
    enforced = base.replace(**{"levers.r1_contract_enforcement": 1.0, "levers.w1_joint_mechanism": 1.0})
    county_a, outside_a = _contract_rates(base, 3)
    county_b, outside_b = _contract_rates(enforced, 3)
    assert county_b > county_a + 0.1
    assert abs(outside_b - outside_a) < 0.01


def test_status_quo_coverage_does_not_ratchet():
    """Without action, contract and insurance coverage stay where the county starts (outside trend apart)."""
    run = cs.run(load("baseline"), seed=1)
    for name in ("contract_rate", "pension_coverage", "medical_coverage"):
        s = run.series(name)
        assert abs(float(np.mean(s[-12:])) - float(np.mean(s[:12]))) < 0.03, name


def test_the_workforce_ages_and_farming_does_not_empty():
    run = cs.run(load("baseline"), seed=1)
    age = run.series("survey_mean_age")
    assert np.mean(age[-12:]) > np.mean(age[:12]) + 1.0  # at least ~0.15 years a year over 8 years
    over_50 = run.series("survey_share_over_50")
    assert np.mean(over_50[-12:]) > np.mean(over_50[:12])
    farm = run.series("farm_workers") / run.series("workers")
    assert farm[-1] > 0.5 * farm[0]


def test_status_quo_public_school_share_does_not_fall():
    shares = []
    for seed in SEEDS:
        s = cs.run(load("baseline", scale=0.3), seed=seed).series("public_school_share")
        shares.append((np.mean(s[:12]), np.mean(s[-12:])))
    first, last = np.mean(shares, axis=0)
    assert last >= first - 0.01


def test_savings_are_spent_and_ownership_stays_in_its_range():
    run = cs.run(load("baseline"), seed=1)
    owners = run.series("town_home_ownership_rate")
    assert 0.10 <= owners[0] <= 0.35 and 0.10 <= owners[-1] <= 0.35
    assert owners[-1] < 2 * owners[0]  # no tripling without policy
    rate = run.series("household_saving_rate")
    assert 0.05 < np.mean(rate) < 0.45  # income less regular spending
    burden = run.series("rent_burden")
    assert 0.05 < np.mean(burden) < 0.30


def test_full_action_settlement_effect_and_cost_are_in_documented_ranges():
    """Hukou urbanisation +0.2 to +1.0 points a year (the national pace of 2016-2021 was ~1.1 points a year
    from every source, settlement of rural migrants only a part); committed public cost per settled person
    80,000-150,000 yuan (published estimates; DRC ~80,000, countysim/data/norms.csv)."""
    base, full = load("baseline"), load("full_action")
    for seed in SEEDS:
        a, b = cs.run(base, seed=seed), cs.run(full, seed=seed)
        years = len(a.months) / 12
        effect = (b.series("hukou_urbanization_rate")[-1] - a.series("hukou_urbanization_rate")[-1]) / years
        assert 0.002 <= effect <= 0.010
        assert 80_000 <= b.series("settlement_cost_per_settled_person")[-1] <= 150_000
        assert b.series("fiscal_cost_settlement_cum")[-1] > 0
        assert b.series("transfer_revenue_cum")[-1] > a.series("transfer_revenue_cum")[-1]


@pytest.mark.parametrize("open_share", [0.0, 1.0])
def test_households_unwilling_to_settle_never_do(open_share):
    spec = load("full_action", **{"horizon.months": 24, "behaviour.settlement.p_open": open_share})
    settled = cs.run(spec, seed=1).series("settled_persons_cum")[-1]
    assert (settled == 0) if open_share == 0.0 else (settled > 0)
