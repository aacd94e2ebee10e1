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
    child_edu_shares: tuple[Share, Share, Share, Share, Share] = P(
        (0.0, 0.01, 0.05, 0.29, 0.65), "share of children by planned final education none/primary/junior/senior/college+",
        "MOE Statistical Bulletin 2022: gross enrolment 91.6 % in senior secondary and 59.6 % in higher "
        "education; the children now growing up reach them (assumption); decides the age at which a child "
        "enters the labour market (16, 19 or 22); calibrated with the exit ages to NBS's 2019-2022 ageing",
    )  # fmt: skip
    exit_years_after_statutory_men: float = P(
        11.0, "years after the statutory retirement age at which half of the men still working have left",
        "calibrated: NBS 2019-2022 ageing of migrant workers (mean age +0.5 a year, share over 50 +1.5 "
        "points a year) with men's statutory age 60 (2025 reform: rising to 63); migrant workers have no "
        "employer pension to retire on and work on", ge=-10, le=25,
    )  # fmt: skip
    exit_years_after_statutory_women: float = P(
        15.0, "years after the statutory retirement age at which half of the women still working have left",
        "calibrated as for men, against women workers' statutory age 50 (2025 reform: rising to 55); "
        "migrant women work well past it (NBS female share 35.9 %)", ge=-10, le=25,
    )  # fmt: skip
    exit_spread_years: float = P(
        2.5, "years (scale of the logistic distribution of exit ages)",
        "assumption: exit from migrant work spreads over the decade around the median exit age",
        ge=0.5, le=10,
    )  # fmt: skip
    retirement_reform: bool = P(
        True, "flag",
        "NPC Standing Committee decision of 2024-09-13: from 2025-01 the statutory retirement age rises by "
        "one month every four months of birth for men (60 to 63) and every two months for women workers "
        "(50 to 55); false keeps the old ages",
    )  # fmt: skip
    p_college_leaves: float = P(
        0.6, "share of college-educated entrants who leave the county for good",
        "assumption: rural college students often move their hukou to the university city and "
        "do not return to migrant work", ge=0, le=1,
    )  # fmt: skip
    p_exit_monthly_50_plus: float = P(
        0.001, "per month", "assumption: early exit (health, care duties) from age 50", ge=0, le=1
    )

    @field_validator("child_edu_shares")
    @classmethod
    def _edu_shares(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(p < 0 or p > 1 for p in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError("must be five shares in [0, 1] that sum to 1")
        return v


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
        0.9, "multiplier for workers with a vocational certificate",
        "central value of a literature range of 0.7-1.0: short courses show small and often fading effects "
        "on job retention (meta-analysis of training programmes: Card, Kluve & Weber 2018)", ge=0.1, le=2,
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
        0.30, "hires per month at unit market tightness",
        "calibrated: a jobless rate of ~5 % (rural migrants' surveyed urban unemployment rate ~5-6 %), "
        "matching function A·S^α·V^(1-α)", ge=0, le=5,
    )  # fmt: skip
    match_elasticity: float = P(
        0.5, "elasticity of hires to searchers",
        "Petrongolo & Pissarides 2001: 0.5-0.7 for the searcher share", ge=0.05, le=0.95,
    )  # fmt: skip
    p_find_outside: float = P(
        0.30, "chance of finding an outside job in a month when openings equal searchers",
        "assumption: out-migrants find work within a few months through networks (matching efficiency "
        "of the outside markets)", ge=0, le=1,
    )  # fmt: skip
    openings_outside_province: float = P(
        25.0, "openings a month per 1,000 county workers, rest of the province",
        "calibrated: with the county's searchers going to the rest of the province, a chance near "
        "p_find_outside; more searchers from the county share the same openings (congestion)",
        ge=0, le=1000,
    )  # fmt: skip
    openings_other_province: float = P(
        20.0, "openings a month per 1,000 county workers, other provinces",
        "calibrated as openings_outside_province", ge=0, le=1000,
    )  # fmt: skip
    hire_age_decline: float = P(
        0.03, "relative fall a year of age over 50 in the chance of being hired into a wage job",
        "assumption: employers' age limits (e.g. 2022 rules in several cities barring men over 60 and "
        "women over 50 from construction sites); exp(−0.03 × 10) ≈ 0.74 at 60", ge=0, le=1,
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
        2.5, "utility per log point of a market's expected income",
        "assumption: logit choice over markets by expected income (pay net of living cost × the chance "
        "of finding work; Harris & Todaro 1970)", ge=0, le=200,
    )  # fmt: skip
    expectation_weight: float = P(
        0.3, "share of the gap between the chance a market offered and the chance expected closed a month",
        "assumption: adaptive expectations, learnt from what the county's searchers found; below 1 so "
        "that expectations adapt smoothly (no cobweb between markets)", ge=0.01, le=1,
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
        -0.06, "utility per year of age over 40 for an outside job",
        "assumption: older workers stay nearer home (NBS: local workers are older)", ge=-1, le=1,
    )  # fmt: skip
    pref_other_province: float = P(
        0.36, "utility of crossing the province", "assumption: distance", ge=-5, le=5
    )
    pref_self_employment: float = P(
        -2.10, "utility of self-employment (start-up cost and risk)", "assumption", ge=-10, le=10
    )
    pref_township: float = P(
        -0.42, "utility of township non-farm work besides its expected income (market constant)",
        "calibrated: status-quo employment shares by market steady over 2023-2024 (docs/calibration.md)",
        ge=-10, le=10,
    )  # fmt: skip
    pref_county_town: float = P(
        -1.48, "utility of county-town work besides its expected income (market constant)",
        "calibrated as pref_township", ge=-10, le=10,
    )  # fmt: skip
    pref_outside: float = P(
        0.33, "utility of work outside the county besides its expected income (market constant; "
        "pref_other_province adds to it for other provinces)",
        "calibrated as pref_township: networks of earlier out-migrants", ge=-10, le=10,
    )  # fmt: skip
    migration_cost: float = P(
        0.8, "utility cost of moving across the county's border to search (out from home, or home from outside)",
        "assumption: travel, a new room, leaving or rejoining the family; keeps searchers near where they are",
        ge=0, le=10,
    )  # fmt: skip
    pref_farm: float = P(
        1.11, "utility of farming at home (own land, family) besides its income",
        "assumption: none beyond the income", ge=-10, le=10,
    )  # fmt: skip
    age_farm: float = P(
        0.0, "utility per year of age over 45 for farming at home",
        "assumption: none beyond the lower pay and chances of older searchers (NBS: the share over 50 keeps "
        "rising among migrant workers in non-farm work)", ge=-1, le=1,
    )  # fmt: skip
    wage_edu: float = P(
        0.06, "log wage per education level",
        "assumption: Mincer returns of ~6 % per level among migrants", ge=0, le=0.5,
    )  # fmt: skip
    wage_skill: float = P(
        0.025, "log wage per certified skill level",
        "central value of a literature range of 0-5 % for short vocational courses, often fading (Card, "
        "Kluve & Weber 2018; the premia of 5-10 % per level seen in cross-sections include selection); "
        "sweep 0-0.06", ge=0, le=0.5,
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
    """Jobs with an employer, hence a contract and employer insurance (``codes.WAGE_JOBS``)."""
    from countysim.population import codes as c

    return tuple(c.JOB_NAMES[j] for j in c.WAGE_JOBS)


class RightsBehaviour(Frozen):
    """Contracts, insurance, injuries and wage arrears (R1-R7)."""

    p_contract_at_hire: dict[str, Share] = P(
        {"township": 0.12, "county_formal": 0.40, "county_flexible": 0.05, "outside_province": 0.26, "other_province": 0.27},
        "probability of a written contract at hire, by job",
        "calibrated: with the monthly catch-up under status-quo enforcement, ~41 % of employees hold "
        "one (NBS 2016: 35.1 % overall, 38.2 % out-migrants, 31.4 % local; inspection has raised it since)",
    )  # fmt: skip
    outside_enforcement: float = P(
        0.25, "0-1 intensity of contract enforcement and enrolment drives among employers outside the county, 2022",
        "assumption: the county's levers (R1, R2, R5, W1) act only on employers in its jurisdiction; "
        "outside employers follow the destinations' own enforcement, near the county's status quo",
        ge=0, le=1,
    )  # fmt: skip
    outside_enforcement_trend: float = P(
        0.01, "change a year in outside employers' enforcement intensity",
        "assumption: national campaigns for contracts, enrolment and wage payment since 2016 raise it "
        "slowly (NBS stopped publishing the contract rate after 2016: 35.1 %)", ge=-0.1, le=0.1,
    )  # fmt: skip
    enforcement_gap_closed: float = P(
        0.6, "share of the gap to full contract coverage closed at full enforcement",
        "assumption: labour inspection and model contracts", ge=0, le=1,
    )  # fmt: skip
    p_contract_later: float = P(
        0.012, "monthly rate at which employees without a contract get one, at full enforcement",
        "assumption: inspections prompt contracts", ge=0, le=1,
    )  # fmt: skip
    p_enrol_with_contract: dict[str, Share] = P(
        {"pension": 0.25, "medical": 0.25, "unemployment": 0.16, "injury": 0.46},
        "probability the employer enrols a contracted hire, by insurance",
        "calibrated: with the catch-up, coverage of ~25-37 % of the employed (NBS 2014: pension 16.7 %, "
        "medical 17.6 %, unemployment 10.5 %, injury 26.2 % of migrant workers; risen since)",
    )  # fmt: skip
    p_enrol_without_contract: dict[str, Share] = P(
        {"pension": 0.015, "medical": 0.015, "unemployment": 0.008, "injury": 0.12},
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
        0.006, "monthly purchase rate of town households that can make the down payment and carry the mortgage",
        "assumption: ~7 % a year", ge=0, le=1,
    )  # fmt: skip
    consumption_village_yuan: float = P(
        700, "yuan per member living in the village a month: basic consumption (2022 prices)",
        "assumption: with the consumption out of higher income (marginal_consumption), rural members spend "
        "near NBS 2022's 1,386 yuan a month per rural resident", ge=0, le=100_000,
    )  # fmt: skip
    consumption_town_yuan: float = P(
        1_000, "yuan per member living in the county town a month: basic consumption, rent apart (2022 prices)",
        "assumption: county towns cost more than villages and less than cities (NBS 2022 urban residents: "
        "2,533 a month)", ge=0, le=100_000,
    )  # fmt: skip
    consumption_outside_yuan: float = P(
        1_200, "yuan per member living outside the county a month: basic consumption, room included (2022 prices)",
        "assumption: out-migrants' living costs in the destination (food, a room or dormitory share, transport)",
        ge=0, le=100_000,
    )  # fmt: skip
    marginal_consumption: float = P(
        0.5, "share of income above basic consumption that is consumed",
        "assumption: rural marginal propensities to consume of 0.4-0.7; gives a saving rate near 20 % (NBS 2022 "
        "rural residents: 17 %)", ge=0, le=1,
    )  # fmt: skip
    remittance_share: float = P(
        0.05, "share of income sent to relatives outside the household",
        "assumption: support of parents and siblings registered in other households", ge=0, le=1,
    )  # fmt: skip
    p_major_expense: float = P(
        0.015, "monthly chance of a major household expense",
        "assumption: building or rebuilding the village house, a wedding (彩禮), serious illness: about one "
        "every five or six years", ge=0, le=1,
    )  # fmt: skip
    major_expense_months: float = P(
        10.0, "a major expense in months of household income (paid from savings as far as they go)",
        "assumption: village house or wedding costs of tens of thousands of yuan", ge=0, le=120,
    )  # fmt: skip
    mortgage_rate: float = P(
        0.041, "annual mortgage interest rate",
        "PBoC: five-year loan prime rate 4.3 % (2022), first-home discounts", ge=0, le=0.3,
    )  # fmt: skip
    mortgage_years: int = P(25, "years", "assumption: common term of first-home mortgages", ge=1, le=40)
    max_payment_share: float = P(
        0.4, "largest share of household income a mortgage payment may take",
        "assumption: banks' debt-to-income rule of thumb (up to 50 %)", ge=0, le=1,
    )  # fmt: skip


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
    p_open: float = P(
        0.4, "share of households that would consider moving their hukou to the county town at all",
        "surveys of the floating population: a minority want an urban hukou (China Migrants Dynamic Survey "
        "2017: about 39 % willing to transfer it); the rest would not settle on any terms", ge=0, le=1,
    )  # fmt: skip
    taste_sd: float = P(
        1.0, "sd of a household's lasting taste for settling (log-odds), among those open to it",
        "assumption: heterogeneous willingness beyond the household's circumstances", ge=0, le=5,
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
