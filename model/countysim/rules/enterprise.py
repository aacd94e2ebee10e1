"""Enterprise: returnee start-ups, their survival and the jobs they create (clause E7).

The month's enterprise phase, in order:

1. **returnees** — the months since a worker came back from outside count up.
2. **closures** — a start-up closes when its owner no longer runs it (left self-employment,
   died) or fails at a monthly hazard, lower in a returnee entrepreneurship park and with loans
   and mentoring; its jobs leave the county's job stock, and as many county formal workers
   lose their jobs as the stock can no longer hold.
3. **start-ups** — returnees aged 25-50 within 24 months of return start a firm at a monthly
   rate raised by guaranteed loans and mentoring (E7); the founder becomes self-employed; the
   firm's jobs (Poisson, mean ``mean_jobs``) join the county-town job stock, where the labour
   phase fills them; firms take free park places first come.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

from countysim.calendar import Month
from countysim.parameters.behaviour import EnterpriseBehaviour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules.labour import Markets, pick_lowest

RETURNEE_WINDOW = 24  # months after return in which a returnee counts as one (assumption)


@dataclass
class EnterpriseAccount:
    """Cumulative start-up counts."""

    started: int = 0
    supported: int = 0
    closed: int = 0
    laid_off: int = 0
    started_this_month: int = 0
    supported_this_month: float = 0.0


def start_rate(beh: EnterpriseBehaviour, levers: dict[str, float]) -> float:
    """Monthly start-up probability of an eligible returnee."""
    return min(
        beh.p_start
        * (1 + beh.rel_loan * levers["e7_loan_support"])
        * (1 + beh.rel_mentoring * levers["e7_mentoring"]),
        1.0,
    )


def failure_rate(in_park: np.ndarray, beh: EnterpriseBehaviour, levers: dict[str, float]) -> np.ndarray:
    """Monthly failure probability of active start-ups."""
    support = (levers["e7_loan_support"] + levers["e7_mentoring"]) / 2
    rel = 1.0 - (1.0 - beh.rel_fail_supported) * support
    return beh.p_fail * rel * np.where(in_park, beh.rel_fail_park, 1.0)


def step(
    pop: Population,
    beh: EnterpriseBehaviour,
    levers: dict[str, float],
    streams: Streams,
    month: Month,
    markets: Markets,
    account: EnterpriseAccount,
) -> None:
    """Run the enterprise phase for one month; mutates ``pop``, ``markets`` and ``account``."""
    t, n = month.t, pop.n
    back = pop.returned > 0
    pop.returned[back] = np.minimum(pop.returned[back] + 1, 1000)

    # closures
    firm = pop.firm_jobs > 0
    gone = firm & (~pop.alive | (pop.job != c.J_SELF))
    fails = firm & ~gone & (streams.uniform("enterprise.fail", t, n) < failure_rate(pop.in_park, beh, levers))
    close = gone | fails
    markets.county_formal -= float(pop.firm_jobs[close].sum())
    pop.end_jobs(fails)
    pop.firm_jobs[close] = 0
    pop.in_park[close] = False
    account.closed += int(close.sum())
    # the closed firms' employees lose their jobs: county formal jobs beyond the stock go
    formal = np.flatnonzero(pop.alive & (pop.role == c.WORKER) & (pop.job == c.J_COUNTY_FORMAL))
    excess = len(formal) - int(np.floor(markets.county_formal))
    laid_off = pick_lowest(formal, streams.uniform("enterprise.layoff", t, n), excess)
    pop.end_jobs(laid_off)
    account.laid_off += len(laid_off)

    # start-ups
    age = pop.age_m // 12
    returnee = (pop.returned > 0) & (pop.returned <= RETURNEE_WINDOW)
    can = pop.alive & (pop.role == c.WORKER) & returnee & (age >= 25) & (age <= 50) & (pop.job != c.J_SELF)
    starts = np.flatnonzero(can & (streams.uniform("enterprise.start", t, n) < start_rate(beh, levers)))
    jobs = 1 + poisson.ppf(streams.uniform("enterprise.jobs", t, n)[starts], max(beh.mean_jobs - 1, 1e-9))
    pop.job[starts] = c.J_SELF
    pop.loc[starts] = c.VILLAGE
    pop.sector[starts] = 3  # trade and small manufacturing services (assumption)
    pop.tenure[starts] = 0
    pop.firm_jobs[starts] = jobs.astype(np.int16)
    markets.county_formal += float(jobs.sum())
    free = int(levers["e7_park_places"]) - int(pop.in_park.sum())
    if free > 0:
        pop.in_park[starts[:free]] = True
    account.started += len(starts)
    account.started_this_month = len(starts)
    account.supported_this_month = len(starts) * levers["e7_loan_support"]
    account.supported += len(starts) * levers["e7_loan_support"]
