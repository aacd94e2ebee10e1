"""Training: capacity-limited enrolment, completion, certification, skill up (clauses S1-S5, E3).

The month's training phase, in order:

1. **progress** — courses that end this month complete (by programme and age: older workers
   complete ordinary courses less often, age-targeted programmes (S5) raise completion);
   completers are certified at a rate and move one skill level up (ordinary courses up to 中級,
   advanced programmes to 高級工 and 技師, S3); labour-brand graduates carry the brand (E3),
   craftsman graduates become rural craftsmen (S3). The subsidy (S1) is paid per certified
   trainee.
2. **application** — willing workers not in a course apply at a monthly rate raised for the
   jobless, by the subsidy, by outreach to poverty-alleviated workers (S2) and by programmes
   for one's age group (S5); those already trained re-apply less; one-stop windows (G2) ease
   take-up.
3. **allocation** — this month's places (subsidised places (S1) plus the pooled share of
   enterprise and college capacity (S4)) are fixed once a year by the annual plan (January, or
   the first month of the run) from the levers' values then, and offered a twelfth a month; they
   go first to poverty-alleviated applicants up to the S2 priority share, then by lot.
4. **enrolment** — each place is in a programme by the plan's shares (advanced, craftsman,
   brand, older, young, general); an enrollee not eligible for the drawn programme takes the
   general course. Every enrolment is one person-time (人次).

Training does not stop a worker from working: most courses are short and part-time. The rules
are in ``countysim.rules.training``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import numpy as np

from countysim.parameters.behaviour import ServicesBehaviour, TrainingBehaviour
from countysim.parameters.county import Training
from countysim.phases.base import Context, Indicator, Phase, share
from countysim.population import codes as c
from countysim.rules.arrays import count_this_month
from countysim.rules.services import take_up_factor
from countysim.rules.training import (
    OLDER_AGE,
    YOUNG_AGE,
    allocate,
    completion_rate,
    course_months,
    places_per_year,
    programme_shares,
    skill_after,
)
from countysim.rules.training import applicants as apply_for_training
from countysim.state import Account, CountyState, flow


class TrainingParams(NamedTuple):
    """What the training phase reads."""

    beh: TrainingBehaviour
    providers: Training  # the county's enterprise and college training capacity
    services: ServicesBehaviour  # how one-stop windows ease take-up (G2)


@dataclass
class TrainingAccount(Account):
    """Training since the run began (person-times, 人次), this year's plan and this month's flows."""

    person_times: int = 0
    person_times_poverty: int = 0
    person_times_45plus: int = 0
    person_times_under30: int = 0
    completions: int = 0
    certifications: int = 0
    new_high_skilled: int = 0
    new_craftsmen: int = 0
    subsidy_yuan: float = 0.0
    places_per_year: float = 0.0
    by_programme: np.ndarray = field(default_factory=lambda: np.zeros(len(c.PROGRAMME_NAMES), dtype=np.int64))
    places_this_month: int = flow()
    applicants_this_month: int = flow()
    enrolled_this_month: int = flow()
    subsidy_this_month: float = flow(0.0)


def _training(state: CountyState) -> TrainingAccount:
    return state.accounts["training"]  # type: ignore[return-value]


def _poverty_willing_trained(st: CountyState, s) -> float:
    willing = s.worker_skills.count(poverty=1, willing=1)
    return share(s.worker_skills.count(poverty=1, willing=1, trained=1), willing)


INDICATORS = (
    Indicator("brand_workers", "persons", "workers holding a county labour-brand certificate", 1, "E3",
              lambda st, s: float(s.worker_skills.count(brand=1))),
    Indicator("training_person_times", "person-times (人次)", "enrolments in subsidised training since the start", 1, "S1",
              lambda st, s: float(_training(st).person_times)),
    Indicator("training_person_times_poverty", "person-times (人次)",
              "enrolments of poverty-alleviated workers since the start", 1, "S3",
              lambda st, s: float(_training(st).person_times_poverty)),
    Indicator("training_person_times_45plus", "person-times (人次)", "enrolments of workers aged 45+ since the start", 1, "S5",
              lambda st, s: float(_training(st).person_times_45plus)),
    Indicator("training_person_times_under30", "person-times (人次)", "enrolments of workers under 30 since the start", 1, "S5",
              lambda st, s: float(_training(st).person_times_under30)),
    Indicator("training_places_per_year", "places per year", "training places in this year's annual plan (S1 + pooled S4)", 1, "S4",
              lambda st, s: _training(st).places_per_year),
    Indicator("training_applicants_month", "persons per month", "applications for subsidised training this month", 0, "S1",
              lambda st, s: float(_training(st).applicants_this_month)),
    Indicator("training_places_month", "places per month", "training places offered this month", 1, "S4",
              lambda st, s: float(_training(st).places_this_month)),
    Indicator("training_enrolled_month", "persons per month", "enrolments this month (never above the places)", 1, "S1",
              lambda st, s: float(_training(st).enrolled_this_month)),
    Indicator("certifications_cum", "persons", "certificates awarded since the start", 1, "S1",
              lambda st, s: float(_training(st).certifications)),
    Indicator("training_subsidy_yuan_cum", "yuan", "training subsidy paid since the start", 0, "S1",
              lambda st, s: float(_training(st).subsidy_yuan)),
    Indicator("certified_share", "share", "workers with a vocational certificate (any level) / workers", 1, "S1",
              lambda st, s: share(s.worker_skills.count(skill=(1, 2)), s.n_workers)),
    Indicator("high_skilled_workers", "persons", "workers at 高級工 level or above", 1, "S3",
              lambda st, s: float(s.worker_skills.count(skill=2))),
    Indicator("new_high_skilled_cum", "persons", "workers certified to 高級工 or above since the start", 1, "S3",
              lambda st, s: float(_training(st).new_high_skilled)),
    Indicator("rural_craftsmen", "persons", "workers recognised as rural craftsmen (鄉村工匠)", 1, "S3",
              lambda st, s: float(s.worker_skills.count(craftsman=1))),
    Indicator("poverty_willing_trained_share", "share",
              "poverty-alleviated workers willing to train who have enrolled since the start / those willing", 1, "S2",
              _poverty_willing_trained),
)  # fmt: skip


class TrainingPhase(Phase):
    """Course completion and certification, applications, allocation of places, enrolment."""

    name = "training"
    section = "training"
    clauses = ("S1", "S2", "S3", "S4", "S5", "E3")
    streams: ClassVar[dict[str, str]] = {
        "complete": "which trainees whose course ends complete it",
        "certify": "which completers are certified one skill level up",
        "apply": "which willing, aware workers apply for training this month",
        "lot": "the order in which applicants get this month's places (after the priority group)",
        "programme": "which programme of the plan each new trainee's place is in",
    }
    Account = TrainingAccount
    indicators = INDICATORS

    def bind(self, scenario) -> TrainingParams:
        """The training behaviour, the county's providers, and the services behaviour (take-up)."""
        return TrainingParams(
            scenario.behaviour.training, scenario.county.training, scenario.behaviour.services
        )

    def step(self, state: CountyState, ctx: Context) -> None:
        """Run the training phase for one month."""
        beh, providers, services = state.params[self.name]
        acc = _training(state)
        pop, levers, streams, month = state.pop, ctx.levers, ctx.streams, ctx.month
        t = month.t
        take_up = take_up_factor(services, levers)

        # 1. progress: courses ending this month --------------------------------------------
        in_course = np.flatnonzero(pop.programme != c.P_NONE)
        pop.course_left[in_course] -= 1
        ending = in_course[pop.course_left[in_course] <= 0]
        prog = pop.programme[ending]
        done = streams.uniform("training.complete", t, ending) < completion_rate(
            prog, pop.age_m[ending] // 12, beh
        )
        cert = done & (streams.uniform("training.certify", t, ending) < beh.p_certify)
        certified = ending[cert]
        before = pop.skill[certified]
        pop.skill[certified] = skill_after(prog[cert], before)
        pop.brand[certified[prog[cert] == c.P_BRAND]] = True
        new_crafts = certified[(prog[cert] == c.P_CRAFTSMAN) & ~pop.craftsman[certified]]
        pop.craftsman[new_crafts] = True
        pop.programme[ending] = c.P_NONE
        pop.course_left[ending] = 0
        acc.completions += int(done.sum())
        acc.certifications += len(certified)
        acc.new_high_skilled += int(((before < c.SKILL_HIGH) & (pop.skill[certified] >= c.SKILL_HIGH)).sum())
        acc.new_craftsmen += len(new_crafts)
        acc.subsidy_this_month = len(certified) * levers["s1_subsidy_yuan"]
        acc.subsidy_yuan += acc.subsidy_this_month

        # 2. application --------------------------------------------------------------------
        applicants = apply_for_training(pop, beh, levers, take_up, streams, t)
        acc.applicants_this_month = len(applicants)

        # 3. allocation ---------------------------------------------------------------------
        if month.annual_plan or t == 0:
            acc.places_per_year = places_per_year(
                levers, providers.enterprise_places_per_year, providers.college_places_per_year
            )
        places = count_this_month(acc.places_per_year, month.month - 1)
        reserved = round(levers["s2_poverty_priority"] * places)
        lot = streams.uniform("training.lot", t, applicants)
        chosen = allocate(applicants, pop.poverty[applicants], lot, places, reserved)
        acc.places_this_month, acc.enrolled_this_month = places, len(chosen)

        # 4. enrolment ----------------------------------------------------------------------
        cum = np.cumsum(programme_shares(levers))
        u = streams.uniform("training.programme", t, chosen)
        prog = np.clip(np.searchsorted(cum, u * cum[-1], side="right"), 1, len(cum) - 1).astype(np.int8)
        a = pop.age_m[chosen] // 12
        bad = (
            ((prog == c.P_ADVANCED) & (pop.skill[chosen] < 2))
            | ((prog == c.P_OLDER) & (a < OLDER_AGE))
            | ((prog == c.P_YOUNG) & (a >= YOUNG_AGE))
        )
        prog[bad] = c.P_GENERAL
        pop.programme[chosen] = prog
        pop.course_left[chosen] = course_months(prog, beh)
        pop.trained[chosen] = True
        acc.person_times += len(chosen)
        acc.person_times_poverty += int(pop.poverty[chosen].sum())
        acc.person_times_45plus += int((a >= OLDER_AGE).sum())
        acc.person_times_under30 += int((a < YOUNG_AGE).sum())
        acc.by_programme += np.bincount(prog, minlength=len(c.PROGRAMME_NAMES))
