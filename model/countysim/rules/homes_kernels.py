"""Compiled passes (numba) of the demography, housing, schooling and settlement rules.

Each kernel is one pass over the person (or household) columns that does what the plain-numpy
rule does in several passes with full-size temporaries; the rule it replaces is named in its
docstring, and ``tests/rules/test_homes_kernels.py`` checks that both give the same numbers.
They keep the numbers bit-identical: integer counts, elementwise float arithmetic in the rule's
own order, and float sums accumulated in slot order exactly as ``np.bincount`` does (numpy's
pairwise sums stay in numpy). Imported on first use, like ``countysim.kernels``.
"""

from __future__ import annotations

import numba
import numpy as np

from countysim.kernels import _unit

# codes (countysim.population.codes), repeated as compile-time constants (checked by
# tests/rules/test_kernel_constants.py)
_WORKER, _CHILD = 0, 1
_FEMALE = 1
_VILLAGE, _COUNTY_TOWN, _OUTSIDE_PROVINCE = 0, 1, 2
_J_COUNTY_FORMAL, _J_COUNTY_FLEX = 3, 4
_S_NONE, _S_PUBLIC, _S_PRIVATE, _S_VILLAGE, _S_OUTSIDE = 0, 1, 3, 4, 5  # town schools: S_PUBLIC..S_PRIVATE
_R_VILLAGE, _R_TOWN, _R_OUTSIDE = 0, 1, 2
_H_RURAL, _H_RENT, _H_DORM, _H_AFFORDABLE, _H_OWNED = 0, 1, 2, 3, 4

#: bits of the per-household flags of ``town_pass``
HAS_WORKER, WORKER_IN_TOWN, WORKER_AT_HOME = 1, 2, 4
#: the place code of ``town_codes`` for the dead
DEAD = 3
#: bits of ``settlement_codes``
INSURED, STABLE, CHILD_IN_TOWN = 1, 2, 4


def select(kernel, *columns) -> np.ndarray:
    """The rows a selection kernel picks (one that fills its last argument and returns how many).

    Rows are chosen among ``len(columns[0])``, in increasing order, like ``np.flatnonzero``.
    """
    out = np.empty(len(columns[0]), dtype=np.int64)
    return out[: kernel(*columns, out)].copy()


# --- demography ---------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def age_and_death_hazard(alive, age_m, table, out):  # pragma: no cover - compiled
    """Everyone alive is a month older; ``out`` the death hazard tabled by age in months.

    The same as ``age_m[alive] += 1; out[:] = table[age_m]``.
    """
    for i in range(age_m.shape[0]):
        age_m[i] += alive[i]
        out[i] = table[age_m[i]]


@numba.njit(cache=True, nogil=True)
def age_and_die(alive, age_m, table, key, dead):  # pragma: no cover - compiled
    """``age_and_death_hazard`` and the deaths, drawn from the counter stream of ``key``, in one pass.

    Slot ``i`` alive dies where its number (``_unit(key, i + 1)``, the stream's ``uniform``) is
    below the hazard of the age reached, ``table[age_m[i]]``: the same as
    ``Streams.chance(name, t, alive, p)`` on the hazards of ``age_and_death_hazard``, without the
    array of hazards. Writes the slots of the dead to the front of ``dead``, in order, and returns
    how many died.
    """
    n = 0
    for i in range(age_m.shape[0]):
        a = alive[i]
        age = age_m[i] + a
        age_m[i] = age
        dead[n] = i
        n += a and _unit(key, np.uint64(i + 1)) < table[age]
    return n


