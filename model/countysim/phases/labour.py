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

from countysim.backend import count_by_group, unsigned
from countysim.parameters.behaviour import LabourBehaviour
from countysim.parameters.county import Labour
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month, lowest, pick_lowest
from countysim.rules.labour import (
    M_COUNTY,
    M_FARM,
    M_OTHER,
    M_OUTSIDE,
    M_SELF,
    M_TOWNSHIP,
    MARKETS,
    OUTSIDE_JOBS,
    OUTSIDE_MARKETS,
    WAGE_MARKETS,
    adapt,
    choose_markets,
    county_kind,
    employment_rate,
    hire,
    hiring_weight,
    kernels,
    matching_chance,
    matching_hires,
    search_table,
    separation_table,
)
from countysim.state import Account, CountyState, flow

#: children younger than this (months) count in the family term of the job choice
CHILD_AGE_M = 15 * 12


class LabourParams(NamedTuple):
    """What the labour phase reads: behaviour and the county's labour market profile."""

    beh: LabourBehaviour
    profile: Labour


@dataclass
class LabourAccount(Account):
    """What the labour phase did this month, and the chances searchers expect.

    Attributes:
        searchers: searchers choosing each market this month (``MARKETS`` order).
        employment: each market's employment rate after this month's matching: jobs held / (jobs
            held + the searchers it left without work).
        expected: per market, the employment rate searchers expect (adaptive: a weighted step each
            month towards the market's employment rate).
        expecting: whether ``expected`` holds expectations yet (set in the first month).
        town_jobless: searchers in the county-town market still without work after matching and
            referrals.
        town_filled: county-town jobs held at the end of the labour phase.
    """

    separations: int = flow()
    returns_home: int = flow()
    hires: int = flow()
    hires_county: int = flow()
    referrals: int = flow()
    placements: int = flow()
    county_vacancies: float = flow(0.0)
    town_jobless: int = flow()
    town_filled: int = flow()
    searchers: np.ndarray = flow(size=len(MARKETS))  # noqa: RUF009 - flow() makes a dataclass field
    employment: np.ndarray = flow(size=len(MARKETS))  # noqa: RUF009
    expected: np.ndarray = field(default_factory=lambda: np.zeros(len(MARKETS)))
    expecting: bool = False


def _labour(state: CountyState) -> LabourAccount:
    return state.accounts["labour"]  # type: ignore[return-value]


def _surveyed_share(**where):
    """Share of surveyed migrant workers (rural hukou, non-farm work) with the codes given."""
    return lambda st, s: share(s.workers.count(job=c.NONFARM_JOBS, hukou=0, **where), s.n_surveyed)


def _age_band(lo: int, hi: int):
    """Share of surveyed migrant workers aged ``lo`` to ``hi`` (years; from one count by age)."""
    return lambda st, s: share(int(s.surveyed_by_age[lo : hi + 1].sum()), s.n_surveyed)


