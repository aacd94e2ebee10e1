"""The same month in object-per-agent Mesa against countysim's whole month, measured in one run.

Usage::

    uv run python benchmarks/bench_mesa.py                      # prints the figures
    uv run python benchmarks/bench_mesa.py --figure docs/figures/bench_mesa.png

The Mesa model is the plainest one can write: one ``mesa.Agent`` object per person, and a month
of ONE trivial rule (each agent ages a month and, with probability 1 %, changes a flag), run by
``model.agents.shuffle_do("step")``. countysim's month is the whole month of the default county
(every phase of ``countysim phases`` and the indicator panel). Both are timed in this process, on
the same machine, and reported as seconds per person-month.
"""

from __future__ import annotations

import argparse
import time

import mesa
import numpy as np

from machine import machine_facts


class Person(mesa.Agent):
    """One person as an object: one rule a month."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.age_m = int(model.random.randrange(0, 900))
        self.flag = False

    def step(self) -> None:
        self.age_m += 1
        if self.model.random.random() < 0.01:
            self.flag = not self.flag


class Trivial(mesa.Model):
    """``n`` persons, one trivial rule a month."""

    def __init__(self, n: int, seed: int = 1) -> None:
        super().__init__(rng=seed)
        for _ in range(n):
            Person(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


def mesa_seconds_per_person_month(n: int, months: int) -> float:
    model = Trivial(n)
    t0 = time.perf_counter()
    for _ in range(months):
        model.step()
    return (time.perf_counter() - t0) / (n * months)


def countysim_seconds_per_person_month(months: int) -> tuple[float, int]:
    from pathlib import Path

    from countysim.model import CountyModel
    from countysim.scenario import load

    scenario = load(
        Path(__file__).resolve().parent.parent / "scenarios" / "baseline.toml",
        **{"horizon.months": months + 1},
    )
    model = CountyModel(scenario)
    model.step()  # the first month compiles the kernels (or loads them from the cache)
    persons = int(model.pop.alive.sum())
    t0 = time.perf_counter()
    while model.running:
        model.step()
    return (time.perf_counter() - t0) / (persons * months), persons


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agents", type=int, default=100_000, help="Mesa agents (default: 100,000)")
    ap.add_argument("--months", type=int, default=6, help="months of each (default: 6)")
    ap.add_argument("--figure", metavar="PNG", help="also draw the comparison to PNG")
    args = ap.parse_args(argv)
    f = machine_facts()
    print("object-per-agent Mesa against countysim, seconds per person-month")
    print(
        f"machine: {f['cpu_count']} CPUs, {f['cpu_model']}; Python {f['python_version']}, mesa {mesa.__version__}"
    )
    mesa_s = mesa_seconds_per_person_month(args.agents, args.months)
    ours, persons = countysim_seconds_per_person_month(args.months)
    print(f"  Mesa, {args.agents:,} agents, one trivial rule:     {mesa_s * 1e6:8.3f} µs per person-month")
    print(f"  countysim, {persons:,} persons, the whole month: {ours * 1e6:8.3f} µs per person-month")
    print(f"  countysim's whole month is {mesa_s / ours:.1f} times faster than Mesa's one rule")
    if args.figure:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7.6, 2.6))
        labels = [
            f"Mesa: one trivial rule\n({args.agents:,} agent objects)",
            f"countysim: the whole month\n({persons:,} persons, 12 phases + indicators)",
        ]
        values = np.array([mesa_s, ours]) * 1e6
        ax.barh(labels, values, color=["#999999", "#1f77b4"])
        for y, v in enumerate(values):
            ax.text(v, y, f"  {v:.2f} µs", va="center")
        ax.set_xlabel("microseconds per person-month (lower is faster)")
        ax.set_xlim(0, values.max() * 1.3)
        ax.invert_yaxis()
        fig.tight_layout()
        fig.savefig(args.figure, dpi=120, bbox_inches="tight")
        print(f"figure written to {args.figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
