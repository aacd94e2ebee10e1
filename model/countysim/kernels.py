"""The compiled kernels (numba) of the random streams and of the backend's reductions.

Imported on first use by ``countysim.rng`` and ``countysim.backend``: each is one pass over numpy
columns, cached on disk after its first compilation (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, inline="always")
def _unit(key: np.uint64, counter: np.uint64) -> float:  # pragma: no cover - compiled
    z = key + counter * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True)
def _fill_all(key: np.uint64, k: int, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for c in range(out.shape[0]):
        out[c] = _unit(key, np.uint64(c + 1))


@numba.njit(cache=True, nogil=True)
def _fill_at(key: np.uint64, idx: np.ndarray, k: int, out: np.ndarray) -> None:  # pragma: no cover
    for r in range(idx.shape[0]):
        base = np.uint64(idx[r]) * np.uint64(k) + np.uint64(1)
        for j in range(k):
            out[r * k + j] = _unit(key, base + np.uint64(j))


@numba.njit(cache=True, nogil=True)
def _chance(
    key: np.uint64, mask: np.ndarray, p: np.ndarray, step: int, out: np.ndarray
) -> None:  # pragma: no cover
    for i in range(mask.shape[0]):
        out[i] = mask[i] and _unit(key, np.uint64(i + 1)) < p[i * step]


@numba.njit(cache=True, nogil=True)
def _lookup(table: np.ndarray, values: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(values.shape[0]):
        out[i] = table[values[i]]


@numba.njit(cache=True, nogil=True)
def _masked_mean(values: np.ndarray, mask: np.ndarray) -> float:  # pragma: no cover - compiled
    total, n = 0.0, 0
    for i in range(values.shape[0]):
        if mask[i]:
            total += values[i]
            n += 1
    return total / n if n else 0.0


@numba.njit(cache=True, nogil=True)
def _any_by_group(groups: np.ndarray, mask: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    for i in range(groups.shape[0]):
        if mask[i]:
            out[groups[i]] = True


@numba.njit(cache=True, nogil=True)
def _count_by_group(groups: np.ndarray, mask: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    for i in range(groups.shape[0]):
        if mask[i]:
            out[groups[i]] += 1
