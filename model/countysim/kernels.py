"""The compiled kernels (numba) of the random streams and of the backend's reductions.

Imported on first use by ``countysim.rng`` and ``countysim.backend``: each is one pass over numpy
columns, cached on disk after its first compilation (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np


# ``_unit`` is compiled into the kernels of ``rules/`` that draw their own numbers as well (rights,
# homes, labour, training); numba's disk cache of those modules does not notice a change here, so
# after changing it delete the ``__pycache__`` folders (each module's test that its draws are the
# stream's numbers fails on a stale cache)
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
    # branch-free: a branch on an unpredictable mask costs more than a store per slot
    for i in range(groups.shape[0]):
        g = groups[i]
        out[g] = out[g] | mask[i]


@numba.njit(cache=True, nogil=True)
def _max_by_group(
    groups: np.ndarray, mask: np.ndarray, values: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover
    # branch-free: a slot outside ``mask`` offers 0, which never beats ``out`` (it starts at 0)
    for i in range(groups.shape[0]):
        g = groups[i]
        v = values[i] * mask[i]
        o = out[g]
        out[g] = v if v > o else o


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
    for i in range(groups.shape[0]):  # branch-free, as ``_any_by_group``
        out[groups[i]] += mask[i]


@numba.njit(cache=True, nogil=True)
def _census_workers(
    workers, job, hukou, sex, edu, tenure, age_m, contract, pension, medical, unemployment, injury, skill,
    skill_high, craftsman, brand, willing, trained, poverty, employed, outside, surveyed, township, wage,
    grid_workers, grid_rights, grid_skills, by_age, sums,
):  # fmt: skip  # pragma: no cover - compiled
    """The census's pass over the workers (``workers``: their slots, in order).

    Fills the three grids: workers by job × hukou × sex × education × tenure (<6, 6-11, 12+ months) ×
    over 50; by job × contract × pension × medical × unemployment × injury insurance; by skill (none,
    below ``skill_high``, high) × craftsman × brand × willing × trained × poverty-alleviated. And the
    wage and age sums over the census's groups, in slot order, with surveyed workers by age in
    years. Every group summed is one of workers, so the sums are those of ``_masked_mean`` over each
    group's mask (a slot outside adds 0.0, which leaves a sum as it was: the same order, the same
    rounding).
    """
    flat_w = grid_workers.reshape(-1)
    flat_r = grid_rights.reshape(-1)
    flat_s = grid_skills.reshape(-1)
    n_hukou, n_sex, n_edu = grid_workers.shape[1], grid_workers.shape[2], grid_workers.shape[3]
    last_age = by_age.shape[0] - 1
    s_employed = s_local = s_outside = s_surveyed = s_township = s_surveyed_out = 0.0
    s_age_workers = s_age_surveyed = 0
    for k in range(workers.shape[0]):
        i = workers[k]
        j = np.intp(job[i])
        months = np.intp(age_m[i])
        t = tenure[i]
        key = ((j * n_hukou + np.intp(hukou[i])) * n_sex + np.intp(sex[i])) * n_edu + np.intp(edu[i])
        flat_w[(key * 3 + np.intp(t >= 6) + np.intp(t >= 12)) * 2 + np.intp(months >= 51 * 12)] += 1
        key = ((j * 2 + np.intp(contract[i])) * 2 + np.intp(pension[i])) * 2 + np.intp(medical[i])
        flat_r[(key * 2 + np.intp(unemployment[i])) * 2 + np.intp(injury[i])] += 1
        sk = skill[i]
        key = (np.intp(sk > 0) + np.intp(sk >= skill_high)) * 2 + np.intp(craftsman[i])
        key = ((key * 2 + np.intp(brand[i])) * 2 + np.intp(willing[i])) * 2 + np.intp(trained[i])
        flat_s[key * 2 + np.intp(poverty[i])] += 1
        emp, out, surv, town = employed[i], outside[i], surveyed[i], township[i]
        by_age[min(months // 12, last_age)] += np.int64(surv)
        s_age_workers += months
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
