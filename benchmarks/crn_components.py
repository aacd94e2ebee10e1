"""Where common random numbers help and where they do not: indicator by indicator.

Runs baseline and full_action on common seeds S..S+R-1, and full_action again on seeds offset
by 10,000 (independent), then prints for each indicator at the horizon: the means, the standard
deviation of each scenario across seeds, the correlation of the paired runs, the standard
deviation of the paired and of the independent difference, and their ratio (the interval-width
ratio that ``bench_experiments.py`` reports) with a bootstrap 90 % interval, and the ratio with
the independent spread taken from the scenarios' own spreads (``spreads``, see
``bench_experiments.ratio_by_spreads``).

Two scenarios' spreads bound what pairing can do: even perfectly correlated runs leave a paired
spread of ``|sd_a − sd_b|``, so the ratio cannot fall below ``|sd_a − sd_b| / √(sd_a² + sd_b²)``
(column ``floor``).

``--explain NAME`` then lists how the paired difference of ``NAME`` moves with every other
indicator of each scenario across the seeds (correlation): a strong one names the noise the
pairing does not cancel.

    uv run python benchmarks/crn_components.py [--scale 0.04] [--months 96] [--reps 24]
        [--explain public_school_share]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import countysim as cs
from countysim.experiments import replicate, run_experiment
from countysim.experiments.runner import RunSpec

from bench_experiments import ratio_by_runs, ratio_by_spreads, ratio_interval

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = (
    "public_school_share", "public_pupils", "purchased_place_pupils", "private_school_pupils",
    "town_pupils", "households_in_town", "mean_monthly_income", "employed_rate", "contract_rate",
    "settled_households_cum", "seat_shortage_primary", "seat_shortage_junior",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.04, help="county scale (default: 0.04)")
    ap.add_argument("--months", type=int, default=96, help="months (default: 96)")
    ap.add_argument("--reps", type=int, default=24, help="replications (default: 24)")
    ap.add_argument(
        "--explain", default="public_school_share", choices=INDICATORS, metavar="NAME",
        help="indicator whose paired difference to set against the others (default: public_school_share)",
    )  # fmt: skip
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
        f"{'indicator':23s} {'baseline':>9s} {'action':>9s} {'sd base':>9s} {'sd act.':>9s} {'corr':>5s} "
        f"{'sd paired':>9s} {'sd indep.':>9s} {'ratio':>5s} {'90% interval':>12s} {'spreads':>7s} {'floor':>5s}"
    )
    finals = {}
    for ind in INDICATORS:
        x = final("baseline", ind, seeds)
        y = final("full_action", ind, seeds)
        z = final("full_action", ind, [s + 10_000 for s in seeds])
        finals[ind] = x, y
        sx, sy = np.std(x, ddof=1), np.std(y, ddof=1)
        paired, indep = np.std(y - x, ddof=1), np.std(z - x, ddof=1)
        corr = np.corrcoef(x, y)[0, 1] if sx > 0 and sy > 0 else float("nan")
        lo, hi = ratio_interval(x, y, z)
        floor = abs(sx - sy) / np.hypot(sx, sy) if sx + sy > 0 else float("nan")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio, spreads = ratio_by_runs(x, y, z), ratio_by_spreads(x, y, z)
        print(
            f"{ind:23s} {x.mean():9.4g} {y.mean():9.4g} {sx:9.3g} {sy:9.3g} {corr:5.2f} "
            f"{paired:9.3g} {indep:9.3g} {ratio:5.2f} {f'{lo:.2f}-{hi:.2f}':>12s} {spreads:7.2f} {floor:5.2f}"
        )
    x, y = finals[args.explain]
    d = y - x
    print(f"\nthe paired difference of {args.explain} across seeds: correlation with each indicator")
    print(f"{'indicator':23s} {'baseline':>9s} {'action':>9s}")
    for ind in INDICATORS:
        if ind == args.explain:
            continue
        cells = [
            np.corrcoef(d, v)[0, 1] if np.std(v) > 0 and np.std(d) > 0 else float("nan") for v in finals[ind]
        ]
        print(f"{ind:23s} {cells[0]:9.2f} {cells[1]:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