@numba.njit(cache=True, nogil=True)
def who_decides(
    alive, sex, role, age_m, entry_age_m, min_exit_age_m, fertile, enter, older
):  # pragma: no cover
    """The slots of the demography phase's later steps, in one pass after the deaths.

    Writes to the front of each array, in slot order, and returns how many it wrote to each:

    - ``fertile``: living women aged 20-39, ``alive & (sex == FEMALE) & (age_m // 12 >= 20) & (age_m // 12 < 40)``;
    - ``enter``: living children at their entry age, ``alive & (role == CHILD) & (age_m >= entry_age_m)``;
    - ``older``: living workers, or children entering now, aged ``min_exit_age_m`` months or more: the
      workers who may exit once the entrants are workers (less any entrant who emigrates).

    Free of branches: each slot is written to each list, whose end moves on only where it belongs.
    """
    n_f = n_e = n_o = 0
    for i in range(alive.shape[0]):
        a, age, r = alive[i], age_m[i], role[i]
        e = a & (r == _CHILD) & (age >= entry_age_m[i])
        fertile[n_f] = i
        n_f += a & (sex[i] == _FEMALE) & (age >= 240) & (age < 480)
        enter[n_e] = i
        n_e += e
        older[n_o] = i
        n_o += (a & (r == _WORKER) | e) & (age >= min_exit_age_m)
    return n_f, n_e, n_o


@numba.njit(cache=True, nogil=True)
def hazard_by_sex_and_age(table, first_age_m, sex, age_m, idx, out):  # pragma: no cover - compiled
    """``out[r] = table[sex[idx[r]], age_m[idx[r]] - first_age_m]`` (a hazard tabled by sex and age)."""
    for r in range(idx.shape[0]):
        i = idx[r]
        out[r] = table[sex[i], age_m[i] - first_age_m]


# --- housing ------------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def town_codes(alive, role, loc, out):  # pragma: no cover - compiled
    """Each person's code for ``town_pass``: where a living member is, and the worker flags.

    Bits 0-1: place of a living person (village, town, outside) or ``DEAD``; bits 2-4: the
    household flags (``HAS_WORKER`` …) a living worker gives. A branch-free pass (vectorised).
    """
    for i in range(alive.shape[0]):
        a, here = alive[i], loc[i]
        w = np.uint8(a & (role[i] == _WORKER))
        place = np.uint8(min(here, _OUTSIDE_PROVINCE)) if a else np.uint8(DEAD)
        out[i] = (
            place
            | (w << 2)
            | (np.uint8(w & (here == _COUNTY_TOWN)) << 3)
            | (np.uint8(w & (here < _OUTSIDE_PROVINCE)) << 4)
        )


@numba.njit(cache=True, nogil=True)
def town_pass(hh, code, wage, flags, income, members):  # pragma: no cover - compiled
    """One pass over the persons for the housing phase, into the zeroed household arrays.

    - ``flags``: bits ``HAS_WORKER``, ``WORKER_IN_TOWN``, ``WORKER_AT_HOME`` (in the county:
      village or town) over living workers, as ``rules.housing.residence`` finds them;
    - ``income``: the sum of ``wage`` over every slot in slot order, in float64 (the same as
      ``np.bincount(hh, weights=wage)``);
    - ``members``: shape ``(H, 4)``, living members by place (village, town, outside) as
      ``members_by_place`` counts them, and the dead.

    ``code`` is ``town_codes``'s.
    """
    for i in range(hh.shape[0]):
        h, x = hh[i], code[i]
        income[h] += np.float64(wage[i])
        members[h, x & 3] += 1
        flags[h] |= x >> 2


@numba.njit(cache=True, nogil=True)
def settle_in(flags, settled, housing, residence, town_months, permit, wait_months, permit_months, arrivals):
    """Residence, months in town, permits, and leaving town, per household; return the arrivals.

    ``residence`` as ``rules.housing.residence`` gives it from the ``town_pass`` flags; then, as
    the housing phase's steps 1-2: months in town count up (to 32,000) or restart at 0, a permit
    after ``permit_months``, households leaving town give up their tenancy and leave the
    waiting list. ``arrivals`` is filled with the town households in a rural house (arriving);
    their count is returned.
    """  # pragma: no cover - compiled
    k = 0
    for h in range(flags.shape[0]):
        f = flags[h]
        town = (f & WORKER_IN_TOWN) != 0 or settled[h] or housing[h] == _H_OWNED
        if town:
            residence[h] = _R_TOWN
            town_months[h] = min(town_months[h] + 1, 32000)
            permit[h] = town_months[h] >= permit_months
            if housing[h] == _H_RURAL:
                arrivals[k] = h
                k += 1
        else:
            out = (f & HAS_WORKER) != 0 and (f & WORKER_AT_HOME) == 0
            residence[h] = _R_OUTSIDE if out else _R_VILLAGE
            town_months[h] = 0
            permit[h] = False
            if housing[h] == _H_RENT or housing[h] == _H_DORM or housing[h] == _H_AFFORDABLE:
                housing[h] = _H_RURAL
            wait_months[h] = 0
    return k


