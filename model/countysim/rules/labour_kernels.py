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

from countysim.kernels import _unit

# codes used inside the kernels (``countysim.population.codes``; numba reads module globals as constants;
# checked by tests/rules/test_kernel_constants.py)
_WORKER, _CHILD, _ELDER = 0, 1, 2
_J_NONE, _J_FARM, _J_TOWNSHIP = 0, 1, 2
_M_FARM, _M_OUTSIDE, _M_OTHER = 0, 4, 5  # columns of ``rules.labour.MARKETS``


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
    ``elders[hh]``. Returns how many workers and employed it wrote. Free of branches on the role
    (each slot is written and the cursor moves on only for a worker): roles alternate
    unpredictably along the slots.
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
        if a:  # the dead keep their slot, not necessarily a household
            h = hh[i]
            kids[h] += (r == _CHILD) & (age_m[i] < child_age_m)
            elders[h] += r == _ELDER
    return nw, ne


@numba.njit(cache=True, nogil=True)
def separate(
    workers: np.ndarray,
    job: np.ndarray,
    tenure: np.ndarray,
    skill: np.ndarray,
    placed: np.ndarray,
    hazard: np.ndarray,
    u: np.ndarray,
    key: np.uint64,
    leavers: np.ndarray,
    looking: np.ndarray,
    held: np.ndarray,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """The month's separations, the tenure clock and the jobs held, in one pass over the workers.

    ``u`` holds one draw per worker in non-farm work, in the order of ``workers``; where it is
    empty, slot ``i`` draws its number of the counter stream of ``key`` (``_unit(key, i + 1)``,
    what ``Streams.uniform`` gives it) in the pass. A worker in
    non-farm work leaves when the draw is below the hazard of the job, early tenure, certificate
    and placement (``hazard``: ``rules.labour.separation_table``); the others who hold a job
    (farming included) add a month of tenure. Writes the leavers' slots to ``leavers`` and the
    slots of everyone now without non-farm work (the jobless, the farmers and the leavers: those
    who may search) to ``looking``, both in slot order, and counts the jobs held after the
    separations (a leaver holds none) into ``held`` by job code. Returns how many leavers and
    lookers it wrote. The leavers' jobs are not ended here (``Population.end_jobs`` does it).
    """
    tabled = u.shape[0] > 0
    k = 0
    nl = 0
    nlook = 0
    for r in range(workers.shape[0]):
        i = workers[r]
        j = job[i]
        if j >= _J_TOWNSHIP:
            combo = 8 * j + 4 * np.int64(tenure[i] < 6) + 2 * np.int64(skill[i] > 0) + np.int64(placed[i])
            if (u[k] if tabled else _unit(key, np.uint64(i + 1))) < hazard[combo]:
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
def searching(
    looking: np.ndarray, job: np.ndarray, age_m: np.ndarray, intensity: np.ndarray, u: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    """Whether each of ``looking`` searches this month: its draw ``u`` is below its search intensity.

    ``intensity`` is ``rules.labour.search_table`` (by job code and age in years).
    """
    out = np.empty(looking.shape[0], dtype=np.bool_)
    for r in range(looking.shape[0]):
        i = looking[r]
        out[r] = u[r] < intensity[job[i], age_m[i] // 12]
    return out


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


@numba.njit(cache=True, nogil=True)
def market_values(
    exp_logw: np.ndarray,
    premium: np.ndarray,
    hiring: np.ndarray,
    level: np.ndarray,
    nonfarm: np.ndarray,
    outside: np.ndarray,
    wage_market: np.ndarray,
    expected: np.ndarray,
    growth: float,
    living_cost: np.float32,
    value: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Each searcher's expected income in each market, before its logarithm (one row per searcher).

    ``rules.labour.market_pay`` (a market's ``level`` times ``1 + premium``, times
    ``exp(log w)`` for non-farm work, times nominal growth, rounded to float32), net of the
    cost of living away (``outside`` markets, in float32), not below 0, times the chance of work
    (the market's ``expected`` employment rate times the searcher's ``hiring`` weight in
    ``wage_market`` columns, at most 1): ``choice_utility``'s ``value``, in its order.
    """
    for r in range(value.shape[0]):
        for j in range(value.shape[1]):
            x = exp_logw[r] if nonfarm[j] else 1.0
            pay32 = np.float32(level[j] * (1.0 + premium[r]) * x * growth)
            net = pay32 - living_cost if outside[j] else pay32
            if not (net >= 0 or np.isnan(net)):  # np.maximum(net, 0)
                net = np.float32(0.0)
            chance = expected[j] * (hiring[r] if wage_market[j] else 1.0)
            if not (chance <= 1.0 or np.isnan(chance)):  # np.minimum(chance, 1)
                chance = 1.0
            value[r, j] = np.float64(net) * chance


@numba.njit(cache=True, nogil=True)
def choose(
    log_value: np.ndarray,
    log_draw: np.ndarray,
    terms: np.ndarray,
    away: np.ndarray,
    farm: np.ndarray,
    location: np.ndarray,
    market_location: np.ndarray,
    away_from: int,
    choice_income: float,
    migration_cost: float,
    noise: float,
    choice: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Each searcher's market: the largest utility plus Gumbel taste shock (``np.argmax``'s first).

    The utility of ``rules.labour.choice_utility``, term by term in its order (columns in
    ``MARKETS`` order): ``choice_income · log_value``, plus the searcher's family and age terms
    ``away`` in the outside markets, the market's constant ``terms`` (farming: the searcher's
    ``farm`` term instead), less ``migration_cost`` when the market is elsewhere than the searcher
    and either of them lies outside the county (``location`` ``away_from`` and beyond).
    ``log_draw`` is ``log(−log(u))`` of the uniform draws: the shock is ``noise · −log_draw``.
    """
    for r in range(log_value.shape[0]):
        here = location[r]
        best = 0.0
        pick = 0
        for j in range(log_value.shape[1]):
            u = choice_income * log_value[r, j]
            if j == _M_FARM:
                u = u + farm[r]
            elif j == _M_OUTSIDE:
                u = u + away[r] + terms[j]
            elif j == _M_OTHER:
                u = u + (away[r] + terms[j])
            else:
                u = u + terms[j]
            there = market_location[j]
            moving = here != there and (here >= away_from or there >= away_from)
            u = u - migration_cost * (1.0 if moving else 0.0)
            total = u + noise * -log_draw[r, j]
            if j == 0:
                best = total
            elif not (best >= total):  # np.argmax: the first largest, or the first NaN
                best = total
                pick = j
            if np.isnan(best):
                break
        choice[r] = pick
