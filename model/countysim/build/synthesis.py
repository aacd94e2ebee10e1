"""Build a county's population by synthesis from the profile's marginal distributions.

Method (each step vectorised over households or persons):

1. **Households.** ``n`` households; each has one worker, or two (a couple) with probability
   ``p_two_workers``; 0-3 children by ``children_dist``; an elder with probability ``p_elder``
   (two with ``p_two_elders``).
2. **Worker ages.** The first worker's age is drawn from the age bands (uniform within a band);
   a spouse's age is the first worker's ± a couple's age gap (normal, sd 3 years), clipped to
   16-65. The marginal therefore matches the bands closely (the spouse draw is symmetric).
3. **Sex.** A lone worker is a woman with ``p_female_single_worker``; in a couple the first
   worker is a man and the spouse a woman.
4. **Education, skill, poverty — Gaussian copula.** A latent normal for education is correlated
   with the standardised age rank (``edu_age_correlation``), then cut at the quantiles of the
   education shares *by rank*, so the marginal matches exactly. Skill is cut likewise from a
   latent correlated 0.5 with education; the poverty-alleviated flag goes to the top
   ``poverty_share`` of a latent correlated -0.4 with education. Craftsmen are drawn among
   workers aged 35+.
5. **Jobs.** Workers get jobs by the profile's shares, cut by rank of a latent correlated -0.5
   with age along the order farm, township, self-employed, none, county flexible, county
   formal, rest of province, other province — so older workers stay nearer home (NBS: local
   workers are older), while the shares match exactly. Tenure is drawn from the stationary
   distribution of the job's separation hazard (geometric, capped at 15 years).
6. **Children** are aged between 0 and their entry age, at least 20 and at most 45 years
   younger than the first worker (households whose first worker is too young have none); their
   planned education and entry age follow the recent cohort (``rules.demography``). They live
   with the household: in the county town when a parent works there, otherwise in the village,
   except that a quarter of the children of out-migrant parents live with them (assumption:
   migrant children follow parents; NBS counts 13.3 M compulsory-age migrant children).
7. **Elders** are 60-85.

Every draw comes from named set-up streams (``Streams.uniform(name, -1, n)``), so the same seed
gives the same county.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules import demography
from countysim.rules.labour import separation_hazard, update_wages
from countysim.scenario import Scenario

#: order along which jobs are cut by the "distance from home" latent (see the module doc)
JOB_ORDER = (
    c.J_FARM, c.J_TOWNSHIP, c.J_SELF, c.J_NONE, c.J_COUNTY_FLEX, c.J_COUNTY_FORMAL,
    c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE,
)  # fmt: skip
SPOUSE_AGE_GAP_SD = 3.0  # years (assumption)
OUT_MIGRANT_CHILD_WITH_PARENTS = 0.25  # share (assumption, see module doc)


def cut_by_rank(latent: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Categories 0..k-1 with exactly the given shares, assigned in order of ``latent``."""
    n = len(latent)
    bounds = np.round(np.cumsum(shares) / np.sum(shares) * n).astype(np.int64)
    cat = np.empty(n, dtype=np.int8)
    order = np.argsort(latent, kind="stable")
    lo = 0
    for k, hi in enumerate(bounds):
        cat[order[lo:hi]] = k
        lo = hi
    return cat


def _normal(streams: Streams, name: str, slots: int | np.ndarray) -> np.ndarray:
    """Standard normal set-up draws for slots ``0 .. slots - 1`` or for the slots in an array."""
    return ndtri(np.clip(streams.uniform(name, -1, slots), 1e-12, 1 - 1e-12))


def _correlated(z: np.ndarray, rho: float, eps: np.ndarray) -> np.ndarray:
    return rho * z + np.sqrt(1.0 - rho**2) * eps


def _zrank(x: np.ndarray) -> np.ndarray:
    """Standard normal scores of the ranks of ``x``."""
    r = np.argsort(np.argsort(x, kind="stable"), kind="stable")
    return ndtri((r + 0.5) / len(x))


