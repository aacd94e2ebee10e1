"""Rights: the rules of contracts, social insurance, injuries and wage arrears (R1-R7, W1, G4).

Pure functions (no model): the chance of a written contract at hire under enforcement (R1),
closing a share of a gap to full coverage (R1, R2), new arrears cases by sector under prevention
(R5), the monthly resolution of open cases (R6, G4), and the joint mechanism's strengthening of
enforcement levers (W1). The county's levers act only on employers in its jurisdiction
(``COUNTY_WAGE_JOBS``); employers outside the county follow an outside enforcement trend
(``outside_enforcement``). The rights phase (``countysim.phases.rights``) applies them through
``month_tables``: each probability depends on a person only through their job and sector codes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from countysim import backend
from countysim.parameters.behaviour import RightsBehaviour
from countysim.population import codes as c
from countysim.population.state import Population

FLEXIBLE_JOBS = (c.J_COUNTY_FLEX, c.J_SELF)
INSURANCES = ("ins_pension", "ins_medical", "ins_unemployment", "ins_injury")
W1_BOOST = 0.25  # the joint mechanism strengthens enforcement levers by a quarter (assumption)


#: jobs with an employer in the county's jurisdiction (its levers reach them)
COUNTY_WAGE_JOBS = (c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_COUNTY_FLEX)

#: every job code, every sector code
ALL_JOBS = np.arange(len(c.JOB_NAMES), dtype=np.int8)
ALL_SECTORS = np.arange(len(c.SECTOR_NAMES), dtype=np.int8)
#: by job code: paid a wage by an employer; work (injury cover may continue); flexible (R7)
WAGE_JOB = np.isin(ALL_JOBS, c.WAGE_JOBS)
WORKING_JOB = ALL_JOBS >= c.J_TOWNSHIP
FLEXIBLE_JOB = np.isin(ALL_JOBS, FLEXIBLE_JOBS)


def outside_enforcement(beh: RightsBehaviour, year: float) -> float:
    """Enforcement intensity among employers outside the county in ``year``: the 2022 level plus the trend."""
    return float(np.clip(beh.outside_enforcement + beh.outside_enforcement_trend * (year - 2022), 0.0, 1.0))


def by_jurisdiction(job: np.ndarray, county: float, outside: float) -> np.ndarray:
    """Per person: the county's lever value for jobs in its jurisdiction, the outside value elsewhere."""
    return np.where(c.in_codes(job, COUNTY_WAGE_JOBS), county, outside)


def strengthened(value: float, w1: float) -> float:
    """An enforcement lever under the joint mechanism (W1), capped at 1."""
    return min(1.0, value * (1.0 + W1_BOOST * w1))


def closing_gap(p: np.ndarray | float, strength: float, gap_closed: float) -> np.ndarray | float:
    """Probability ``p`` raised by closing ``strength·gap_closed`` of the gap to 1."""
    return p + (1.0 - p) * strength * gap_closed


def contract_at_hire(job: np.ndarray, beh: RightsBehaviour, enforce: float | np.ndarray) -> np.ndarray:
    """Probability of a written contract for hires into ``job`` (``enforce`` per person or one value)."""
    base = np.zeros(len(c.JOB_NAMES))
    for name, p in beh.p_contract_at_hire.items():
        base[c.JOB_NAMES.index(name)] = p
    p = closing_gap(base[job], enforce, beh.enforcement_gap_closed)
    return np.where(c.in_codes(job, c.WAGE_JOBS), p, 0.0)


def arrears_hazard(sector: np.ndarray, beh: RightsBehaviour, prevention: float | np.ndarray) -> np.ndarray:
    """Monthly probability of a new arrears case for employees by sector (backend arrays)."""
    xp = backend.xp()
    rel = xp.asarray([0.0] + [beh.arrears_sector[s] for s in c.SECTOR_NAMES[1:]])
    return beh.p_arrears * xp.take(rel, xp.astype(sector, xp.int64)) * (1.0 - beh.prevention_cut * prevention)


