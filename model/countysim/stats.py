"""The mean and interval across replications: the one helper of needs, assessment, bands and reports.

A replication's outcome is one draw of what the county may see; across replications,
:func:`interval` gives their mean and the central ``level`` percentile interval (5th-95th for
90 %, numpy's linear interpolation). Missing values (NaN: an indicator undefined in a run) are
left out, and ``n`` says how many values were used. This is the spread of outcomes, not the
confidence interval of their mean (that one is ``experiments.compare.paired_differences``'s).
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

#: the interval's default coverage: 90 %, the 5th to the 95th percentile
LEVEL = 0.90


class Interval(NamedTuple):
    """Mean, lower and upper bound of the central interval, and how many values were used.

    Scalars for :func:`interval` over all values; arrays (one per column) with ``axis``.
    """

    mean: float | np.ndarray
    lo: float | np.ndarray
    hi: float | np.ndarray
    n: int | np.ndarray


def percentiles(level: float = LEVEL) -> tuple[float, float]:
    """The percentiles bounding the central ``level`` interval: (5.0, 95.0) for 0.90."""
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    half = 50.0 * level  # 45.0 exactly for 0.90, so the bounds are exactly 5 and 95
    return 50.0 - half, 50.0 + half


def interval(values: ArrayLike, level: float = LEVEL, axis: int | None = None) -> Interval:
    """The mean and central ``level`` percentile interval of ``values``, NaN left out.

    Args:
        values: replications' values (any shape); NaN marks a missing value.
        level: the interval's coverage (0.90: the 5th to the 95th percentile).
        axis: ``None`` for one interval over all values; ``0`` for one per column (e.g.
            replications × months gives one interval per month).

    Returns:
        ``Interval(mean, lo, hi, n)``; NaN bounds and mean where no value is left.
    """
    q = percentiles(level)
    x = np.asarray(values, dtype=np.float64)
    if axis is None:
        ok = x[~np.isnan(x)]
        if not len(ok):
            return Interval(np.nan, np.nan, np.nan, 0)
        lo, hi = np.percentile(ok, q)
        return Interval(float(ok.mean()), float(lo), float(hi), len(ok))
    n = np.sum(~np.isnan(x), axis=axis)
    if n.min(initial=x.shape[axis]) == x.shape[axis]:  # nothing missing: the plain statistics
        lo, hi = np.percentile(x, q, axis=axis)
        return Interval(x.mean(axis=axis), lo, hi, n)
    with warnings.catch_warnings():  # an all-NaN column is NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanpercentile(x, q, axis=axis)
        return Interval(np.nanmean(x, axis=axis), lo, hi, n)
