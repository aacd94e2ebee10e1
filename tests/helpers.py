"""Helpers shared by the tests (importable as ``helpers``)."""

from __future__ import annotations

from pathlib import Path

import countysim as cs

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def small(scenario: cs.Scenario, households: int = 4000, months: int = 24, **changes) -> cs.Scenario:
    """A smaller county and horizon for fast tests (same profile shares and behaviour)."""
    return scenario.replace(**{"county.households.n": households, "horizon.months": months}, **changes)
