"""Labour: separations, job search, matching, job choice, wages (clauses E1, E2, E3, E5, E6).

The month's labour phase, in order:

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
6. **wages** — every employed person's income from the wage equation (job, sector, education,
   skill, age, tenure, brand (E3) and placement (E2) premia, nominal growth).

Pure functions take arrays and parameters and return arrays; ``step`` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from countysim.calendar import Month
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.scenario import Labour, LabourBehaviour, Scenario

#: markets a searcher chooses among (columns of the utility matrix), and the job each gives
MARKETS = (c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_SELF, c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE)
OUTSIDE_JOBS = (c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE)


def base_income(profile: Labour) -> np.ndarray:
    """Monthly income level by job code (yuan, at the reference year)."""
    out = np.zeros(len(c.JOB_NAMES))
    out[c.J_FARM] = profile.income_farm
    out[c.J_TOWNSHIP] = profile.wage_township
    out[c.J_COUNTY_FORMAL] = profile.wage_county
    out[c.J_COUNTY_FLEX] = profile.wage_county * profile.rel_wage_flexible
    out[c.J_SELF] = profile.income_self_employed
    out[c.J_OUTSIDE_PROVINCE] = profile.wage_outside_province
    out[c.J_OTHER_PROVINCE] = profile.wage_other_province
    return out


def sector_factor(beh: LabourBehaviour) -> np.ndarray:
    """Wage factor by sector code (1 for 'none')."""
    return np.array([1.0] + [beh.sector_wage[s] for s in c.SECTOR_NAMES[1:]])


def growth_factor(profile: Labour, absolute_month: int) -> float:
    """Nominal wage growth from the middle of the reference year to ``absolute_month``."""
    years = (absolute_month - (profile.wage_reference_year * 12 + 6)) / 12.0
    return (1.0 + profile.wage_growth) ** years


def wage_of(
    job: np.ndarray,
    sector: np.ndarray,
    edu: np.ndarray,
    skill: np.ndarray,
    age_years: np.ndarray,
    tenure: np.ndarray,
    effect: np.ndarray,
    premium: np.ndarray,
    profile: Labour,
    beh: LabourBehaviour,
    absolute_month: int,
) -> np.ndarray:
    """Monthly income (yuan) from the wage equation; 0 for the jobless.

    ``log w = log base[job] + log sector + β_e·(edu − junior) + β_s·skill
    − κ·(age − peak)² + β_t·min(tenure, 36) + effect + log(1 + premium)``, times nominal growth.
    Farm income has no person terms.
    """
    nonfarm = job >= c.J_TOWNSHIP
    logw = (
        beh.wage_edu * (edu.astype(np.float32) - 2)
        + beh.wage_skill * skill
        - beh.wage_age_curvature * (age_years - beh.wage_age_peak) ** 2
        + beh.wage_tenure * np.minimum(tenure, 36)
        + effect
    )
    level = base_income(profile)[job] * sector_factor(beh)[sector] * (1.0 + premium)
    w = level * np.where(nonfarm, np.exp(logw), 1.0) * growth_factor(profile, absolute_month)
    return w.astype(np.float32)


def separation_hazard(
    job: np.ndarray,
    tenure: np.ndarray,
    certified: np.ndarray,
    placed: np.ndarray,
    spring_festival: bool,
    beh: LabourBehaviour,
    rel_county: float,
    rel_placed: float,
) -> np.ndarray:
    """Monthly probability of leaving the current job (0 for the jobless and farmers)."""
    base = np.zeros(len(c.JOB_NAMES))
    base[c.J_TOWNSHIP] = beh.p_sep_township
    base[c.J_COUNTY_FORMAL] = beh.p_sep_county_formal * rel_county
    base[c.J_COUNTY_FLEX] = beh.p_sep_county_flexible * rel_county
    base[c.J_SELF] = beh.p_sep_self_employed
    base[list(OUTSIDE_JOBS)] = beh.p_sep_outside * (beh.rel_sep_spring_festival if spring_festival else 1)
    h = base[job]
    h = h * np.where(tenure < 6, beh.rel_sep_new_hire, 1.0)
    h = h * np.where(certified, beh.rel_sep_certified, 1.0)
    h = h * np.where(placed, rel_placed, 1.0)
    return np.minimum(h, 1.0)


def search_intensity(
    job: np.ndarray, age_years: np.ndarray, beh: LabourBehaviour, post_festival: bool
) -> np.ndarray:
    """Probability of searching this month: jobless 1, farmers ``search_farm``, less with age."""
    s = np.where(job == c.J_NONE, 1.0, np.where(job == c.J_FARM, beh.search_farm, 0.0))
    s = s * np.clip(1.0 - beh.search_age_decline * np.maximum(age_years - 45, 0), 0.0, 1.0)
    if post_festival:
        s = s * (1.0 + beh.rel_post_festival_search)
    return np.minimum(s, 1.0)


def choice_utility(
    expected_income: np.ndarray,
    find_rate: np.ndarray,
    children: np.ndarray,
    elders: np.ndarray,
    age_years: np.ndarray,
    beh: LabourBehaviour,
    living_cost: float,
) -> np.ndarray:
    """Deterministic utility of each market (columns in ``MARKETS`` order) for each searcher.

    Args:
        expected_income: (n, 5) monthly income each market would pay, yuan.
        find_rate: (5,) chance of finding work in each market, as offered last month.
        children: children under 15 in the searcher's household.
        elders: elders in the household.
        age_years: ages.
        beh: behavioural parameters.
        living_cost: extra monthly cost of living away from home, yuan (nominal).
    """
    net = expected_income.copy()
    net[:, 3:] -= living_cost
    u = beh.choice_income * np.log(np.maximum(net, 100.0))
    u += beh.choice_find_rate * np.log(np.maximum(find_rate, 0.005))
    away = beh.family_child_outside * children + beh.family_elder_outside * elders
    away = away + beh.age_outside * np.maximum(age_years - 40, 0)
    u[:, 3] += away
    u[:, 4] += away + beh.pref_other_province
    u[:, 2] += beh.pref_self_employment
    return u


def matching_hires(searchers: float, vacancies: float, efficiency: float, alpha: float) -> float:
    """Expected hires of a matching function, capped by searchers and vacancies."""
    if searchers <= 0 or vacancies <= 0:
        return 0.0
    m = efficiency * searchers**alpha * vacancies ** (1.0 - alpha)
    return float(min(m, searchers, vacancies))


def count_this_month(per_year: float, t: int) -> int:
    """Whole persons of an annual flow that fall in month ``t`` (exact over the year)."""
    return int(np.floor(per_year * (t + 1) / 12.0) - np.floor(per_year * t / 12.0))


@dataclass
class Markets:
    """The county's job stocks (jobs filled plus vacant), updated monthly.

    Attributes:
        county_formal: county-town formal jobs.
        county_flexible: county-town flexible jobs.
        township: township non-farm jobs.
    """

    county_formal: float
    county_flexible: float
    township: float
    find_rate: np.ndarray = field(default_factory=lambda: np.full(len(MARKETS), 0.3))

    @classmethod
    def initial(cls, pop: Population, profile: Labour) -> Markets:
        """Job stocks at the start: filled jobs times (1 + vacancy rate)."""
        working = pop.alive & (pop.role == c.WORKER)
        count = np.bincount(pop.job[working], minlength=len(c.JOB_NAMES))
        return cls(
            county_formal=count[c.J_COUNTY_FORMAL] * profile.county_jobs_per_employed,
            county_flexible=count[c.J_COUNTY_FLEX] * profile.county_jobs_per_employed,
            township=count[c.J_TOWNSHIP] * profile.township_jobs_per_employed,
        )


@dataclass
class LabourFlows:
    """What the labour phase did this month (read by indicators)."""

    separations: int = 0
    returns_home: int = 0
    hires: int = 0
    hires_county: int = 0
    referrals: int = 0
    placements: int = 0
    county_vacancies: float = 0.0


def pick_lowest(candidates: np.ndarray, draw: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` candidates with the smallest draws (all if fewer)."""
    if k <= 0 or len(candidates) == 0:
        return candidates[:0]
    if k >= len(candidates):
        return candidates
    part = np.argpartition(draw[candidates], k - 1)[:k]
    return candidates[part]