#: figures on the monitoring survey's definitions (NBS 農民工監測調查報告): over migrant workers
#: in non-farm work who still hold rural hukou; "local" means inside the home township
SURVEY_INDICATORS = (
    Indicator("survey_migrant_workers", "persons", "migrant workers on the survey's definition: rural hukou, non-farm work", 0, "W2",
              lambda st, s: float(s.n_surveyed)),
    Indicator("survey_mean_age", "years", "mean age of migrant workers (survey definition)", 0, "O1",
              lambda st, s: s.mean("age_surveyed") / 12),
    Indicator("survey_share_40_and_under", "share", "migrant workers aged 40 and under (survey definition)", 0, "O1",
              _age_band(0, 40)),
    Indicator("survey_share_over_50", "share", "migrant workers aged over 50 (survey definition)", 0, "S5",
              _age_band(51, 200)),
    Indicator("survey_age_16_20", "share", "migrant workers aged 16-20 (survey definition)", 0, "O1", _age_band(16, 20)),
    Indicator("survey_age_21_30", "share", "migrant workers aged 21-30 (survey definition)", 0, "O1", _age_band(21, 30)),
    Indicator("survey_age_31_40", "share", "migrant workers aged 31-40 (survey definition)", 0, "O1", _age_band(31, 40)),
    Indicator("survey_age_41_50", "share", "migrant workers aged 41-50 (survey definition)", 0, "O1", _age_band(41, 50)),
    Indicator("survey_female_share", "share", "women among migrant workers (survey definition)", 0, "O1",
              _surveyed_share(sex=c.FEMALE)),
    Indicator("survey_local_share", "share",
              "migrant workers working inside their home township (survey's local 本地農民工) / migrant workers", 0, "E1",
              lambda st, s: share(s.n_township, s.n_surveyed)),
    Indicator("survey_out_share", "share",
              "migrant workers working outside their home township (survey's 外出農民工, county town included) / migrant workers",
              0, "E2", lambda st, s: share(s.n_surveyed - s.n_township, s.n_surveyed)),
    Indicator("survey_cross_province_share", "share", "out-migrant workers (survey definition) working in another province / out-migrants",
              0, "E2", lambda st, s: share(s.workers.count(job=c.J_OTHER_PROVINCE, hukou=0),
                                            s.n_surveyed - s.n_township)),
    Indicator("survey_edu_primary_or_less", "share", "migrant workers with primary schooling or none (survey definition)", 0, "S1",
              _surveyed_share(edu=(0, 1))),
    Indicator("survey_edu_junior", "share", "migrant workers with junior secondary schooling (survey definition)", 0, "S1",
              _surveyed_share(edu=2)),
    Indicator("survey_edu_senior", "share", "migrant workers with senior secondary schooling (survey definition)", 0, "S1",
              _surveyed_share(edu=3)),
    Indicator("survey_edu_college", "share", "migrant workers with college (大專) or more (survey definition)", 0, "S1",
              _surveyed_share(edu=4)),
    Indicator("survey_mean_income", "yuan per month", "mean monthly income of migrant workers (survey definition), nominal", 1, "O1",
              lambda st, s: s.mean("wage_surveyed")),
    Indicator("survey_mean_income_local", "yuan per month", "mean monthly income of local migrant workers (survey definition)", 1, "E1",
              lambda st, s: s.mean("wage_township")),
    Indicator("survey_mean_income_out", "yuan per month", "mean monthly income of out-migrant workers (survey definition)", 1, "E2",
              lambda st, s: s.mean("wage_surveyed_out")),
)  # fmt: skip


INDICATORS = (
    Indicator("employed_rate", "share", "workers in non-farm wage work or self-employment / workers", 1, "O1",
              lambda st, s: share(s.n_employed, s.n_workers)),
    Indicator("jobless_rate", "share", "workers with no work at all (not even farming) / workers", -1, "E5",
              lambda st, s: share(s.workers.count(job=c.J_NONE), s.n_workers)),
    Indicator("local_employment_share", "share",
              "employed working inside the county (township, county town, self-employed) / employed", 1, "E1",
              lambda st, s: share(s.n_employed - s.n_outside, s.n_employed)),
    Indicator("out_migrant_share", "share", "employed working outside the county / employed", 0, "E2",
              lambda st, s: share(s.n_outside, s.n_employed)),
    Indicator("cross_province_share", "share", "employed working in another province / employed", 0, "E2",
              lambda st, s: share(s.workers.count(job=c.J_OTHER_PROVINCE), s.n_employed)),
    Indicator("mean_monthly_income", "yuan per month",
              "mean monthly income of the employed (non-farm work and self-employment), nominal", 1, "O1",
              lambda st, s: s.mean("wage_employed")),
    Indicator("mean_monthly_income_local", "yuan per month", "mean monthly income of the employed inside the county", 1, "E1",
              lambda st, s: s.mean("wage_local")),
    Indicator("mean_monthly_income_out", "yuan per month", "mean monthly income of the employed outside the county", 1, "E2",
              lambda st, s: s.mean("wage_outside")),
    Indicator("stable_employment_rate", "share", "employed with 6 or more months in the current job / employed", 1, "O1",
              lambda st, s: share(s.workers.count(job=c.NONFARM_JOBS, tenure=(1, 2)), s.n_employed)),
    Indicator("stable_employment_rate_12m", "share", "employed with 12 or more months in the current job / employed", 1, "O1",
              lambda st, s: share(s.workers.count(job=c.NONFARM_JOBS, tenure=2), s.n_employed)),
    Indicator("county_jobs", "jobs", "county-town formal and flexible jobs (filled and vacant)", 1, "E1",
              lambda st, s: st.jobs.county_formal + st.jobs.county_flexible),
    Indicator("county_vacancies", "jobs", "county-town vacancies left open at the end of the month", 0, "E1",
              lambda st, s: _labour(st).county_vacancies),
    Indicator("hires", "persons per month", "hires this month (matching, referrals, placements)", 1, "E6",
              lambda st, s: float(_labour(st).hires)),
    Indicator("referrals", "persons per month", "PES referrals into county vacancies this month", 1, "E5",
              lambda st, s: float(_labour(st).referrals)),
    Indicator("e2_placed_workers", "persons", "workers in an organised East-West placement job", 1, "E2",
              lambda st, s: float(s.n_placed)),
    Indicator("farm_workers", "persons", "workers farming at home (not migrant workers on the survey's definition)", 0, "O1",
              lambda st, s: float(s.workers.count(job=c.J_FARM))),
    Indicator("county_town_unemployment_rate", "share",
              "searchers in the county-town market without work after this month's matching / (them + county-town jobs held)",
              -1, "E1", lambda st, s: share(_labour(st).town_jobless, _labour(st).town_jobless + _labour(st).town_filled)),
    *SURVEY_INDICATORS,
)  # fmt: skip


