"""Rolling counties up: a rule for every indicator, totals equal to the counties run one by one, pairing."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import countysim as cs
from conftest import REPS
from countysim.experiments.compare import pairing_gain
from countysim.indicators import CATALOGUE, NAMES
from countysim.province import RULES, roll_up, run_province
from countysim.province.rollup import Accumulator, Rule, check_rules, denominator, profile_value

from helpers import BASELINE

#: units that are never summed across counties
NOT_ADDITIVE_UNITS = ("share", "share of income", "years", "months", "yuan per month", "yuan per person")


def test_every_indicator_has_a_rule_and_every_denominator_exists() -> None:
    assert check_rules() == []
    assert set(RULES) == set(NAMES)
    baseline = cs.load_scenario(BASELINE)
    for name, rule in RULES.items():
        assert rule.kind in ("sum", "weighted", "mean", "difference"), name
        for used in rule.names():
            if used.startswith("county."):  # a profile key the scenario has, as a number
                assert math.isfinite(profile_value(baseline, used)), f"{name}: {used}"
        if not rule.exact:
            assert rule.note, f"{name}: an approximate rule says why"


def test_rates_and_means_are_never_summed() -> None:
    for ind in CATALOGUE:
        if ind.unit in NOT_ADDITIVE_UNITS or ind.unit.startswith("share"):
            assert RULES[ind.name].kind != "sum", f"{ind.name} ({ind.unit}) must not add across counties"


def test_the_check_finds_a_missing_rule_and_an_unknown_denominator(monkeypatch) -> None:
    monkeypatch.delitem(RULES, "employed_rate")
    monkeypatch.setitem(RULES, "jobless_rate", Rule("weighted", ((1.0, ("no_such_indicator",)),)))
    problems = check_rules()
    assert "employed_rate: no roll-up rule" in problems
    assert "jobless_rate: its rule reads 'no_such_indicator', not an indicator" in problems


def test_a_weighted_rate_is_numerator_sum_over_denominator_sum() -> None:
    names = ("persons", "workers", "employed_rate", "households_in_town", "town_home_owners", "housing_security_coverage",
             "lever_delay_months", "resident_urbanization_rate", "hukou_urbanization_rate", "urbanization_gap")  # fmt: skip
    rng = np.random.default_rng(1)
    counties = []
    for k in range(4):
        v = {n: rng.uniform(0.1, 0.9, (1, 1, 3)) for n in names}
        v["workers"] = rng.integers(0, 1000, (1, 1, 3)).astype(float)
        v["workers"][0, 0, 0] = (
            0 if k == 0 else v["workers"][0, 0, 0]
        )  # a county with no workers adds nothing
        v["households_in_town"] = rng.integers(50, 100, (1, 1, 3)).astype(float)
        v["town_home_owners"] = rng.integers(0, 50, (1, 1, 3)).astype(float)
        counties.append(v)
    acc = Accumulator((1, 1, 3), names)
    profile = {"county.hukou_population": 1000.0, "county.town.town_residents_other": 10.0,
               "county.town.rural_residents_other": 5.0}  # fmt: skip
    for v in counties:
        acc.add(np.stack([v[n] for n in names], axis=-1), profile)
    out = acc.result()
    col = names.index
    num = sum(v["employed_rate"] * v["workers"] for v in counties)
    np.testing.assert_allclose(out[..., col("employed_rate")], num / sum(v["workers"] for v in counties))
    renters = [v["households_in_town"] - v["town_home_owners"] for v in counties]
    expect = sum(v["housing_security_coverage"] * r for v, r in zip(counties, renters, strict=True)) / sum(
        renters
    )
    np.testing.assert_allclose(out[..., col("housing_security_coverage")], expect)
    np.testing.assert_allclose(
        out[..., col("lever_delay_months")], np.mean([v["lever_delay_months"] for v in counties], 0)
    )
    np.testing.assert_allclose(
        out[..., col("urbanization_gap")],
        out[..., col("resident_urbanization_rate")] - out[..., col("hukou_urbanization_rate")],
    )


def _one_by_one(example):
    """Every county's runs done again, one by one, in this process: ``[county][package][rep]``."""
    runs = []
    for county in example.counties:
        seeds = example.seeds(county, REPS)
        runs.append(
            [[cs.run(example.county_scenario(county, p), seed=s) for s in seeds] for p in example.packages]
        )
    return runs


@pytest.fixture(scope="module")
def rolled(example, example_store):
    return roll_up(example, example_store, REPS, keep_indicators=["persons"], series=["employed_rate"])


