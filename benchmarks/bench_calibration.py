"""Calibration benchmark: simulations per second on 1 and 2 workers, and the shipped calibration's cost.

Usage::

    uv run python benchmarks/bench_calibration.py              # throughput, and the shipped file's cost
    uv run python benchmarks/bench_calibration.py --shipped    # also refit calibrations/nbs_2019_2022.toml
    uv run python benchmarks/bench_calibration.py --json out.json

(a) **Throughput.** The same small calibration (``--scale`` 0.03 of the validation county, 48 months,
    the shipped file's targets and its first two parameters, ``--population`` 16, 2 generations)
    run from nothing into a fresh SQLite store with 1 and with 2 local worker processes: simulations
    per second over the whole calibration (proposals, runs, store writes and reads, pyabc's own work).
(b) **Shipped calibration.** Simulations, wall time and core-hours as recorded in the provenance of
    ``calibrations/nbs_2019_2022.csv``; with ``--shipped``, the calibration is run again here
    (``countysim calibrate calibrations/nbs_2019_2022.toml --screen``, into a fresh store) and timed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from machine import machine_facts

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TOML = ROOT / "calibrations" / "nbs_2019_2022.toml"


def throughput(workers: int, scale: float, population: int) -> dict:
    from countysim.calibration import calibrate, load_calibration
    from countysim.calibration.spec import Method
    from countysim.experiments.runner import default_executor
    from countysim.store import ResultsStore

    spec = load_calibration(SHIPPED_TOML)
    spec = replace(
        spec, name=f"bench-{workers}", scale=scale, priors=spec.priors[:2],
        method=Method(population=population, generations=2, min_epsilon=0.0),
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, ResultsStore(f"sqlite:///{folder}/bench.db") as store:
        pool = default_executor(workers)
        try:
            started = time.perf_counter()
            result = calibrate(spec, store=store, executor=pool)
            wall = time.perf_counter() - started
        finally:
            pool.shutdown()
    return {"workers": workers, "simulations": result.n_run, "wall_s": wall, "per_s": result.n_run / wall}


def shipped(rerun: bool) -> dict:
    from countysim.calibration import SHIPPED, load_ensemble

    out: dict = {}
    if SHIPPED.is_file():
        prov = load_ensemble(SHIPPED).provenance
        out["recorded"] = {
            "simulations": prov.get("n_simulations"), "wall_s": prov.get("wall_seconds"),
            "workers": prov.get("workers") or 2,
            "core_hours": (prov.get("wall_seconds") or 0) * (prov.get("workers") or 2) / 3600,
        }  # fmt: skip
    if rerun:
        import subprocess

        with tempfile.TemporaryDirectory() as folder:
            command = [sys.executable, "-c", "from countysim.cli import main; main()", "calibrate", str(SHIPPED_TOML), "--screen", "--db",
                       f"sqlite:///{folder}/shipped.db", "--output-dir", folder, "-q", "--workers", "2"]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
        out["rerun"] = {
            "wall_s": wall,
            "core_hours": wall * 2 / 3600,
            "last_lines": done.stdout.splitlines()[-4:],
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.03)
    parser.add_argument("--population", type=int, default=16)
    parser.add_argument("--shipped", action="store_true", help="refit the shipped calibration and time it")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    rows = [throughput(w, args.scale, args.population) for w in (1, 2)]
    print(
        f"(a) calibration throughput (scale {args.scale}, 48 months, population {args.population}, 2 generations)"
    )
    print(f"{'workers':>8} {'simulations':>12} {'wall s':>8} {'sim/s':>7}")
    for r in rows:
        print(f"{r['workers']:>8} {r['simulations']:>12} {r['wall_s']:>8.1f} {r['per_s']:>7.2f}")
    print(f"speed-up with 2 workers: ×{rows[1]['per_s'] / rows[0]['per_s']:.2f}")
    cost = shipped(args.shipped)
    if "recorded" in cost:
        r = cost["recorded"]
        print(f"\n(b) shipped calibration, as recorded in calibrations/nbs_2019_2022.csv: {r['simulations']} "
              f"simulations, {r['wall_s']:.0f} s wall on {r['workers']} workers, {r['core_hours']:.2f} core-hours")  # fmt: skip
    if "rerun" in cost:
        r = cost["rerun"]
        print(
            f"(b) shipped calibration refitted here: {r['wall_s']:.0f} s wall, {r['core_hours']:.2f} core-hours"
        )
    facts = machine_facts()
    print(f"\nmachine: {facts}")
    if args.json:
        args.json.write_text(json.dumps({"throughput": rows, "shipped": cost, "machine": facts}, indent=2))


if __name__ == "__main__":
    main()
