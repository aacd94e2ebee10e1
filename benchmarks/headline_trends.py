"""The headline indicators of the status quo and the full action: first month and horizon, mean of seeds.

Usage::

    uv run python benchmarks/headline_trends.py [--scale 0.1] [--seeds 1,2] [--json out.json]

Prints, for ``scenarios/baseline.toml`` and ``scenarios/full_action.toml`` scaled by ``--scale``,
each headline indicator (``countysim.indicators.HEADLINE``, and the survey-defined age) in the
first simulated month and at the horizon. Run it on two commits to see how a change of the model
moved the figures (docs/calibration.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import countysim as cs
from countysim.indicators import HEADLINE

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--json")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    out: dict[str, dict[str, list[float]]] = {}
    for name in ("baseline", "full_action"):
        spec = cs.load_scenario(ROOT / "scenarios" / f"{name}.toml").scaled(args.scale)
        runs = [cs.run(spec, seed=s) for s in seeds]
        names = [n for n in (*HEADLINE, "survey_mean_age") if n in runs[0].indicators]
        out[name] = {
            n: [
                float(np.mean([r.series(n)[0] for r in runs])),
                float(np.mean([r.series(n)[-1] for r in runs])),
            ]
            for n in names
        }
    print(f"scale {args.scale:g}, seeds {seeds}: first month -> horizon")
    print(f"{'indicator':34}{'status quo':>28}{'full action':>28}")
    for n in out["baseline"]:
        a, b = out["baseline"][n], out["full_action"][n]
        print(f"{n:34}{a[0]:>13.4g} -> {a[1]:<11.4g}{b[0]:>13.4g} -> {b[1]:<11.4g}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