def step(
    pop: Population,
    spec: Scenario,
    levers: dict[str, float],
    streams: Streams,
    month: Month,
    markets: Markets,
) -> LabourFlows:
    """Run the labour phase for one month; mutates ``pop`` and ``markets``."""
    beh = spec.behaviour.labour
    prof = spec.county.labour
    t, n = month.t, pop.n
    flows = LabourFlows()
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
    flows.separations, flows.returns_home = int(leave.sum()), int(home.sum())
    pop.tenure[worker & (job != c.J_NONE)] += 1

    # 2. job stocks ---------------------------------------------------------------------
    g = (1.0 + levers["e1_county_job_growth"]) ** (1 / 12)
    markets.county_formal *= g
    markets.county_flexible *= g
    markets.township *= (1.0 + prof.township_job_growth) ** (1 / 12)
    filled = np.bincount(job[worker], minlength=len(c.JOB_NAMES))
    # whole vacancies: hires never exceed them
    v_formal = int(max(markets.county_formal - filled[c.J_COUNTY_FORMAL], 0.0))
    v_flex = int(max(markets.county_flexible - filled[c.J_COUNTY_FLEX], 0.0))
    v_township = int(max(markets.township - filled[c.J_TOWNSHIP], 0.0))

    # 3. search -------------------------------------------------------------------------
    intensity = search_intensity(job, age, beh, month.post_festival)
    seeking = np.flatnonzero(worker & (streams.uniform("labour.search", t, n) < intensity))

    # 4. choice -------------------------------------------------------------------------
    absolute = spec.horizon.start_absolute + t
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
    u = choice_utility(expected, markets.find_rate, kids[hh], olds[hh], age[seeking], beh, living)
    gumbel = -np.log(-np.log(np.clip(streams.uniform("labour.choice", t, n, m)[seeking], 1e-12, 1 - 1e-12)))
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
    new_job[county] = _county_kind(seeking[county], u_kind, v_formal, v_flex)
    v_formal -= int((new_job[county] == c.J_COUNTY_FORMAL).sum())
    v_flex -= int((new_job[county] == c.J_COUNTY_FLEX).sum())
    hires_idx = seeking[hired]
    # searchers expect next month the finding chances each market offers now (adaptive
    # expectations): the matching function's chance, not the share the lottery happened to hire,
    # so one month's luck does not steer the next month's choices
    tried = np.bincount(choice, minlength=m)
    expect = np.bincount(choice, weights=np.minimum(p_hire, 1.0), minlength=m)
    markets.find_rate = np.where(tried > 0, expect / np.maximum(tried, 1), markets.find_rate)
    _hire(pop, hires_idx, new_job[hired], spec, streams, t)
    county_hires = len(county)

    # E5 referrals fill county vacancies left open, from searchers not hired
    left = seeking[~hired & (choice <= 1)]
    referred = pick_lowest(
        left,
        streams.uniform("labour.referral", t, n),
        min(int(levers["e5_referrals_per_month"]), v_formal + v_flex),
    )
    if len(referred):
        _hire(pop, referred, _county_kind(referred, u_kind, v_formal, v_flex), spec, streams, t)

    # E2 East-West placements from searchers still without work, aged 18-50
    still = seeking[~hired]
    still = still[(job[still] == c.J_NONE) & (age[still] >= 18) & (age[still] <= 50)]
    placed = pick_lowest(
        still,
        streams.uniform("labour.placement", t, n),
        count_this_month(levers["e2_placements_per_year"], t),
    )
    if len(placed):
        _hire(pop, placed, np.full(len(placed), c.J_OTHER_PROVINCE, dtype=np.int8), spec, streams, t)
        pop.placed[placed] = True

    flows.hires = len(hires_idx) + len(referred) + len(placed)
    flows.hires_county = county_hires + len(referred)
    flows.referrals, flows.placements = len(referred), len(placed)
    flows.county_vacancies = float(v_formal + v_flex - len(referred))

    # 6. wages --------------------------------------------------------------------------
    update_wages(pop, spec, levers, absolute)
    return flows


