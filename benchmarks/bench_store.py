"""How fast the results store writes: ``save_runs`` of many runs into a fresh SQLite file.

    uv run python benchmarks/bench_store.py [--runs 200] [--indicators 130] [--months 96] [--repeat 3]

Prints the wall and CPU seconds of each repeat, the best, and values written per second. The runs are written
in batches of 16, as the experiment runner writes them (``run_experiment``'s ``batch_size``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from countysim.results import RunResult
from countysim.store import ResultsStore
from countysim.version import code_fingerprint

BATCH = 16


def make_runs(n_runs: int, n_indicators: int, n_months: int) -> list[RunResult]:
    """Runs with random values, a few NaN among them (stored as NULL)."""
    rng = np.random.default_rng(0)
    names = tuple(f"indicator_{j:03d}" for j in range(n_indicators))
    months = tuple(f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(n_months))
    runs = []
    for i in range(n_runs):
        values = rng.random((n_months, n_indicators))
        values[rng.random(values.shape) < 0.01] = np.nan
        runs.append(
            RunResult(
                scenario_name="bench",
                scenario_hash=f"{i:016x}",
                seed=i,
                months=months,
                indicators=names,
                values=values,
                persons=1000,
                wall_seconds=1.0,
                code_version="bench",
                scenario_json="{}",
                code_fingerprint=code_fingerprint(),
            )
        )
    return runs


def bench(runs: list[RunResult], folder: Path, label: str) -> tuple[float, float]:
    """Wall and CPU seconds of this process to save ``runs`` in batches into a new SQLite file."""
    with ResultsStore(f"sqlite:///{folder / f'{label}.db'}") as store:
        exp = store.experiment("bench", kind="bench")
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(runs), BATCH):
            store.save_runs(exp, runs[i : i + BATCH])
        return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    """Parse the options, run the repeats, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=130)
    parser.add_argument("--months", type=int, default=96)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = make_runs(args.runs, args.indicators, args.months)
    n_values = args.runs * args.indicators * args.months
    with tempfile.TemporaryDirectory() as tmp:
        seconds = [bench(runs, Path(tmp), f"r{i}") for i in range(args.repeat)]
    best = min(wall for wall, _ in seconds)
    print(
        f"save_runs: {args.runs} runs x {args.indicators} indicators x {args.months} months "
        f"= {n_values:,} values, batches of {BATCH}, SQLite"
    )
    print("repeats, wall s (CPU s): " + ", ".join(f"{w:.2f} ({c:.2f})" for w, c in seconds))
    print(
        f"best {best:.2f} s wall, {min(c for _, c in seconds):.2f} s CPU, {n_values / best / 1e6:.2f} M values/s"
    )


if __name__ == "__main__":
    main()
