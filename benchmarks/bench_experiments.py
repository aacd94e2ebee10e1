"""Experiment benchmark: common random numbers, scaling with workers, runner overhead.

Usage::

    uv run python benchmarks/bench_experiments.py                  # all three, table and targets
    uv run python benchmarks/bench_experiments.py --json out.json  # also write the figures as JSON
    uv run python benchmarks/bench_experiments.py --cases crn      # one part only (crn, scaling)

(a) **Common random numbers.** ``full_action`` against ``baseline``, ``--reps`` replications each
    (20), on a county at ``--scale`` (1: the county as shipped) over ``--months`` (96). The width of the
    90 % t-interval of the difference at the horizon, for ``public_school_share`` and
    ``mean_monthly_income``, with common seeds (both scenarios on seeds S..S+R-1, paired by seed)
    against independent seeds (``full_action`` on seeds offset by 10,000, paired by position).
    Target: ratio ≤ 1/3. A bootstrap over the replications gives the ratio's own 90 % interval.
    A second estimate takes the independent width from the two scenarios' own spreads,
    ``√(var_baseline + var_action)``, without the chance covariance of one set of independent
    runs (``ratio_by_spreads``).
(b) **Scaling.** One ``--runs``-run experiment (200) of tiny runs (``--tiny-scale`` 0.02,
    ``--tiny-months`` 24; half baseline, half full action) into a fresh SQLite file, with 1 and
    with 2 local worker processes: throughput ratio. Target ≥ 1.7.
(c) **Overhead.** From the 1-worker case of (b): the time spent outside ``run`` (worker
    hand-off and pickling, store writes, scheduling, pool start) as a share of the time inside it
    (the sum of the runs' own wall seconds), and the store's share alone. Target ≤ 10 %.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from machine import machine_facts

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

TARGET_CRN_RATIO = 1 / 3  # width with common seeds / width with independent seeds
TARGET_SPEEDUP = 1.7  # throughput with 2 workers / with 1
TARGET_OVERHEAD = 0.10  # time outside run / time inside run, 1 worker
CRN_INDICATORS = ("public_school_share", "mean_monthly_income")
OFFSET = 10_000  # seed offset of the independent runs


class TimedStore:
    """A ``ResultsStore`` that adds up the seconds spent in each of its calls."""

    def __init__(self, store) -> None:
        self._store = store
        self.seconds = 0.0
        self.calls = 0

    def __getattr__(self, name: str):
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
                self.calls += 1

        return timed


def _scenarios(scale: float, months: int):
    import countysim as cs

    return [
        cs.load_scenario(SCENARIOS / f"{name}.toml").scaled(scale).replace(**{"horizon.months": months})
        for name in ("baseline", "full_action")
    ]


def bench_crn(scale: float, months: int, reps: int, workers: int) -> dict:
    """(a) interval widths of full_action − baseline with common and with independent seeds."""
    import dataclasses

    from countysim.experiments import RunSpec, default_executor, run_experiment
    from countysim.experiments.compare import compare, paired_differences

    base, full = _scenarios(scale, months)
    t0 = time.perf_counter()
    with default_executor(workers) as pool:
        crn = compare([base, full], reps, executor=pool, indicators=CRN_INDICATORS, progress=True)
        independent, failures = run_experiment(
            "independent", [RunSpec(full, s + OFFSET) for s in crn.seeds], executor=pool, progress=True
        )
    if failures:
        raise SystemExit(f"{len(failures)} independent runs failed: {failures[0].error}")
    wall = time.perf_counter() - t0
    relabelled = [dataclasses.replace(r, seed=r.seed - OFFSET) for r in independent]
    out = {
        "scale": scale,
        "months": months,
        "reps": reps,
        "persons": crn.results["baseline"][0].persons,
        "seeds": [crn.seeds[0], crn.seeds[-1]],
        "wall_seconds": wall,
        "indicators": {},
    }
    for name in CRN_INDICATORS:
        d_c, lo_c, hi_c, _ = paired_differences(crn.results["baseline"], crn.results["full_action"], name)
        d_i, lo_i, hi_i, _ = paired_differences(crn.results["baseline"], relabelled, name)
        finals = [
            np.array([r.series(name)[-1] for r in runs])
            for runs in (crn.results["baseline"], crn.results["full_action"], relabelled)
        ]
        out["indicators"][name] = {
            "diff_common": d_c,
            "width_common": hi_c - lo_c,
            "diff_independent": d_i,
            "width_independent": hi_i - lo_i,
            "ratio": (hi_c - lo_c) / (hi_i - lo_i),
            "ratio_90": ratio_interval(*finals),
            "ratio_by_spreads": ratio_by_spreads(*finals),
            "ratio_by_spreads_90": ratio_interval(*finals, ratio=ratio_by_spreads),
        }
    return out


def ratio_by_runs(base: np.ndarray, common: np.ndarray, independent: np.ndarray) -> float:
    """Width ratio with the independent width measured on the independent runs themselves."""
    return float(np.std(common - base, ddof=1) / np.std(independent - base, ddof=1))


def ratio_by_spreads(base: np.ndarray, common: np.ndarray, independent: np.ndarray) -> float:
    """Width ratio with the independent width taken from the two scenarios' spreads.

    Two independent samples' difference of means spreads as ``√(var_a + var_b)`` per replication:
    that is what the independent runs measure, plus a chance covariance between the two samples
    (zero on average, but as large as the effect sought with 20 replications). Here ``var_b`` comes
    from the baseline runs and ``var_a`` from all the action runs (common and independent seeds).
    """
    var_a = np.var(np.concatenate([common, independent]), ddof=1)
    return float(np.std(common - base, ddof=1) / np.sqrt(np.var(base, ddof=1) + var_a))


def ratio_interval(
    base: np.ndarray,
    common: np.ndarray,
    independent: np.ndarray,
    ratio=ratio_by_runs,
    draws: int = 4000,
) -> list[float]:
    """A 90 % bootstrap interval of a width ratio, resampling the replications (seeds).

    The ratio of two standard deviations from 20 replications is itself uncertain (about ±25 %);
    this interval says how far the one measured ratio can be trusted.
    """
    rng = np.random.default_rng(0)
    values = []
    for idx in rng.integers(0, len(base), size=(draws, len(base))):
        with np.errstate(divide="ignore", invalid="ignore"):
            values.append(ratio(base[idx], common[idx], independent[idx]))
    values = np.array(values)
    return [float(x) for x in np.quantile(values[np.isfinite(values)], [0.05, 0.95])]


def _sweep(specs, workers: int, db: Path | None) -> dict:
    """One sweep into a fresh SQLite file at ``db``, or into memory when ``db`` is None."""
    from countysim.experiments import default_executor, run_experiment
    from countysim.store import ResultsStore

    store = None if db is None else TimedStore(ResultsStore(f"sqlite:///{db}"))
    t0 = time.perf_counter()
    with default_executor(workers) as pool:
        done, failures = run_experiment(
            f"scaling-{workers}", specs, store=store, executor=pool, progress=True
        )
    wall = time.perf_counter() - t0
    if store is not None:
        store.close()
    if failures:
        raise SystemExit(f"{len(failures)} runs failed: {failures[0].error}")
    inside = sum(r.wall_seconds for r in done)
    return {
        "workers": workers,
        "runs": len(done),
        "wall_seconds": wall,
        "runs_per_second": len(done) / wall,
        "run_seconds_sum": inside,
        "store_seconds": 0.0 if store is None else store.seconds,
        "store_calls": 0 if store is None else store.calls,
        "outside_share": (wall * workers - inside) / inside,
        "store_share": 0.0 if store is None else store.seconds / inside,
    }


def bench_scaling(scale: float, months: int, runs: int) -> dict:
    """(b) and (c): the same sweep with 1 and with 2 workers into fresh SQLite files.

    The same two sweeps without a store (results kept in memory) separate the executor's scaling
    from the cost of the one writer.
    """
    from countysim.experiments import replicate

    specs = replicate(_scenarios(scale, months), runs // 2, seed=1)
    out = {"scale": scale, "months": months, "runs": len(specs)}
    with tempfile.TemporaryDirectory(prefix="bench-experiments-") as d:
        for workers in (1, 2):
            print(f"scaling: {len(specs)} runs with {workers} worker(s) ...", file=sys.stderr, flush=True)
            out[f"w{workers}"] = _sweep(specs, workers, Path(d) / f"w{workers}.db")
        for workers in (1, 2):
            print(f"scaling: the same without a store, {workers} worker(s) ...", file=sys.stderr, flush=True)
            out[f"w{workers}_memory"] = _sweep(specs, workers, None)
    out["speedup"] = out["w2"]["runs_per_second"] / out["w1"]["runs_per_second"]
    out["speedup_memory"] = out["w2_memory"]["runs_per_second"] / out["w1_memory"]["runs_per_second"]
    return out


def _ok(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_report(facts: dict, res: dict) -> None:
    print("countysim experiment benchmark")
    print(
        f"machine: {facts['cpu_count']} CPUs ({facts['cpus_usable']} usable), {facts['cpu_model']}; "
        f"Python {facts['python_version']}; {facts['platform']}"
    )
    rows: list[tuple[str, str, str, str]] = []
    if "crn" in res:
        c = res["crn"]
        print(
            f"\n(a) common random numbers: full_action − baseline, {c['reps']} replications each, county at "
            f"scale {c['scale']} ({c['persons']:,} persons), {c['months']} months; common seeds "
            f"{c['seeds'][0]}..{c['seeds'][1]}, independent: full_action on seeds + {OFFSET:,}; "
            f"{c['wall_seconds']:.0f} s"
        )
        print(
            f"    {'indicator':22} {'diff (common)':>14} {'90% width':>11} {'diff (indep.)':>14} {'90% width':>11}"
        )
        for name, v in c["indicators"].items():
            print(
                f"    {name:22} {v['diff_common']:>14.4g} {v['width_common']:>11.4g} "
                f"{v['diff_independent']:>14.4g} {v['width_independent']:>11.4g}"
            )
            lo, hi = v["ratio_90"]
            rows.append(
                (
                    f"CRN width ratio, {name}",
                    f"{v['ratio']:.3f} (90% {lo:.2f}-{hi:.2f})",
                    f"<= {TARGET_CRN_RATIO:.3f}",
                    _ok(v["ratio"] <= TARGET_CRN_RATIO),
                )
            )
            lo, hi = v["ratio_by_spreads_90"]
            rows.append(
                (
                    "  independent width from the spreads",
                    f"{v['ratio_by_spreads']:.3f} (90% {lo:.2f}-{hi:.2f})",
                    f"<= {TARGET_CRN_RATIO:.3f}",
                    _ok(v["ratio_by_spreads"] <= TARGET_CRN_RATIO),
                )
            )
    if "scaling" in res:
        s = res["scaling"]
        print(
            f"\n(b, c) sweep of {s['runs']} tiny runs (scale {s['scale']}, {s['months']} months, half baseline, "
            "half full_action) into a fresh SQLite file"
        )
        print(
            f"    {'store':7} {'workers':>7} {'wall s':>8} {'runs/s':>8} {'sum of run s':>13} {'store s':>8} "
            f"{'outside run':>12} {'store':>7}"
        )
        for w in ("w1", "w2", "w1_memory", "w2_memory"):
            x = s[w]
            print(
                f"    {'none' if 'memory' in w else 'SQLite':7} {x['workers']:>7} {x['wall_seconds']:>8.1f} {x['runs_per_second']:>8.2f} "
                f"{x['run_seconds_sum']:>13.1f} {x['store_seconds']:>8.2f} {x['outside_share']:>12.1%} "
                f"{x['store_share']:>7.1%}"
            )
        print(
            "    outside run = (wall × workers − sum of run wall seconds) / sum of run wall seconds; "
            "store = seconds in store calls / sum of run wall seconds"
        )
        rows.append(
            (
                "throughput, 2 workers / 1",
                f"{s['speedup']:.2f}",
                f">= {TARGET_SPEEDUP}",
                _ok(s["speedup"] >= TARGET_SPEEDUP),
            )
        )
        rows.append(("  the same without a store", f"{s['speedup_memory']:.2f}", "", ""))
        o = s["w1"]["outside_share"]
        rows.append(
            ("time outside run, 1 worker", f"{o:.1%}", f"<= {TARGET_OVERHEAD:.0%}", _ok(o <= TARGET_OVERHEAD))
        )
        st = s["w1"]["store_share"]
        rows.append(("  store calls (overlap with runs)", f"{st:.1%}", "", ""))
    print("\ntargets")
    print(f"    {'measure':38} {'value':>8}  {'target':>9}  met")
    for label, value, target, met in rows:
        print(f"    {label:38} {value:>8}  {target:>9}  {met}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="crn,scaling", help="comma-separated: crn, scaling (default: both)")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="(a) county scale (default: 1, the county as shipped)"
    )
    ap.add_argument("--months", type=int, default=96, help="(a) months (default: 96)")
    ap.add_argument("--reps", type=int, default=20, help="(a) replications per scenario (default: 20)")
    ap.add_argument("--workers", type=int, default=2, help="(a) worker processes (default: 2)")
    ap.add_argument("--runs", type=int, default=200, help="(b) runs in the sweep (default: 200)")
    ap.add_argument("--tiny-scale", type=float, default=0.02, help="(b) county scale (default: 0.02)")
    ap.add_argument("--tiny-months", type=int, default=24, help="(b) months (default: 24)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    args = ap.parse_args(argv)
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    if unknown := cases - {"crn", "scaling"}:
        ap.error(f"unknown case(s) {', '.join(sorted(unknown))}; allowed: crn, scaling")
    t_all = time.perf_counter()
    res: dict = {}
    if "crn" in cases:
        print(
            f"crn: {args.reps} × 2 + {args.reps} runs at scale {args.scale} ...", file=sys.stderr, flush=True
        )
        res["crn"] = bench_crn(args.scale, args.months, args.reps, args.workers)
    if "scaling" in cases:
        res["scaling"] = bench_scaling(args.tiny_scale, args.tiny_months, args.runs)
    facts = machine_facts()
    print_report(facts, res)
    print(f"\n(total benchmark wall time {time.perf_counter() - t_all:.1f} s)")
    if args.json:
        payload = {
            "machine": facts,
            "targets": {
                "crn_width_ratio_max": TARGET_CRN_RATIO,
                "speedup_2_workers_min": TARGET_SPEEDUP,
                "overhead_share_max": TARGET_OVERHEAD,
            },
            **res,
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
