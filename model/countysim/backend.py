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


def _in_table(bits: int, codes: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """``out[i] = bit codes[i] of bits`` for uint8 ``codes`` (a table of up to eight codes as bits).

    A shift and a mask, each one vectorised pass over bytes: several times faster than the gather
    ``table[codes]`` (numpy's ``take`` has no SIMD loop).
    """
    np.right_shift(np.uint8(bits), codes, out=scratch)
    np.bitwise_and(scratch, 1, out=scratch)
    out[:] = scratch.view(np.bool_)
    return out


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
    """The census of the month's indicators (``countysim.phases.base.Snapshot``).

    Fills ``masks`` (worker, employed, outside, employee, surveyed, township, kid), ``at_home``,
    the counts ``by_role``, ``by_location``, ``hukou_town`` and ``by_age``, the three ``grids``
    (workers, worker rights, worker skills), the ``sums`` of wages and ages and the ``counts`` of
    open arrears cases (the living, every slot), placed employees, start-ups, their jobs, in parks.

    ``jobs[k, j]`` says whether job code ``j`` is employed (k=0), outside the county (1), paid by
    an employer (2), local on the survey's definition (3); ``codes`` holds the codes of the worker
    and child roles, the village location, and the age bounds (months) of a compulsory-age child.
    The masks and the counts are vectorised numpy passes over byte columns (a compare or a logical
    and is one SIMD pass; a count is ``count_nonzero``); what needs a scatter (the workers at home
    per household, the grids) and the sums in slot order are compiled passes.
    """
    worker_role, child_role, village, kid_from, kid_to = codes
    worker, employed, outside, employee, surveyed, township, kid = masks
    alive, age_m = pop.alive, pop.age_m
    role, job, hukou, loc = unsigned(pop.role), unsigned(pop.job), unsigned(pop.hukou), unsigned(pop.loc)
    if jobs.shape[1] > 8:
        raise ValueError(
            f"the census reads job codes as bits of a byte: {jobs.shape[1]} job codes, at most 8"
        )
    b_employed, b_outside, b_wage, b_local = (sum(1 << j for j in np.flatnonzero(row)) for row in jobs)
    byte, flag = np.empty(len(alive), dtype=np.uint8), np.empty(len(alive), dtype=np.bool_)
    # the masks
    np.equal(role, worker_role, out=worker)
    np.logical_and(worker, alive, out=worker)
    np.logical_and(worker, _in_table(b_employed, job, employed, byte), out=employed)
    np.logical_and(worker, _in_table(b_outside, job, outside, byte), out=outside)
    np.logical_and(worker, _in_table(b_wage, job, employee, byte), out=employee)
    np.equal(hukou, 0, out=surveyed)
    np.logical_and(surveyed, employed, out=surveyed)
    np.logical_and(surveyed, _in_table(b_local, job, township, byte), out=township)
    np.equal(role, child_role, out=kid)
    np.logical_and(kid, alive, out=kid)
    np.logical_and(kid, np.greater_equal(age_m, kid_from, out=flag), out=kid)
    np.logical_and(kid, np.less_equal(age_m, kid_to, out=flag), out=kid)
    # the counts of the living by role, location and hukou
    for codes_, out in ((role, by_role), (loc, by_location)):
        for r in range(len(out)):
            out[r] = np.count_nonzero(np.logical_and(np.equal(codes_, r, out=flag), alive, out=flag))
    hukou_town[0] = np.count_nonzero(np.logical_and(np.equal(hukou, 1, out=flag), alive, out=flag))
    # open arrears cases, placed employees, start-ups, their jobs, in parks
    owed = np.greater(pop.arrears, 0, out=flag)
    counts[1] = np.count_nonzero(owed)
    counts[0] = np.count_nonzero(np.logical_and(owed, alive, out=flag))
    counts[2] = np.count_nonzero(np.logical_and(employed, pop.placed, out=flag))
    counts[3] = np.count_nonzero(np.greater(pop.firm_jobs, 0, out=flag))
    counts[4] = pop.firm_jobs.sum(dtype=np.int64)
    counts[5] = np.count_nonzero(pop.in_park)
    # a worker of the household is at home in the village
    _k()._any_by_group(pop.hh, np.logical_and(worker, np.equal(loc, village, out=flag), out=flag), at_home)
    u = unsigned
    workers, rights, skills = grids
    _k()._census_workers(
        np.flatnonzero(worker), job, hukou, u(pop.sex), u(pop.edu), pop.tenure, age_m, pop.contract,
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
