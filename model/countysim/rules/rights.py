"""Rights: the rules of contracts, social insurance, injuries and wage arrears (R1-R7, W1, G4).

Pure functions (no model): the chance of a written contract at hire under enforcement (R1),
closing a share of a gap to full coverage (R1, R2), new arrears cases by sector under prevention
(R5), the monthly resolution of open cases (R6, G4), and the joint mechanism's strengthening of
enforcement levers (W1). The county's levers act only on employers in its jurisdiction
(``COUNTY_WAGE_JOBS``); employers outside the county follow an outside enforcement trend
(``outside_enforcement``). The rights phase (``countysim.phases.rights``) applies them.
"""

from __future__ import annotations

import numpy as np

from countysim import backend
from countysim.parameters.behaviour import RightsBehaviour
from countysim.population import codes as c

FLEXIBLE_JOBS = (c.J_COUNTY_FLEX, c.J_SELF)
INSURANCES = ("ins_pension", "ins_medical", "ins_unemployment", "ins_injury")
W1_BOOST = 0.25  # the joint mechanism strengthens enforcement levers by a quarter (assumption)


#: jobs with an employer in the county's jurisdiction (its levers reach them)
COUNTY_WAGE_JOBS = (c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_COUNTY_FLEX)


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
