"""What a run says about each target: the same quantities ``countysim.plausibility`` checks.

A level is an indicator's mean over the months of a year; a trend the change a year between
two years' means (or the growth rate a year, ``relative``), exactly as the plausibility checks
compute them, so that a calibration fits what those checks hold the model to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from countysim.calibration.spec import Target
from countysim.results import RunResult


def annual_mean(result: RunResult, indicator: str, year: int) -> float:
    """The indicator's mean over the run's months of ``year`` (NaN where it has none)."""
    idx = [i for i, m in enumerate(result.months) if m.startswith(f"{year}-")]
    return float(np.mean(result.series(indicator)[idx])) if idx else math.nan


def statistic(results: Sequence[RunResult], target: Target) -> float:
    """The target's quantity over replications of one parameter set.

    Levels and months average the replications' values; a trend compares the replications'
    mean of each year, as ``countysim.plausibility.trends`` does.
    """
    if target.kind == "level":
        return float(np.mean([annual_mean(r, target.indicator, target.year) for r in results]))
    if target.kind == "month":
        return float(np.mean([r.series(target.indicator)[r.months.index(target.month)] for r in results]))
    a = float(np.mean([annual_mean(r, target.indicator, target.first) for r in results]))
    b = float(np.mean([annual_mean(r, target.indicator, target.last) for r in results]))
    years = target.last - target.first
    if target.relative:
        return (b / a) ** (1 / years) - 1 if a > 0 else math.nan
    return (b - a) / years


def statistics(results: Sequence[RunResult], targets: Sequence[Target]) -> dict[str, float]:
    """Every target's quantity, by target name."""
    return {t.name: statistic(results, t) for t in targets}


def distance(x: dict[str, float], observed: dict[str, float], scales: dict[str, float]) -> float:
    """Root mean square of the standardised differences ``(x - observed) / scale`` (inf if any is NaN)."""
    z = [(x[k] - observed[k]) / scales[k] for k in observed]
    if not z or not all(math.isfinite(v) for v in z):
        return math.inf
    return float(math.sqrt(sum(v * v for v in z) / len(z)))
