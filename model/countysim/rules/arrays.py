"""Array helpers every rule uses: annual flows by month, lotteries, household reductions."""

from __future__ import annotations

import numpy as np

from countysim.backend import any_by_group
from countysim.population.state import Population


def count_this_month(per_year: float, t: int) -> int:
    """Whole persons of an annual flow that fall in month ``t`` (exact over the year)."""
    return int(np.floor(per_year * (t + 1) / 12.0) - np.floor(per_year * t / 12.0))


def pick_lowest(candidates: np.ndarray, draw: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` candidates with the smallest draws (all if fewer); ``draw`` is indexed by slot."""
    if k <= 0 or len(candidates) == 0:
        return candidates[:0]
    return lowest(candidates, draw[candidates], k)


def lowest(candidates: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` candidates with the smallest ``keys`` (one key per candidate; all if fewer)."""
    if k <= 0 or len(candidates) == 0:
        return candidates[:0]
    if k >= len(candidates):
        return candidates
    return candidates[np.argpartition(keys, k - 1)[:k]]


def household_any(pop: Population, mask: np.ndarray) -> np.ndarray:
    """Per household: at least one person satisfies ``mask``."""
    return any_by_group(pop.hh, mask, pop.n_households)
