"""Enterprise: returnee start-ups, their survival and the jobs they create (clause E7).

The month's enterprise phase, in order:

1. **returnees** — the months since a worker came back from outside count up.
2. **closures** — a start-up closes when its owner no longer runs it (left self-employment,
   died) or fails at a monthly hazard, lower in a returnee entrepreneurship park and with loans
   and mentoring; its jobs leave the job stock they were in, and as many workers lose their jobs
   as the stock can no longer hold.
3. **start-ups** — returnees aged 25-50 within 24 months of return start a firm at a monthly
   rate raised by guaranteed loans and mentoring (E7); the founder becomes self-employed; firms
   take free park places first come; the firm's jobs (Poisson, mean ``mean_jobs``) join the
   county town's job stock when the firm is in a returnee entrepreneurship park (parks are in the
   county town), the township's otherwise, where the labour phase fills them.

The rules are in ``countysim.rules.enterprise``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from countysim.backend import count_by_group, unsigned
from countysim.phases.base import Context, Indicator, Phase
from countysim.population import codes as c
from countysim.rules.arrays import lowest
from countysim.rules.enterprise import RETURNEE_WINDOW, failure_rate, start_rate
from countysim.state import Account, CountyState, flow


@dataclass
class EnterpriseAccount(Account):
    """Start-ups: this month's and cumulative counts."""

    started: int = 0
    supported: float = 0.0
    closed: int = 0
    laid_off: int = 0
    started_this_month: int = flow()
    supported_this_month: float = flow(0.0)


def _workers_in(pop, idx: np.ndarray) -> np.ndarray:
    """The living workers among the persons ``idx`` (in their order)."""
    return idx[pop.alive[idx] & (pop.role[idx] == c.WORKER)]


def _enterprise(state: CountyState) -> EnterpriseAccount:
    return state.accounts["enterprise"]  # type: ignore[return-value]


INDICATORS = (
    Indicator("startups_cum", "firms", "returnee start-ups since the start", 1, "E7",
              lambda st, s: float(_enterprise(st).started)),
    Indicator("startups_active", "firms", "returnee start-ups still running", 1, "E7",
              lambda st, s: float(s.n_startups)),
    Indicator("startup_jobs", "jobs", "jobs in running returnee start-ups", 1, "E7",
              lambda st, s: float(s.n_startup_jobs)),
    Indicator("startups_in_park", "firms", "start-ups in returnee entrepreneurship parks", 1, "E7",
              lambda st, s: float(s.n_in_park)),
)  # fmt: skip


class EnterprisePhase(Phase):
    """Returnee start-ups, closures and the jobs they create."""

    name = "enterprise"
    section = "enterprise"
    clauses = ("E7",)
    streams: ClassVar[dict[str, str]] = {
        "fail": "which running start-ups fail this month",
        "layoff": "which workers lose their job when closures shrink a job stock (a lasting order)",
        "start": "which eligible returnees start a firm this month",
        "jobs": "how many jobs each new firm creates (Poisson)",
    }
    Account = EnterpriseAccount
    indicators = INDICATORS

    def bind(self, scenario):
        """The enterprise behaviour."""
        return scenario.behaviour.enterprise

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the enterprise phase for one month."""
        beh = state.params[self.name]
        acc = _enterprise(state)
        pop, jobs, levers, streams = state.pop, state.jobs, ctx.levers, ctx.streams
        t = ctx.t
        # (each rule below works on the indices of the few it concerns, not on everyone)
        back = np.flatnonzero(pop.returned > 0)
        pop.returned[back] = np.minimum(pop.returned[back] + 1, 1000)

        # closures
        firms = np.flatnonzero(pop.firm_jobs > 0)
        gone = ~pop.alive[firms] | (pop.job[firms] != c.J_SELF)
        running = firms[~gone]
        u_fail = streams.uniform("enterprise.fail", t, running)
        fails = running[u_fail < failure_rate(pop.in_park[running], beh, levers)]
        close = np.union1d(firms[gone], fails)
        # a firm's jobs sit in the county town's stock when it is in a park, in the township's otherwise
        park = pop.in_park[close]
        jobs.county_formal -= float(pop.firm_jobs[close[park]].sum())
        jobs.township -= float(pop.firm_jobs[close[~park]].sum())
        pop.end_jobs(fails)
        pop.firm_jobs[close] = 0
        pop.in_park[close] = False
        acc.closed += len(close)
        # the closed firms' employees lose their jobs: jobs beyond each stock go
        # (drawn only in a month when a stock falls below the jobs held in it)
        stocks = ((c.J_COUNTY_FORMAL, jobs.county_formal), (c.J_TOWNSHIP, jobs.township))
        n_held = count_by_group(unsigned(pop.job), pop.alive & (pop.role == c.WORKER), len(c.JOB_NAMES))
        excess = [int(n_held[code]) - int(np.floor(stock)) for code, stock in stocks]
        if max(excess) > 0:
            held = [_workers_in(pop, np.flatnonzero(pop.job == code)) for code, _ in stocks]
            everyone = np.concatenate(held)
            u_layoff = streams.uniform("enterprise.layoff", t, everyone)
            first = len(held[0])
            for h, k, u in zip(held, excess, (u_layoff[:first], u_layoff[first:]), strict=True):
                laid_off = lowest(h, u, k)
                pop.end_jobs(laid_off)
                acc.laid_off += len(laid_off)

        # start-ups: returnees of 25-50 not already self-employed
        returnees = _workers_in(pop, back[pop.returned[back] <= RETURNEE_WINDOW])
        age = pop.age_m[returnees] // 12
        can = returnees[(age >= 25) & (age <= 50) & (pop.job[returnees] != c.J_SELF)]
        starts = can[streams.uniform("enterprise.start", t, can) < start_rate(beh, levers)]
        from scipy.stats import poisson

        made = 1 + poisson.ppf(streams.uniform("enterprise.jobs", t, starts), max(beh.mean_jobs - 1, 1e-9))
        pop.job[starts] = c.J_SELF
        pop.loc[starts] = c.VILLAGE
        pop.sector[starts] = 3  # trade and small manufacturing services (assumption)
        pop.tenure[starts] = 0
        pop.firm_jobs[starts] = made.astype(np.int16)
        free = max(int(levers["e7_park_places"]) - int(pop.in_park.sum()), 0)
        pop.in_park[starts[:free]] = True
        jobs.county_formal += float(made[:free].sum())
        jobs.township += float(made[free:].sum())
        acc.started += len(starts)
        acc.started_this_month = len(starts)
        acc.supported_this_month = len(starts) * levers["e7_loan_support"]
        acc.supported += len(starts) * levers["e7_loan_support"]