def test_province_totals_equal_the_counties_run_one_by_one(example, example_store, rolled) -> None:
    single = _one_by_one(example)
    months = rolled.months
    assert months == single[0][0][0].months and not rolled.missing
    key = [c.key_assisted for c in example.counties]
    for p in range(len(example.packages)):
        for r in range(REPS):
            for group in ("all", "key_assisted"):
                runs = [single[c][p][r] for c in range(len(single)) if group == "all" or key[c]]
                got = rolled.totals[group][p, r]
                for name in NAMES:
                    k = NAMES.index(name)
                    rule = RULES[name]
                    if rule.kind == "sum":  # counts add: bit-identical to the sum of the counties' runs
                        expect = runs[0].values[:, k].copy()
                        for run in runs[1:]:
                            expect += run.values[:, k]
                        np.testing.assert_array_equal(got[:, k], expect, err_msg=name)
            # a rate: the sum of its numerators over the sum of its denominators
            runs = [single[c][p][r] for c in range(len(single))]
            workers = sum(run.series("workers") for run in runs)
            employed = sum(np.round(run.series("employed_rate") * run.series("workers")) for run in runs)
            np.testing.assert_allclose(rolled.totals["all"][p, r][:, NAMES.index("employed_rate")],
                                       employed / workers, rtol=1e-12)  # fmt: skip
            pupils = sum(run.series("town_pupils_primary") for run in runs)
            public = sum(np.round(run.series("public_school_share_primary") * run.series("town_pupils_primary"))
                         for run in runs)  # fmt: skip
            with np.errstate(invalid="ignore"):
                np.testing.assert_allclose(
                    rolled.totals["all"][p, r][:, NAMES.index("public_school_share_primary")],
                    np.where(pupils > 0, public / np.where(pupils > 0, pupils, 1), np.nan), rtol=1e-12,
                )  # fmt: skip


def test_every_exact_weighted_rule_matches_its_counties(example, rolled) -> None:
    single = _one_by_one(example)
    for name, rule in RULES.items():
        if rule.kind != "weighted" or not rule.exact:
            continue
        k = NAMES.index(name)
        runs = [single[c][1][0] for c in range(len(single))]
        dens = [denominator(rule, lambda n, run=run: run.series(n)) for run in runs]
        num = sum(np.where(d > 0, run.values[:, k] * d, 0) for run, d in zip(runs, dens, strict=True))
        den = sum(np.where(d > 0, d, 0) for d in dens)
        with np.errstate(invalid="ignore", divide="ignore"):
            expect = np.where(den > 0, num / den, np.nan)
        np.testing.assert_allclose(rolled.totals["all"][1, 0][:, k], expect, rtol=1e-12, err_msg=name)


def test_county_values_and_intervals_come_from_replications(example, rolled) -> None:
    cv = rolled.county_values
    assert set(cv["county"]) == {c.name for c in example.counties} and set(cv["rep"]) == set(range(REPS))
    last = cv[cv["month"] == rolled.months[-1]]
    for p, package in enumerate(rolled.packages):
        per_rep = last[last["package"] == package].groupby("rep")["persons"].sum().to_numpy()
        np.testing.assert_array_equal(per_rep, rolled.totals["all"][p, :, -1, NAMES.index("persons")])
    s = rolled.summary(["persons"])
    row = s[s["package"] == rolled.packages[0]].iloc[0]
    v = rolled.totals["all"][0, :, -1, NAMES.index("persons")]
    assert row["mean"] == pytest.approx(v.mean()) and row["lo90"] <= row["mean"] <= row["hi90"]
    assert row["hi90"] - row["lo90"] <= v.max() - v.min()  # the spread of province draws, not of counties


def test_the_paired_province_difference_is_narrower_than_with_independent_seeds(
    example, example_store, rolled
) -> None:
    """Packages share each county's seeds; the same packages on another province seed do not pair."""
    full = example.package("full_action")
    other_seed = example.seed + 1
    alone = dataclasses.replace(example, packages=(full,))
    done = run_province(
        alone, REPS, store=example_store, seed=other_seed, executor=cs.experiments.InlineExecutor()
    )
    assert not done.failures
    independent = roll_up(alone, example_store, REPS, seed=other_seed, with_needs=False)
    for name in ("employed_rate", "contract_rate", "public_school_share"):
        k = NAMES.index(name)
        base = rolled.totals["all"][0, :, -1, k]
        paired = rolled.totals["all"][1, :, -1, k] - base
        unpaired = independent.totals["all"][0, :, -1, k] - base
        assert paired.std(ddof=1) < unpaired.std(ddof=1), name
        gain = pairing_gain(rolled.results("status_quo"), rolled.results("full_action"), name)
        assert gain > 1.5 and not math.isnan(gain), name


def test_a_county_missing_a_run_is_left_out_and_listed(example, example_store) -> None:
    more = dataclasses.replace(example, seed=example.seed + 2)  # nothing stored on these seeds
    with pytest.raises(ValueError, match="no finished run of province"):
        roll_up(more, example_store, REPS, with_needs=False)
    part = roll_up(example, example_store, REPS + 1, with_needs=False)  # the last replication is not stored
    assert len(part.missing) == len(example.counties) * len(example.packages)
    assert np.isnan(part.totals["all"]).all()  # no county complete: no province value, never a partial sum


def test_resource_needs_add_across_counties_within_each_replication(example, rolled) -> None:
    by_county, total = rolled.needs, rolled.needs_total
    assert not by_county.empty and not total.empty
    assert "cost_per_settled_person" not in set(total["item"])  # a balance per person does not add
    year = int(rolled.months[0][:4])
    row = total[
        (total["package"] == "full_action") & (total["year"] == year) & (total["item"] == "fiscal_cost_yuan")
    ]
    counties = by_county[(by_county["package"] == "full_action") & (by_county["year"] == year)
                         & (by_county["item"] == "fiscal_cost_yuan")]  # fmt: skip
    assert row["mean"].iloc[0] == pytest.approx(counties["mean"].sum())
