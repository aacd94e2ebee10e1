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


def unsigned(codes: np.ndarray) -> np.ndarray:
    """An ``int8`` code column as ``uint8`` (a view, no copy); any other column as it is.

    Codes are small non-negative integers, so the values are the same. A compiled kernel that
    indexes a table with a signed code must allow for a negative index (numba wraps it round
    from the end, a compare and a select at every access); with an unsigned code it need not.
    """
    return codes.view(np.uint8) if codes.dtype == np.int8 else codes


def lookup(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``table[values]`` for small non-negative integer codes, in one pass (no index temporary)."""
    values = np.asarray(values)
    if values.ndim != 1:
        return table[values]
    out = np.empty(len(values), dtype=table.dtype)
    _k()._lookup(table, unsigned(values), out)
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


def max_by_group(groups: np.ndarray, mask: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: the largest of ``values`` over the members ``mask`` holds for (0 where none).

    The same as ``np.maximum.at(out, groups[mask], values[mask])`` on ``out = zeros(n_groups)``.
    """
    out = np.zeros(n_groups, dtype=values.dtype)
    _k()._max_by_group(groups, mask, values, out)
    return out


def set_bits_below(bits: np.ndarray, u: np.ndarray, p: np.ndarray) -> None:
    """Set bit ``k`` of ``bits[h]`` where ``u[h, k] < p[k]`` (in place; bits already set stay set).

    The same as ``bits |= np.bitwise_or.reduce((u < p).astype(bits.dtype) << np.arange(k), axis=1)``.
    """
    _k()._set_bits_below(bits, u, np.asarray(p, dtype=np.float64))


def census(
    pop,
    jobs,
    codes,
    skill_high,
    masks,
    at_home,
    by_role,
    by_location,
    hukou_town,
    by_age,
    grids,
    sums,
    counts,
) -> None:
    """The census of the month's indicators (``countysim.phases.base.Snapshot``): compiled passes.

    Fills ``masks`` (worker, employed, outside, employee, surveyed, township, kid), ``at_home``,
    the counts ``by_role``, ``by_location``, ``hukou_town`` and ``by_age``, the three ``grids``
    (workers, worker rights, worker skills), the ``sums`` of wages and ages and the ``counts`` of
    open arrears cases (the living, every slot), placed employees, start-ups, their jobs, in parks.
    """
    k = _k()
    _worker, employed, outside, _employee, surveyed, township, _kid = masks
    slots = np.empty(pop.alive.shape[0], dtype=np.int64)
    u = unsigned
    n_workers = k._census_masks(
        pop.alive, u(pop.role), u(pop.job), u(pop.hukou), pop.age_m, u(pop.loc), pop.hh, jobs, codes, *masks, at_home,
        by_role, by_location, hukou_town, pop.arrears, pop.placed, pop.firm_jobs, pop.in_park, counts, slots,
    )  # fmt: skip
    workers, rights, skills = grids
    k._census_workers(
        slots[:n_workers], u(pop.job), u(pop.hukou), u(pop.sex), u(pop.edu), pop.tenure, pop.age_m, pop.contract,
        pop.ins_pension, pop.ins_medical, pop.ins_unemployment, pop.ins_injury, u(pop.skill), skill_high,
        pop.craftsman, pop.brand, pop.willing, pop.trained, pop.poverty, employed, outside, surveyed, township,
        pop.wage, workers, rights, skills, by_age, sums,
    )  # fmt: skip


def count_left_behind(
    kid: np.ndarray, school: np.ndarray, hh: np.ndarray, at_home: np.ndarray, code: int
) -> int:
    """Children flagged in ``kid`` whose ``school`` is ``code`` and whose household is not ``at_home``.

    The same as ``(kid & (school == code) & ~at_home[hh]).sum()``.
    """
    return int(_k()._count_left_behind(kid, school, hh, at_home, code))


def household_census(residence, housing, permit, wait_months, aware, grid, by_aware) -> None:
    """Households counted into ``grid[residence, housing, permit, waiting]`` and ``by_aware[aware]``, one pass."""
    _k()._household_census(unsigned(residence), unsigned(housing), permit, wait_months, aware, grid, by_aware)
