"""The regression baseline: what the reference runs give, stored to detect unintended change.

``uv run python tests/regression.py`` rewrites ``tests/baseline/regression.json``. Do that only
on purpose, when a change to the model is meant to change results, and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import countysim as cs

from helpers import BASELINE, small

FILE = Path(__file__).parent / "baseline" / "regression.json"
#: the reference runs: (label, households, months, seed, lever changes)
CASES = (
    ("baseline", 6000, 36, 1, {}),
    ("action_levers", 6000, 36, 1, {f"levers.{lv.name}": lv.action for lv in cs.LEVERS}),
)


def compute() -> dict[str, dict[str, float]]:
    """Final indicators of every reference run."""
    base = cs.load_scenario(BASELINE)
    out = {}
    for label, households, months, seed, changes in CASES:
        spec = small(base, households=households, months=months, **changes)
        out[label] = cs.run(spec, seed=seed).final()
    return out


if __name__ == "__main__":
    FILE.parent.mkdir(exist_ok=True)
    FILE.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FILE}")
