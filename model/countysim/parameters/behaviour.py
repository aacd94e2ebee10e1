"""Behavioural parameters: how people respond — the uncertainties (``[behaviour.*]``)."""

from __future__ import annotations

from pydantic import field_validator

from countysim.parameters.base import Frozen, P, Relative, RelativeIncidence, Share, check_names


# ----------------------------------------------------------------------------------------
# Behaviour
# ----------------------------------------------------------------------------------------
class DemographyBehaviour(Frozen):
    """Births, deaths, entry and exit."""

    birth_rate_women_20_39: float = P(
        0.0075, "births per woman-month",
        "calibrated: gives a crude birth rate near the national 6.8 per 1,000 (NBS 2022) in a "
        "population where only working women and dependants are modelled", ge=0, le=0.05,
    )  # fmt: skip
    mortality_under_60: float = P(
        0.00025, "deaths per person-month", "China life table: ~3 per 1,000 a year under 60",
        ge=0, le=0.05,
    )  # fmt: skip
    mortality_60_plus: float = P(
        0.0016, "deaths per person-month at age 70 (×1.085 a year of age either side, Gompertz)",
        "China life table 2020: ~20 per 1,000 a year at 70-74",
        ge=0, le=0.2,
    )  # fmt: skip
    exit_age_men: float = P(
        66, "years", "assumption: NBS counts migrant workers up to 65 (8 % are 61-65)", ge=45,
        le=80,
    )  # fmt: skip
    exit_age_women: float = P(61, "years", "assumption: women leave migrant work earlier", ge=45, le=80)
    p_college_leaves: float = P(
        0.5, "share of college-educated entrants who leave the county for good",
        "assumption: rural college students often move their hukou to the university city and "
        "do not return to migrant work", ge=0, le=1,
    )  # fmt: skip
    p_exit_monthly_50_plus: float = P(
        0.001, "per month", "assumption: early exit (health, care duties) from age 50", ge=0, le=1
    )


