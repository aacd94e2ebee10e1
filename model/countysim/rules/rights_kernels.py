"""The rights phase's month in one compiled pass over the persons (numba), and its numpy rule.

Every person is touched once a month (contracts and insurance end with the job, incapacity and
open arrears cases age a month), and employees and workers decide a handful of things: a
contract, four insurances, injury protection, an injury, a new arrears case. In numpy that is
some forty passes over the population, each with its boolean temporary, plus an index array and
an array of random numbers for each deciding group; :func:`rights_pass` does it all in one pass
and draws each random number where it is used, so no index array or array of draws is made for
the large groups. What concerns only the few (the injured, new and open arrears cases, pension
transfers) stays in numpy in the phase.

Draws: under the counter generator the kernel computes each stream's numbers from its key
(slot ``i``'s ``j``-th number is SplitMix64 of counter ``i·k + j + 1``, ``countysim.rng``), so
they are the numbers :meth:`Streams.uniform` gives, at no cost for those who do not decide; under the reference generator (pcg64), which draws every
slot in sequence anyway, it reads them from an array of every slot's numbers. :func:`sources`
makes both, through the public ``Streams`` interface (which also checks that the stream is
declared and drawn once a month).

The kernel compares draws with probabilities looked up by code (``countysim.rules.rights.
RightsTables``) and does no float arithmetic of its own, so it equals the numpy rule
:func:`rights_pass_reference` bit for bit; ``tests/rules/test_rights_kernels.py`` checks both
that and that its draws are the streams' numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from countysim.backend import unsigned
from countysim.kernels import _unit
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.rights import RightsTables

#: the streams the pass draws from, by index, and how many numbers each gives a slot
STREAMS: tuple[tuple[str, int], ...] = (
    ("rights.contract", 1),
    ("rights.contract_later", 1),
    ("rights.enrol", 4),
    ("rights.flexible", 1),
    ("rights.injury", 1),
    ("rights.arrears", 1),
)
S_CONTRACT, S_LATER, S_ENROL, S_FLEXIBLE, S_INJURY, S_ARREARS = range(6)

#: the code columns of ``Columns``, which the pass reads as unsigned (``countysim.backend.unsigned``)
_CODES = frozenset({"role", "job", "sector", "loc", "ins_loc"})


class Columns(NamedTuple):
    """The person columns the pass reads and writes (views of the population's columns)."""

    alive: np.ndarray
    role: np.ndarray
    job: np.ndarray
    sector: np.ndarray
    tenure: np.ndarray
    loc: np.ndarray
    contract: np.ndarray
    ins_pension: np.ndarray
    ins_medical: np.ndarray
    ins_unemployment: np.ndarray
    ins_injury: np.ndarray
    pension_account: np.ndarray
    ins_loc: np.ndarray
    injury_left: np.ndarray
    arrears: np.ndarray
    arrears_age: np.ndarray

    @classmethod
    def of(cls, pop: Population) -> Columns:
        """The columns of ``pop`` (writing to them writes to the population; codes as ``uint8``)."""
        return cls(
            *(unsigned(getattr(pop, name)) if name in _CODES else getattr(pop, name) for name in cls._fields)
        )


class Codes(NamedTuple):
    """What the codes mean to the pass.

    Attributes:
        worker: the worker role's code.
        wage_job: by job code, paid a wage by an employer (an employee).
        working_job: by job code, work (injury cover may continue).
        flexible_job: by job code, flexible or self-employed (R7).
        injury_months: months of incapacity after an injury.
    """

    worker: int
    wage_job: np.ndarray
    working_job: np.ndarray
    flexible_job: np.ndarray
    injury_months: int


class Sources(NamedTuple):
    """Where the pass's draws come from, one entry per stream of ``STREAMS``.

    Attributes:
        keys: each stream's key under the counter generator (unused under pcg64).
        tables: under pcg64, every slot's numbers of each stream (``k`` per slot, flat);
            under the counter generator, empty.
    """

    keys: np.ndarray
    tables: tuple[np.ndarray, ...]


def sources(streams: Streams, t: int, n_slots: int) -> Sources:
    """The draws of month ``t`` of each stream of ``STREAMS`` for a population of ``n_slots`` slots."""
    keys = np.zeros(len(STREAMS), dtype=np.uint64)
    tables = []
    for s, (name, k) in enumerate(STREAMS):
        key = streams.counter_key(name, t)
        if key is None:  # the reference generator: every slot's numbers, in sequence
            tables.append(streams.uniform(name, t, n_slots, k).reshape(-1))
        else:
            keys[s] = key
            tables.append(np.empty(0))
    return Sources(keys, tuple(tables))


def rights_pass(
    col: Columns, tab: RightsTables, src: Sources, codes: Codes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The month's pass over every slot (in place): :func:`rights_pass_reference`, compiled."""
    return _rights_pass(*col, *tab, *src.keys, *src.tables, *codes)


@numba.njit(cache=True, nogil=True)
def _rights_pass(
    alive, role, job, sector, tenure, loc, contracts, ins_pension, ins_medical, ins_unemployment, ins_injury,
    pension_account, ins_loc, injury_left, arrears, arrears_age,
    p_hire, p_later, p_with, p_without, p_catch_up, p_flexible, p_injury, p_arrears,
    k_contract, k_later, k_enrol, k_flexible, k_injury, k_arrears,
    u_contract, u_later, u_enrol, u_flexible, u_injury, u_arrears,
    worker_role, wage_job, working_job, flexible_job, injury_months,
):  # fmt: skip  # pragma: no cover - compiled
    """The pass, on the arrays of ``Columns``, ``RightsTables``, ``Sources`` and ``Codes`` in order.

    Slot ``i``'s ``j``-th number of a stream drawing ``k`` per slot is SplitMix64 of counter
    ``k·i + j + 1`` from the stream's key (``countysim.rng``), or element ``k·i + j`` of its
    table under the reference generator: each draw is written out where it is used, as are the
    enrolment probabilities (small helper functions cost more than their work in this loop).
    The arrays come as arguments, not in tuples (inside the loop, an array taken from a tuple
    has its reference counted at every access). Lists grow without branches (each slot is
    written at the list's end, which moves on only where the slot belongs), so the random mix
    of persons costs few mispredicted branches.
    """
    n = alive.shape[0]
    tabled = u_contract.shape[0] > 0  # the reference generator's numbers, else the keys'
    cross = np.empty(n, np.int64)
    hurt = np.empty(n, np.int64)
    new = np.empty(n, np.int64)
    cases = np.empty(n, np.int64)
    n_cross = n_hurt = n_new = n_cases = 0
    for i in range(n):
        # every slot: incapacity and open cases age; the cases of the dead are dropped
        left = injury_left[i]
        left -= left > 0
        open_case = arrears[i] > 0
        arrears_age[i] += open_case
        live = alive[i]
        if not live:
            arrears[i] = 0
        cases[n_cases] = i
        n_cases += live & open_case
        # contracts and employee insurance end with the wage job, injury cover with work
        worker = live & (role[i] == worker_role)
        j = job[i]
        employee = worker & wage_job[j]
        working = worker & working_job[j]
        contract = contracts[i] & employee
        pension = ins_pension[i] & employee
        medical = ins_medical[i] & employee
        unemployment = ins_unemployment[i] & employee
        injury = ins_injury[i] & working
        if working:  # (every employee works: one branch for both)
            if employee:
                hire = tenure[i] == 0
                # 1. contracts (R1)
                if hire:
                    contract = (u_contract[i] if tabled else _unit(k_contract, np.uint64(i + 1))) < p_hire[j]
                else:
                    contract = contract | (
                        (u_later[i] if tabled else _unit(k_later, np.uint64(i + 1))) < p_later[j]
                    )
                # 2. insurance (R2): at hire by contract, otherwise by catch-up
                if not (pension & medical & unemployment & injury):
                    p = (p_with[0, j] if contract else p_without[0, j]) if hire else p_catch_up[j]
                    pension = pension | (
                        (u_enrol[4 * i] if tabled else _unit(k_enrol, np.uint64(4 * i + 1))) < p
                    )
                    p = (p_with[1, j] if contract else p_without[1, j]) if hire else p_catch_up[j]
                    medical = medical | (
                        (u_enrol[4 * i + 1] if tabled else _unit(k_enrol, np.uint64(4 * i + 2))) < p
                    )
                    p = (p_with[2, j] if contract else p_without[2, j]) if hire else p_catch_up[j]
                    unemployment = unemployment | (
                        (u_enrol[4 * i + 2] if tabled else _unit(k_enrol, np.uint64(4 * i + 3))) < p
                    )
                    p = (p_with[3, j] if contract else p_without[3, j]) if hire else p_catch_up[j]
                    injury = injury | (
                        (u_enrol[4 * i + 3] if tabled else _unit(k_enrol, np.uint64(4 * i + 4))) < p
                    )
                # the pension account opens, or moves with a hire, where the job is (R4)
                account = pension_account[i]
                moved = pension & account & hire
                cross[n_cross] = i
                n_cross += moved & (loc[i] != ins_loc[i])
                if pension & ((not account) | hire):
                    ins_loc[i] = loc[i]
                pension_account[i] = account | pension
                # 4. a new arrears case (dropped later for an injured worker who loses the job)
                u = u_arrears[i] if tabled else _unit(k_arrears, np.uint64(i + 1))
                new[n_new] = i
                n_new += (not open_case) & (u < p_arrears[sector[i], j])
            # occupational injury protection for the flexible and self-employed (R7)
            if flexible_job[j] & (not injury):
                injury = (u_flexible[i] if tabled else _unit(k_flexible, np.uint64(i + 1))) < p_flexible
            # 3. injuries (R3) among those fit for work
            if left == 0:
                hit = (u_injury[i] if tabled else _unit(k_injury, np.uint64(i + 1))) < p_injury[sector[i]]
                hurt[n_hurt] = i
                n_hurt += hit
                if hit:
                    left = injury_months
        injury_left[i] = left
        contracts[i] = contract
        ins_pension[i] = pension
        ins_medical[i] = medical
        ins_unemployment[i] = unemployment
        ins_injury[i] = injury
    return cross[:n_cross], hurt[:n_hurt], new[:n_new], cases[:n_cases]


def rights_pass_reference(
    col: Columns, tab: RightsTables, u: tuple[np.ndarray, ...], codes: Codes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The month's pass over every slot, in numpy (in place).

    ``u`` holds every slot's numbers of each stream of ``STREAMS`` (``(n, k)`` or ``(n,)``);
    ``tab`` is the month's ``RightsTables``.

    In place: contracts and the three employee-only insurances end with a wage job, injury cover
    with any work (flexible and self-employed workers may hold occupational injury protection);
    months of incapacity count down; open arrears cases age a month; the cases of the dead are
    dropped. A hire gets a contract with ``p_hire`` of its job, an employee without one with
    ``p_later``. Each open insurance ``k`` of an employee is taken up by a hire with
    ``p_with[k]`` or ``p_without[k]`` by contract, by the others with ``p_catch_up``. An enrolled
    employee without a pension account opens one where the job is; an enrolled hire who has one
    carries it over to where the job is (R4). Flexible and self-employed workers still without
    injury cover take up protection with ``p_flexible`` (R7). Workers fit for work are injured
    with ``p_injury`` of their sector and are unfit for ``injury_months``.

    Returns:
        In increasing slot order: the hires whose pension account moves from another region
        (they need a transfer); the injured; employees whose wages fall into arrears, at
        ``p_arrears`` of sector and job, among those without an open case; the living with an
        open case (before the new ones).
    """
    u_contract, u_later, u_enrol, u_flexible, u_injury, u_arrears = u
    covers = (col.ins_pension, col.ins_medical, col.ins_unemployment, col.ins_injury)
    job = col.job
    worker = col.alive & (col.role == codes.worker)
    employee = worker & codes.wage_job[job]
    working = worker & codes.working_job[job]
    left = col.injury_left
    np.subtract(left, 1, out=left, where=left > 0)
    open_case = col.arrears > 0
    np.add(col.arrears_age, 1, out=col.arrears_age, where=open_case)
    col.arrears[~col.alive] = 0
    np.logical_and(col.contract, employee, out=col.contract)
    for cover in covers[:3]:
        np.logical_and(cover, employee, out=cover)
    np.logical_and(col.ins_injury, working, out=col.ins_injury)
    # 1. contracts
    hire = employee & (col.tenure == 0)
    hires = np.flatnonzero(hire)
    col.contract[hires] = u_contract[hires] < tab.p_hire[job[hires]]
    later = np.flatnonzero(employee & ~hire & ~col.contract)
    col.contract[later] = u_later[later] < tab.p_later[job[later]]
    # 2. insurance
    emp = np.flatnonzero(employee)
    job_e, hire_e, contract_e = job[emp], hire[emp], col.contract[emp]
    for k, cover in enumerate(covers):
        p_hire = np.where(contract_e, tab.p_with[k][job_e], tab.p_without[k][job_e])
        p = np.where(hire_e, p_hire, tab.p_catch_up[job_e])
        cover[emp[~cover[emp] & (u_enrol[emp, k] < p)]] = True
    joined = employee & col.ins_pension & ~col.pension_account
    moved = hire & col.ins_pension & col.pension_account
    cross = np.flatnonzero(moved & (col.loc != col.ins_loc))
    col.pension_account[joined] = True
    col.ins_loc[joined | moved] = col.loc[joined | moved]
    flexible = np.flatnonzero(worker & codes.flexible_job[job] & ~col.ins_injury)
    col.ins_injury[flexible[u_flexible[flexible] < tab.p_flexible]] = True
    # 3. injuries
    at_risk = np.flatnonzero(working & (left == 0))
    hurt = at_risk[u_injury[at_risk] < tab.p_injury[col.sector[at_risk]]]
    left[hurt] = codes.injury_months
    # 4. new arrears cases
    exposed = np.flatnonzero(employee & ~open_case)
    new = exposed[u_arrears[exposed] < tab.p_arrears[col.sector[exposed], job[exposed]]]
    return cross, hurt, new, np.flatnonzero(col.alive & open_case)
