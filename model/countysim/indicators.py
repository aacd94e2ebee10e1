"""The indicator catalogue: every number the model records each month.

Each indicator has a name, a unit, a definition and the direction the action aims for
(``+1`` up is better, ``-1`` down is better, ``0`` neither). ``countysim indicators`` prints the
catalogue. Values are computed from the model's state at the end of the month; cumulative
indicators (``_cum``, person-times) count from the start of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from countysim.population import codes as c

if TYPE_CHECKING:
    from countysim.model import CountyModel


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue."""

    name: str
    unit: str
    definition: str
    direction: int
    clause: str
    compute: Callable[[CountyModel, Snapshot], float]


class Snapshot:
    """Masks and counts shared by many indicators, computed once per month."""

    def __init__(self, model: CountyModel) -> None:
        pop = model.pop
        self.alive = pop.alive
        self.worker = self.alive & (pop.role == c.WORKER)
        self.n_workers = int(self.worker.sum())
        job = pop.job
        self.employed = self.worker & (job >= c.J_TOWNSHIP)
        self.n_employed = int(self.employed.sum())
        self.outside = self.employed & (job >= c.J_OUTSIDE_PROVINCE)
        self.age = pop.age_m // 12


def _share(num: int | float, den: int | float) -> float:
    return float(num) / den if den else 0.0


def _mean_wage(m: CountyModel, mask: np.ndarray) -> float:
    return float(m.pop.wage[mask].mean()) if mask.any() else 0.0


def _poverty_willing_trained(m: CountyModel, s: Snapshot) -> float:
    willing = s.worker & m.pop.poverty & m.pop.willing
    return _share(int((willing & m.pop.trained).sum()), int(willing.sum()))


