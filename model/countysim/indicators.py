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
from countysim.rules.fiscal import CATEGORIES as FISCAL_CATEGORIES

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
        self.employee = self.worker & c.in_codes(
            job, (c.J_TOWNSHIP, c.J_COUNTY_FORMAL, c.J_COUNTY_FLEX, c.J_OUTSIDE_PROVINCE, c.J_OTHER_PROVINCE)
        )
        self.n_employee = int(self.employee.sum())
        self.town = pop.residence == c.R_TOWN
        self.kid = self.alive & (pop.role == c.CHILD) & (self.age >= 6) & (self.age <= 14)


def _share(num: int | float, den: int | float) -> float:
    return float(num) / den if den else 0.0


def _mean_wage(m: CountyModel, mask: np.ndarray) -> float:
    return float(m.pop.wage[mask].mean()) if mask.any() else 0.0


def _poverty_willing_trained(m: CountyModel, s: Snapshot) -> float:
    willing = s.worker & m.pop.poverty & m.pop.willing
    return _share(int((willing & m.pop.trained).sum()), int(willing.sum()))


def _hukou_urbanization(m: CountyModel, s: Snapshot) -> float:
    town = m.spec.county.town
    modelled_change = int(s.alive.sum()) - m.persons_at_start
    total = m.spec.county.hukou_population + modelled_change
    return _share(town.town_hukou_population + int((s.alive & (m.pop.hukou == 1)).sum()), total)


def _resident_urbanization(m: CountyModel, s: Snapshot) -> float:
    town = m.spec.county.town
    in_county = s.alive & (m.pop.loc <= c.COUNTY_TOWN)
    in_town = int((in_county & (m.pop.loc == c.COUNTY_TOWN)).sum())
    total = town.town_residents_other + town.rural_residents_other + int(in_county.sum())
    return _share(town.town_residents_other + in_town, total)


def _left_behind(m: CountyModel, s: Snapshot) -> float:
    at_home = np.bincount(m.pop.hh[s.worker & (m.pop.loc == c.VILLAGE)], minlength=m.pop.n_households) > 0
    return float((s.kid & (m.pop.school == c.S_VILLAGE) & ~at_home[m.pop.hh]).sum())


def _aware_share(service: int) -> Callable[[CountyModel, Snapshot], float]:
    return lambda m, s: float(((m.pop.aware >> service) & 1).mean())


def _cost_of(category: str) -> Callable[[CountyModel, Snapshot], float]:
    return lambda m, s: m.fiscal.cost[category]


def _items_at_standard(m: CountyModel, s: Snapshot) -> float:
    """Six basic public service items, each at standard or not (P1)."""
    town_households = max(int(s.town.sum()), 1)
    items = (
        m.schools.shortage[c.ST_PRIMARY] == 0,
        m.schools.shortage[c.ST_JUNIOR] == 0,
        (m.pop.wait_months > 0).sum() <= 0.1 * town_households,
        m.training.applicants_this_month <= m.training.places_this_month,
        (m.pop.arrears > 0).sum() <= 3 * max(m.levers["r5_inspection_cases_per_month"], 1),
        m.levers["p1_service_standard"] >= 1.0,
    )
    return float(np.mean(items))