def synthesize(spec: Scenario, streams: Streams) -> Population:
    """Build the county's migrant-worker households from the scenario's profile."""
    hh_p = spec.county.households
    wk = spec.county.workers
    H = hh_p.n
    # draws are taken for the slots they concern (a subset gets its slots' numbers), and the
    # person-sized temporaries are dropped as soon as they are used: the build's peak memory
    u = lambda name, n: streams.uniform(f"synth.{name}", -1, n)  # noqa: E731

    # 1. household composition
    n_workers = 1 + (u("two_workers", H) < hh_p.p_two_workers)
    n_children = np.searchsorted(np.cumsum(hh_p.children_dist), u("children", H), side="right").clip(0, 3)
    has_elder = u("elder", H) < hh_p.p_elder
    n_elders = has_elder * (1 + (u("two_elders", H) < hh_p.p_two_elders))

    # 2. first worker's age (years, continuous)
    edges = np.asarray(wk.age_band_edges, dtype=float)
    band = np.searchsorted(np.cumsum(wk.age_band_shares), u("age_band", H), side="right").clip(
        0, len(edges) - 2
    )
    head_age = edges[band] + u("age_within", H) * (edges[band + 1] - edges[band])

    # children: count limited by the head's age
    lo = np.maximum(head_age - 45, 0)
    n_children = np.where(head_age - 20 > 0, n_children, 0)
    # persons per household and household of each person
    size = n_workers + n_children + n_elders
    N = int(size.sum())
    pop = Population(N, H)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    pop.hh[:] = np.repeat(np.arange(H, dtype=np.int32), size)
    rank_in_hh = (np.arange(N) - np.repeat(first, size)).astype(np.int32)
    hh = pop.hh
    nw = n_workers[hh]
    role = np.where(rank_in_hh < nw, c.WORKER, np.where(rank_in_hh < nw + n_children[hh], c.CHILD, c.ELDER))
    pop.role[:] = role
    is_w = role == c.WORKER
    spouse = is_w & (rank_in_hh == 1)

    # 2-3. ages and sex
    age = head_age[hh]
    mates = np.flatnonzero(spouse)
    age[mates] = np.clip(
        age[mates] + SPOUSE_AGE_GAP_SD * _normal(streams, "synth.spouse_gap", mates), 16, edges[-1] - 0.01
    )
    is_c, is_e = role == c.CHILD, role == c.ELDER
    del role
    dem = spec.behaviour.demography
    child_edu = demography.planned_education(u("child_edu", N), dem.child_edu_shares)
    entry = demography.ENTRY_AGE_BY_EDU[child_edu]
    kids = np.flatnonzero(is_c)
    hi_age = np.minimum(entry[kids] - 0.01, head_age[hh[kids]] - 20)
    lo_age = np.minimum(lo[hh[kids]], hi_age)
    age[kids] = lo_age + u("child_age", kids) * (hi_age - lo_age)
    del kids, hi_age, lo_age
    elders = np.flatnonzero(is_e)
    age[elders] = 60 + 25 * u("elder_age", elders)
    del elders
    pop.age_m[:] = np.floor(age * 12).astype(np.int16)
    single = is_w & (nw == 1)
    del nw
    female = np.where(single, u("sex", N) < hh_p.p_female_single_worker, spouse)
    female = np.where(is_w, female, u("sex", N) >= demography.MALE_SHARE_AT_BIRTH)
    del single, spouse
    # women well past their exit age (the median, plus one spread) are not in the labour force at
    # the start: such a worker is the man
    women_out = demography.STATUTORY_AGE_M[c.FEMALE] / 12 + dem.exit_years_after_statutory_women
    female &= ~(is_w & (age >= women_out + dem.exit_spread_years))
    pop.sex[:] = female.astype(np.int8)
    pop.entry_age_m[:] = (entry * 12).astype(np.int16)

    # 4. education, skill, poverty (workers by copula; others simple)
    w = np.flatnonzero(is_w)
    za = _zrank(age[w])
    z_edu = _correlated(za, wk.edu_age_correlation, _normal(streams, "synth.edu", w))
    pop.edu[w] = cut_by_rank(z_edu, np.asarray(wk.edu_shares))
    pop.edu[is_c] = child_edu[is_c]
    elders = np.flatnonzero(is_e)
    pop.edu[elders] = np.where(u("elder_edu", elders) < 0.5, 0, 1)  # elders: none or primary (assumption)
    z_skill = _correlated(_zrank(pop.edu[w] + 0.01 * za), 0.5, _normal(streams, "synth.skill", w))
    pop.skill[w] = cut_by_rank(z_skill, np.asarray(wk.skill_shares))
    # poverty-alleviated status is a household's: households are taken in order of their
    # first worker's latent until their workers make up poverty_share of all workers
    z_pov = _correlated(-_zrank(pop.edu[w] + 0.01 * za), 0.4, _normal(streams, "synth.poverty", w))
    head_w = rank_in_hh[w] == 0
    order = np.argsort(-z_pov[head_w], kind="stable")
    cum_workers = np.cumsum(n_workers[order])
    poor_hh = np.zeros(H, dtype=bool)
    poor_hh[order[cum_workers <= round(wk.poverty_share * len(w))]] = True
    pop.poverty[:] = poor_hh[pop.hh]
    pop.craftsman[w] = (age[w] >= 35) & (
        u("craftsman", w) < wk.craftsman_share / max(np.mean(age[w] >= 35), 1e-9)
    )
    # willingness to train: younger workers more willing (×1.3 under 30, ×0.7 at 45+), rescaled
    rel = np.where(age < 30, 1.3, np.where(age >= 45, 0.7, 1.0))
    del age
    pop.willing[:] = u("willing", N) < wk.willing_to_train * rel / rel[w].mean()
    del rel

    # 5. jobs and tenure
    shares = np.array([wk.initial_jobs.get(c.JOB_NAMES[j], 0.0) for j in JOB_ORDER])
    z_job = _correlated(-za, 0.5, _normal(streams, "synth.job", w))
    pop.job[w] = np.asarray(JOB_ORDER, dtype=np.int8)[cut_by_rank(z_job, shares)]
    pop.loc[:] = c.VILLAGE
    pop.loc[w] = np.asarray(c.JOB_LOCATION, dtype=np.int8)[pop.job[w]]
    mix = spec.behaviour.labour.sector_mix
    cum = np.cumsum([mix[s] for s in c.SECTOR_NAMES[1:]])
    nonfarm = np.flatnonzero(is_w & (pop.job >= c.J_TOWNSHIP))
    pop.sector[:] = 0
    pop.sector[nonfarm] = 1 + np.searchsorted(cum, u("sector", nonfarm) * cum[-1], side="right").clip(
        0, len(cum) - 1
    )
    held = np.flatnonzero(is_w & (pop.job != c.J_NONE))
    k = len(held)
    hz = separation_hazard(
        pop.job[held],
        np.full(k, 12),
        pop.skill[held] > 0,
        np.zeros(k, bool),
        False,
        spec.behaviour.labour,
        1.0,
        1.0,
    )
    geo = np.floor(np.log(np.clip(u("tenure", held), 1e-12, 1)) / np.log1p(-np.clip(hz, 1e-4, 0.999)))
    pop.tenure[:] = 0
    pop.tenure[held] = np.minimum(geo, 180).astype(np.int16)

    # 6. where the household's dependants live
    in_town = np.bincount(pop.hh[w], weights=pop.loc[w] == c.COUNTY_TOWN, minlength=H) > 0
    parent_loc = np.full(H, c.VILLAGE, dtype=np.int8)
    np.maximum.at(
        parent_loc, pop.hh[w], np.where(pop.loc[w] >= c.OUTSIDE_PROVINCE, pop.loc[w], 0).astype(np.int8)
    )
    follows = u("child_follows", H) < OUT_MIGRANT_CHILD_WITH_PARENTS
    child_loc = np.where(in_town, c.COUNTY_TOWN, np.where(follows & (parent_loc > 0), parent_loc, c.VILLAGE))
    pop.loc[is_c] = child_loc[pop.hh[is_c]]

    # wages, savings, villages
    sd = spec.behaviour.labour.wage_person_sd
    pop.wage_effect[:] = (_normal(streams, "synth.wage_effect", N) * sd - sd**2 / 2).astype(np.float32)
    pop.savings[:] = (hh_p.mean_savings_yuan * -np.log(np.clip(u("savings", H), 1e-12, 1))).astype(np.float32)
    pop.village[:] = (u("village", H) * max(H // 250, 1)).astype(np.int16)  # ~250 households a village
    levers = {"e3_brand_wage_premium": 0.0, "e2_wage_premium": 0.0}
    update_wages(pop, spec.county.labour, spec.behaviour.labour, levers, spec.horizon.start_absolute - 1)
    return pop
