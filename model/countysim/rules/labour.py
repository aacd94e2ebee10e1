"""Labour: the rules of separations, job search, matching, job choice and wages (E1-E3, E5, E6).

Pure functions over arrays and parameters (no model): the hazard of leaving a job, search
intensity, the utility of each market, the matching function, the wage equation, and the two
state updates every hire and every month's pay go through (``hire``, ``update_wages``). The
labour phase (``countysim.phases.labour``) applies them in the month's order.
"""

from __future__ import annotations

import numpy as np

from countysim.backend import unsigned
from countysim.parameters.behaviour import LabourBehaviour
from countysim.parameters.county import Labour
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams

#: markets a searcher chooses among (columns of the utility matrix), and the job each gives:
#: farming at home (the free-entry rural sector), township non-farm work, the county town,
#: self-employment, the rest of the province, another province
MARKETS = (c.J_FARM, c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_SELF, c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE)
M_FARM, M_TOWNSHIP, M_COUNTY, M_SELF, M_OUTSIDE, M_OTHER = range(len(MARKETS))
#: markets outside the county (living away from home)
OUTSIDE_MARKETS = (M_OUTSIDE, M_OTHER)
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


def log_wage(
    edu: np.ndarray,
    skill: np.ndarray,
    age_years: np.ndarray,
    tenure: np.ndarray,
    effect: np.ndarray,
    beh: LabourBehaviour,
) -> np.ndarray:
    """The person terms of the log wage (float64).

    ``β_e·(edu − junior) + β_s·skill − κ·(age − peak)² + β_t·min(tenure, 36) + effect``.
    """
    return (
        beh.wage_edu * (edu.astype(np.float32) - 2)
        + beh.wage_skill * skill
        - beh.wage_age_curvature * (age_years - beh.wage_age_peak) ** 2
        + beh.wage_tenure * np.minimum(tenure, 36)
        + effect
    )


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
    logw = log_wage(edu, skill, age_years, tenure, effect, beh)
    level = base_income(profile)[job] * sector_factor(beh)[sector] * (1.0 + premium)
    w = level * np.where(nonfarm, np.exp(logw), 1.0) * growth_factor(profile, absolute_month)
    return w.astype(np.float32)


def market_pay(
    edu: np.ndarray,
    skill: np.ndarray,
    age_years: np.ndarray,
    effect: np.ndarray,
    premium: np.ndarray,
    profile: Labour,
    beh: LabourBehaviour,
    absolute_month: int,
) -> np.ndarray:
    """The pay each market (columns in ``MARKETS`` order) would give each person as a new hire.

    ``wage_of`` with no sector and no tenure, for every (person, market): the person terms of
    the log wage do not depend on the market, so they and their ``exp`` are computed once per
    person, and the market's level is broadcast; the same numbers as ``wage_of`` on one row per
    (person, market). Shape ``(n, len(MARKETS))``, float32.
    """
    jobs = np.array(MARKETS, dtype=np.int8)
    e = np.exp(log_wage(edu, skill, age_years, np.zeros(len(edu), dtype=np.int16), effect, beh))
    level = (base_income(profile)[jobs] * sector_factor(beh)[0])[None, :] * (1.0 + premium)[:, None]
    person = np.where((jobs >= c.J_TOWNSHIP)[None, :], e[:, None], 1.0)
    return (level * person * growth_factor(profile, absolute_month)).astype(np.float32)


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