CATALOGUE: tuple[Indicator, ...] = (
    Indicator("persons", "persons", "persons alive in the county's migrant-worker households", 0, "G3",
              lambda m, s: float(s.alive.sum())),
    Indicator("households", "households", "migrant-worker households with a living member", 0, "G3",
              lambda m, s: float((np.bincount(m.pop.hh[s.alive], minlength=m.pop.n_households) > 0).sum())),
    Indicator("workers", "persons", "persons in the labour force (role worker: entered, not exited)", 0, "O1",
              lambda m, s: float(s.n_workers)),
    Indicator("children", "persons", "children and students not yet in the labour force", 0, "P4",
              lambda m, s: float((s.alive & (m.pop.role == c.CHILD)).sum())),
    Indicator("employed_rate", "share", "workers in non-farm wage work or self-employment / workers", 1, "O1",
              lambda m, s: _share(s.n_employed, s.n_workers)),
    Indicator("jobless_rate", "share", "workers with no work at all (not even farming) / workers", -1, "E5",
              lambda m, s: _share(int((s.worker & (m.pop.job == c.J_NONE)).sum()), s.n_workers)),
    Indicator("local_employment_share", "share",
              "employed working inside the county (township, county town, self-employed) / employed", 1, "E1",
              lambda m, s: _share(s.n_employed - int(s.outside.sum()), s.n_employed)),
    Indicator("out_migrant_share", "share", "employed working outside the county / employed", 0, "E2",
              lambda m, s: _share(int(s.outside.sum()), s.n_employed)),
    Indicator("cross_province_share", "share", "employed working in another province / employed", 0, "E2",
              lambda m, s: _share(int((s.employed & (m.pop.job == c.J_OTHER_PROVINCE)).sum()), s.n_employed)),
    Indicator("mean_monthly_income", "yuan per month",
              "mean monthly income of the employed (non-farm work and self-employment), nominal", 1, "O1",
              lambda m, s: _mean_wage(m, s.employed)),
    Indicator("mean_monthly_income_local", "yuan per month", "mean monthly income of the employed inside the county", 1, "E1",
              lambda m, s: _mean_wage(m, s.employed & ~s.outside)),
    Indicator("mean_monthly_income_out", "yuan per month", "mean monthly income of the employed outside the county", 1, "E2",
              lambda m, s: _mean_wage(m, s.outside)),
    Indicator("stable_employment_rate", "share", "employed with 6 or more months in the current job / employed", 1, "O1",
              lambda m, s: _share(int((s.employed & (m.pop.tenure >= 6)).sum()), s.n_employed)),
    Indicator("stable_employment_rate_12m", "share", "employed with 12 or more months in the current job / employed", 1, "O1",
              lambda m, s: _share(int((s.employed & (m.pop.tenure >= 12)).sum()), s.n_employed)),
    Indicator("county_jobs", "jobs", "county-town formal and flexible jobs (filled and vacant)", 1, "E1",
              lambda m, s: m.markets.county_formal + m.markets.county_flexible),
    Indicator("county_vacancies", "jobs", "county-town vacancies left open at the end of the month", 0, "E1",
              lambda m, s: m.flows["labour"].county_vacancies),
    Indicator("hires", "persons per month", "hires this month (matching, referrals, placements)", 1, "E6",
              lambda m, s: float(m.flows["labour"].hires)),
    Indicator("referrals", "persons per month", "PES referrals into county vacancies this month", 1, "E5",
              lambda m, s: float(m.flows["labour"].referrals)),
    Indicator("e2_placed_workers", "persons", "workers in an organised East-West placement job", 1, "E2",
              lambda m, s: float((s.employed & m.pop.placed).sum())),
    Indicator("brand_workers", "persons", "workers holding a county labour-brand certificate", 1, "E3",
              lambda m, s: float((s.worker & m.pop.brand).sum())),
    Indicator("training_person_times", "person-times (人次)", "enrolments in subsidised training since the start", 1, "S1",
              lambda m, s: float(m.training.person_times)),
    Indicator("training_person_times_poverty", "person-times (人次)",
              "enrolments of poverty-alleviated workers since the start", 1, "S3",
              lambda m, s: float(m.training.person_times_poverty)),
    Indicator("training_person_times_45plus", "person-times (人次)", "enrolments of workers aged 45+ since the start", 1, "S5",
              lambda m, s: float(m.training.person_times_45plus)),
    Indicator("training_person_times_under30", "person-times (人次)", "enrolments of workers under 30 since the start", 1, "S5",
              lambda m, s: float(m.training.person_times_under30)),
    Indicator("training_places_per_year", "places per year", "training places in this year's annual plan (S1 + pooled S4)", 1, "S4",
              lambda m, s: m.training.places_per_year),
    Indicator("training_places_month", "places per month", "training places offered this month", 1, "S4",
              lambda m, s: float(m.training.places_this_month)),
    Indicator("training_enrolled_month", "persons per month", "enrolments this month (never above the places)", 1, "S1",
              lambda m, s: float(m.training.enrolled_this_month)),
    Indicator("certifications_cum", "persons", "certificates awarded since the start", 1, "S1",
              lambda m, s: float(m.training.certifications)),
    Indicator("training_subsidy_yuan_cum", "yuan", "training subsidy paid since the start", 0, "S1",
              lambda m, s: float(m.training.subsidy_yuan)),
    Indicator("certified_share", "share", "workers with a vocational certificate (any level) / workers", 1, "S1",
              lambda m, s: _share(int((s.worker & (m.pop.skill > 0)).sum()), s.n_workers)),
    Indicator("high_skilled_workers", "persons", "workers at 高級工 level or above", 1, "S3",
              lambda m, s: float((s.worker & (m.pop.skill >= c.SKILL_HIGH)).sum())),
    Indicator("new_high_skilled_cum", "persons", "workers certified to 高級工 or above since the start", 1, "S3",
              lambda m, s: float(m.training.new_high_skilled)),
    Indicator("rural_craftsmen", "persons", "workers recognised as rural craftsmen (鄉村工匠)", 1, "S3",
              lambda m, s: float((s.worker & m.pop.craftsman).sum())),
    Indicator("poverty_willing_trained_share", "share",
              "poverty-alleviated workers willing to train who have enrolled since the start / those willing", 1, "S2",
              _poverty_willing_trained),
    Indicator("mean_worker_age", "years", "mean age of workers", 0, "O1",
              lambda m, s: float(m.pop.age_m[s.worker].mean() / 12) if s.n_workers else 0.0),
    Indicator("workers_over_50_share", "share", "workers aged over 50 / workers", 0, "S5",
              lambda m, s: _share(int((s.worker & (s.age > 50)).sum()), s.n_workers)),
    Indicator("female_worker_share", "share", "women among workers", 0, "O1",
              lambda m, s: _share(int((s.worker & (m.pop.sex == c.FEMALE)).sum()), s.n_workers)),
    Indicator("births_cum", "persons", "births since the start", 0, "G3",
              lambda m, s: float(m.cum["births"])),
    Indicator("deaths_cum", "persons", "deaths since the start", 0, "G3",
              lambda m, s: float(m.cum["deaths"])),
    Indicator("emigrations_cum", "persons", "persons who left the county for good since the start", 0, "G3",
              lambda m, s: float(m.cum["emigrations"])),
)  # fmt: skip

CATALOGUE_BY_NAME: dict[str, Indicator] = {i.name: i for i in CATALOGUE}
NAMES: tuple[str, ...] = tuple(i.name for i in CATALOGUE)


def compute_all(model: CountyModel) -> np.ndarray:
    """Every indicator of the catalogue for the model's current state, in catalogue order."""
    snap = Snapshot(model)
    return np.array([ind.compute(model, snap) for ind in CATALOGUE], dtype=np.float64)
