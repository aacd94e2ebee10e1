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
5. **exit** — workers leave the labour market for good at a hazard that rises around the
   statutory retirement age (with the 2025 reform's schedule) plus the years migrant workers work
   past it, and from 50 at a small hazard for health and care; they become elders.

The rules are in ``countysim.rules.demography``; the hazards are tabled by age (and sex) once a
month, and the phase selects who decides in compiled passes (``countysim.rules.homes_kernels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.backend import unsigned
from countysim.parameters.behaviour import DemographyBehaviour
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.demography import (
    EARLIEST_EXIT_AGE,
    death_hazard_by_age_m,
    exit_hazard_by_sex_and_age,
    newborn_attributes,
)
from countysim.state import Account, CountyState, flow


class DemographyParams(NamedTuple):
    """What the demography phase reads."""

    beh: DemographyBehaviour
    wage_sd: float  # sd of a newborn's lasting log-wage effect (behaviour.labour.wage_person_sd)


@dataclass
class DemographyAccount(Account):
    """This month's births, deaths, emigrations, entries and exits, and the cumulative counts."""

    births: int = flow()
    deaths: int = flow()
    emigrations: int = flow()
    entries: int = flow()
    exits: int = flow()
    births_cum: int = 0
    deaths_cum: int = 0
    emigrations_cum: int = 0
    entries_cum: int = 0
    exits_cum: int = 0


def _demography(state: CountyState) -> DemographyAccount:
    return state.accounts["demography"]  # type: ignore[return-value]


INDICATORS = (
    Indicator("persons", "persons", "persons alive in the county's migrant-worker households", 0, "W2",
              lambda st, s: float(s.n_persons)),
    Indicator("households", "households", "migrant-worker households with a living member", 0, "W2",
              lambda st, s: float(s.living_households.sum())),
    Indicator("workers", "persons", "persons in the labour force (role worker: entered, not exited)", 0, "O1",
              lambda st, s: float(s.n_workers)),
    Indicator("children", "persons", "children and students not yet in the labour force", 0, "P4",
              lambda st, s: float(s.by_role[c.CHILD])),
    Indicator("mean_worker_age", "years", "mean age of workers", 0, "O1",
              lambda st, s: s.mean("age_workers") / 12),
    Indicator("workers_over_50_share", "share", "workers aged over 50 / workers", 0, "S5",
              lambda st, s: share(s.workers.count(over_50=1), s.n_workers)),
    Indicator("female_worker_share", "share", "women among workers", 0, "O1",
              lambda st, s: share(s.workers.count(sex=c.FEMALE), s.n_workers)),
    Indicator("births_cum", "persons", "births since the start", 0, "G3",
              lambda st, s: float(_demography(st).births_cum)),
    Indicator("deaths_cum", "persons", "deaths since the start", 0, "G3",
              lambda st, s: float(_demography(st).deaths_cum)),
    Indicator("emigrations_cum", "persons", "persons who left the county for good since the start", 0, "G3",
              lambda st, s: float(_demography(st).emigrations_cum)),
    Indicator("labour_entries_cum", "persons", "children who entered the labour force since the start", 0, "O1",
              lambda st, s: float(_demography(st).entries_cum)),
    Indicator("labour_exits_cum", "persons", "workers who left the labour force for good since the start", 0, "O1",
              lambda st, s: float(_demography(st).exits_cum)),
)  # fmt: skip


class DemographyPhase(Phase):
    """Ageing, deaths, births, labour-market entry and exit."""

    name = "demography"
    section = "demography"
    clauses = ("W2", "G3")
    streams: ClassVar[dict[str, str]] = {
        "death": "who dies this month",
        "birth": "which women aged 20-39 give birth this month",
        "newborn": "the newborns' sex, planned education and wage effect (in mother-slot order)",
        "emigrate": "which college-educated entrants leave the county for good",
        "exit": "which workers aged 45+ leave the labour market for good (age, retirement, health)",
    }
    Account = DemographyAccount
    indicators = INDICATORS

    def bind(self, scenario) -> DemographyParams:
        """The demography behaviour and the spread of newborns' wage effects."""
        return DemographyParams(scenario.behaviour.demography, scenario.behaviour.labour.wage_person_sd)

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the demography phase for one month (may add slots for newborns)."""
        from countysim.rules import homes_kernels as k  # compiled on first use

        beh, wage_sd = state.params[self.name]
        acc = _demography(state)
        pop, streams = state.pop, ctx.streams
        t = ctx.t

        # 1-2. ageing, and deaths at the hazard of the age reached (one pass with the draws)
        table = death_hazard_by_age_m(pop.age_m.dtype, beh)
        key = streams.counter_key("demography.death", t)
        if key is None:  # the reference generator: every slot's number, in sequence
            p_death = np.empty(pop.n)
            k.age_and_death_hazard(pop.alive, pop.age_m, table, p_death)
            dead = np.flatnonzero(streams.chance("demography.death", t, pop.alive, p_death))
        else:
            dead = np.empty(pop.n, dtype=np.int64)
            dead = dead[: k.age_and_die(pop.alive, pop.age_m, table, key, dead)]
        pop.alive[dead] = False
        pop.end_jobs(dead)
        pop.programme[dead] = c.P_NONE
        acc.deaths = len(dead)

        # who decides in steps 3-5, in one pass (newborns are far from every one of these ages)
        fertile, enter, older = (np.empty(pop.n, dtype=np.int64) for _ in range(3))
        n_fertile, n_enter, n_older = k.who_decides(
            pop.alive,
            unsigned(pop.sex),
            unsigned(pop.role),
            pop.age_m,
            pop.entry_age_m,
            EARLIEST_EXIT_AGE * 12,
            fertile,
            enter,
            older,
        )
        fertile, enter, older = fertile[:n_fertile], enter[:n_enter], older[:n_older]

        # 3. births (mothers alive after deaths)
        mothers = fertile[streams.uniform("demography.birth", t, fertile) < beh.birth_rate_women_20_39]
        n_born = len(mothers)
        if n_born:
            born = pop.add_persons(n_born)
            gen = streams.generator("demography.newborn", t)
            sex, edu, entry, effect = newborn_attributes(gen, n_born, beh.child_edu_shares)
            pop.age_m[born] = 0
            pop.sex[born] = sex
            pop.edu[born] = edu
            pop.entry_age_m[born] = entry
            pop.wage_effect[born] = effect * wage_sd - wage_sd**2 / 2
            pop.role[born] = c.CHILD
            pop.hh[born] = pop.hh[mothers]
            pop.loc[born] = pop.loc[mothers]
            pop.poverty[born] = pop.poverty[mothers]
            pop.hukou[born] = pop.hukou[mothers]
            pop.willing[born] = pop.willing[mothers]
        acc.births = n_born

        # 4. entry to the labour market; some college graduates leave the county
        college = np.flatnonzero(pop.edu[enter] == 4)
        gone = college[streams.uniform("demography.emigrate", t, enter[college]) < beh.p_college_leaves]
        pop.alive[enter[gone]] = False
        acc.emigrations = len(gone)
        enter = np.delete(enter, gone)
        pop.role[enter] = c.WORKER
        pop.job[enter] = c.J_NONE
        acc.entries = len(enter)

        # 5. exit from the labour market, at the hazard of each sex and age in months
        worker = older[pop.alive[older]]  # the entrants who emigrated are gone
        h = np.empty(len(worker))
        if len(worker):
            first, last = EARLIEST_EXIT_AGE * 12, int(pop.age_m[worker].max())
            table = exit_hazard_by_sex_and_age(first, last, ctx.month.absolute, beh, pop.age_m.dtype)
            k.hazard_by_sex_and_age(table, first, unsigned(pop.sex), pop.age_m, worker, h)
        leave = worker[streams.uniform("demography.exit", t, worker) < h]
        pop.role[leave] = c.ELDER
        pop.end_jobs(leave)
        pop.programme[leave] = c.P_NONE
        pop.course_left[leave] = 0
        acc.exits = len(leave)

        acc.births_cum += acc.births
        acc.deaths_cum += acc.deaths
        acc.emigrations_cum += acc.emigrations
        acc.entries_cum += acc.entries
        acc.exits_cum += acc.exits