class LabourBehaviour(Frozen):
    """Separations, search, matching and job choice."""

    p_sep_township: float = P(0.022, "per month", "assumption: mean tenure ~3.8 years", ge=0, le=1)
    p_sep_county_formal: float = P(
        0.014, "per month", "assumption: mean tenure ~6 years in county formal jobs", ge=0, le=1
    )
    p_sep_county_flexible: float = P(
        0.040, "per month", "assumption: mean tenure ~2 years in flexible work", ge=0, le=1
    )
    p_sep_outside: float = P(
        0.024, "per month", "assumption: out-migrants change jobs every ~3.5 years", ge=0, le=1
    )
    p_sep_self_employed: float = P(0.008, "per month", "assumption: small-business exit ~10 %/yr", ge=0, le=1)
    rel_sep_spring_festival: float = P(
        3.0, "multiplier on out-migrants' separation in the festival month",
        "assumption: many out-migrants quit when they return home for the festival (春節返鄉)",
        ge=1, le=20,
    )  # fmt: skip
    rel_sep_new_hire: float = P(
        1.6, "multiplier in the first 6 months of a job", "assumption: early-tenure quits", ge=1,
        le=10,
    )  # fmt: skip
    rel_sep_certified: float = P(
        0.8, "multiplier for workers with a vocational certificate",
        "assumption: skilled workers are more stable (the notice's aim, S1)", ge=0.1, le=2,
    )  # fmt: skip
    p_return_home: float = P(
        0.45, "share of separated out-migrants who return to the village",
        "assumption: return migration after a job ends", ge=0, le=1,
    )  # fmt: skip
    search_farm: float = P(
        0.25, "search intensity of farm workers relative to the jobless", "assumption", ge=0, le=1
    )
    search_age_decline: float = P(
        0.02, "fall in search intensity per year of age over 45", "assumption", ge=0, le=0.1
    )
    match_efficiency: float = P(
        0.40, "hires per month at unit market tightness",
        "calibrated: jobless spells of ~3 months (matching function A·S^α·V^(1-α))", ge=0, le=5,
    )  # fmt: skip
    match_elasticity: float = P(
        0.5, "elasticity of hires to searchers",
        "Petrongolo & Pissarides 2001: 0.5-0.7 for the searcher share", ge=0.05, le=0.95,
    )  # fmt: skip
    p_find_outside: float = P(
        0.40, "per month for a searcher choosing an outside job",
        "assumption: the national market has ample vacancies for migrants", ge=0, le=1,
    )  # fmt: skip
    p_start_business: float = P(
        0.09, "per month for a searcher choosing self-employment",
        "assumption: setting up takes about a year (a third of the outside job-finding rate)",
        ge=0, le=1,
    )  # fmt: skip
    rel_pes_match: float = P(
        0.3, "matching boost at full PES village coverage",
        "assumption: PES reaching villages raises village seekers' matching by up to 30 %", ge=0,
        le=3,
    )  # fmt: skip
    rel_info_match: float = P(
        0.2, "matching boost at full job-information coverage", "assumption", ge=0, le=3
    )
    rel_post_festival_search: float = P(
        0.5, "search boost in the two post-festival months",
        "the post-festival hiring season (節後招工), assumption", ge=0, le=5,
    )  # fmt: skip
    choice_income: float = P(
        2.5, "utility per log point of net income", "assumption: logit choice over markets", ge=0,
        le=20,
    )  # fmt: skip
    choice_find_rate: float = P(
        1.0, "utility per log point of the chance of finding work",
        "expected income = chance × pay (coefficient 1), chances as offered last month (the matching function's, not the month's draws)", ge=0, le=10,
    )  # fmt: skip
    choice_noise: float = P(1.0, "Gumbel scale", "assumption", ge=0.01, le=10)
    living_cost_outside: float = P(
        1300, "yuan per month",
        "extra cost of living away from home (rent, food); NBS 2022 out-migrants' monthly "
        "living costs ~1,700 vs ~400 at home (assumption from NBS consumption figures)", ge=0, le=100_000,
    )  # fmt: skip
    family_child_outside: float = P(
        -0.25, "utility per child under 15 at home for an outside job",
        "assumption: care of children pulls parents home", ge=-5, le=5,
    )  # fmt: skip
    family_elder_outside: float = P(-0.10, "utility per elder for an outside job", "assumption", ge=-5, le=5)
    age_outside: float = P(
        -0.03, "utility per year of age over 40 for an outside job",
        "assumption: older workers stay nearer home (NBS: local workers are older)", ge=-1, le=1,
    )  # fmt: skip
    pref_other_province: float = P(
        -0.15, "utility of crossing the province", "assumption: distance", ge=-5, le=5
    )
    pref_self_employment: float = P(
        -1.5, "utility of self-employment (start-up cost and risk)", "assumption", ge=-10, le=10
    )
    wage_edu: float = P(
        0.06, "log wage per education level",
        "assumption: Mincer returns of ~6 % per level among migrants", ge=0, le=0.5,
    )  # fmt: skip
    wage_skill: float = P(
        0.08, "log wage per skill level",
        "assumption: certificate premia of 5-10 % per level", ge=0, le=0.5,
    )  # fmt: skip
    wage_age_peak: float = P(38, "years", "assumption: migrant wages peak in the late thirties", ge=20, le=70)
    wage_age_curvature: float = P(
        0.0004, "log wage lost per squared year from the peak", "assumption", ge=0, le=0.01
    )
    wage_person_sd: float = P(
        0.22, "sd of the person's log wage effect", "assumption: wage dispersion", ge=0, le=2
    )
    wage_tenure: float = P(
        0.002, "log wage per month of tenure (first 36 months)", "assumption", ge=0, le=0.05
    )
    sector_wage: dict[str, Relative] = P(
        {
            "manufacturing": 1.00, "construction": 1.16, "trade": 0.91, "transport": 1.12,
            "hotels_catering": 0.83, "services": 0.86, "other": 0.95,
        },
        "wage relative to manufacturing",
        "NBS 2022: construction 5,358, hotels & catering 3,824 vs manufacturing ~4,600",
    )  # fmt: skip
    sector_mix: dict[str, Share] = P(
        {
            "manufacturing": 0.274, "construction": 0.177, "trade": 0.121, "transport": 0.069,
            "hotels_catering": 0.065, "services": 0.119, "other": 0.175,
        },
        "share of new hires by sector",
        "NBS 2022: secondary 47.8 % (manufacturing 27.4, construction 17.7), tertiary 51.7 %",
    )  # fmt: skip

    @field_validator("sector_wage", "sector_mix")
    @classmethod
    def _sectors(cls, v: dict[str, float], info) -> dict[str, float]:
        from countysim.population.codes import SECTOR_NAMES

        check_names(v, SECTOR_NAMES[1:], "sectors")
        if info.field_name == "sector_mix" and abs(sum(v.values()) - 1) > 1e-6:
            raise ValueError(f"shares must sum to 1 (they sum to {sum(v.values()):g})")
        return v


