"""Cost of the random streams per draw: the counter-based generator against numpy's PCG64.

Usage::

    uv run python benchmarks/bench_rng.py            # 1,000,000 slots
    uv run python benchmarks/bench_rng.py --slots 330000

Cases, each the best of ``--repeat`` timings after a warm-up call (so compilation is excluded):

- ``all slots``: one number for every slot (``Streams.uniform(name, t, n)``);
- ``1 % subset``: numbers for 1 % of the slots, by index (``Streams.uniform(name, t, idx)``); the
  PCG64 generator has to draw up to the highest slot asked for and index;
- ``chance, 1 % decide``: ``mask & (u < p)`` over all slots with 1 % deciding (``Streams.chance``);
- ``PCG64 random(n)``: numpy's generator alone, for scale.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from countysim.rng import Streams

from machine import machine_facts


def best(fn, repeat: int) -> float:
    """Best wall seconds of ``repeat`` calls of ``fn`` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slots", type=int, default=1_000_000, help="slots (default: 1,000,000)")
    ap.add_argument("--repeat", type=int, default=20, help="timings per case (default: 20)")
    args = ap.parse_args(argv)
    n = args.slots
    rng = np.random.default_rng(0)
    subset = np.sort(rng.choice(n, n // 100, replace=False))
    mask = np.zeros(n, dtype=bool)
    mask[subset] = True
    p = rng.random(n)
    print("countysim random streams benchmark")
    f = machine_facts()
    print(
        f"machine: {f['cpu_count']} CPUs, {f['cpu_model']}; Python {f['python_version']}, numpy {f['numpy_version']}"
    )
    print(f"{n:,} slots; best of {args.repeat}\n")
    print(f"{'case':<24}{'splitmix64 ms':>15}{'pcg64 ms':>12}{'ns/draw (new)':>16}")
    for label, draws, call in (
        ("all slots", n, lambda s: s.uniform("x", 1, n)),
        ("1 % subset", len(subset), lambda s: s.uniform("x", 1, subset)),
        ("chance, 1 % decide", len(subset), lambda s: s.chance("x", 1, mask, p)),
    ):
        new = best(lambda c=call: c(Streams(1, generator="splitmix64")), args.repeat)
        old = best(lambda c=call: c(Streams(1, generator="pcg64")), args.repeat)
        print(f"{label:<24}{new * 1e3:>15.3f}{old * 1e3:>12.3f}{new / draws * 1e9:>16.2f}")
    g = np.random.default_rng(1)
    raw = best(lambda: g.random(n), args.repeat)
    print(f"{'PCG64 random(n) alone':<24}{'':>15}{raw * 1e3:>12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