def separation_table(
    beh: LabourBehaviour, spring_festival: bool, rel_county: float, rel_placed: float
) -> np.ndarray:
    """``separation_hazard`` for every combination of its person terms, as a table.

    Entry ``8·job + 4·(tenure < 6) + 2·certified + placed`` is the hazard of a person with that
    job code, early tenure, certificate and placement: ``separation_hazard`` computed over the
    64 combinations, so an entry is exactly the hazard it gives such a person.
    """
    combo = np.arange(8 * len(c.JOB_NAMES))
    return separation_hazard(
        (combo // 8).astype(np.int8), np.where(combo & 4, 0, 6), (combo & 2) > 0, (combo & 1) > 0,
        spring_festival, beh, rel_county, rel_placed,
    )  # fmt: skip


def search_intensity(
    job: np.ndarray, age_years: np.ndarray, beh: LabourBehaviour, post_festival: bool
) -> np.ndarray:
    """Probability of searching this month: jobless 1, farmers ``search_farm``, less with age."""
    s = np.where(job == c.J_NONE, 1.0, np.where(job == c.J_FARM, beh.search_farm, 0.0))
    s = s * np.clip(1.0 - beh.search_age_decline * np.maximum(age_years - 45, 0), 0.0, 1.0)
    if post_festival:
        s = s * (1.0 + beh.rel_post_festival_search)
    return np.minimum(s, 1.0)


def search_table(beh: LabourBehaviour, post_festival: bool) -> np.ndarray:
    """``search_intensity`` by job code (rows) and age in years (columns), as a table.

    Computed over every job code and every age in years an int16 month count can hold, so an
    entry is exactly the intensity ``search_intensity`` gives such a person.
    """
    jobs = np.arange(len(c.JOB_NAMES), dtype=np.int8)
    years = np.arange(np.iinfo(np.int16).max // 12 + 1, dtype=np.int16)
    rows = search_intensity(np.repeat(jobs, len(years)), np.tile(years, len(jobs)), beh, post_festival)
    return rows.reshape(len(jobs), len(years))


#: markets whose jobs are wage jobs with employers (their hiring prefers the young)
WAGE_MARKETS = (M_TOWNSHIP, M_COUNTY, M_OUTSIDE, M_OTHER)


def hiring_weight(age_years: np.ndarray, beh: LabourBehaviour) -> np.ndarray:
    """Relative chance of being hired into a wage job by age: employers' age limits from 50 on."""
    return np.exp(-beh.hire_age_decline * np.maximum(age_years - 50, 0))


def employment_rate(filled: np.ndarray, jobless: np.ndarray, single_chance: np.ndarray) -> np.ndarray:
    """Each market's employment rate: the share of its labour force in work.

    Harris & Todaro's probability of employment, from the jobs held and the searchers the market
    left without work. A market with neither jobs nor searchers offers what one searcher would find there
    (``single_chance``: the matching function's chance for one searcher).
    """
    force = filled + jobless
    return np.where(force > 0, filled / np.maximum(force, 1e-12), single_chance)


def choice_utility(
    expected_pay: np.ndarray,
    chance: np.ndarray,
    children: np.ndarray,
    elders: np.ndarray,
    age_years: np.ndarray,
    beh: LabourBehaviour,
    living_cost: float,
    location: np.ndarray | None = None,
) -> np.ndarray:
    """Deterministic utility of each market (columns in ``MARKETS`` order) for each searcher.

    A market's value is its expected income: the pay it offers net of the extra cost of living
    away from home, times the chance of being in work there (the market's employment rate as the
    searcher expects it, lower for older searchers; 1 for farming at home, a free-entry sector;
    Harris & Todaro 1970). The utility
    is ``choice_income · log(expected income)`` plus the non-pecuniary terms of leaving the family
    (outside markets), of age (older searchers prefer work near home, and farming), of each
    market (its constant), and of moving across the county's border to search (from home to an
    outside market, or back home from outside).

    Args:
        expected_pay: (n, 6) monthly pay each market would give the searcher, yuan.
        chance: (n, 6) each searcher's chance of being in work in each market.
        children: children under 15 in the searcher's household.
        elders: elders in the household.
        age_years: ages.
        beh: behavioural parameters.
        living_cost: extra monthly cost of living away from home, yuan (nominal).
        location: where each searcher is (``codes.LOCATION_NAMES``); ``None``: no moving cost.
    """
    net = expected_pay.copy()
    net[:, list(OUTSIDE_MARKETS)] -= living_cost
    value = np.maximum(net, 0.0) * chance
    u = beh.choice_income * np.log(np.maximum(value, 1.0))
    away = beh.family_child_outside * children + beh.family_elder_outside * elders
    away = away + beh.age_outside * np.maximum(age_years - 40, 0)
    u[:, M_OUTSIDE] += away
    u[:, M_OTHER] += away + beh.pref_other_province
    u[:, M_TOWNSHIP] += beh.pref_township
    u[:, M_COUNTY] += beh.pref_county_town
    u[:, M_OUTSIDE] += beh.pref_outside
    u[:, M_SELF] += beh.pref_self_employment
    u[:, M_FARM] += beh.pref_farm + beh.age_farm * np.maximum(age_years - 45, 0)
    if location is not None:
        market_loc = np.asarray(c.JOB_LOCATION)[list(MARKETS)]
        away_now = location[:, None] >= c.OUTSIDE_PROVINCE
        away_then = market_loc[None, :] >= c.OUTSIDE_PROVINCE
        moving = (location[:, None] != market_loc[None, :]) & (away_now | away_then)
        u -= beh.migration_cost * moving
    return u


def choose_markets(
    edu: np.ndarray,
    skill: np.ndarray,
    age_years: np.ndarray,
    effect: np.ndarray,
    premium: np.ndarray,
    children: np.ndarray,
    elders: np.ndarray,
    location: np.ndarray,
    hiring: np.ndarray,
    expected: np.ndarray,
    draws: np.ndarray,
    profile: Labour,
    beh: LabourBehaviour,
    absolute_month: int,
) -> np.ndarray:
    """The market each searcher chooses: ``choose_markets_reference`` in two compiled passes.

    The pay and chance of work of every (searcher, market) and the utility with its Gumbel taste
    shock are compiled passes; the logarithms (and the ``exp`` of the wage equation, once per
    searcher) are numpy's, between them. The same choices as the reference; ``draws`` (float64,
    one row per searcher) is overwritten.
    """
    k = kernels()
    n, jobs = len(edu), np.array(MARKETS, dtype=np.int8)
    exp_logw = np.exp(log_wage(edu, skill, age_years, np.zeros(n, dtype=np.int16), effect, beh))
    outside, wage_market = np.zeros(len(MARKETS), dtype=bool), np.zeros(len(MARKETS), dtype=bool)
    outside[list(OUTSIDE_MARKETS)], wage_market[list(WAGE_MARKETS)] = True, True
    living = beh.living_cost_outside * growth_factor(profile, absolute_month)
    value = np.empty((n, len(MARKETS)))
    k.market_values(
        exp_logw, np.asarray(premium, dtype=np.float64), hiring, base_income(profile)[jobs] * sector_factor(beh)[0],
        jobs >= c.J_TOWNSHIP, outside, wage_market, expected, float(growth_factor(profile, absolute_month)),
        np.float32(living), value,
    )  # fmt: skip
    np.log(np.maximum(value, 1.0, out=value), out=value)
    log_draw = np.clip(draws, 1e-12, 1 - 1e-12, out=draws)  # log(-log(u)), in the draws' place
    np.log(np.negative(np.log(log_draw, out=log_draw), out=log_draw), out=log_draw)
    away = beh.family_child_outside * children + beh.family_elder_outside * elders
    away = away + beh.age_outside * np.maximum(age_years - 40, 0)
    farm = beh.pref_farm + beh.age_farm * np.maximum(age_years - 45, 0)
    terms = np.zeros(len(MARKETS))
    terms[M_TOWNSHIP], terms[M_COUNTY], terms[M_SELF] = (
        beh.pref_township,
        beh.pref_county_town,
        beh.pref_self_employment,
    )
    terms[M_OUTSIDE], terms[M_OTHER] = beh.pref_outside, beh.pref_other_province
    choice = np.empty(n, dtype=np.int64)
    k.choose(
        value, log_draw, terms, np.asarray(away, dtype=np.float64), np.asarray(farm, dtype=np.float64), location,
        np.asarray(c.JOB_LOCATION)[list(MARKETS)], c.OUTSIDE_PROVINCE, float(beh.choice_income),
        float(beh.migration_cost), float(beh.choice_noise), choice,
    )  # fmt: skip
    return choice


def choose_markets_reference(
    edu: np.ndarray,
    skill: np.ndarray,
    age_years: np.ndarray,
    effect: np.ndarray,
    premium: np.ndarray,
    children: np.ndarray,
    elders: np.ndarray,
    location: np.ndarray,
    hiring: np.ndarray,
    expected: np.ndarray,
    draws: np.ndarray,
    profile: Labour,
    beh: LabourBehaviour,
    absolute_month: int,
) -> np.ndarray:
    """The market (column of ``MARKETS``) each searcher chooses, in plain numpy.

    The largest ``choice_utility`` plus a Gumbel taste shock of scale ``choice_noise`` from the
    uniform ``draws`` (one per searcher and market); the utility is over each market's pay
    (``market_pay``) and chance of work: the market's ``expected`` employment rate, times the
    searcher's ``hiring`` weight (``hiring_weight``) in wage markets, at most 1.
    """
    pay = market_pay(edu, skill, age_years, effect, premium, profile, beh, absolute_month)
    weight = np.ones((len(edu), len(MARKETS)))
    weight[:, list(WAGE_MARKETS)] = hiring[:, None]
    chance = np.minimum(expected * weight, 1.0)
    living = beh.living_cost_outside * growth_factor(profile, absolute_month)
    u = choice_utility(pay, chance, children, elders, age_years, beh, living, location)
    gumbel = -np.log(-np.log(np.clip(draws, 1e-12, 1 - 1e-12)))
    return np.argmax(u + beh.choice_noise * gumbel, axis=1)


def matching_hires(searchers: float, vacancies: float, efficiency: float, alpha: float) -> float:
    """Expected hires of a matching function, capped by searchers and vacancies."""
    if searchers <= 0 or vacancies <= 0:
        return 0.0
    m = efficiency * searchers**alpha * vacancies ** (1.0 - alpha)
    return float(min(m, searchers, vacancies))


def matching_chance(searchers: float, vacancies: float, efficiency: float, alpha: float) -> float:
    """The chance a searcher finds work this month in a market with a matching function.

    With no searchers it is the chance one searcher would have.
    """
    if vacancies <= 0:
        return 0.0
    s = max(searchers, 1.0)
    return matching_hires(s, vacancies, efficiency, alpha) / s


def adapt(expected: np.ndarray, offered: np.ndarray, weight: float) -> np.ndarray:
    """Adaptive expectations: close ``weight`` of the gap between what was offered and what was expected."""
    return expected + weight * (offered - expected)


def county_kind(draw: np.ndarray, v_formal: int, v_flex: int) -> np.ndarray:
    """Formal or flexible county jobs for the hires whose draws are ``draw``.

    At most ``v_formal + v_flex`` hires.

    Each kind is filled in proportion to its open vacancies and never past them; who gets the
    formal ones is decided by the lowest draws.
    """
    k = len(draw)
    share = v_formal / (v_formal + v_flex) if v_formal + v_flex else 0.0
    n_formal = int(np.clip(round(share * k), k - v_flex, v_formal))
    kind = np.full(k, c.J_COUNTY_FLEX, dtype=np.int8)
    kind[np.argsort(draw, kind="stable")[:n_formal]] = c.J_COUNTY_FORMAL
    return kind


def hire(pop: Population, idx: np.ndarray, jobs: np.ndarray, beh: LabourBehaviour, streams: Streams) -> None:
    """Put persons ``idx`` into ``jobs``: sector drawn from the hiring mix, tenure 0, moved."""
    if len(idx) == 0:
        return
    mix = beh.sector_mix
    cum = np.cumsum([mix[s] for s in c.SECTOR_NAMES[1:]])
    # the sector a person works in is a lasting trait (a trade), drawn once from the hiring mix
    u = streams.uniform("labour.sector", -1, idx)
    sector = 1 + np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1)
    pop.job[idx] = jobs
    # self-employment: mostly trade; farming has no sector
    pop.sector[idx] = np.where(jobs == c.J_SELF, 3, np.where(jobs == c.J_FARM, 0, sector))
    pop.tenure[idx] = 0
    pop.placed[idx] = False
    pop.loc[idx] = np.array(c.JOB_LOCATION, dtype=np.int8)[jobs]


def wage_tables(beh: LabourBehaviour) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms of ``log_wage`` by education code, by skill code and by age in months, as tables.

    Computed by the same numpy expressions (age in years ``age_m // 12``) over every int8 code
    and every int16 age in months, so that an entry is exactly the term ``log_wage`` computes.
    """
    codes = np.arange(128, dtype=np.int8)
    years = np.arange(np.iinfo(np.int16).max + 1, dtype=np.int16) // 12
    edu_term = beh.wage_edu * (codes.astype(np.float32) - 2)
    skill_term = beh.wage_skill * codes
    age_term = beh.wage_age_curvature * (years - beh.wage_age_peak) ** 2
    return edu_term, skill_term, age_term


def kernels():
    """The compiled passes of the labour and wages phases, imported on first use."""
    from countysim.rules import labour_kernels

    return labour_kernels


def update_wages(
    pop: Population, profile: Labour, beh: LabourBehaviour, levers: dict[str, float], absolute: int
) -> None:
    """Recompute every worker's monthly income (0 for the jobless and non-workers).

    ``update_wages_reference`` with the wage equation in two compiled passes over the workers with
    a job around numpy's ``exp`` (the same numbers).
    """
    k = kernels()
    working = np.flatnonzero(pop.alive & (pop.role == c.WORKER) & (pop.job != c.J_NONE))
    logw, level, nonfarm = np.empty(len(working)), np.empty(len(working)), np.empty(len(working), dtype=bool)
    k.wage_terms(
        working, unsigned(pop.job), unsigned(pop.sector), unsigned(pop.edu), unsigned(pop.skill), pop.age_m, pop.tenure, pop.wage_effect,
        pop.brand, pop.placed, *wage_tables(beh), float(beh.wage_tenure), base_income(profile),
        sector_factor(beh), float(levers["e3_brand_wage_premium"]), float(levers["e2_wage_premium"]),
        logw, level, nonfarm,
    )  # fmt: skip
    pop.wage[:] = 0.0
    k.pay(working, level, nonfarm, np.exp(logw), float(growth_factor(profile, absolute)), pop.wage)


def update_wages_reference(
    pop: Population, profile: Labour, beh: LabourBehaviour, levers: dict[str, float], absolute: int
) -> None:
    """``update_wages`` in plain numpy: ``wage_of`` over the living workers with a job."""
    working = np.flatnonzero(pop.alive & (pop.role == c.WORKER) & (pop.job != c.J_NONE))
    premium = (
        pop.brand[working] * levers["e3_brand_wage_premium"] + pop.placed[working] * levers["e2_wage_premium"]
    )
    pop.wage[:] = 0.0
    pop.wage[working] = wage_of(
        pop.job[working], pop.sector[working], pop.edu[working], pop.skill[working],
        pop.age_m[working] // 12, pop.tenure[working], pop.wage_effect[working], premium,
        profile, beh, absolute,
    )  # fmt: skip
