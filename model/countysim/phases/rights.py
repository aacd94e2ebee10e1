"""Rights: contracts, social insurance, work injuries, wage arrears (clauses R1-R7, W1, G4).

The month's rights phase, in order (after labour, so this month's hires and separations are known):

1. **contracts** (R1) — a hire gets a written contract with a probability by job, raised by
   enforcement (which closes a share of the gap to 100 %); employees without one get one at a
   monthly rate under enforcement; the jobless, farmers and the self-employed hold none.
2. **insurance** (R2, R4, R7) — every employee insurance is paid through the employer, so it
   ends with the job; hires are enrolled with probabilities by contract, raised by the enrolment
   drive (R2); uninsured employees catch up at a monthly rate under the drive; a hire who has a
   pension account from an earlier job carries it over within the region, and across regions
   with the transfer-and-continuation probability (R4); flexible and self-employed workers take
   up occupational injury protection where the scheme reaches them (R7).
3. **injuries** (R3) — a monthly hazard by sector; some injured lose their job (and
   out-migrants then go home); insured injured workers receive benefits, those back home only
   where benefits are portable (R3).
4. **arrears** (R5, R6, G4) — new cases at a hazard by sector, cut by prevention (R5); the
   inspectorate resolves up to its capacity of open cases, oldest first (R5); other cases resolve
   at a monthly hazard raised by the arbitration green channel and, for aware workers, legal aid
   (R6), and in the festival month by the Spring Warmth action (G4).

The joint mechanism (W1) makes R1, R2 and R5 act a quarter more strongly. The county's levers
reach only employers in its jurisdiction (township and county-town jobs); employers outside
the county follow an outside enforcement trend, and the county's inspectorate and arbitration
channel take only cases against county employers. The rules are in ``countysim.rules.rights``;
the decisions of the many (sections 1-3 and the new cases of 4) are made in one compiled pass
over the persons, ``countysim.rules.rights_kernels``, which equals its numpy rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import ClassVar

import numpy as np

from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.arrays import lowest
from countysim.rules.rights import (
    COUNTY_WAGE_JOBS,
    FLEXIBLE_JOB,
    FLEXIBLE_JOBS,
    W1_BOOST,
    WAGE_JOB,
    WORKING_JOB,
    aware_of_rights,
    month_tables,
    outside_enforcement,
    resolution_hazard,
)
from countysim.state import Account, CountyState, flow


@dataclass
class RightsAccount(Account):
    """Injuries, arrears cases, inspections and insurance transfers: cumulative and this month."""

    injuries: int = 0
    injury_benefits: int = 0
    arrears_new: int = 0
    arrears_resolved: int = 0
    arrears_resolved_months: int = 0
    arrears_recovered_yuan: float = 0.0
    inspected: int = 0
    legal_cases: float = 0.0  # resolutions owed to arbitration or legal aid (expected count)
    cross_region_changes: int = 0
    coverage_kept: int = 0
    inspected_this_month: int = flow()
    legal_cases_this_month: float = flow(0.0)


def _kernels() -> ModuleType:
    """The phase's compiled passes, imported on first use (importing the model does not load numba)."""
    from countysim.rules import rights_kernels

    return rights_kernels


def _rights(state: CountyState) -> RightsAccount:
    return state.accounts["rights"]  # type: ignore[return-value]


def _flexible_covered(st: CountyState, s) -> float:
    return share(s.worker_rights.count(job=FLEXIBLE_JOBS, injury=1), s.worker_rights.count(job=FLEXIBLE_JOBS))


INDICATORS = (
    Indicator("contract_rate", "share", "employees with a written labour contract / employees", 1, "O2",
              lambda st, s: share(s.worker_rights.count(job=c.WAGE_JOBS, contract=1), s.n_employee)),
    Indicator("pension_coverage", "share", "employed workers in employee pension insurance / employed", 1, "R2",
              lambda st, s: share(s.worker_rights.count(job=c.NONFARM_JOBS, pension=1), s.n_employed)),
    Indicator("medical_coverage", "share", "employed workers in employee medical insurance / employed", 1, "R2",
              lambda st, s: share(s.worker_rights.count(job=c.NONFARM_JOBS, medical=1), s.n_employed)),
    Indicator("unemployment_insurance_coverage", "share", "employees in unemployment insurance / employees", 1, "R2",
              lambda st, s: share(s.worker_rights.count(job=c.WAGE_JOBS, unemployment=1), s.n_employee)),
    Indicator("injury_insurance_coverage", "share", "employed workers covered against work injury / employed", 1, "R2",
              lambda st, s: share(s.worker_rights.count(job=c.NONFARM_JOBS, injury=1), s.n_employed)),
    Indicator("flexible_injury_coverage", "share",
              "flexible and self-employed workers covered against work injury / those workers", 1, "R7",
              _flexible_covered),
    Indicator("insurance_continuity_rate", "share",
              "hires enrolled in pension insurance whose account from another region was transferred and continued / "
              "such hires (cumulative)", 1, "R4",
              lambda st, s: share(_rights(st).coverage_kept, _rights(st).cross_region_changes)),
    Indicator("injuries_cum", "persons", "work injuries since the start", -1, "R3",
              lambda st, s: float(_rights(st).injuries)),
    Indicator("injury_benefit_share", "share", "injured workers who received injury benefits / injured (cumulative)", 1, "R3",
              lambda st, s: share(_rights(st).injury_benefits, _rights(st).injuries)),
    Indicator("arrears_open_cases", "cases", "workers owed unpaid wages at the end of the month", -1, "R5",
              lambda st, s: float(s.n_arrears_open)),
    Indicator("arrears_owed_yuan", "yuan", "unpaid wages owed at the end of the month", -1, "R5",
              lambda st, s: float(st.pop.arrears[s.alive].sum())),
    Indicator("inspected_cases_month", "cases per month", "arrears cases resolved by the inspectorate this month", 0, "R5",
              lambda st, s: float(_rights(st).inspected_this_month)),
    Indicator("arrears_new_cum", "cases", "new wage-arrears cases since the start", -1, "R5",
              lambda st, s: float(_rights(st).arrears_new)),
    Indicator("arrears_resolved_cum", "cases", "wage-arrears cases resolved since the start", 1, "R6",
              lambda st, s: float(_rights(st).arrears_resolved)),
    Indicator("arrears_months_to_resolve", "months", "mean months from arrears to resolution of cases resolved so far", -1, "R6",
              lambda st, s: share(_rights(st).arrears_resolved_months, _rights(st).arrears_resolved)),
)  # fmt: skip


