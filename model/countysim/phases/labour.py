"""Labour: separations, job stocks, search, market choice, matching, referrals, placements.

The month's labour phase, in order (clauses E1, E2, E3, E5, E6):

1. **separations** — employed non-farm workers leave their job at a monthly hazard that depends
   on the job, early tenure, a vocational certificate, retention measures (E1), organised
   placement (E2) and the Spring Festival return wave; some separated out-migrants go home.
2. **job stocks** — the county town's formal and flexible jobs grow at the E1 rate.
3. **search** — the jobless search; farm workers search less; older workers search less; the
   post-festival hiring season raises search.
4. **choice** — each searcher picks a market (township, county town, self-employment, the rest
   of the province, another province) by a logit over expected net income with family and age
   terms.
5. **matching** — county-town and township hires follow a matching function
   ``A·S^α·V^(1-α)`` capped by vacancies, with efficiency raised by PES reach (E5), job
   information (E6) and the Spring Breeze campaign (E6); outside markets have ample vacancies
   and a fixed job-finding rate; PES referrals (E5) then fill county vacancies directly, and
   East-West placements (E2) take searchers to the partner province.

Pay follows in the wages phase, once the month's jobs are all known. The rules are in
``countysim.rules.labour``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.parameters.behaviour import LabourBehaviour
from countysim.parameters.county import Labour
from countysim.phases.base import Context, Indicator, Phase, mean_of, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month, pick_lowest
from countysim.rules.labour import (
    MARKETS,
    OUTSIDE_JOBS,
    choice_utility,
    county_kind,
    growth_factor,
    hire,
    matching_hires,
    search_intensity,
    separation_hazard,
    wage_of,
)
from countysim.state import Account, CountyState, flow


class LabourParams(NamedTuple):
    """What the labour phase reads: behaviour and the county's labour market profile."""

    beh: LabourBehaviour
    profile: Labour


@dataclass
class LabourAccount(Account):
    """What the labour phase did this month, and the chances searchers expect.

    Attributes:
        find_rate: per market (``MARKETS`` order), the chance of finding work searchers expect
            (adaptive: what each market offered last month).
    """

    separations: int = flow()
    returns_home: int = flow()
    hires: int = flow()
    hires_county: int = flow()
    referrals: int = flow()
    placements: int = flow()
    county_vacancies: float = flow(0.0)
    find_rate: np.ndarray = field(default_factory=lambda: np.full(len(MARKETS), 0.3))


def _labour(state: CountyState) -> LabourAccount:
    return state.accounts["labour"]  # type: ignore[return-value]


INDICATORS = (
    Indicator("employed_rate", "share", "workers in non-farm wage work or self-employment / workers", 1, "O1",
              lambda st, s: share(s.n_employed, s.n_workers)),
    Indicator("jobless_rate", "share", "workers with no work at all (not even farming) / workers", -1, "E5",
              lambda st, s: share(int((s.worker & (st.pop.job == c.J_NONE)).sum()), s.n_workers)),
    Indicator("local_employment_share", "share",
              "employed working inside the county (township, county town, self-employed) / employed", 1, "E1",
              lambda st, s: share(s.n_employed - int(s.outside.sum()), s.n_employed)),
    Indicator("out_migrant_share", "share", "employed working outside the county / employed", 0, "E2",
              lambda st, s: share(int(s.outside.sum()), s.n_employed)),
    Indicator("cross_province_share", "share", "employed working in another province / employed", 0, "E2",
              lambda st, s: share(int((s.employed & (st.pop.job == c.J_OTHER_PROVINCE)).sum()), s.n_employed)),
    Indicator("mean_monthly_income", "yuan per month",
              "mean monthly income of the employed (non-farm work and self-employment), nominal", 1, "O1",
              lambda st, s: mean_of(st.pop.wage, s.employed)),
    Indicator("mean_monthly_income_local", "yuan per month", "mean monthly income of the employed inside the county", 1, "E1",
              lambda st, s: mean_of(st.pop.wage, s.employed & ~s.outside)),
    Indicator("mean_monthly_income_out", "yuan per month", "mean monthly income of the employed outside the county", 1, "E2",
              lambda st, s: mean_of(st.pop.wage, s.outside)),
    Indicator("stable_employment_rate", "share", "employed with 6 or more months in the current job / employed", 1, "O1",
              lambda st, s: share(int((s.employed & (st.pop.tenure >= 6)).sum()), s.n_employed)),
    Indicator("stable_employment_rate_12m", "share", "employed with 12 or more months in the current job / employed", 1, "O1",
              lambda st, s: share(int((s.employed & (st.pop.tenure >= 12)).sum()), s.n_employed)),
    Indicator("county_jobs", "jobs", "county-town formal and flexible jobs (filled and vacant)", 1, "E1",
              lambda st, s: st.jobs.county_formal + st.jobs.county_flexible),
    Indicator("county_vacancies", "jobs", "county-town vacancies left open at the end of the month", 0, "E1",
              lambda st, s: _labour(st).county_vacancies),
    Indicator("hires", "persons per month", "hires this month (matching, referrals, placements)", 1, "E6",
              lambda st, s: float(_labour(st).hires)),
    Indicator("referrals", "persons per month", "PES referrals into county vacancies this month", 1, "E5",
              lambda st, s: float(_labour(st).referrals)),
    Indicator("e2_placed_workers", "persons", "workers in an organised East-West placement job", 1, "E2",
              lambda st, s: float((s.employed & st.pop.placed).sum())),
)  # fmt: skip