def _county_kind(idx: np.ndarray, draw: np.ndarray, v_formal: int, v_flex: int) -> np.ndarray:
    """Formal or flexible county jobs for ``idx`` (at most ``v_formal + v_flex`` persons).

    Each kind is filled in proportion to its open vacancies and never past them; who gets the
    formal ones is decided by the lowest draws.
    """
    k = len(idx)
    share = v_formal / (v_formal + v_flex) if v_formal + v_flex else 0.0
    n_formal = int(np.clip(round(share * k), k - v_flex, v_formal))
    kind = np.full(k, c.J_COUNTY_FLEX, dtype=np.int8)
    kind[np.argsort(draw[idx], kind="stable")[:n_formal]] = c.J_COUNTY_FORMAL
    return kind


def _hire(
    pop: Population, idx: np.ndarray, jobs: np.ndarray, spec: Scenario, streams: Streams, t: int
) -> None:
    """Put persons ``idx`` into ``jobs``: sector drawn from the hiring mix, tenure 0, moved."""
    if len(idx) == 0:
        return
    mix = spec.behaviour.labour.sector_mix
    cum = np.cumsum([mix[s] for s in c.SECTOR_NAMES[1:]])
    # the sector a person works in is a lasting trait (a trade), drawn once from the hiring mix
    u = streams.uniform("labour.sector", -1, pop.n)[idx]
    sector = 1 + np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1)
    pop.job[idx] = jobs
    pop.sector[idx] = np.where(jobs == c.J_SELF, 3, sector)  # self-employment: mostly trade
    pop.tenure[idx] = 0
    pop.placed[idx] = False
    pop.loc[idx] = np.array(c.JOB_LOCATION, dtype=np.int8)[jobs]


def update_wages(pop: Population, spec: Scenario, levers: dict[str, float], absolute: int) -> None:
    """Recompute every worker's monthly income (0 for the jobless and non-workers)."""
    working = np.flatnonzero(pop.alive & (pop.role == c.WORKER) & (pop.job != c.J_NONE))
    premium = (
        pop.brand[working] * levers["e3_brand_wage_premium"] + pop.placed[working] * levers["e2_wage_premium"]
    )
    pop.wage[:] = 0.0
    pop.wage[working] = wage_of(
        pop.job[working], pop.sector[working], pop.edu[working], pop.skill[working],
        pop.age_m[working] // 12, pop.tenure[working], pop.wage_effect[working], premium,
        spec.county.labour, spec.behaviour.labour, absolute,
    )  # fmt: skip
