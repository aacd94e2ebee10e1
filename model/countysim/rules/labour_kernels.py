"""Compiled passes (numba) of the labour and wages phases over the person columns.

Each kernel does in one pass over the persons (or over the workers) what the plain-numpy rule in
``countysim.rules.labour`` does in many passes with full-length temporaries: the masks of who is
a worker, who holds a job, who decides; the household counts the job choice reads; the
separation decision, the tenure clock and the job counts; the wage equation. The arithmetic is
the numpy rule's, term by term in the same order and the same precision (no fastmath), so the
results are bit-identical; ``tests/rules/test_labour_kernels.py`` checks each kernel against its
numpy reference. Transcendental functions (``exp``) stay in numpy, between kernels: numba's
``exp`` is the C library's, which need not round like numpy's vectorised one.

Imported on first use (``countysim.rules.labour.kernels``), so importing the model does not pay
for numba.
"""

from __future__ import annotations

import numba
import numpy as np

# codes used inside the kernels (``countysim.population.codes``; numba reads module globals as constants)
_WORKER, _CHILD, _ELDER = 0, 1, 2
_J_NONE, _J_FARM, _J_TOWNSHIP = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def scan_persons(
    alive: np.ndarray,
    role: np.ndarray,
    age_m: np.ndarray,
    hh: np.ndarray,
    job: np.ndarray,
    child_age_m: int,
    workers: np.ndarray,
    employed: np.ndarray,
    kids: np.ndarray,
    elders: np.ndarray,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Who works and who holds a non-farm job, and each household's children and elders.

    Writes the slots of the living workers into ``workers`` and of those among them in non-farm
    work (``job >= J_TOWNSHIP``: the jobs one can leave) into ``employed``, in slot order, and
    adds each living child under ``child_age_m`` months to ``kids[hh]`` and each living elder to
    ``elders[hh]``. Returns how many workers and employed it wrote. Branch-free (each slot is
    written and the cursor moves on only for a worker): roles alternate unpredictably along the
    slots.
    """
    nw = 0
    ne = 0
    for i in range(alive.shape[0]):
        a = alive[i]
        r = role[i]
        w = a & (r == _WORKER)
        workers[nw] = i
        nw += w
        employed[ne] = i
        ne += w & (job[i] >= _J_TOWNSHIP)
        h = hh[i]
        kids[h] += a & (r == _CHILD) & (age_m[i] < child_age_m)
        elders[h] += a & (r == _ELDER)
    return nw, ne


@numba.njit(cache=True, nogil=True)
def separate(
    workers: np.ndarray,
    job: np.ndarray,
    tenure: np.ndarray,
    skill: np.ndarray,
    placed: np.ndarray,
    base: np.ndarray,
    rel_new_hire: float,
    rel_certified: float,
    rel_placed: float,
    u: np.ndarray,
    leavers: np.ndarray,
    looking: np.ndarray,
    held: np.ndarray,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """The month's separations, the tenure clock and the jobs held, in one pass over the workers.

    ``u`` holds one draw per worker in non-farm work, in the order of ``workers``. A worker in
    non-farm work leaves when the draw is below ``rules.labour.separation_hazard`` (``base`` by
    job, times the early-tenure, certificate and placement factors, at most 1); the others who
    hold a job (farming included) add a month of tenure. Writes the leavers' slots to
    ``leavers`` and the slots of everyone now without non-farm work (the jobless, the farmers
    and the leavers: those who may search) to ``looking``, both in slot order, and counts the
    jobs held after the separations (a leaver holds none) into ``held`` by job code. Returns how
    many leavers and lookers it wrote. The leavers' jobs are not ended here
    (``Population.end_jobs`` does it).
    """
    k = 0
    nl = 0
    nlook = 0
    for r in range(workers.shape[0]):
        i = workers[r]
        j = job[i]
        if j >= _J_TOWNSHIP:
            h = base[j]
            h = h * (rel_new_hire if tenure[i] < 6 else 1.0)
            h = h * (rel_certified if skill[i] > 0 else 1.0)
            h = h * (rel_placed if placed[i] else 1.0)
            h = min(h, 1.0)
            if u[k] < h:
                leavers[nl] = i
                nl += 1
                looking[nlook] = i
                nlook += 1
                held[_J_NONE] += 1
            else:
                tenure[i] += 1
                held[j] += 1
            k += 1
        else:
            if j == _J_FARM:
                tenure[i] += 1
            looking[nlook] = i
            nlook += 1
            held[j] += 1
    return nl, nlook


@numba.njit(cache=True, nogil=True)
def count_at(values: np.ndarray, idx: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """``out += np.bincount(values[idx], minlength=len(out))``, in one pass."""
    for r in range(idx.shape[0]):
        out[values[idx[r]]] += 1


@numba.njit(cache=True, nogil=True)
def wage_terms(
    working: np.ndarray,
    job: np.ndarray,
    sector: np.ndarray,
    edu: np.ndarray,
    skill: np.ndarray,
    age_m: np.ndarray,
    tenure: np.ndarray,
    effect: np.ndarray,
    brand: np.ndarray,
    placed: np.ndarray,
    edu_term: np.ndarray,
    skill_term: np.ndarray,
    age_term: np.ndarray,
    wage_tenure: float,
    base: np.ndarray,
    sector_factor: np.ndarray,
    brand_premium: float,
    placed_premium: float,
    logw: np.ndarray,
    level: np.ndarray,
    nonfarm: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """The wage equation's terms for the persons ``working``, in one pass.

    Writes each one's ``rules.labour.log_wage`` to ``logw`` (the terms by education, skill and
    age in months come from tables the numpy rule computed: ``rules.labour.wage_tables``), the
    level of their pay, ``base[job] · sector_factor[sector] · (1 + premium)`` with the brand and
    placement premia, to ``level``, and whether the job is non-farm work (farm income has no
    person terms) to ``nonfarm``.
    """
    for r in range(working.shape[0]):
        i = working[r]
        j = job[i]
        t = min(tenure[i], 36)
        logw[r] = (
            np.float64(edu_term[edu[i]])
            + skill_term[skill[i]]
            - age_term[age_m[i]]
            + wage_tenure * np.float64(t)
            + np.float64(effect[i])
        )
        premium = np.float64(brand[i]) * brand_premium + np.float64(placed[i]) * placed_premium
        level[r] = base[j] * sector_factor[sector[i]] * (1.0 + premium)
        nonfarm[r] = j >= _J_TOWNSHIP


@numba.njit(cache=True, nogil=True)
def pay(
    working: np.ndarray,
    level: np.ndarray,
    nonfarm: np.ndarray,
    exp_logw: np.ndarray,
    growth: float,
    wage: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """``wage`` of the persons ``working``: ``level · (exp(log w) for non-farm work, else 1) · growth``.

    Rounded to float32, in ``rules.labour.wage_of``'s order.
    """
    for r in range(working.shape[0]):
        x = exp_logw[r] if nonfarm[r] else 1.0
        wage[working[r]] = np.float32(level[r] * x * growth)
