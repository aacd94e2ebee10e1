"""A province on a Dask cluster: wall time, runs per second, peak driver memory, extrapolation.

The synthetic central province (``provinces/central.toml``: 100 counties) at scale 0.1 (``--scale``),
2 replications (``--reps``), its two packages, on a 2-worker ``distributed.LocalCluster``
(``--workers``), into a fresh SQLite store; then rolled up from the store. To show that the
driver's memory does not grow with the number of counties, the same is measured for the first
``--small`` counties (default 50) and for all of them, each in a fresh process (peak resident
memory of the driver, ``ru_maxrss``, once the runs are done and again after the roll-up, and the
peak of its Python allocations, ``tracemalloc``).

It prints, for each size: runs, wall seconds (run + roll-up), runs per second, the mean seconds of
one run, peak driver memory; then the extrapolated time of the full-size province (scale 1,
the whole horizon) on N workers: ``runs × (mean run seconds × 1/scale × 96/months) / N``, taking
a run's time as proportional to its persons and months (measured for one county by
``bench_run.py``), and ignoring the driver's writes (a few per cent for runs of realistic size).

Command: ``uv run python benchmarks/bench_province.py`` (600 runs at the default 36 months: on a
two-core machine shared with other jobs the 50-county size alone took over 12 minutes;
``--months 12`` for a quicker look). The ``LocalCluster`` runs in a process of its own, so that the
driver's memory is the driver's, not the scheduler's. The client is made as the commands' ``--cluster``
makes it (``countysim.cli_common.dask_client``): distributed's default client kept the last 1000
messages sent to the scheduler, each with a run's pickled scenario, and so grew with the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from machine import machine_facts

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = ROOT / "provinces" / "central.toml"
FULL_MONTHS = 96


@contextlib.contextmanager
def cluster_process(workers: int) -> Iterator[str]:
    """A ``LocalCluster`` (scheduler and workers) in a process of its own: its address.

    The scheduler of an in-process ``LocalCluster`` would run in the driver and keep its task log
    there; outside it, the driver's memory is the driver's alone.
    """
    code = (
        "import sys, distributed\n"
        f"c = distributed.LocalCluster(n_workers={workers}, processes=True, threads_per_worker=1, "
        "dashboard_address=None)\n"
        "print(c.scheduler_address, flush=True)\n"
        "sys.stdin.read()\n"
        "c.close()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        address = proc.stdout.readline().strip()
        if not address:
            raise SystemExit("the LocalCluster did not start")
        yield address
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(counties: int, scale: float, reps: int, months: int, workers: int) -> dict:
    """Run the first ``counties`` counties on a fresh LocalCluster and store; the figures as a dict."""
    from countysim.cli_common import dask_client
    from countysim.province import load_province, roll_up, run_province
    from countysim.store import ResultsStore

    full = load_province(PROVINCE)
    kept = full.counties[:counties]
    packages = []
    for package in full.packages:  # a kept county keeps the share of a provincial lever it has in the whole
        provincial = []
        for prov in package.provincial:
            weight = [full.weight(prov.rule, c, prov.key_assisted_weight) for c in full.counties]
            total = prov.total * sum(weight[: len(kept)]) / sum(weight)
            provincial.append(dataclasses.replace(prov, total=total))
        packages.append(dataclasses.replace(package, provincial=tuple(provincial)))
    province = dataclasses.replace(full, counties=kept, packages=tuple(packages), scale=scale, months=months)
    with tempfile.TemporaryDirectory() as tmp, cluster_process(workers) as address:
        with dask_client(address) as client:  # as `--cluster` makes it: a short log of messages sent
            client.run(lambda: __import__("countysim.model"))  # imports are not the runs' time
            store = ResultsStore(f"sqlite:///{tmp}/store.db")
            gc.collect()
            tracemalloc.start()
            start = time.perf_counter()
            done = run_province(province, reps, store=store, executor=client.get_executor())
            ran = time.perf_counter() - start
            gc.collect()
            kept_run, peak_run = tracemalloc.get_traced_memory()
            rss_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            tracemalloc.reset_peak()
            rolled = roll_up(province, store, reps, series=("employed_rate",), keep_indicators=("persons",))
            wall = time.perf_counter() - start
            _, peak_rollup = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            runs = store.runs(province.experiment)
            store.close()
    assert not done.failures, done.failures[0].error
    assert not rolled.missing
    return {
        "counties": counties,
        "runs": done.done,
        "run_seconds": ran,
        "wall_seconds": wall,
        "runs_per_second": done.done / ran,
        "mean_run_seconds": float(runs["wall_seconds"].mean()),
        "mean_persons": float(runs["persons"].mean()),
        "peak_rss_run_mb": rss_run,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_run_mb": peak_run / 2**20,
        "kept_after_run_mb": kept_run / 2**20,
        "peak_rollup_mb": peak_rollup / 2**20,
    }


def main() -> None:
    """Measure both sizes in fresh processes and print the figures and the extrapolation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small", type=int, default=50, help="counties of the smaller province")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.scale, args.reps, args.months, args.workers)))
        return
    from countysim.province import load_province

    n_all = len(load_province(PROVINCE).counties)
    print(f"province {PROVINCE.name}: scale {args.scale}, {args.reps} replications, 2 packages, "
          f"{args.months} months, {args.workers}-worker LocalCluster (in its own process)")  # fmt: skip
    header = ("counties", "runs", "wall s", "runs/s", "s per run", "persons per run", "RSS MB: run",
              "+ roll-up", "Python MB: run", "kept", "roll-up")  # fmt: skip
    print("  ".join(f"{h:>15}" for h in header), flush=True)
    figures = []
    for n in (args.small, n_all):  # each size in a fresh process: its peak memory is its own
        cmd = [sys.executable, __file__, "--one", str(n), "--scale", str(args.scale), "--reps", str(args.reps),
               "--months", str(args.months), "--workers", str(args.workers)]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        f = json.loads(out.stdout.strip().splitlines()[-1])
        figures.append(f)
        cells = (f["counties"], f["runs"], f"{f['wall_seconds']:.1f}", f"{f['runs_per_second']:.2f}",
                 f"{f['mean_run_seconds']:.2f}", f"{f['mean_persons']:,.0f}", f"{f['peak_rss_run_mb']:.0f}",
                 f"{f['peak_rss_mb']:.0f}",
                 f"{f['peak_run_mb']:.1f}", f"{f['kept_after_run_mb']:.1f}", f"{f['peak_rollup_mb']:.1f}")  # fmt: skip
        print("  ".join(f"{c!s:>15}" for c in cells), flush=True)
    small, big = figures
    added = big["counties"] - small["counties"]
    growth = (big["peak_rss_mb"] - small["peak_rss_mb"]) / added
    growth_run = (big["peak_rss_run_mb"] - small["peak_rss_run_mb"]) / added
    print(f"driver memory: {growth_run:+.2f} MB of peak RSS per added county while running "
          f"({small['peak_rss_run_mb']:.0f} MB at {small['counties']} counties, {big['peak_rss_run_mb']:.0f} MB at "
          f"{big['counties']}), {growth:+.2f} MB with the roll-up "
          f"({small['peak_rss_mb']:.0f} MB at {small['counties']} counties, {big['peak_rss_mb']:.0f} MB at "
          f"{big['counties']}); peak Python allocations while running {small['peak_run_mb']:.1f} → {big['peak_run_mb']:.1f} MB, "
          f"while rolling up {small['peak_rollup_mb']:.1f} → {big['peak_rollup_mb']:.1f} MB")  # fmt: skip
    full_run = big["mean_run_seconds"] / args.scale * FULL_MONTHS / args.months
    runs = big["runs"]
    print(f"full-size province ({big['counties']} counties, scale 1, {FULL_MONTHS} months, {args.reps} replications, "
          f"2 packages: {runs} runs of ~{full_run:.0f} s each):")  # fmt: skip
    for n in (2, 16, 64, 256):
        hours = runs * full_run / n / 3600
        print(f"  on {n:>3} workers: {hours:6.2f} h")
    facts = machine_facts()
    print("machine:", ", ".join(f"{k} {v}" for k, v in facts.items()))
    if args.json:
        args.json.write_text(
            json.dumps({"sizes": figures, "full_run_seconds": full_run, "machine": facts}, indent=2)
        )


if __name__ == "__main__":
    main()
