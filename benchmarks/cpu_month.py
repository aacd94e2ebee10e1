"""CPU seconds per simulated month, for comparing versions of countysim on one machine.

Usage::

    uv run python benchmarks/cpu_month.py                          # this checkout
    PYTHONPATH=/path/to/other/checkout/model uv run python benchmarks/cpu_month.py

It uses only what every version has (``load``, ``CountyModel``, ``step``, ``running``), builds the
default county (``--households``), simulates one month to warm up, then ``--months`` more, and
prints the process's CPU seconds per month: on a machine shared with other work, CPU time is what
the run itself cost (wall time also counts the waits).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--households", type=int, default=110_000, help="households (default: 110,000)")
    ap.add_argument("--months", type=int, default=6, help="months timed after the first (default: 6)")
    args = ap.parse_args(argv)

    import countysim
    from countysim.model import CountyModel
    from countysim.scenario import load

    scenario = load(
        ROOT / "scenarios" / "baseline.toml",
        **{"horizon.months": args.months + 1, "county.households.n": args.households},
    )
    model = CountyModel(scenario)
    model.step()
    c0 = time.process_time()
    while model.running:
        model.step()
    cpu = (time.process_time() - c0) / args.months
    print(f"{Path(countysim.__file__).parent}: {int(model.pop.alive.sum()):,} persons; CPU s/month {cpu:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
