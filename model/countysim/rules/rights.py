"""Rights: contracts, social insurance, work injuries, wage arrears (clauses R1-R7, W1, G4).

The month's rights phase, in order (after labour, so this month's hires and separations are known):

1. **contracts** (R1) — a hire gets a written contract with a probability by job, raised by
   enforcement (which closes a share of the gap to 100 %); employees without one get one at a
   monthly rate under enforcement; the jobless, farmers and the self-employed hold none.
2. **insurance** (R2, R4, R7) — employer-linked cover (unemployment, injury) ends with the job;
   pension and medical cover carry over to a new job in the same region, and across regions
   with the transfer-and-continuation probability (R4); hires are enrolled with probabilities
   by contract, raised by the enrolment drive (R2); uninsured employees catch up at a monthly
   rate under the drive; flexible and self-employed workers take up occupational injury
   protection where the scheme reaches them (R7).
3. **injuries** (R3) — a monthly hazard by sector; some injured lose their job (and
   out-migrants then go home); insured injured workers receive benefits, those back home only
   where benefits are portable (R3).
4. **arrears** (R5, R6, G4) — new cases at a hazard by sector, cut by prevention (R5); the
   inspectorate resolves up to its capacity of open cases, oldest first (R5); other cases resolve
   at a monthly hazard raised by the arbitration green channel and, for aware workers, legal aid
   (R6), and in the festival month by the Spring Warmth action (G4).

The joint mechanism (W1) makes R1, R2 and R5 act a quarter more strongly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from countysim.calendar import Month
from countysim.parameters.behaviour import RightsBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.labour import pick_lowest
from countysim.rules.services import person_aware

WAGE_JOBS = (c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_COUNTY_FLEX, c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE)
FLEXIBLE_JOBS = (c.J_COUNTY_FLEX, c.J_SELF)
INSURANCES = ("ins_pension", "ins_medical", "ins_unemployment", "ins_injury")
W1_BOOST = 0.25  # the joint mechanism strengthens enforcement levers by a quarter (assumption)


@dataclass
class RightsAccount:
    """Cumulative counts of the rights phase."""

    injuries: int = 0
    injury_benefits: int = 0
    arrears_new: int = 0
    arrears_resolved: int = 0
    arrears_resolved_months: int = 0
    arrears_recovered_yuan: float = 0.0
    inspected: int = 0
    inspected_this_month: int = 0
    legal_cases: float = 0.0  # resolutions owed to arbitration or legal aid (expected count)
    cross_region_changes: int = 0
    coverage_kept: int = 0


def strengthened(value: float, w1: float) -> float:
    """An enforcement lever under the joint mechanism (W1), capped at 1."""
    return min(1.0, value * (1.0 + W1_BOOST * w1))


def closing_gap(p: np.ndarray | float, strength: float, gap_closed: float) -> np.ndarray | float:
    """Probability ``p`` raised by closing ``strength·gap_closed`` of the gap to 1."""
    return p + (1.0 - p) * strength * gap_closed


def contract_at_hire(job: np.ndarray, beh: RightsBehaviour, enforce: float) -> np.ndarray:
    """Probability of a written contract for hires into ``job``."""
    base = np.zeros(len(c.JOB_NAMES))
    for name, p in beh.p_contract_at_hire.items():
        base[c.JOB_NAMES.index(name)] = p
    p = closing_gap(base[job], enforce, beh.enforcement_gap_closed)
    return np.where(c.in_codes(job, WAGE_JOBS), p, 0.0)


def arrears_hazard(sector: np.ndarray, beh: RightsBehaviour, prevention: float) -> np.ndarray:
    """Monthly probability of a new arrears case for employees by sector."""
    rel = np.array([0.0] + [beh.arrears_sector[s] for s in c.SECTOR_NAMES[1:]])
    return beh.p_arrears * rel[sector] * (1.0 - beh.prevention_cut * prevention)


def resolution_hazard(
    aware_rights: np.ndarray, beh: RightsBehaviour, levers: dict[str, float], spring_festival: bool
) -> np.ndarray:
    """Monthly probability that an open case not taken by the inspectorate is resolved."""
    p = beh.p_resolve_own + beh.p_resolve_arbitration * levers["r6_arbitration_green_channel"]
    p = p + beh.p_resolve_legal_aid * levers["r6_legal_aid_reach"] * aware_rights
    if spring_festival:
        p = p * (1.0 + beh.rel_spring_warmth * levers["g4_spring_warmth"])
    return np.minimum(p, 1.0)


def step(
    pop: Population,
    beh: RightsBehaviour,
    levers: dict[str, float],
    streams: Streams,
    month: Month,
    account: RightsAccount,
) -> None:
    """Run the rights phase for one month; mutates ``pop`` and ``account``."""
    t, n = month.t, pop.n
    w1 = levers["w1_joint_mechanism"]
    enforce = strengthened(levers["r1_contract_enforcement"], w1)
    drive = strengthened(levers["r2_enrolment_drive"], w1)
    worker = pop.alive & (pop.role == c.WORKER)
    job = pop.job
    employee = worker & c.in_codes(job, WAGE_JOBS)
    hire = employee & (pop.tenure == 0)

    # 1. contracts
    pop.contract[~employee] = False
    gets = hire & (streams.uniform("rights.contract", t, n) < contract_at_hire(job, beh, enforce))
    pop.contract[hire] = gets[hire]
    later = employee & ~hire & ~pop.contract
    pop.contract[later] = (
        streams.uniform("rights.contract_later", t, n)[later] < beh.p_contract_later * enforce
    )

    # 2. insurance: employer-linked cover ends with the job; pension/medical transfer (R4)
    working = worker & (job >= c.J_TOWNSHIP)
    pop.ins_unemployment[~employee] = False
    pop.ins_injury[~working] = False
    had = hire & pop.ins_pension
    cross = had & (pop.loc != pop.ins_loc)
    lost = cross & (streams.uniform("rights.transfer", t, n) >= levers["r4_transfer_ease"])
    pop.ins_pension[lost] = False
    pop.ins_medical[lost] = False
    account.cross_region_changes += int(cross.sum())
    account.coverage_kept += int((cross & ~lost).sum())
    u = streams.uniform("rights.enrol", t, n, 4)
    for k, (col, name) in enumerate(zip(INSURANCES, c.INSURANCE_NAMES, strict=True)):
        p_with = closing_gap(beh.p_enrol_with_contract[name], drive, beh.drive_gap_closed)
        p_without = closing_gap(beh.p_enrol_without_contract[name], drive, beh.drive_gap_closed)
        p = np.where(pop.contract, p_with, p_without)
        cover = getattr(pop, col)
        new = hire & ~cover & (u[:, k] < p)
        catch_up = employee & ~hire & ~cover & (u[:, k] < beh.p_enrol_later * drive)
        cover[new | catch_up] = True
    moved = hire & pop.ins_pension
    pop.ins_loc[moved] = pop.loc[moved]  # cover now sits where the new job is
    flexible = worker & c.in_codes(job, FLEXIBLE_JOBS) & ~pop.ins_injury
    take = streams.uniform("rights.flexible", t, n) < beh.p_flexible_cover * levers["r7_flexible_scheme"]
    pop.ins_injury[flexible & take] = True

    # 3. injuries
    pop.injury_left[pop.injury_left > 0] -= 1
    p_inj = np.array([0.0] + [beh.p_injury[s] for s in c.SECTOR_NAMES[1:]])[pop.sector]
    hurt = working & (pop.injury_left == 0) & (streams.uniform("rights.injury", t, n) < p_inj)
    pop.injury_left[hurt] = beh.injury_months
    loses = hurt & (streams.uniform("rights.injury_job", t, n) < beh.p_injury_job_loss)
    home = loses & (job >= c.J_OUTSIDE_PROVINCE)
    p_benefit = np.where(
        home, beh.p_benefit_insured * levers["r3_benefit_portability"], beh.p_benefit_insured
    )
    paid = hurt & pop.ins_injury & (streams.uniform("rights.benefit", t, n) < p_benefit)
    pop.end_jobs(loses)
    pop.return_home(home)
    account.injuries += int(hurt.sum())
    account.injury_benefits += int(paid.sum())

    # 4. arrears
    open_ = pop.arrears > 0
    pop.arrears_age[open_] += 1
    prevention = strengthened(levers["r5_prevention"], w1)
    new = (
        employee
        & ~open_
        & (streams.uniform("rights.arrears", t, n) < arrears_hazard(pop.sector, beh, prevention))
    )
    pop.arrears[new] = pop.wage[new] * beh.arrears_wage_months
    pop.arrears_age[new] = 0
    account.arrears_new += int(new.sum())
    cases = np.flatnonzero(pop.alive & open_)
    capacity = int(levers["r5_inspection_cases_per_month"] * (1.0 + W1_BOOST * w1))
    inspected = pick_lowest(cases, -pop.arrears_age.astype(np.float64), capacity)  # oldest first
    rest = np.setdiff1d(cases, inspected, assume_unique=True)
    p = resolution_hazard(person_aware(pop, c.SV_RIGHTS)[rest], beh, levers, month.spring_festival)
    done = streams.uniform("rights.resolve", t, n)[rest] < p
    settled = rest[done]
    # the share of each resolution owed to arbitration or legal aid rather than to the worker
    own = beh.p_resolve_own * (
        1.0 + beh.rel_spring_warmth * levers["g4_spring_warmth"] if month.spring_festival else 1.0
    )
    helped = float(np.clip(1.0 - own / np.maximum(p[done], 1e-12), 0.0, 1.0).sum())
    resolved = np.concatenate([inspected, settled])
    account.inspected += len(inspected)
    account.inspected_this_month = len(inspected)
    account.legal_cases += helped
    account.arrears_resolved += len(resolved)
    account.arrears_resolved_months += int(pop.arrears_age[resolved].sum()) + len(resolved)
    account.arrears_recovered_yuan += float(pop.arrears[resolved].sum())
    pop.arrears[resolved] = 0
    pop.arrears_age[resolved] = 0
    pop.arrears[~pop.alive] = 0
