"""Run-time and memory benchmark of ``countysim``: the default county and a 1,000,000-person county.

Usage::

    uv run python benchmarks/bench_run.py                  # both cases, table and targets
    uv run python benchmarks/bench_run.py --json out.json  # also write the figures as JSON
    uv run python benchmarks/bench_run.py --profile        # also cProfile the default county, 12 months

Besides the totals, the report gives the wall seconds spent in each phase of the month
(``CountyModel.phase_seconds``; ``record`` is the indicator panel).

Each case runs in a fresh subprocess (this script with ``--case``) so that its peak resident memory
(``ru_maxrss``) is its own: the child reads ``ru_maxrss`` once after its imports and a two-month run
of a 200-household county that loads the compiled kernels (the baseline: fixed costs, not per
person) and again at the end, and reports (peak - baseline) / persons as bytes per person.

The large county is the baseline scenario with ``county.households.n`` scaled so that persons at
start are about ``--large-persons`` (1,000,000); the scale comes from a first build's persons per
household (the default case's build, or a build-only probe subprocess when the default case is not
run).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

from machine import machine_facts

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "baseline.toml"

#: targets with every phase of the month on: the default county's 96 months in <= 30 s; the
#: 1M-person county <= 0.1 s a month (>= 10 M person-months a second on one core), so its
#: 120 months in <= 15 s; peak memory <= 200 bytes a person.
TARGET_DEFAULT_RUN_S = 30.0  # default county, 96 months, run wall seconds
TARGET_LARGE_S_PER_MONTH = 0.1  # 1M-person county, seconds per month
TARGET_LARGE_120_MONTHS_S = 15.0  # 1M-person county, 120 months
TARGET_BYTES_PER_PERSON = 200.0  # peak memory per person

RESULT_TAG = "BENCH_RESULT_JSON:"


# ----------------------------------------------------------------------------------------
# Child: one case in this (fresh) process
# ----------------------------------------------------------------------------------------
def _maxrss_bytes() -> int:
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB; macOS reports bytes.
    return int(kib) if sys.platform == "darwin" else int(kib) * 1024


def run_case(scenario_path: str, households: int | None, months: int, build_only: bool) -> dict:
    """Build one county and simulate ``months`` months; return the figures."""
    t_import = time.perf_counter()
    import numpy as np

    from countysim.model import CountyModel
    from countysim.scenario import load

    # the compiled kernels load on first use (numba and its compiler: a fixed ~60 MiB, not per
    # person): a two-month run of a tiny county loads them before the baseline is read
    warm = load(scenario_path, **{"horizon.months": 2, "county.households.n": 200})
    tiny = CountyModel(warm)
    while tiny.running:
        tiny.step()
    del tiny
    import_s = time.perf_counter() - t_import
    rss_baseline = _maxrss_bytes()

    changes: dict = {"horizon.months": months}
    if households is not None:
        changes["county.households.n"] = int(households)
    scenario = load(scenario_path, **changes)

    t0 = time.perf_counter()
    model = CountyModel(scenario)
    build_s = time.perf_counter() - t0
    persons = model.state.persons_at_start
    n_households = model.pop.n_households
    rss_after_build = _maxrss_bytes()

    run_s = run_cpu_s = 0.0
    months_done = 0
    if not build_only:
        t1, c1 = time.perf_counter(), time.process_time()
        while model.running:
            model.step()
        run_s = time.perf_counter() - t1
        run_cpu_s = time.process_time() - c1
        months_done = model.t

    rss_peak = _maxrss_bytes()
    column_bytes = int(model.pop.nbytes)
    return {
        "scenario": str(scenario_path),
        "households": int(n_households),
        "persons": int(persons),
        "persons_per_household": persons / n_households,
        "persons_alive_at_end": int(model.pop.alive.sum()),
        "slots_at_end": int(model.pop.n),
        "months": int(months_done),
        "import_seconds": import_s,
        "build_seconds": build_s,
        "run_seconds": run_s,
        "seconds_per_month": run_s / months_done if months_done else None,
        # CPU seconds of this process: on a machine shared with other work, what the run itself cost
        "cpu_seconds_per_month": run_cpu_s / months_done if months_done else None,
        "person_months_per_second": persons * months_done / run_s if run_s > 0 else None,
        "rss_baseline_bytes": rss_baseline,
        "rss_after_build_bytes": rss_after_build,
        "rss_peak_bytes": rss_peak,
        "peak_bytes_per_person": (rss_peak - rss_baseline) / persons,
        "column_bytes": column_bytes,
        "column_bytes_per_person": column_bytes / persons,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "phase_seconds": dict(model.phase_seconds),
    }


def profile_case(scenario_path: str, months: int, top: int) -> None:
    """cProfile the build and ``months`` months of the default county; print the top functions."""
    import cProfile
    import pstats

    from countysim.model import CountyModel
    from countysim.scenario import load

    scenario = load(scenario_path, **{"horizon.months": months})
    prof = cProfile.Profile()
    prof.enable()
    model = CountyModel(scenario)
    while model.running:
        model.step()
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)


# ----------------------------------------------------------------------------------------
# Parent: spawn the cases, print the table
# ----------------------------------------------------------------------------------------
def spawn_case(scenario: str, households: int | None, months: int, build_only: bool = False) -> dict:
    """Run one case in a fresh Python process; return its figures."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--case",
        "--scenario",
        scenario,
        "--months",
        str(months),
    ]
    if households is not None:
        cmd += ["--households", str(households)]
    if build_only:
        cmd.append("--build-only")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark case failed (exit {proc.returncode}): {' '.join(cmd)}")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG) :])
    sys.stderr.write(proc.stdout + proc.stderr)
    raise SystemExit("benchmark case printed no result")