@numba.njit(cache=True, nogil=True)
def unit_candidates(residence, housing, town_months, min_months, out):  # pragma: no cover - compiled
    """Fill ``out`` with the town tenants (rent or dormitory) of ``min_months`` in town; return how many.

    ``rules.housing.eligible_for_unit`` without the inclusion in housing security.
    """
    k = 0
    for h in range(residence.shape[0]):  # branch-free: write every row, keep the chosen
        out[k] = h
        k += (
            (residence[h] == _R_TOWN)
            & ((housing[h] == _H_RENT) | (housing[h] == _H_DORM))
            & (town_months[h] >= min_months)
        )
    return k


@numba.njit(cache=True, nogil=True)
def keep_waiting(ok, housing, wait_months):  # pragma: no cover - compiled
    """The waiting list's month: who may no longer wait leaves it, the others wait a month longer.

    The same as ``wait_months[~ok & (housing != AFFORDABLE)] = 0; wait_months[wait_months > 0] += 1``.
    """
    for h in range(ok.shape[0]):
        if not ok[h] and housing[h] != _H_AFFORDABLE:
            wait_months[h] = 0
        elif wait_months[h] > 0:
            wait_months[h] += 1


@numba.njit(cache=True, nogil=True)
def budget(
    income,
    basic,
    members,
    per_member,
    price,
    marginal,
    housing,
    rent_by_housing,
    mortgage,
    mortgage_left,
    expense,
    major_months,
    remittance,
    savings,
    regular,
):  # pragma: no cover - compiled
    """The household budget of the month, in the operations' order of ``rules.housing.household_budget``.

    Fills ``regular`` and updates ``savings``, ``mortgage`` and ``mortgage_left``.

    Basic consumption is ``price * basic[h]`` when ``basic`` has a value per household, else
    ``price * (members[h] @ per_member)`` summed here (exact, so the order of the sum does not
    matter: the caller passes ``per_member`` only when its values are whole yuan).
    """
    with_members = basic.shape[0] == 0
    for h in range(income.shape[0]):
        inc = income[h]
        if with_members:
            b = price * (members[h, 0] * per_member[0] + members[h, 1] * per_member[1]
                         + members[h, 2] * per_member[2])  # fmt: skip
        else:
            b = price * basic[h]
        above = inc - b
        consumption = b + marginal * (0.0 if above < 0.0 else above)
        pay = 0.0
        if mortgage_left[h] > 0:
            pay = np.float64(mortgage[h])
            mortgage_left[h] -= 1
        if mortgage_left[h] == 0:
            mortgage[h] = 0.0
        major = major_months * inc if expense[h] else 0.0
        reg = consumption + rent_by_housing[housing[h]] + pay + remittance * inc
        regular[h] = reg
        left = np.float64(savings[h]) + inc - (reg + major)
        savings[h] = np.float32(0.0 if left < 0.0 else left)