def resolution_hazard(
    aware_rights: np.ndarray,
    beh: RightsBehaviour,
    levers: dict[str, float],
    spring_festival: bool,
    in_county: np.ndarray | bool = True,
) -> np.ndarray:
    """Monthly probability that an open case not taken by the inspectorate is resolved.

    The arbitration green channel (R6) hears cases against employers in the county; legal aid
    reaches aware workers wherever the employer is, and Spring Warmth (G4) every case.
    """
    p = beh.p_resolve_own + beh.p_resolve_arbitration * levers["r6_arbitration_green_channel"] * in_county
    p = p + beh.p_resolve_legal_aid * levers["r6_legal_aid_reach"] * aware_rights
    if spring_festival:
        p = p * (1.0 + beh.rel_spring_warmth * levers["g4_spring_warmth"])
    return np.minimum(p, 1.0)


class RightsTables(NamedTuple):
    """The month's probabilities by job code (and sector code), from the rules above.

    The county's levers reach a person through their job's jurisdiction only, so every
    probability of the phase is a function of the job and sector codes: a table by code,
    looked up per person, gives the numbers the rules give per person.

    Attributes:
        p_hire: a written contract at hire, by job (R1).
        p_later: a contract this month for an employee without one, by job (R1).
        p_with: enrolment of a hire with a contract, by (insurance, job) (R2).
        p_without: enrolment of a hire without a contract, by (insurance, job) (R2).
        p_catch_up: catch-up enrolment of an uninsured employee who is not a hire, by job (R2).
        p_flexible: take-up of occupational injury protection by a flexible or self-employed
            worker (R7).
        p_injury: a work injury, by sector (R3).
        p_arrears: a new arrears case, by (sector, job) (R5).
    """

    p_hire: np.ndarray
    p_later: np.ndarray
    p_with: np.ndarray
    p_without: np.ndarray
    p_catch_up: np.ndarray
    p_flexible: float
    p_injury: np.ndarray
    p_arrears: np.ndarray


def month_tables(beh: RightsBehaviour, levers: dict[str, float], outside: float) -> RightsTables:
    """This month's ``RightsTables`` under ``levers``, with ``outside`` enforcement beyond the county."""
    w1 = levers["w1_joint_mechanism"]
    enforce = by_jurisdiction(ALL_JOBS, strengthened(levers["r1_contract_enforcement"], w1), outside)
    drive = by_jurisdiction(ALL_JOBS, strengthened(levers["r2_enrolment_drive"], w1), outside)
    prevention = by_jurisdiction(ALL_JOBS, strengthened(levers["r5_prevention"], w1), outside)
    gap = beh.drive_gap_closed
    n_sectors, n_jobs = len(ALL_SECTORS), len(ALL_JOBS)
    arrears = arrears_hazard(np.repeat(ALL_SECTORS, n_jobs), beh, np.tile(prevention, n_sectors))
    return RightsTables(
        p_hire=contract_at_hire(ALL_JOBS, beh, enforce),
        p_later=beh.p_contract_later * enforce,
        p_with=np.array([closing_gap(beh.p_enrol_with_contract[k], drive, gap) for k in c.INSURANCE_NAMES]),
        p_without=np.array(
            [closing_gap(beh.p_enrol_without_contract[k], drive, gap) for k in c.INSURANCE_NAMES]
        ),
        p_catch_up=beh.p_enrol_later * drive,
        p_flexible=float(beh.p_flexible_cover * levers["r7_flexible_scheme"]),
        p_injury=np.array([0.0] + [beh.p_injury[s] for s in c.SECTOR_NAMES[1:]]),
        p_arrears=np.asarray(arrears).reshape(n_sectors, n_jobs),
    )


def aware_of_rights(pop: Population, slots: np.ndarray) -> np.ndarray:
    """Whether the households of ``slots`` are aware of the rights services (legal aid, R6)."""
    return (pop.aware[pop.hh[slots]] >> c.SV_RIGHTS) & 1 == 1