CATALOGUE: tuple[Indicator, ...] = (
    Indicator("persons", "persons", "persons alive in the county's migrant-worker households", 0, "W2",
              lambda m, s: float(s.alive.sum())),
    Indicator("households", "households", "migrant-worker households with a living member", 0, "W2",
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
    Indicator("training_applicants_month", "persons per month", "applications for subsidised training this month", 0, "S1",
              lambda m, s: float(m.training.applicants_this_month)),
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
    # --- rights (R1-R7, O2) ---
    Indicator("contract_rate", "share", "employees with a written labour contract / employees", 1, "O2",
              lambda m, s: _share(int((s.employee & m.pop.contract).sum()), s.n_employee)),
    Indicator("pension_coverage", "share", "employed workers in employee pension insurance / employed", 1, "R2",
              lambda m, s: _share(int((s.employed & m.pop.ins_pension).sum()), s.n_employed)),
    Indicator("medical_coverage", "share", "employed workers in employee medical insurance / employed", 1, "R2",
              lambda m, s: _share(int((s.employed & m.pop.ins_medical).sum()), s.n_employed)),
    Indicator("unemployment_insurance_coverage", "share", "employees in unemployment insurance / employees", 1, "R2",
              lambda m, s: _share(int((s.employee & m.pop.ins_unemployment).sum()), s.n_employee)),
    Indicator("injury_insurance_coverage", "share", "employed workers covered against work injury / employed", 1, "R2",
              lambda m, s: _share(int((s.employed & m.pop.ins_injury).sum()), s.n_employed)),
    Indicator("flexible_injury_coverage", "share",
              "flexible and self-employed workers covered against work injury / those workers", 1, "R7",
              lambda m, s: _share(int((s.worker & c.in_codes(m.pop.job, (c.J_COUNTY_FLEX, c.J_SELF)) & m.pop.ins_injury).sum()),
                                  int((s.worker & c.in_codes(m.pop.job, (c.J_COUNTY_FLEX, c.J_SELF))).sum()))),
    Indicator("insurance_continuity_rate", "share",
              "insured workers changing job across regions who kept pension cover / such changes (cumulative)", 1, "R4",
              lambda m, s: _share(m.rights.coverage_kept, m.rights.cross_region_changes)),
    Indicator("injuries_cum", "persons", "work injuries since the start", -1, "R3",
              lambda m, s: float(m.rights.injuries)),
    Indicator("injury_benefit_share", "share", "injured workers who received injury benefits / injured (cumulative)", 1, "R3",
              lambda m, s: _share(m.rights.injury_benefits, m.rights.injuries)),
    Indicator("arrears_open_cases", "cases", "workers owed unpaid wages at the end of the month", -1, "R5",
              lambda m, s: float((s.alive & (m.pop.arrears > 0)).sum())),
    Indicator("arrears_owed_yuan", "yuan", "unpaid wages owed at the end of the month", -1, "R5",
              lambda m, s: float(m.pop.arrears[s.alive].sum())),
    Indicator("inspected_cases_month", "cases per month", "arrears cases resolved by the inspectorate this month", 0, "R5",
              lambda m, s: float(m.rights.inspected_this_month)),
    Indicator("arrears_new_cum", "cases", "new wage-arrears cases since the start", -1, "R5",
              lambda m, s: float(m.rights.arrears_new)),
    Indicator("arrears_resolved_cum", "cases", "wage-arrears cases resolved since the start", 1, "R6",
              lambda m, s: float(m.rights.arrears_resolved)),
    Indicator("arrears_months_to_resolve", "months", "mean months from arrears to resolution of cases resolved so far", -1, "R6",
              lambda m, s: _share(m.rights.arrears_resolved_months, m.rights.arrears_resolved)),
    # --- housing (P3) ---
    Indicator("households_in_town", "households", "households based in the county town", 0, "O3",
              lambda m, s: float(s.town.sum())),
    Indicator("residence_permit_households", "households", "town households holding a residence permit", 1, "P5",
              lambda m, s: float(m.pop.permit.sum())),
    Indicator("affordable_units", "units", "affordable rental units open to migrant households", 1, "P3",
              lambda m, s: m.housing.units),
    Indicator("affordable_housing_households", "households", "town households in an affordable unit", 1, "P3",
              lambda m, s: float((m.pop.housing == c.H_AFFORDABLE).sum())),
    Indicator("housing_waitlist", "households", "households on the affordable-housing waiting list", -1, "P3",
              lambda m, s: float((m.pop.wait_months > 0).sum())),
    Indicator("town_home_owners", "households", "town households owning their home", 1, "P3",
              lambda m, s: float((s.town & (m.pop.housing == c.H_OWNED)).sum())),
    Indicator("housing_security_coverage", "share", "town households in affordable units / town households not owning", 1, "P3",
              lambda m, s: _share(int((m.pop.housing == c.H_AFFORDABLE).sum()), int((s.town & (m.pop.housing != c.H_OWNED)).sum()))),
    # --- settlement (P6, O4) ---
    Indicator("settlement_eligible_households", "households", "town households meeting the settlement conditions this month", 1, "P6",
              lambda m, s: float(m.settlement.eligible_now)),
    Indicator("settled_households_cum", "households", "households that moved their hukou to the county town since the start", 1, "P6",
              lambda m, s: float(m.settlement.households)),
    Indicator("settled_persons_cum", "persons", "persons who moved their hukou to the county town since the start", 1, "P6",
              lambda m, s: float(m.settlement.persons)),
    Indicator("hukou_urbanization_rate", "share", "county-town hukou holders / the county's hukou population", 1, "O4",
              _hukou_urbanization),
    Indicator("resident_urbanization_rate", "share", "county-town residents / the county's resident population", 1, "O4",
              _resident_urbanization),
    Indicator("urbanization_gap", "share", "resident minus hukou urbanization rate", -1, "O4",
              lambda m, s: _resident_urbanization(m, s) - _hukou_urbanization(m, s)),
    # --- schooling (P4, P5, O3) ---
    Indicator("migrant_children_compulsory", "persons",
              "compulsory-age children (6-14) living with migrant parents in the county town or outside", 0, "P4",
              lambda m, s: float((s.kid & c.in_codes(m.pop.school, (*c.TOWN_SCHOOLS, c.S_OUTSIDE))).sum())),
    Indicator("town_pupils", "persons", "compulsory-age children of town-based households", 0, "P4",
              lambda m, s: float((s.kid & s.town[m.pop.hh]).sum())),
    Indicator("public_school_share", "share",
              "migrant children schooled in the county town in a public seat or purchased place / all schooled in town "
              "(the NBS measure)", 1, "O3",
              lambda m, s: _share(int((s.kid & c.in_codes(m.pop.school, (c.S_PUBLIC, c.S_PURCHASED))).sum()),
                                  int((s.kid & c.in_codes(m.pop.school, c.TOWN_SCHOOLS)).sum()))),
    Indicator("town_schooling_share", "share",
              "compulsory-age children of town-based households schooled in town / those children", 1, "O3",
              lambda m, s: _share(int((s.kid & s.town[m.pop.hh] & c.in_codes(m.pop.school, c.TOWN_SCHOOLS)).sum()),
                                  int((s.kid & s.town[m.pop.hh]).sum()))),
    Indicator("public_pupils", "persons", "migrant children in county public seats", 1, "P4",
              lambda m, s: float((s.kid & (m.pop.school == c.S_PUBLIC)).sum())),
    Indicator("purchased_place_pupils", "persons", "migrant children in government-purchased private places", 1, "P5",
              lambda m, s: float((s.kid & (m.pop.school == c.S_PURCHASED)).sum())),
    Indicator("private_school_pupils", "persons", "migrant children in fee-paying private schools", 0, "P5",
              lambda m, s: float((s.kid & (m.pop.school == c.S_PRIVATE)).sum())),
    Indicator("left_behind_children", "persons",
              "compulsory-age children in the village school with no working parent at home", -1, "P5", _left_behind),
    Indicator("seat_shortage_primary", "persons", "eligible applicants turned away for lack of primary seats (last September)", -1, "P4",
              lambda m, s: float(m.schools.shortage[c.ST_PRIMARY])),
    Indicator("seat_shortage_junior", "persons", "eligible applicants turned away for lack of junior seats (last September)", -1, "P4",
              lambda m, s: float(m.schools.shortage[c.ST_JUNIOR])),
    Indicator("public_seat_demand_primary", "seats", "public primary seats wanted at the last September (continuing + eligible applicants)", 0, "P4",
              lambda m, s: float(m.schools.demand[c.ST_PRIMARY])),
    Indicator("public_seat_demand_junior", "seats", "public junior seats wanted at the last September (continuing + eligible applicants)", 0, "P4",
              lambda m, s: float(m.schools.demand[c.ST_JUNIOR])),
    Indicator("town_pupils_primary", "persons", "primary-age migrant children schooled in the county town (any school)", 0, "P4",
              lambda m, s: float((s.kid & (s.age <= 11) & c.in_codes(m.pop.school, c.TOWN_SCHOOLS)).sum())),
    Indicator("town_pupils_junior", "persons", "junior-age migrant children schooled in the county town (any school)", 0, "P4",
              lambda m, s: float((s.kid & (s.age >= 12) & c.in_codes(m.pop.school, c.TOWN_SCHOOLS)).sum())),
    Indicator("public_seats_primary", "seats", "public primary seats open to migrant children", 1, "P4",
              lambda m, s: float(m.schools.seats[c.ST_PRIMARY])),
    Indicator("public_seats_junior", "seats", "public junior seats open to migrant children", 1, "P4",
              lambda m, s: float(m.schools.seats[c.ST_JUNIOR])),
    # --- enterprise (E7) ---
    Indicator("startups_cum", "firms", "returnee start-ups since the start", 1, "E7",
              lambda m, s: float(m.enterprise.started)),
    Indicator("startups_active", "firms", "returnee start-ups still running", 1, "E7",
              lambda m, s: float((m.pop.firm_jobs > 0).sum())),
    Indicator("startup_jobs", "jobs", "jobs in running returnee start-ups", 1, "E7",
              lambda m, s: float(m.pop.firm_jobs.sum())),
    Indicator("startups_in_park", "firms", "start-ups in returnee entrepreneurship parks", 1, "E7",
              lambda m, s: float(m.pop.in_park.sum())),
    # --- services (W4, G1-G4, O5) ---
    *[Indicator(f"awareness_{name}", "share", f"households aware of the {name} service", 1, "W4",
                _aware_share(k))
      for k, name in enumerate(c.SERVICE_NAMES)],
    Indicator("awareness_mean", "share", "mean awareness over the six services", 1, "O5",
              lambda m, s: float(np.unpackbits(m.pop.aware[:, None], axis=1)[:, 2:].mean())),
    Indicator("training_take_up_rate", "share", "willing workers who enrolled since the start / willing workers", 1, "O5",
              lambda m, s: _share(int((s.worker & m.pop.willing & m.pop.trained).sum()), int((s.worker & m.pop.willing).sum()))),
    Indicator("monitoring_coverage", "share", "workers covered by dynamic monitoring (G3 lever)", 1, "G3",
              lambda m, s: m.levers["g3_monitoring_coverage"]),
    Indicator("lever_delay_months", "months", "months by which levers act late without a coordination body", -1, "G1",
              lambda m, s: float(m.lever_delay)),
    Indicator("service_items_at_standard", "share", "share of six service items at the basic public service standard", 1, "P1",
              _items_at_standard),
    # --- fiscal (P1, P2) ---
    Indicator("fiscal_cost_cum", "yuan", "county spending on the action's measures since the start", 0, "P2",
              lambda m, s: m.fiscal.total),
    *[Indicator(f"fiscal_cost_{cat}_cum", "yuan", f"spending on {cat} since the start", 0, "P2",
                _cost_of(cat))
      for cat in FISCAL_CATEGORIES],
    Indicator("transfer_revenue_cum", "yuan", "transfers linked to settled and resident migrants since the start", 1, "P2",
              lambda m, s: m.fiscal.transfers),
    Indicator("net_fiscal_cost_cum", "yuan", "spending less transfers since the start", -1, "P2",
              lambda m, s: m.fiscal.total - m.fiscal.transfers),
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

#: the planner's headline outcomes: what ``countysim run`` prints and ``compare`` reports
HEADLINE: tuple[str, ...] = (
    "persons",
    "workers",
    "employed_rate",
    "local_employment_share",
    "out_migrant_share",
    "mean_monthly_income",
    "stable_employment_rate",
    "training_person_times",
    "training_person_times_poverty",
    "poverty_willing_trained_share",
    "high_skilled_workers",
    "rural_craftsmen",
    "contract_rate",
    "pension_coverage",
    "arrears_open_cases",
    "public_school_share",
    "left_behind_children",
    "affordable_housing_households",
    "settled_persons_cum",
    "hukou_urbanization_rate",
    "startups_cum",
    "awareness_mean",
    "fiscal_cost_cum",
    "transfer_revenue_cum",
)
NAMES: tuple[str, ...] = tuple(i.name for i in CATALOGUE)


def compute_all(model: CountyModel) -> np.ndarray:
    """Every indicator of the catalogue for the model's current state, in catalogue order."""
    snap = Snapshot(model)
    return np.array([ind.compute(model, snap) for ind in CATALOGUE], dtype=np.float64)