class LabourPhase(Phase):
    """Separations, job stocks, search, market choice, matching, referrals, placements."""

    name = "labour"
    section = "labour"
    clauses = ("E1", "E2", "E3", "E5", "E6")
    streams: ClassVar[dict[str, str]] = {
        "separation": "who leaves their job this month",
        "return": "which separated out-migrants go home",
        "search": "who searches for work this month",
        "choice": "the taste shock of each searcher for each market (Gumbel)",
        "hire": "which searchers the market they chose hires",
        "referral": "which searchers left over the PES refers to county vacancies",
        "placement": "which searchers still without work an East-West placement takes",
    }
    traits: ClassVar[dict[str, str]] = {
        "kind": "who takes the formal jobs among a month's county hires (a lasting ranking)",
        "sector": "the sector a person works in when hired (a trade, drawn once)",
    }
    Account = LabourAccount
    indicators = INDICATORS

    def bind(self, scenario) -> LabourParams:
        """The labour behaviour and the county's labour profile."""
        return LabourParams(scenario.behaviour.labour, scenario.county.labour)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the labour phase for one month."""
        beh, prof = state.params[self.name]
        acc = _labour(state)
        pop, jobs, levers, streams, month = state.pop, state.jobs, ctx.levers, ctx.streams, ctx.month
        t, n = month.t, pop.n
        age = pop.age_m // 12
        worker = pop.alive & (pop.role == c.WORKER)
        job = pop.job

        # 1. separations -------------------------------------------------------------------
        h = separation_hazard(
            job, pop.tenure, pop.skill > 0, pop.placed, month.spring_festival, beh,
            levers["e1_rel_separation_county"], levers["e2_rel_separation"],
        )  # fmt: skip
        leave = worker & (streams.uniform("labour.separation", t, n) < h)
        was_outside = leave & c.in_codes(job, OUTSIDE_JOBS)
        home = was_outside & (streams.uniform("labour.return", t, n) < beh.p_return_home)
        pop.end_jobs(leave)
        pop.return_home(home)
        acc.separations, acc.returns_home = int(leave.sum()), int(home.sum())
        pop.tenure[worker & (job != c.J_NONE)] += 1

        # 2. job stocks ---------------------------------------------------------------------
        g = (1.0 + levers["e1_county_job_growth"]) ** (1 / 12)
        jobs.county_formal *= g
        jobs.county_flexible *= g
        jobs.township *= (1.0 + prof.township_job_growth) ** (1 / 12)
        filled = np.bincount(job[worker], minlength=len(c.JOB_NAMES))
        # whole vacancies: hires never exceed them
        v_formal = int(max(jobs.county_formal - filled[c.J_COUNTY_FORMAL], 0.0))
        v_flex = int(max(jobs.county_flexible - filled[c.J_COUNTY_FLEX], 0.0))
        v_township = int(max(jobs.township - filled[c.J_TOWNSHIP], 0.0))

        # 3. search -------------------------------------------------------------------------
        intensity = search_intensity(job, age, beh, month.post_festival)
        seeking = np.flatnonzero(worker & (streams.uniform("labour.search", t, n) < intensity))

        # 4. choice -------------------------------------------------------------------------
        absolute = month.absolute
        kids = pop.household_count(pop.alive & (pop.role == c.CHILD) & (pop.age_m < 15 * 12))
        olds = pop.household_count(pop.alive & (pop.role == c.ELDER))
        hh = pop.hh[seeking]
        m = len(MARKETS)
        rep = lambda a: np.repeat(a[seeking], m)  # noqa: E731 - one row per (searcher, market)
        expected = wage_of(
            np.tile(np.array(MARKETS, dtype=np.int8), len(seeking)),
            np.zeros(len(seeking) * m, dtype=np.int8),
            rep(pop.edu), rep(pop.skill), rep(age), np.zeros(len(seeking) * m, dtype=np.int16),
            rep(pop.wage_effect), rep(pop.brand * levers["e3_brand_wage_premium"]),
            prof, beh, absolute,
        ).reshape(len(seeking), m)  # fmt: skip
        living = beh.living_cost_outside * growth_factor(prof, absolute)
        u = choice_utility(expected, acc.find_rate, kids[hh], olds[hh], age[seeking], beh, living)
        draws = np.clip(streams.uniform("labour.choice", t, n, m)[seeking], 1e-12, 1 - 1e-12)
        gumbel = -np.log(-np.log(draws))
        choice = np.argmax(u + beh.choice_noise * gumbel, axis=1)

        # 5. matching -----------------------------------------------------------------------
        eff = 1.0 + beh.rel_info_match * levers["e6_info_coverage"]
        if month.post_festival:
            eff *= 1.0 + levers["e6_campaign_intensity"]
        at_village = pop.loc[seeking] == c.VILLAGE
        rel = np.where(at_village, 1.0 + beh.rel_pes_match * levers["e5_pes_village_coverage"], 1.0)
        p_hire = np.zeros(len(seeking))
        for col, vacancies in ((0, v_township), (1, v_formal + v_flex)):
            mine = choice == col
            s = float(rel[mine].sum())
            hires = matching_hires(s, vacancies, beh.match_efficiency * eff, beh.match_elasticity)
            if s > 0:
                p_hire[mine] = rel[mine] * hires / s
        p_hire[choice == 2] = beh.p_start_business
        p_hire[choice >= 3] = beh.p_find_outside * eff
        u_hire = streams.uniform("labour.hire", t, n)[seeking]
        hired = u_hire < np.minimum(p_hire, 1.0)
        # draws may overshoot the expected hires: a market never hires past its vacancies
        for col, vacancies in ((0, v_township), (1, v_formal + v_flex)):
            mine = np.flatnonzero(hired & (choice == col))
            if len(mine) > vacancies:
                hired[np.setdiff1d(mine, pick_lowest(mine, u_hire, vacancies))] = False
        new_job = np.array(MARKETS, dtype=np.int8)[choice]
        # who takes the formal jobs among a month's county hires: a lasting personal trait (the
        # same ranking every month), so a hire made in another month lands in the same kind of job
        u_kind = streams.uniform("labour.kind", -1, n)
        county = np.flatnonzero(hired & (choice == 1))
        new_job[county] = county_kind(seeking[county], u_kind, v_formal, v_flex)
        v_formal -= int((new_job[county] == c.J_COUNTY_FORMAL).sum())
        v_flex -= int((new_job[county] == c.J_COUNTY_FLEX).sum())
        hires_idx = seeking[hired]
        # searchers expect next month the finding chances each market offers now (adaptive
        # expectations): the matching function's chance, not the share the lottery happened to
        # hire, so one month's luck does not steer the next month's choices
        tried = np.bincount(choice, minlength=m)
        expect = np.bincount(choice, weights=np.minimum(p_hire, 1.0), minlength=m)
        acc.find_rate = np.where(tried > 0, expect / np.maximum(tried, 1), acc.find_rate)
        hire(pop, hires_idx, new_job[hired], beh, streams)
        county_hires = len(county)

        # E5 referrals fill county vacancies left open, from searchers not hired
        left = seeking[~hired & (choice <= 1)]
        referred = pick_lowest(
            left,
            streams.uniform("labour.referral", t, n),
            min(int(levers["e5_referrals_per_month"]), v_formal + v_flex),
        )
        if len(referred):
            hire(pop, referred, county_kind(referred, u_kind, v_formal, v_flex), beh, streams)

        # E2 East-West placements from searchers still without work, aged 18-50
        still = seeking[~hired]
        still = still[(job[still] == c.J_NONE) & (age[still] >= 18) & (age[still] <= 50)]
        placed = pick_lowest(
            still,
            streams.uniform("labour.placement", t, n),
            count_this_month(levers["e2_placements_per_year"], t),
        )
        if len(placed):
            hire(pop, placed, np.full(len(placed), c.J_OTHER_PROVINCE, dtype=np.int8), beh, streams)
            pop.placed[placed] = True

        acc.hires = len(hires_idx) + len(referred) + len(placed)
        acc.hires_county = county_hires + len(referred)
        acc.referrals, acc.placements = len(referred), len(placed)
        acc.county_vacancies = float(v_formal + v_flex - len(referred))
