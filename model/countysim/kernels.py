"""The compiled kernels (numba) of the random streams and of the backend's reductions.

Imported on first use by ``countysim.rng`` and ``countysim.backend``: each is one pass over numpy
columns, cached on disk after its first compilation (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np


# ``_unit`` is compiled into ``rules/rights_kernels.py`` as well; numba's disk cache of that module
# does not notice a change here, so after changing it delete the ``__pycache__`` folders (the test
# ``tests/rules/test_rights_kernels.py::test_pass_draws_the_streams_numbers`` fails on a stale cache)
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
def _max_by_group(
    groups: np.ndarray, mask: np.ndarray, values: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover
    for i in range(groups.shape[0]):
        if mask[i] and values[i] > out[groups[i]]:
            out[groups[i]] = values[i]


@numba.njit(cache=True, nogil=True)
def _set_bits_below(bits: np.ndarray, u: np.ndarray, p: np.ndarray) -> None:  # pragma: no cover - compiled
    for h in range(u.shape[0]):
        b = bits[h]
        for k in range(u.shape[1]):
            if u[h, k] < p[k]:
                b |= 1 << k
        bits[h] = b


@numba.njit(cache=True, nogil=True)
def _count_by_group(groups: np.ndarray, mask: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    for i in range(groups.shape[0]):
        if mask[i]:
            out[groups[i]] += 1


@numba.njit(cache=True, nogil=True)
def _census_masks(
    alive,
    role,
    job,
    hukou,
    age_m,
    loc,
    hh,
    jobs,
    codes,
    worker,
    employed,
    outside,
    employee,
    surveyed,
    township,
    kid,
    at_home,
    by_role,
    by_loc,
    hukou_town,
):  # pragma: no cover - compiled
    """The census's masks (``countysim.phases.base.Snapshot``), counts by role and location, one pass.

    ``jobs[k, j]`` says whether job code ``j`` is employed (k=0), outside the county (1), paid by an
    employer (2), local on the survey's definition (3); ``codes`` holds the codes of the worker and
    child roles, the village location, and the age bounds (months) of a compulsory-age child.
    Branch-free: every slot adds 0 or 1 (a branch per person would cost more than the pass).
    """
    worker_role, child_role, village, kid_from, kid_to = codes
    n_town_hukou = 0
    for i in range(alive.shape[0]):
        a = alive[i]
        r = role[i]
        wk = a & (r == worker_role)
        months = age_m[i]
        by_role[r] += a
        by_loc[loc[i]] += a
        n_town_hukou += a & (hukou[i] == 1)
        kid[i] = a & (r == child_role) & (months >= kid_from) & (months <= kid_to)
        j = np.intp(job[i])
        emp = wk & jobs[0, j]
        surv = emp & (hukou[i] == 0)
        worker[i] = wk
        employed[i] = emp
        outside[i] = wk & jobs[1, j]
        employee[i] = wk & jobs[2, j]
        surveyed[i] = surv
        township[i] = surv & jobs[3, j]
        h = hh[i]
        at_home[h] = at_home[h] | (wk & (loc[i] == village))
    hukou_town[0] = n_town_hukou


@numba.njit(cache=True, nogil=True)
def _grid_workers(worker, job, hukou, sex, edu, tenure, age_m, grid):  # pragma: no cover - compiled
    """Workers by job × hukou × sex × education × tenure (<6, 6-11, 12+ months) × over 50."""
    flat = grid.reshape(-1)
    n_hukou, n_sex, n_edu = grid.shape[1], grid.shape[2], grid.shape[3]
    for i in range(worker.shape[0]):
        t = tenure[i]
        key = ((np.intp(job[i]) * n_hukou + np.intp(hukou[i])) * n_sex + np.intp(sex[i])) * n_edu + np.intp(
            edu[i]
        )
        key = (key * 3 + np.intp(t >= 6) + np.intp(t >= 12)) * 2 + np.intp(age_m[i] >= 51 * 12)
        flat[key] += np.int64(worker[i])


@numba.njit(cache=True, nogil=True)
def _grid_rights(worker, job, contract, pension, medical, unemployment, injury, grid):  # pragma: no cover
    """Workers by job × contract × pension × medical × unemployment × injury insurance."""
    flat = grid.reshape(-1)
    for i in range(worker.shape[0]):
        key = ((np.intp(job[i]) * 2 + np.intp(contract[i])) * 2 + np.intp(pension[i])) * 2 + np.intp(
            medical[i]
        )
        flat[(key * 2 + np.intp(unemployment[i])) * 2 + np.intp(injury[i])] += np.int64(worker[i])


@numba.njit(cache=True, nogil=True)
def _grid_skills(
    worker, skill, skill_high, craftsman, brand, willing, trained, poverty, grid
):  # pragma: no cover
    """Workers by skill (none, below ``skill_high``, high) × craftsman × brand × willing × trained × poverty."""
    flat = grid.reshape(-1)
    for i in range(worker.shape[0]):
        sk = skill[i]
        key = (np.intp(sk > 0) + np.intp(sk >= skill_high)) * 2 + np.intp(craftsman[i])
        key = ((key * 2 + np.intp(brand[i])) * 2 + np.intp(willing[i])) * 2 + np.intp(trained[i])
        flat[key * 2 + np.intp(poverty[i])] += np.int64(worker[i])


@numba.njit(cache=True, nogil=True)
def _census_sums(
    worker, employed, outside, surveyed, township, age_m, wage, by_age, sums
):  # pragma: no cover
    """Wage and age sums over the census's groups, in person order; surveyed workers by age in years.

    A slot outside a group adds 0.0 to its sum, which leaves the sum exactly as it was: the sums
    are those of ``_masked_mean`` over each group's mask (the same order, the same rounding).
    """
    last_age = by_age.shape[0] - 1
    s_employed = s_local = s_outside = s_surveyed = s_township = s_surveyed_out = 0.0
    s_age_workers = s_age_surveyed = 0
    for i in range(worker.shape[0]):
        months = np.intp(age_m[i])
        emp, out, surv, town = employed[i], outside[i], surveyed[i], township[i]
        by_age[min(months // 12, last_age)] += np.int64(surv)
        s_age_workers += months * np.intp(worker[i])
        s_age_surveyed += months * np.intp(surv)
        w = np.float64(wage[i])
        s_employed += w * emp
        s_outside += w * out
        s_local += w * (emp & ~out)
        s_surveyed += w * surv
        s_township += w * town
        s_surveyed_out += w * (surv & ~town)
    for k, total in enumerate((s_employed, s_local, s_outside, s_surveyed, s_township, s_surveyed_out)):
        sums[k] = total
    sums[6] = s_age_workers
    sums[7] = s_age_surveyed


@numba.njit(cache=True, nogil=True)
def _census_counts(alive, employed, arrears, placed, firm_jobs, in_park, out):  # pragma: no cover - compiled
    """Open arrears cases (of the living, of every slot), placed employees, start-ups, their jobs, in parks."""
    n_open = n_owed = n_placed = n_firms = n_firm_jobs = n_park = 0
    for i in range(alive.shape[0]):
        owed = arrears[i] > 0
        n_open += alive[i] & owed
        n_owed += owed
        n_placed += employed[i] & placed[i]
        n_firms += firm_jobs[i] > 0
        n_firm_jobs += firm_jobs[i]
        n_park += in_park[i]
    out[0], out[1], out[2], out[3], out[4], out[5] = n_open, n_owed, n_placed, n_firms, n_firm_jobs, n_park


@numba.njit(cache=True, nogil=True)
def _count_left_behind(kid, school, hh, at_home, village_school):  # pragma: no cover - compiled
    """Children of 6-14 in the village school whose household has no worker at home."""
    n = 0
    for i in range(kid.shape[0]):
        if kid[i] and school[i] == village_school and not at_home[hh[i]]:
            n += 1
    return n


@numba.njit(cache=True, nogil=True)
def _household_census(residence, housing, permit, wait_months, aware, grid, by_aware):  # pragma: no cover
    """Households by residence × housing × permit × waiting for a unit, and by awareness bits."""
    for h in range(residence.shape[0]):
        grid[residence[h], housing[h], int(permit[h]), 1 if wait_months[h] > 0 else 0] += 1
        by_aware[aware[h]] += 1