class TrainingBehaviour(Frozen):
    """Application, completion and certification."""

    p_apply: float = P(
        0.03, "per month, willing workers not yet trained",
        "assumption: willing workers apply within ~3 years", ge=0, le=1,
    )  # fmt: skip
    rel_apply_jobless: float = P(
        2.0, "multiplier for workers without non-farm work", "assumption", ge=0, le=20
    )
    subsidy_elasticity: float = P(
        0.3, "elasticity of application to the subsidy (reference 1,000 yuan)", "assumption",
        ge=0, le=3,
    )  # fmt: skip
    rel_apply_targeted: float = P(
        1.5, "multiplier on application when a programme for one's age group runs",
        "assumption (S5)", ge=1, le=10,
    )  # fmt: skip
    months_general: int = P(1, "months", "short courses of 5-30 days (assumption)", ge=1, le=24)
    months_advanced: int = P(3, "months", "assumption: 高級工 courses", ge=1, le=24)
    months_craftsman: int = P(2, "months", "assumption", ge=1, le=24)
    p_complete: float = P(0.85, "share completing a course", "assumption", ge=0, le=1)
    p_complete_45plus: float = P(
        0.70, "share of 45+ trainees completing an ordinary course", "assumption", ge=0, le=1
    )
    p_complete_targeted: float = P(
        0.90, "share completing a programme for their age group", "assumption", ge=0, le=1
    )
    p_certify: float = P(0.75, "share of completers certified one skill level up", "assumption", ge=0, le=1)


def employee_jobs() -> tuple[str, ...]:
    """Jobs with an employer, hence a contract and employer insurance: non-farm, not self-employed."""
    from countysim.population import codes as c

    return tuple(c.JOB_NAMES[j] for j in c.NONFARM_JOBS if j != c.J_SELF)