@numba.njit(cache=True, nogil=True)
def buyers(residence, housing, savings, income, down, payment, max_share, out):  # pragma: no cover
    """Fill ``out`` with the town tenants who can make the down payment and carry the mortgage.

    The same as ``np.flatnonzero(town & in_codes(housing, TOWN_TENANCY) & (savings >= down)
    & (payment <= max_share * income))``, ``down`` a float32 like ``savings`` (numpy compares a
    float32 column with a Python float in float32); returns how many.
    """
    k = 0
    for h in range(residence.shape[0]):
        tenant = (housing[h] == _H_RENT) | (housing[h] == _H_DORM) | (housing[h] == _H_AFFORDABLE)
        out[k] = h
        k += (residence[h] == _R_TOWN) & tenant & (savings[h] >= down) & (payment <= max_share * income[h])
    return k


# --- settlement ---------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def settlement_codes(alive, role, ins_pension, job, tenure, school, stable_months, out):  # pragma: no cover
    """Each person's share in ``rules.settlement.household_facts``, as bits (a vectorised pass).

    Bit ``INSURED``: a living worker in employee pension insurance; ``STABLE``: one with
    ``stable_months`` or more in a town job; ``CHILD_IN_TOWN``: a living person in a town school.
    """
    for i in range(alive.shape[0]):
        w = alive[i] & (role[i] == _WORKER)
        town_job = (job[i] == _J_COUNTY_FORMAL) | (job[i] == _J_COUNTY_FLEX)
        out[i] = (
            np.uint8(w & ins_pension[i])
            | (np.uint8(w & town_job & (tenure[i] >= stable_months)) << 1)
            | (np.uint8(alive[i] & (school[i] >= _S_PUBLIC) & (school[i] <= _S_PRIVATE)) << 2)
        )


@numba.njit(cache=True, nogil=True)
def or_by_group(groups, bits, out):  # pragma: no cover - compiled
    """``out[g] |= bits[i]`` for every ``i`` of group ``g`` (``out`` zeroed)."""
    for i in range(groups.shape[0]):
        out[groups[i]] |= bits[i]


@numba.njit(cache=True, nogil=True)
def move_hukou(hh, alive, settles, age_m, hukou):  # pragma: no cover - compiled
    """Every living member of a settling household takes county-town hukou.

    Returns the movers and their compulsory school years ahead, ``clip(15 - max(age, 6), 0, 9)``
    summed over them (``age`` in whole years).
    """
    n, years = 0, 0
    for i in range(hh.shape[0]):
        if alive[i] and settles[hh[i]]:
            hukou[i] = 1
            n += 1
            age = max(age_m[i] // 12, 6)
            years += min(max(15 - age, 0), 9)
    return n, years


@numba.njit(cache=True, nogil=True)
def follow_household(kids, school, hh, residence):  # pragma: no cover - compiled
    """``rules.schooling.follow_household_reference``: children back to the village school, in place.

    A town pupil whose household is no longer based in town, or a child schooled outside whose
    household is no longer based outside, goes back to the village school.
    """
    for r in range(kids.shape[0]):
        i = kids[r]
        s = school[i]
        res = residence[hh[i]]
        town = (s >= _S_PUBLIC) & (s <= _S_PRIVATE)
        if (town & (res != _R_TOWN)) | ((s == _S_OUTSIDE) & (res != _R_OUTSIDE)):
            school[i] = _S_VILLAGE


@numba.njit(cache=True, nogil=True)
def live_where_schooled(kids, school, hh, residence, loc, outside):  # pragma: no cover - compiled
    """``rules.schooling.live_where_schooled_reference`` but for those schooled outside, in place.

    A town pupil lives in the county town, a village pupil in the village, a child not at school
    where the household is based (town or village); the children schooled outside are written
    to the front of ``outside``, in order (their place depends on the household's workers), and
    their number returned.
    """
    n = 0
    for r in range(kids.shape[0]):
        i = kids[r]
        s = school[i]
        if (s >= _S_PUBLIC) & (s <= _S_PRIVATE):
            loc[i] = _COUNTY_TOWN
        elif s == _S_VILLAGE:
            loc[i] = _VILLAGE
        elif s == _S_NONE:
            loc[i] = _COUNTY_TOWN if residence[hh[i]] == _R_TOWN else _VILLAGE
        outside[n] = i
        n += s == _S_OUTSIDE
    return n