_NO_DRAWS = np.empty(0)


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
        t = month.t
        job = pop.job
        # the rows every labour decision concerns, and the family terms of the job choice
        workers, employed, kids, olds = self.scan(pop)

        if not acc.expecting:  # the first month: expect the markets' employment rates as they are
            worker = np.zeros(pop.n, dtype=bool)
            worker[workers] = True
            acc.expected = employment_rate(
                self.filled(pop, worker), self.jobless_by_market(pop, worker), np.zeros(len(MARKETS))
            )
            acc.expected[M_FARM] = 1.0
            acc.expecting = True

        # 1. separations -------------------------------------------------------------------
        # only those in non-farm work can leave a job (the hazard is 0 for everyone else); the
        # same pass moves the tenure clock and lists who may search (the jobless, farmers, leavers)
        key = streams.counter_key("labour.separation", t)  # drawn in the pass, or in sequence (pcg64)
        u_leave = _NO_DRAWS if key is not None else streams.uniform("labour.separation", t, employed)
        leavers, looking = np.empty(len(workers), dtype=np.int64), np.empty(len(workers), dtype=np.int64)
        held = np.zeros(len(c.JOB_NAMES), dtype=np.int64)
        n_leave, n_looking = kernels().separate(
            workers, unsigned(job), pop.tenure, unsigned(pop.skill), pop.placed,
            separation_table(beh, month.spring_festival, levers["e1_rel_separation_county"], levers["e2_rel_separation"]),
            u_leave, np.uint64(0) if key is None else key, leavers, looking, held,
        )  # fmt: skip
        leavers, looking = leavers[:n_leave], looking[:n_looking]
        away = leavers[c.in_codes(job[leavers], OUTSIDE_JOBS)]
        home = away[streams.uniform("labour.return", t, away) < beh.p_return_home]
        pop.end_jobs(leavers)
        pop.return_home(home)
        acc.separations, acc.returns_home = len(leavers), len(home)

        # 2. job stocks ---------------------------------------------------------------------
        g = (1.0 + levers["e1_county_job_growth"]) ** (1 / 12)
        jobs.county_formal *= g
        jobs.county_flexible *= g
        jobs.township *= (1.0 + prof.township_job_growth) ** (1 / 12)
        # whole vacancies: hires never exceed them
        v_formal = int(max(jobs.county_formal - held[c.J_COUNTY_FORMAL], 0.0))
        v_flex = int(max(jobs.county_flexible - held[c.J_COUNTY_FLEX], 0.0))
        v_township = int(max(jobs.township - held[c.J_TOWNSHIP], 0.0))

        # 3. search -------------------------------------------------------------------------
        # only the jobless and farmers search (the intensity is 0 for everyone else)
        u_search = streams.uniform("labour.search", t, looking)
        seeking = looking[
            kernels().searching(
                looking, unsigned(job), pop.age_m, search_table(beh, month.post_festival), u_search
            )
        ]
        age = pop.age_m[seeking] // 12  # years, of the searchers (in their order)

        # 4. choice: each market's expected income --------------------------------------------
        absolute = month.absolute
        hh = pop.hh[seeking]
        m = len(MARKETS)
        eff = 1.0 + beh.rel_info_match * levers["e6_info_coverage"]
        if month.post_festival:
            eff *= 1.0 + levers["e6_campaign_intensity"]
        openings = np.zeros(m)
        n_workers = len(workers)
        openings[M_OUTSIDE] = beh.openings_outside_province * n_workers / 1000
        openings[M_OTHER] = beh.openings_other_province * n_workers / 1000
        vacancies = np.array([0.0, v_township, v_formal + v_flex, 0.0, *openings[[M_OUTSIDE, M_OTHER]]])
        hiring = hiring_weight(age, beh)  # the searchers' weight in wage markets' hiring
        choice = choose_markets(
            pop.edu[seeking], pop.skill[seeking], age, pop.wage_effect[seeking],
            pop.brand[seeking] * levers["e3_brand_wage_premium"], kids[hh], olds[hh], pop.loc[seeking],
            hiring, acc.expected, streams.uniform("labour.choice", t, seeking, m), prof, beh, absolute,
        )  # fmt: skip
        # a farmer who goes looking for other work gives up farming this month
        leaving_farm = seeking[(job[seeking] == c.J_FARM) & (choice != M_FARM)]
        pop.end_jobs(leaving_farm)

        # 5. matching -----------------------------------------------------------------------
        at_village = pop.loc[seeking] == c.VILLAGE
        pes = np.where(at_village, 1.0 + beh.rel_pes_match * levers["e5_pes_village_coverage"], 1.0)
        # a searcher's weight in a market's hiring: PES reach in the county's markets, and age
        rel = np.where(c.in_codes(choice, WAGE_MARKETS), hiring, 1.0) * np.where(
            c.in_codes(choice, (M_TOWNSHIP, M_COUNTY)), pes, 1.0
        )
        p_hire = np.zeros(len(seeking))
        capped = ((M_TOWNSHIP, v_township), (M_COUNTY, v_formal + v_flex),
                  (M_OUTSIDE, int(openings[M_OUTSIDE])), (M_OTHER, int(openings[M_OTHER])))  # fmt: skip
        for col, v in capped:
            mine = choice == col
            weights = rel[mine]
            s_ = float(weights.sum())
            efficiency = (
                beh.match_efficiency * eff if col in (M_TOWNSHIP, M_COUNTY) else beh.p_find_outside * eff
            )
            hires = matching_hires(s_, v, efficiency, beh.match_elasticity)
            if s_ > 0:
                p_hire[mine] = weights * hires / s_
        p_hire[choice == M_SELF] = beh.p_start_business
        p_hire[choice == M_FARM] = 1.0  # farming at home is open to everyone (free entry)
        u_hire = streams.uniform("labour.hire", t, seeking)
        hired = u_hire < np.minimum(p_hire, 1.0)
        # draws may overshoot the expected hires: a market never hires past its vacancies
        for col, v in capped:
            mine = np.flatnonzero(hired & (choice == col))
            if len(mine) > v:
                hired[np.setdiff1d(mine, pick_lowest(mine, u_hire, v))] = False
        # a farmer who chose farming again just goes on farming
        stays = (job[seeking] == c.J_FARM) & (choice == M_FARM)
        new_job = np.array(MARKETS, dtype=np.int8)[choice]
        # who takes the formal jobs among a month's county hires: a lasting personal trait (the
        # same ranking every month), so a hire made in another month lands in the same kind of job
        county = np.flatnonzero(hired & (choice == M_COUNTY))
        new_job[county] = county_kind(streams.uniform("labour.kind", -1, seeking[county]), v_formal, v_flex)
        v_formal -= int((new_job[county] == c.J_COUNTY_FORMAL).sum())
        v_flex -= int((new_job[county] == c.J_COUNTY_FLEX).sum())
        take = hired & ~stays
        hires_idx = seeking[take]
        hire(pop, hires_idx, new_job[take], beh, streams)
        county_hires = len(county)
        acc.searchers = np.bincount(choice, minlength=m)
        single = self.offered(vacancies, np.zeros(m), beh, eff)  # what one searcher would find

        # E5 referrals fill county vacancies left open, from searchers not hired
        left = seeking[~hired & c.in_codes(choice, (M_TOWNSHIP, M_COUNTY))]
        referred = lowest(
            left,
            streams.uniform("labour.referral", t, left),
            min(int(levers["e5_referrals_per_month"]), v_formal + v_flex),
        )
        if len(referred):
            kind = county_kind(streams.uniform("labour.kind", -1, referred), v_formal, v_flex)
            hire(pop, referred, kind, beh, streams)

        # E2 East-West placements from searchers still without work, aged 18-50
        not_hired = ~hired
        still, age_still = seeking[not_hired], age[not_hired]
        still = still[(job[still] == c.J_NONE) & (age_still >= 18) & (age_still <= 50)]
        placed = lowest(
            still,
            streams.uniform("labour.placement", t, still),
            count_this_month(levers["e2_placements_per_year"], t),
        )
        if len(placed):
            hire(pop, placed, np.full(len(placed), c.J_OTHER_PROVINCE, dtype=np.int8), beh, streams)
            pop.placed[placed] = True

        # each market's labour force: its jobs held and the searchers it left without work; the
        # county's searchers expect next month, for every market, a weighted step towards its
        # employment rate now (learnt from what the others found, for untried markets too)
        failed = np.bincount(choice[job[seeking] == c.J_NONE], minlength=m)
        held = np.zeros(len(c.JOB_NAMES), dtype=np.int64)
        kernels().count_at(unsigned(job), workers, held)  # the jobs held now
        filled = self.by_market(held)
        acc.employment = employment_rate(filled, failed, single)
        acc.employment[M_FARM] = 1.0
        acc.expected = adapt(acc.expected, acc.employment, beh.expectation_weight)
        acc.town_jobless, acc.town_filled = int(failed[M_COUNTY]), int(filled[M_COUNTY])
        acc.hires = len(hires_idx) + len(referred) + len(placed)
        acc.hires_county = county_hires + len(referred)
        acc.referrals, acc.placements = len(referred), len(placed)
        acc.county_vacancies = float(v_formal + v_flex - len(referred))

    @staticmethod
    def scan(pop) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The workers, those among them in non-farm work, and each household's children and elders.

        The slots of the living workers and of the employed (non-farm work) among them, in slot
        order, and per household the living children under 15 and the living elders, in one pass
        (``rules.labour_kernels.scan_persons``).
        """
        workers, employed = np.empty(pop.n, dtype=np.int64), np.empty(pop.n, dtype=np.int64)
        kids, olds = np.zeros(pop.n_households, dtype=np.int64), np.zeros(pop.n_households, dtype=np.int64)
        n_workers, n_employed = kernels().scan_persons(
            pop.alive,
            unsigned(pop.role),
            pop.age_m,
            pop.hh,
            unsigned(pop.job),
            CHILD_AGE_M,
            workers,
            employed,
            kids,
            olds,
        )
        return workers[:n_workers], employed[:n_employed], kids, olds

    @staticmethod
    def filled(pop, worker: np.ndarray) -> np.ndarray:
        """Jobs held in each market (``MARKETS`` order; county formal and flexible together)."""
        return LabourPhase.by_market(count_by_group(pop.job, worker, len(c.JOB_NAMES)))

    @staticmethod
    def by_market(held: np.ndarray) -> np.ndarray:
        """Jobs held in each market from the jobs held by job code (county formal and flexible together)."""
        out = held[np.array(MARKETS)].astype(np.float64)
        out[M_COUNTY] += held[c.J_COUNTY_FLEX]
        return out

    @staticmethod
    def jobless_by_market(pop, worker: np.ndarray) -> np.ndarray:
        """The jobless at the start, by the market of where they are (village: township; town; outside)."""
        jobless = worker & (pop.job == c.J_NONE)
        loc = np.bincount(pop.loc[jobless], minlength=len(c.LOCATION_NAMES))
        out = np.zeros(len(MARKETS))
        out[M_TOWNSHIP], out[M_COUNTY] = loc[c.VILLAGE], loc[c.COUNTY_TOWN]
        out[M_OUTSIDE], out[M_OTHER] = loc[c.OUTSIDE_PROVINCE], loc[c.OTHER_PROVINCE]
        return out

    @staticmethod
    def offered(vacancies: np.ndarray, searchers: np.ndarray, beh: LabourBehaviour, eff: float) -> np.ndarray:
        """The chance each market offers a searcher this month, given how many search there."""
        out = np.zeros(len(MARKETS))
        out[M_FARM] = 1.0
        out[M_SELF] = beh.p_start_business
        for col in (M_TOWNSHIP, M_COUNTY):
            out[col] = matching_chance(
                searchers[col], vacancies[col], beh.match_efficiency * eff, beh.match_elasticity
            )
        for col in OUTSIDE_MARKETS:
            out[col] = matching_chance(
                searchers[col], vacancies[col], beh.p_find_outside * eff, beh.match_elasticity
            )
        return np.minimum(out, 1.0)
