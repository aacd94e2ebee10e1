"""Where common random numbers help and where they do not: indicator by indicator.

Runs baseline and full_action on common seeds S..S+R-1, and full_action again on seeds offset
by 10,000 (independent), then prints for each indicator at the horizon: the means, the
correlation of the paired runs, the standard deviation of the paired and of the independent
difference, and their ratio (the interval-width ratio that ``bench_experiments.py`` reports).

    uv run python benchmarks/crn_components.py [--scale 0.04] [--months 96] [--reps 24]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import countysim as cs
from countysim.experiments import replicate, run_experiment
from countysim.experiments.runner import RunSpec

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = (
    "public_school_share", "public_pupils", "purchased_place_pupils", "private_school_pupils",
    "town_pupils", "households_in_town", "mean_monthly_income", "employed_rate", "contract_rate",
    "settled_households_cum",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.04, help="county scale (default: 0.04)")
    ap.add_argument("--months", type=int, default=96, help="months (default: 96)")
    ap.add_argument("--reps", type=int, default=24, help="replications (default: 24)")
    args = ap.parse_args(argv)

    def load(name: str) -> cs.Scenario:
        spec = cs.load_scenario(ROOT / "scenarios" / f"{name}.toml").scaled(args.scale)
        return spec.replace(**{"horizon.months": args.months})

    base, action = load("baseline"), load("full_action")
    specs = replicate([base, action], args.reps)
    seeds = [s.seed for s in specs if s.scenario is base]
    specs += [RunSpec(action, s + 10_000) for s in seeds]
    results, failures = run_experiment("crn-components", specs, progress=True)
    if failures:
        print(failures[0].error, file=sys.stderr)
        return 1
    by = {(r.scenario_name, r.seed): r for r in results}

    def final(name: str, indicator: str, ss: list[int]) -> np.ndarray:
        return np.array([by[(name, s)].series(indicator)[-1] for s in ss])

    print(
        f"\nscale {args.scale}, {args.months} months, {args.reps} replications, common seeds {seeds[0]}..{seeds[-1]}"
    )
    print(
        f"{'indicator':26s} {'baseline':>10s} {'action':>10s} {'corr':>6s} {'sd paired':>10s} {'sd indep.':>10s} {'ratio':>6s}"
    )
    for ind in INDICATORS:
        x = final("baseline", ind, seeds)
        y = final("full_action", ind, seeds)
        z = final("full_action", ind, [s + 10_000 for s in seeds])
        paired, indep = np.std(y - x), np.std(z - x)
        corr = np.corrcoef(x, y)[0, 1] if np.std(x) > 0 and np.std(y) > 0 else float("nan")
        ratio = paired / indep if indep > 0 else float("nan")
        print(
            f"{ind:26s} {x.mean():10.4g} {y.mean():10.4g} {corr:6.2f} {paired:10.4g} {indep:10.4g} {ratio:6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