def _mib(b: float) -> str:
    return f"{b / 2**20:,.1f} MiB"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_report(facts: dict, cases: dict[str, dict], scale_note: str | None) -> None:
    print("countysim run benchmark")
    print(
        f"machine: {facts['cpu_count']} CPUs ({facts['cpus_usable']} usable), {facts['cpu_model']}; "
        f"Python {facts['python_version']}, numpy {facts['numpy_version']}; {facts['platform']}"
    )
    if scale_note:
        print(scale_note)
    print()

    names = list(cases)
    header = f"{'':34}" + "".join(f"{n:>22}" for n in names)
    print(header)
    print("-" * len(header))

    def row(label: str, fmt, key: str | None = None, fn=None) -> None:
        cells = []
        for n in names:
            v = fn(cases[n]) if fn else cases[n].get(key)
            cells.append(f"{'-' if v is None else fmt(v):>22}")
        print(f"{label:34}" + "".join(cells))

    row("households", lambda v: f"{v:,}", "households")
    row("persons at start", lambda v: f"{v:,}", "persons")
    row("persons per household", lambda v: f"{v:.3f}", "persons_per_household")
    row("months simulated", lambda v: f"{v}", "months")
    row("build seconds", lambda v: f"{v:.2f}", "build_seconds")
    row("run wall seconds (total)", lambda v: f"{v:.2f}", "run_seconds")
    row("run wall seconds per month", lambda v: f"{v:.3f}", "seconds_per_month")
    row("run CPU seconds per month", lambda v: f"{v:.3f}", "cpu_seconds_per_month")
    row("person-months per second", lambda v: f"{v:,.0f}", "person_months_per_second")
    row("RSS after imports (baseline)", _mib, "rss_baseline_bytes")
    row("peak RSS (total)", _mib, "rss_peak_bytes")
    row("peak - baseline", _mib, fn=lambda c: c["rss_peak_bytes"] - c["rss_baseline_bytes"])
    row("peak bytes per person", lambda v: f"{v:,.0f}", "peak_bytes_per_person")
    row("numpy-column bytes per person", lambda v: f"{v:,.0f}", "column_bytes_per_person")
    print()

    print("seconds per phase (share of the run)")
    phases = list(next(iter(cases.values()))["phase_seconds"])
    print(f"{'':34}" + "".join(f"{n:>22}" for n in names))
    for phase in phases:
        cells = []
        for n in names:
            sec, run = cases[n]["phase_seconds"][phase], cases[n]["run_seconds"]
            cells.append(f"{sec:>12.3f} ({100 * sec / run:4.1f} %)" if run else f"{'-':>22}")
        print(f"  {phase:32}" + "".join(f"{c:>22}" for c in cells))
    print()

    print("targets")
    if "default" in cases:
        c = cases["default"]
        full = c["months"] == 96
        note = "" if full else f" (ran {c['months']} months, not 96: not comparable)"
        print(
            f"  default county, 96 months, run <= {TARGET_DEFAULT_RUN_S:g} s: "
            f"{c['run_seconds']:.2f} s  {_verdict(c['run_seconds'] <= TARGET_DEFAULT_RUN_S)}{note}"
        )
        tot = c["build_seconds"] + c["run_seconds"]
        print(f"    (build + run = {tot:.2f} s  {_verdict(tot <= TARGET_DEFAULT_RUN_S)})")
    if "large" in cases:
        c = cases["large"]
        print(
            f"  {c['persons']:,}-person county, <= {TARGET_LARGE_S_PER_MONTH:g} s per month: "
            f"{c['seconds_per_month']:.3f} s  {_verdict(c['seconds_per_month'] <= TARGET_LARGE_S_PER_MONTH)}"
        )
        projected = c["seconds_per_month"] * 120
        print(
            f"  {c['persons']:,}-person county, 120 months <= {TARGET_LARGE_120_MONTHS_S:g} s: "
            f"{projected:.1f} s projected from {c['months']} months  "
            f"{_verdict(projected <= TARGET_LARGE_120_MONTHS_S)}"
        )
    for n, c in cases.items():
        b = c["peak_bytes_per_person"]
        print(
            f"  {n}: peak memory <= {TARGET_BYTES_PER_PERSON:g} bytes per person: "
            f"{b:,.0f}  {_verdict(b <= TARGET_BYTES_PER_PERSON)}"
            f"  (numpy columns alone: {c['column_bytes_per_person']:,.0f})"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=str(DEFAULT_SCENARIO), help="scenario file (default: %(default)s)")
    ap.add_argument("--months", type=int, default=96, help="months for the default county (default: 96)")
    ap.add_argument(
        "--months-large", type=int, default=12, help="months for the 1M-person county (default: 12)"
    )
    ap.add_argument(
        "--large-persons", type=int, default=1_000_000,
        help="persons at start aimed at for the large county (default: 1,000,000)",
    )  # fmt: skip
    ap.add_argument(
        "--cases",
        default="default,large",
        help="comma-separated cases to run: default, large (default: both)",
    )
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    ap.add_argument(
        "--profile", action="store_true",
        help="also print the top cProfile functions (cumulative) of the default county over 12 months",
    )  # fmt: skip
    ap.add_argument("--profile-months", type=int, default=12, help=argparse.SUPPRESS)
    ap.add_argument("--profile-top", type=int, default=15, help=argparse.SUPPRESS)
    # internal: run one case in this process and print its figures as JSON
    ap.add_argument("--case", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--households", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.case:
        res = run_case(args.scenario, args.households, args.months, args.build_only)
        print(RESULT_TAG + json.dumps(res), flush=True)
        return 0
    if args.profile_child:
        profile_case(args.scenario, args.profile_months, args.profile_top)
        return 0

    wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(wanted) - {"default", "large"}
    if unknown:
        ap.error(f"unknown case(s): {', '.join(sorted(unknown))}")

    facts = machine_facts()
    cases: dict[str, dict] = {}
    scale_note = None
    t_all = time.perf_counter()

    if "default" in wanted:
        print(f"running default county ({args.months} months) ...", file=sys.stderr, flush=True)
        cases["default"] = spawn_case(args.scenario, None, args.months)
    if "large" in wanted:
        first = cases.get("default")
        if first is None:
            print("probing persons per household (build only) ...", file=sys.stderr, flush=True)
            first = spawn_case(args.scenario, None, 1, build_only=True)
        pph = first["persons_per_household"]
        households = round(args.large_persons / pph)
        print(
            f"running large county ({households:,} households, {args.months_large} months) ...",
            file=sys.stderr, flush=True,
        )  # fmt: skip
        cases["large"] = spawn_case(args.scenario, households, args.months_large)
        got = cases["large"]["persons"]
        scale_note = (
            f"large county: first build had {first['persons']:,} persons in {first['households']:,} households "
            f"({pph:.4f} a household); households.n = {households:,} for {args.large_persons:,} persons; "
            f"got {got:,} persons at start ({(got / args.large_persons - 1) * 100:+.2f} %)"
        )

    print_report(facts, cases, scale_note)
    print(f"\n(total benchmark wall time {time.perf_counter() - t_all:.1f} s, subprocess start-up included)")

    if args.json:
        payload = {
            "machine": facts,
            "targets": {
                "default_run_seconds_96_months": TARGET_DEFAULT_RUN_S,
                "large_seconds_per_month": TARGET_LARGE_S_PER_MONTH,
                "large_120_months_seconds": TARGET_LARGE_120_MONTHS_S,
                "peak_bytes_per_person": TARGET_BYTES_PER_PERSON,
            },
            "large_persons_target": args.large_persons,
            "cases": cases,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")

    if args.profile:
        print(
            f"\ncProfile: default county, build + {args.profile_months} months, top {args.profile_top} by cumulative time"
        )
        sys.stdout.flush()
        cmd = [
            sys.executable, str(Path(__file__).resolve()), "--profile-child", "--scenario", args.scenario,
            "--profile-months", str(args.profile_months), "--profile-top", str(args.profile_top),
        ]  # fmt: skip
        rc = subprocess.run(cmd, check=False).returncode
        if rc != 0:
            raise SystemExit(f"profile failed (exit {rc})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
