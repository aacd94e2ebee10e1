"""How far common random numbers can go, household by household.

Runs ``baseline`` and ``full_action`` once each on the same seed and compares the two end
states person by person (persons keep their slot, so slot ``i`` is the same person in both).
For an indicator ``s`` it writes each household's contribution to ``s`` as an influence value
``g`` (for a ratio ``P / T``: ``(P_h - s·T_h) / T``), so that the two runs' difference is the sum
over households of ``g_action − g_baseline``. If households were independent units, the paired
difference would have variance ``Σ (g_action − g_baseline)²`` and the difference of independent
runs ``Σ g_action² + Σ g_baseline²``; the square root of their ratio is the interval-width ratio
common random numbers would give on the strength of household-level coupling alone.

Seat capacities, vacancies and other county-wide limits make households' outcomes depend on
each other, so the measured ratio (``bench_experiments.py``) can be lower than this one.

For the public-school share it lists where the children of town schools are in the other run;
for the mean income it also splits the paired variance by what happened to the person: the same
job in both runs, a different job, or work in one run only, and lists the commonest job moves.

    uv run python benchmarks/crn_households.py [--scale 0.25] [--seed 20230112]
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import numpy as np

import countysim as cs
from countysim.model import CountyModel
from countysim.population import codes as c

ROOT = Path(__file__).resolve().parents[1]


def end_state(name: str, scale: float, seed: int) -> CountyModel:
    spec = cs.load_scenario(ROOT / "scenarios" / f"{name}.toml").scaled(scale)
    model = CountyModel(spec, seed=seed)
    for _ in range(spec.horizon.months):
        model.step()
    return model


def ratio_influence(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Per-household influence on ``Σ num / Σ den``."""
    share = num.sum() / den.sum()
    return (num - share * den) / den.sum()


def school_share(m: CountyModel) -> np.ndarray:
    p = m.pop
    kid = p.alive & (p.role == c.CHILD)
    public = p.household_count(kid & c.in_codes(p.school, (c.S_PUBLIC, c.S_PURCHASED)))
    in_town = p.household_count(kid & c.in_codes(p.school, c.TOWN_SCHOOLS))
    return ratio_influence(public.astype(float), in_town.astype(float))


def employed(m: CountyModel) -> np.ndarray:
    p = m.pop
    return p.alive & (p.role == c.WORKER) & (p.job != c.J_NONE)


def income_by_person(m: CountyModel) -> np.ndarray:
    e = employed(m)
    return ratio_influence(np.where(e, m.pop.wage, 0.0), e.astype(float))


def town(m: CountyModel) -> np.ndarray:
    t = (m.pop.residence == c.R_TOWN).astype(float)
    return t - t.mean()


def household_ratio(g_a: np.ndarray, g_b: np.ndarray) -> float:
    return float(np.sqrt(np.sum((g_a - g_b) ** 2) / (np.sum(g_a**2) + np.sum(g_b**2))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.25, help="county scale (default: 0.25)")
    ap.add_argument("--seed", type=int, default=20230112, help="the common seed (default: 20230112)")
    args = ap.parse_args(argv)

    base = end_state("baseline", args.scale, args.seed)
    action = end_state("full_action", args.scale, args.seed)
    if base.pop.n != action.pop.n:
        raise SystemExit("the two runs have different slots: births are no longer common")
    H = base.pop.n_households
    per_hh = lambda m, g: np.bincount(m.pop.hh, weights=g, minlength=H)  # noqa: E731

    print(f"scale {args.scale}, seed {args.seed}, {H:,} households; at the horizon")
    print(f"{'indicator':22s} {'household-coupling width ratio':>31s}")
    g_inc_a, g_inc_b = income_by_person(action), income_by_person(base)
    for name, ga, gb in (
        ("public_school_share", school_share(action), school_share(base)),
        ("mean_monthly_income", per_hh(action, g_inc_a), per_hh(base, g_inc_b)),
        ("households_in_town", town(action), town(base)),
    ):
        print(f"{name:22s} {household_ratio(ga, gb):31.2f}")

    ta, tb = action.pop.residence == c.R_TOWN, base.pop.residence == c.R_TOWN
    print(
        f"\nhouseholds in town: action {ta.sum():,}, baseline {tb.sum():,}; in both {(ta & tb).sum():,}, "
        f"action only {(ta & ~tb).sum():,}, baseline only {(~ta & tb).sum():,}"
    )

    kid = base.pop.alive & (base.pop.role == c.CHILD) & (base.pop.school != c.S_NONE)
    sa, sb = action.pop.school, base.pop.school
    print("\nchildren's schools, baseline -> action (town schools in one run at least):")
    schools = collections.Counter(zip(sb[kid].tolist(), sa[kid].tolist(), strict=True))
    for (b, a), k in sorted(schools.items()):
        if b in c.TOWN_SCHOOLS or a in c.TOWN_SCHOOLS:
            print(f"    {c.SCHOOL_NAMES[b]:>20s} -> {c.SCHOOL_NAMES[a]:20s} {k:7,d}")

    ea, eb = employed(action), employed(base)
    ja, jb = action.pop.job, base.pop.job
    total = np.sum(per_hh(action, g_inc_a - g_inc_b) ** 2)
    print("\nmean_monthly_income: paired variance by what happened to the person (cross terms aside)")
    for label, mask in (
        ("same job in both", ea & eb & (ja == jb)),
        ("different job", ea & eb & (ja != jb)),
        ("employed in the action only", ea & ~eb),
        ("employed in the baseline only", ~ea & eb),
    ):
        share = np.sum(per_hh(action, np.where(mask, g_inc_a - g_inc_b, 0.0)) ** 2) / total
        print(f"    {label:30s} {mask.sum():8,d} persons  {share:6.1%} of the variance")
    moved = ea & eb & (ja != jb)
    moves = collections.Counter(zip(jb[moved].tolist(), ja[moved].tolist(), strict=True))
    print("commonest job moves, baseline -> action:")
    for (b, a), k in moves.most_common(10):
        print(f"    {c.JOB_NAMES[b]:>17s} -> {c.JOB_NAMES[a]:17s} {k:7,d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