class RightsPhase(Phase):
    """Contracts, insurance enrolment and transfer, injuries and benefits, wage arrears."""

    name = "rights"
    section = "rights"
    clauses = ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "W1", "G4")
    streams: ClassVar[dict[str, str]] = {
        "contract": "whether a hire gets a written contract",
        "contract_later": "which employees without a contract get one this month",
        "transfer": "whether a hire's pension account from another region is transferred and continued",
        "enrol": "enrolment of hires and catch-up of employees in each of the four insurances",
        "flexible": "which flexible and self-employed workers take up occupational injury protection",
        "injury": "who is injured at work this month",
        "injury_job": "which injured workers lose their job",
        "benefit": "which insured injured workers receive their benefits",
        "arrears": "which employees' wages fall into arrears this month",
        "resolve": "which open arrears cases not taken by the inspectorate are resolved",
    }
    Account = RightsAccount
    indicators = INDICATORS

    def bind(self, scenario):
        """The rights behaviour."""
        return scenario.behaviour.rights

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the rights phase for one month.

        One compiled pass over the persons (``countysim.rules.rights_kernels``, equal to its
        numpy rule) ends what ended with the job, ages injuries and arrears cases, and makes
        every decision of the many: contracts and insurance (sections 1-2), injuries (3) and new
        arrears cases (4); what follows for the few is done here on their slots.
        """
        k = _kernels()
        beh = state.params[self.name]
        acc = _rights(state)
        pop, levers, streams, month = state.pop, ctx.levers, ctx.streams, ctx.month
        t = month.t
        w1 = levers["w1_joint_mechanism"]
        # the county's levers reach employers in its jurisdiction; outside ones follow their trend
        outside = outside_enforcement(beh, month.year + (month.month - 1) / 12)
        codes = k.Codes(c.WORKER, WAGE_JOB, WORKING_JOB, FLEXIBLE_JOB, beh.injury_months)
        cross, hurt, new, cases = k.rights_pass(
            k.Columns.of(pop), month_tables(beh, levers, outside), k.sources(streams, t, pop.n), codes
        )

        # 2. a hire's pension account from another region is transferred and continued (R4)
        kept = streams.uniform("rights.transfer", t, cross) < levers["r4_transfer_ease"]
        acc.cross_region_changes += len(cross)
        acc.coverage_kept += int(kept.sum())

        # 3. injuries: what follows concerns the injured only, arrays over ``hurt``
        job = pop.job
        loses = streams.uniform("rights.injury_job", t, hurt) < beh.p_injury_job_loss
        home = loses & (job[hurt] >= c.J_OUTSIDE_PROVINCE)
        p_benefit = np.where(
            home, beh.p_benefit_insured * levers["r3_benefit_portability"], beh.p_benefit_insured
        )
        paid = pop.ins_injury[hurt] & (streams.uniform("rights.benefit", t, hurt) < p_benefit)
        pop.end_jobs(hurt[loses])
        pop.return_home(hurt[home])
        acc.injuries += len(hurt)
        acc.injury_benefits += int(paid.sum())

        # 4. arrears: an injured worker who lost the job has no employer left to owe wages; the
        # inspectorate and the arbitration channel take cases against county employers
        new = new[~np.isin(new, hurt[loses])]
        pop.arrears[new] = pop.wage[new] * beh.arrears_wage_months
        pop.arrears_age[new] = 0
        pop.arrears_county[new] = c.in_codes(job[new], COUNTY_WAGE_JOBS)
        acc.arrears_new += len(new)
        capacity = int(levers["r5_inspection_cases_per_month"] * (1.0 + W1_BOOST * w1))
        local = cases[pop.arrears_county[cases]]
        inspected = lowest(local, -pop.arrears_age[local].astype(np.float64), capacity)  # oldest first
        rest = np.setdiff1d(cases, inspected, assume_unique=True)
        p = resolution_hazard(
            aware_of_rights(pop, rest), beh, levers, month.spring_festival, pop.arrears_county[rest]
        )
        done = streams.uniform("rights.resolve", t, rest) < p
        settled = rest[done]
        # the share of each resolution owed to arbitration or legal aid rather than to the worker
        own = beh.p_resolve_own * (
            1.0 + beh.rel_spring_warmth * levers["g4_spring_warmth"] if month.spring_festival else 1.0
        )
        helped = float(np.clip(1.0 - own / np.maximum(p[done], 1e-12), 0.0, 1.0).sum())
        resolved = np.concatenate([inspected, settled])
        acc.inspected += len(inspected)
        acc.inspected_this_month = len(inspected)
        acc.legal_cases += helped
        acc.legal_cases_this_month = helped
        acc.arrears_resolved += len(resolved)
        acc.arrears_resolved_months += int(pop.arrears_age[resolved].sum()) + len(resolved)
        acc.arrears_recovered_yuan += float(pop.arrears[resolved].sum())
        pop.arrears[resolved] = 0
        pop.arrears_age[resolved] = 0
