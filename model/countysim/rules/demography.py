"""Demography: ageing, deaths, births, labour-market entry and exit.

The month's demography phase, in order:

1. **ageing** — everyone alive is a month older.
2. **deaths** — a monthly hazard by age band; the dead keep their slot, marked not alive.
3. **births** — women aged 20-39 give birth at a monthly rate; the newborn joins the mother's
   household and location in a fresh slot (slots are handed out in mother-slot order, so the
   same seed gives the same newborns in every scenario).
4. **entry** — children reaching their entry age (16, or later after senior school or college)
   become workers, without a job, in the village; a share of college graduates leave the county
   for good (emigration: they are no longer in the county's population).
5. **exit** — workers reaching the exit age for their sex, or leaving early from 50 at a small
   hazard, become elders and stop working.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from countysim.calendar import Month
from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.scenario import DemographyBehaviour

MALE_SHARE_AT_BIRTH = 0.527  # sex ratio at birth 111.3 (7th census, 2020)
#: planned final education of a newborn (none, primary, junior, senior, college): the recent
#: rural cohort (assumption: ~55 % go beyond junior school, towards national enrolment rates)
NEWBORN_EDU = (0.0, 0.02, 0.43, 0.28, 0.27)
#: labour-market entry age in years by planned education: junior or less at 16, senior at 19,
#: college at 22
ENTRY_AGE_BY_EDU = np.array([16, 16, 16, 19, 22], dtype=np.int16)


@dataclass
class DemographyFlows:
    """What the demography phase did this month."""

    births: int = 0
    deaths: int = 0
    emigrations: int = 0
    entries: int = 0
    exits: int = 0


GOMPERTZ_SLOPE = 1.085  # mortality rises ~8.5 % a year of age over 60 (Gompertz; life tables)


def death_hazard(age_years: np.ndarray, beh: DemographyBehaviour) -> np.ndarray:
    """Monthly probability of death by age."""
    old = beh.mortality_60_plus * GOMPERTZ_SLOPE ** (age_years.astype(np.float64) - 70)
    return np.where(age_years >= 60, np.minimum(old, 1.0), beh.mortality_under_60)


def exit_due(age_m: np.ndarray, sex: np.ndarray, beh: DemographyBehaviour) -> np.ndarray:
    """Workers at or past the exit age for their sex."""
    exit_m = np.where(sex == c.FEMALE, beh.exit_age_women, beh.exit_age_men) * 12
    return age_m >= exit_m


def newborn_attributes(
    gen: np.random.Generator, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sex, planned education, entry age (months) and wage effect of ``k`` newborns."""
    sex = np.where(gen.random(k) < MALE_SHARE_AT_BIRTH, c.MALE, c.FEMALE).astype(np.int8)
    edu = np.searchsorted(np.cumsum(NEWBORN_EDU), gen.random(k), side="right").clip(0, 4).astype(np.int8)
    entry = (ENTRY_AGE_BY_EDU[edu] * 12).astype(np.int16)
    effect = gen.standard_normal(k).astype(np.float32)
    return sex, edu, entry, effect


def step(
    pop: Population, beh: DemographyBehaviour, wage_sd: float, streams: Streams, month: Month
) -> DemographyFlows:
    """Run the demography phase for one month; mutates ``pop`` (may add slots)."""
    t, n = month.t, pop.n
    flows = DemographyFlows()
    alive = pop.alive

    # 1. ageing
    pop.age_m[alive] += 1
    age = pop.age_m // 12

    # 2. deaths
    dies = alive & (streams.uniform("demography.death", t, n) < death_hazard(age, beh))
    pop.alive[dies] = False
    pop.end_jobs(dies)
    pop.programme[dies] = c.P_NONE
    flows.deaths = int(dies.sum())

    # 3. births (mothers alive after deaths)
    fertile = pop.alive & (pop.sex == c.FEMALE) & (age >= 20) & (age < 40)
    mothers = np.flatnonzero(
        fertile & (streams.uniform("demography.birth", t, n) < beh.birth_rate_women_20_39)
    )
    k = len(mothers)
    if k:
        slots = pop.add_persons(k)
        sex, edu, entry, effect = newborn_attributes(streams.generator("demography.newborn", t), k)
        pop.age_m[slots] = 0
        pop.sex[slots] = sex
        pop.edu[slots] = edu
        pop.entry_age_m[slots] = entry
        pop.wage_effect[slots] = effect * wage_sd - wage_sd**2 / 2
        pop.role[slots] = c.CHILD
        pop.hh[slots] = pop.hh[mothers]
        pop.loc[slots] = pop.loc[mothers]
        pop.poverty[slots] = pop.poverty[mothers]
        pop.hukou[slots] = pop.hukou[mothers]
        pop.willing[slots] = pop.willing[mothers]
    flows.births = k

    # 4. entry to the labour market
    enter = pop.alive & (pop.role == c.CHILD) & (pop.age_m >= pop.entry_age_m)
    leaves = (
        enter & (pop.edu == 4) & (streams.uniform("demography.emigrate", t, pop.n) < beh.p_college_leaves)
    )
    pop.alive[leaves] = False
    flows.emigrations = int(leaves.sum())
    enter &= ~leaves
    pop.role[enter] = c.WORKER
    pop.job[enter] = c.J_NONE
    flows.entries = int(enter.sum())

    # 5. exit from the labour market
    worker = pop.alive & (pop.role == c.WORKER)
    age = pop.age_m // 12
    early = (age >= 50) & (streams.uniform("demography.exit", t, pop.n) < beh.p_exit_monthly_50_plus)
    leave = worker & (exit_due(pop.age_m, pop.sex, beh) | early)
    pop.role[leave] = c.ELDER
    pop.end_jobs(leave)
    pop.programme[leave] = c.P_NONE
    pop.course_left[leave] = 0
    flows.exits = int(leave.sum())
    return flows