class RightsBehaviour(Frozen):
    """Contracts, insurance, injuries and wage arrears (R1-R7)."""

    p_contract_at_hire: dict[str, Share] = P(
        {"township": 0.16, "county_formal": 0.5, "county_flexible": 0.06, "outside_province": 0.32, "other_province": 0.34},
        "probability of a written contract at hire, by job",
        "calibrated to NBS 2016: 35.1 % overall, 38.2 % out-migrants, 31.4 % local",
    )  # fmt: skip
    enforcement_gap_closed: float = P(
        0.6, "share of the gap to full contract coverage closed at full enforcement",
        "assumption: labour inspection and model contracts", ge=0, le=1,
    )  # fmt: skip
    p_contract_later: float = P(
        0.02, "monthly rate at which employees without a contract get one, at full enforcement",
        "assumption: inspections prompt contracts", ge=0, le=1,
    )  # fmt: skip
    p_enrol_with_contract: dict[str, Share] = P(
        {"pension": 0.32, "medical": 0.32, "unemployment": 0.2, "injury": 0.55},
        "probability the employer enrols a contracted hire, by insurance",
        "calibrated: coverage of ~17-30 % (NBS 2014: pension 16.7 %, medical 17.6 %, "
        "unemployment 10.5 %, injury 26.2 % of migrant workers)",
    )  # fmt: skip
    p_enrol_without_contract: dict[str, Share] = P(
        {"pension": 0.02, "medical": 0.02, "unemployment": 0.01, "injury": 0.15},
        "probability of enrolment without a contract", "assumption: injury cover on construction sites",
    )  # fmt: skip
    drive_gap_closed: float = P(
        0.5, "share of the gap to full enrolment closed at full enrolment drive", "assumption", ge=0, le=1
    )
    p_enrol_later: float = P(
        0.01, "monthly catch-up enrolment of uninsured employees at full enrolment drive",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    p_flexible_cover: float = P(
        0.08, "monthly take-up of occupational injury protection by flexible and self-employed "
        "workers where the scheme fully reaches them", "assumption (2022 pilots for platform workers)",
        ge=0, le=1,
    )  # fmt: skip
    p_injury: dict[str, Share] = P(
        {"manufacturing": 0.0008, "construction": 0.0015, "trade": 0.0002, "transport": 0.001,
         "hotels_catering": 0.0003, "services": 0.0003, "other": 0.0004},
        "work injuries per worker-month, by sector",
        "assumption: ~0.5-1.8 % a year, construction highest",
    )  # fmt: skip
    injury_months: int = P(3, "months of incapacity after an injury", "assumption", ge=1, le=24)
    p_injury_job_loss: float = P(0.4, "share of injured who lose their job", "assumption", ge=0, le=1)
    p_benefit_insured: float = P(
        0.85, "share of insured injured workers whose benefits are delivered where they work",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    p_arrears: float = P(
        0.0007, "new arrears cases per employee-month (all sectors)",
        "NBS 2016: 0.84 % of migrant workers a year had wages in arrears", ge=0, le=0.1,
    )  # fmt: skip
    arrears_sector: dict[str, RelativeIncidence] = P(
        {"manufacturing": 0.8, "construction": 3.0, "trade": 0.5, "transport": 0.8,
         "hotels_catering": 0.6, "services": 0.6, "other": 0.8},
        "relative arrears incidence by sector", "NBS: construction has the most arrears (assumption)",
    )  # fmt: skip
    arrears_wage_months: float = P(
        2.5, "months of wages owed in a case", "NBS 2016: 11,433 yuan per affected worker ≈ 2.5 months",
        ge=0, le=24,
    )  # fmt: skip
    p_resolve_own: float = P(
        0.15,
        "monthly resolution of a case without public help",
        "assumption: most cases settle within months",
        ge=0,
        le=1,
    )
    p_resolve_arbitration: float = P(
        0.15, "monthly resolution added by the arbitration green channel at full strength",
        "assumption: fast-track arbitration within ~45 days", ge=0, le=1,
    )  # fmt: skip
    p_resolve_legal_aid: float = P(
        0.10, "monthly resolution added by legal aid at full reach", "assumption", ge=0, le=1
    )
    prevention_cut: float = P(
        0.6, "share of arrears prevented at full prevention (deposits, special accounts, real names)",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    rel_spring_warmth: float = P(
        1.0, "relative boost to resolution in the festival month at full Spring Warmth intensity",
        "assumption: year-end wage clearance campaigns", ge=0, le=10,
    )  # fmt: skip

    @field_validator("p_contract_at_hire")
    @classmethod
    def _jobs(cls, v: dict[str, float]) -> dict[str, float]:
        return check_names(v, employee_jobs(), "jobs with an employer")

    @field_validator("p_enrol_with_contract", "p_enrol_without_contract")
    @classmethod
    def _ins(cls, v: dict[str, float]) -> dict[str, float]:
        from countysim.population.codes import INSURANCE_NAMES

        return check_names(v, INSURANCE_NAMES, "insurances")

    @field_validator("p_injury", "arrears_sector")
    @classmethod
    def _sectors(cls, v: dict[str, float]) -> dict[str, float]:
        from countysim.population.codes import SECTOR_NAMES

        return check_names(v, SECTOR_NAMES[1:], "sectors")


class HousingBehaviour(Frozen):
    """Housing choices of households based in the county town (P3)."""

    p_dormitory: float = P(
        0.3, "share of town households whose worker's employer offers a dormitory",
        "assumption: NBS reports ~11 % of migrant workers in employer dormitories, more in factories",
        ge=0, le=1,
    )  # fmt: skip
    p_apply_affordable: float = P(
        0.15, "monthly application rate of eligible, aware households", "assumption", ge=0, le=1
    )
    p_buy: float = P(
        0.006, "monthly purchase rate of town households that can make the down payment",
        "assumption: ~7 % a year", ge=0, le=1,
    )  # fmt: skip
    saving_rate: float = P(
        0.2, "share of household income saved", "assumption: rural households save ~20-30 %", ge=0, le=1
    )
    living_cost_per_person: float = P(
        900, "yuan per household member a month", "assumption: consumption besides rent", ge=0, le=100_000
    )


class SettlementBehaviour(Frozen):
    """Settlement (落戶) choice of eligible households (P6): a monthly logit hazard."""

    base: float = P(
        -6.8,
        "log-odds per month",
        "calibrated: ~2-5 % a year of eligible households settle, and a minority of migrants want to (surveys: 20-30 %)",
        ge=-20,
        le=5,
    )
    stable_job: float = P(
        0.6, "log-odds when a worker has 12+ months in a town job", "assumption", ge=-5, le=5
    )
    housing_owned: float = P(1.2, "log-odds when the household owns its town home", "assumption", ge=-5, le=5)
    housing_affordable: float = P(0.6, "log-odds in an affordable unit", "assumption", ge=-5, le=5)
    children_in_town: float = P(
        0.8, "log-odds when a child attends school in town", "assumption: schooling drives settlement",
        ge=-5, le=5,
    )  # fmt: skip
    services: float = P(
        1.0, "log-odds at the full basic public service standard (P1)", "assumption", ge=-5, le=5
    )
    land_per_100k: float = P(
        -0.6, "log-odds per 100,000 yuan of rural land rights at risk",
        "assumption: fear of losing land rights holds settlement back", ge=-10, le=10,
    )  # fmt: skip


class SchoolingBehaviour(Frozen):
    """Where compulsory-age children go to school, decided each September (P4, P5)."""

    p_bring_child: float = P(
        0.75, "share of town-based households that want their child schooled in town",
        "assumption: NBS 2022 — 13.3 M migrant children live with parents in cities", ge=0, le=1,
    )  # fmt: skip
    p_follow_outside: float = P(
        0.25, "share of children of out-migrant parents schooled where the parents work",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    p_documents: float = P(
        0.7, "share of households meeting the non-permit document requirements (status quo)",
        "assumption: NBS 2019 — 50.9 % of parents report schooling problems, many with documents",
        ge=0, le=1,
    )  # fmt: skip
    p_private_if_refused: float = P(
        0.45, "share of refused children sent to a private school rather than back to the village",
        "assumption", ge=0, le=1,
    )  # fmt: skip


class EnterpriseBehaviour(Frozen):
    """Returnee start-ups (E7)."""

    p_start: float = P(
        0.002, "start-ups per returnee-month (within 24 months of return, aged 25-50)",
        "assumption: ~5 % of returnees start a firm within two years", ge=0, le=1,
    )  # fmt: skip
    rel_loan: float = P(1.0, "extra start-up rate at full loan support", "assumption", ge=0, le=10)
    rel_mentoring: float = P(0.3, "extra start-up rate at full mentoring", "assumption", ge=0, le=10)
    mean_jobs: float = P(3.0, "jobs created per start-up (mean)", "assumption: micro firms", ge=0, le=100)
    p_fail: float = P(0.02, "monthly failure of a start-up", "assumption: ~22 % a year", ge=0, le=1)
    rel_fail_park: float = P(0.6, "failure multiplier in a park", "assumption", ge=0, le=2)
    rel_fail_supported: float = P(
        0.8, "failure multiplier with loans and mentoring", "assumption", ge=0, le=2
    )


class ServicesBehaviour(Frozen):
    """Awareness of services and take-up (W4, G2, G4, E4, O5)."""

    initial_awareness: dict[str, Share] = P(
        {"employment": 0.6, "training": 0.5, "rights": 0.35, "housing": 0.2, "schooling": 0.8, "settlement": 0.3},
        "share of households aware of each service at the start",
        "assumption: surveys of policy awareness (政策知悉度) among migrant workers",
    )  # fmt: skip
    p_learn: float = P(0.002, "monthly chance of learning of a service unaided", "assumption", ge=0, le=1)
    publicity: float = P(0.02, "monthly learning added at full publicity (W4)", "assumption", ge=0, le=1)
    windows: float = P(
        0.015, "monthly learning added at full one-stop window coverage (G2)", "assumption", ge=0, le=1
    )
    demonstration: float = P(
        0.02, "monthly learning of employment and training services at full demonstration (E4)",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    spring_warmth: float = P(
        0.05, "learning of employment and rights services in the festival month at full intensity (G4)",
        "assumption", ge=0, le=1,
    )  # fmt: skip
    window_take_up: float = P(
        0.3, "relative rise in take-up at full one-stop window coverage (G2)", "assumption", ge=0, le=5
    )
    coordination_delay_months: int = P(
        6, "months by which levers take effect late without a coordination body (G1)", "assumption",
        ge=0, le=36,
    )  # fmt: skip

    @field_validator("initial_awareness")
    @classmethod
    def _services(cls, v: dict[str, float]) -> dict[str, float]:
        from countysim.population.codes import SERVICE_NAMES

        return check_names(v, SERVICE_NAMES, "services")


class Behaviour(Frozen):
    """Behavioural parameters: how people respond (the uncertainties)."""

    demography: DemographyBehaviour = DemographyBehaviour()
    labour: LabourBehaviour = LabourBehaviour()
    training: TrainingBehaviour = TrainingBehaviour()
    rights: RightsBehaviour = RightsBehaviour()
    housing: HousingBehaviour = HousingBehaviour()
    settlement: SettlementBehaviour = SettlementBehaviour()
    schooling: SchoolingBehaviour = SchoolingBehaviour()
    enterprise: EnterpriseBehaviour = EnterpriseBehaviour()
    services: ServicesBehaviour = ServicesBehaviour()
