"""The array backend: the one place the county state and the rules take their array module from.

A rule written against the array API asks :func:`xp` for its module when it runs (never imports
numpy for its arithmetic), so a later GPU backend (CuPy) is a change of this module — its
:func:`use` and the compiled kernels below — not of every rule. The default is numpy;
``tests/test_backend.py`` runs rules on ``array_api_strict``, a minimal implementation of the
standard that refuses anything outside it.

The kernels are the few reductions that numpy can only do in several passes with temporaries
(a table lookup through an ``int8`` code, a masked mean, "any member" per household); each is one
compiled pass (numba) over numpy columns, with the plain-numpy expression it replaces in its
docstring.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

import numpy as np

_MODULE: ModuleType = np


def _k() -> ModuleType:
    from countysim import kernels

    return kernels


def xp() -> ModuleType:
    """The array module rules compute with (numpy unless :func:`use` says otherwise)."""
    return _MODULE


@contextmanager
def use(module: ModuleType) -> Iterator[ModuleType]:
    """Compute with ``module`` (an array-API namespace) inside the ``with`` block."""
    global _MODULE
    before, _MODULE = _MODULE, module
    try:
        yield module
    finally:
        _MODULE = before


def lookup(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``table[values]`` for small non-negative integer codes, in one pass (no index temporary)."""
    values = np.asarray(values)
    if values.ndim != 1:
        return table[values]
    out = np.empty(len(values), dtype=table.dtype)
    _k()._lookup(table, values, out)
    return out


def masked_mean(values: np.ndarray, mask: np.ndarray) -> float:
    """``values[mask].mean()`` (0 where ``mask`` holds nowhere), summed in float64 in one pass."""
    return float(_k()._masked_mean(values, mask))


def any_by_group(groups: np.ndarray, mask: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: whether ``mask`` holds for one of its members.

    The same as ``np.bincount(groups[mask], minlength=n_groups) > 0``.
    """
    out = np.zeros(n_groups, dtype=bool)
    _k()._any_by_group(groups, mask, out)
    return out


def count_by_group(groups: np.ndarray, mask: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: how many members ``mask`` holds for.

    The same as ``np.bincount(groups[mask], minlength=n_groups)``.
    """
    out = np.zeros(n_groups, dtype=np.int64)
    _k()._count_by_group(groups, mask, out)
    return out
