"""Helpers shared by the tests (importable as ``helpers``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import countysim as cs
from countysim.calendar import month_labels
from countysim.version import code_fingerprint

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def small(scenario: cs.Scenario, households: int = 4000, months: int = 24, **changes) -> cs.Scenario:
    """A smaller county and horizon for fast tests (same profile shares and behaviour)."""
    return scenario.replace(**{"county.households.n": households, "horizon.months": months}, **changes)


def panel(start: str = "2023-01", months: int = 24, seed: int = 1, **series) -> cs.RunResult:
    """A RunResult with every indicator zero except ``series`` (a number or one value a month)."""
    labels = month_labels(start, months)
    names = cs.indicators.NAMES
    values = np.zeros((months, len(names)))
    for name, v in series.items():
        values[:, names.index(name)] = v
    return cs.RunResult(
        "hand", "0" * 16, seed, labels, names, values, 0, 0.0, "test", "", code_fingerprint=code_fingerprint()
    )


def done_runs(db: Path) -> list[tuple]:
    """The finished runs of a SQLite store file: ``(id, scenario_hash, seed, finished_at)`` by id.

    Empty while the file or its tables do not exist yet (a driver that was just started or killed).
    """
    import sqlite3

    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute(
                "select id, scenario_hash, seed, finished_at from run where status = 'done' order by id"
            ).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
