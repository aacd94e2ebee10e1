"""The policy levers: one or more per clause of the notice (人社部發〔2023〕8號).

A lever is a number the county decides. Its *status quo* is what the county does without
the action (the baseline); a scenario sets a ``value`` reached from a ``start`` month over
``ramp_months``. Levers hold no state and draw no random numbers: the phase named in
``phase`` reads the lever's current value and acts on it (DESIGN.md, "Policies are small
objects"). ``countysim levers`` prints this registry as the clause → lever → indicator table.
"""

from __future__ import annotations

from dataclasses import dataclass

#: what a lever's value is: a share or multiplier, a count (persons, places, months), an amount of
#: money, or a switch (0 or 1: a rule in force or not)
KINDS = ("rate", "count", "yuan", "switch")


@dataclass(frozen=True, kw_only=True)
class Lever:
    """A policy lever.

    Attributes:
        name: key in a scenario's ``[levers]`` table; prefixed with its clause ID.
        clause: POLICY_MAP clause ID the lever implements.
        kind: one of ``KINDS``. A switch is 0 or 1 (no ramp); sweeps sample it as a category.
        scales: counted in persons, places, units or cases of the county, so it scales with the
            county's size (``Scenario.scaled``); shares, rates, months and yuan do not.
        unit: unit of the value.
        status_quo: value without the action (baseline), with its source or assumption.
        action: value a county implementing the action fully would set (used by
            ``full_action.toml``), an assumption stated in ``source``.
        lo: smallest allowed value.
        hi: largest allowed value.
        phase: the phase of the month that reads it (a name in ``CountyModel.PHASES``).
        mechanism: what the lever does, in one sentence.
        indicators: indicators it moves.
        source: where ``status_quo`` and ``action`` come from.
    """

    name: str
    clause: str
    kind: str
    scales: bool = False
    unit: str
    status_quo: float
    action: float
    lo: float
    hi: float
    phase: str
    mechanism: str
    indicators: tuple[str, ...]
    source: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"lever {self.name}: kind {self.kind!r} is not one of {KINDS}")
        if self.scales and self.kind != "count":
            raise ValueError(f"lever {self.name}: only a count can scale with the county's size")
        if self.kind == "switch" and not (self.lo == 0 and self.hi == 1):
            raise ValueError(f"lever {self.name}: a switch ranges over 0 and 1")


LEVERS: tuple[Lever, ...] = (
    # --- 2.1 Employment and entrepreneurship -------------------------------------------
    Lever(
        name="e1_county_job_growth",
        clause="E1",
        kind="rate",
        unit="share of county-town jobs per year",
        status_quo=0.02,
        action=0.05,
        lo=-0.2,
        hi=0.5,
        phase="labour",
        mechanism=(
            "Grows the county town's stock of formal and flexible jobs each month at this annual "
            "rate, which opens vacancies in the county market."
        ),
        indicators=("employed_rate", "local_employment_share", "county_vacancies"),
        source=(
            "status quo: county non-farm employment growth of ~2 %/yr (assumption, in line with local"
            " migrant workers' growth of +2.4 %/yr 2020-2022, countysim/data/nbs_migrant_workers.csv); action: "
            "5 %/yr (assumption: county industrial-park and job-creation plans)"
        ),
    ),
    Lever(
        name="e1_rel_separation_county",
        clause="E1",
        kind="rate",
        unit="multiplier on county job separation hazard",
        status_quo=1.0,
        action=0.85,
        lo=0.3,
        hi=2.0,
        phase="labour",
        mechanism=(
            "Retention measures (stabilisation subsidies, job-retention refunds) scale the monthly "
            "separation hazard of county-town jobs."
        ),
        indicators=("stable_employment_rate", "employed_rate"),
        source=(
            "status quo 1 (no measure); action 0.85 (assumption: 15 % fewer quits under retention subsidies)"
        ),
    ),
    Lever(
        name="e2_placements_per_year",
        clause="E2",
        kind="count",
        scales=True,
        unit="persons per year",
        status_quo=0.0,
        action=1500.0,
        lo=0.0,
        hi=50000.0,
        phase="labour",
        mechanism=(
            "East-West labour cooperation places this many county searchers a year in jobs of the "
            "partner (eastern) province, spread evenly over the months."
        ),
        indicators=("out_migrant_share", "mean_monthly_income", "e2_placed_workers"),
        source=(
            "status quo 0 (no organised placement); action 1,500/yr (assumption: ~1 % of the county's"
            " migrant workers a year)"
        ),
    ),
    Lever(
        name="e2_wage_premium",
        clause="E2",
        kind="rate",
        unit="share of wage",
        status_quo=0.0,
        action=0.08,
        lo=0.0,
        hi=0.5,
        phase="labour",
        mechanism=(
            "Placed workers earn this premium over an unorganised out-migrant job (screened "
            "employers, travel and settling-in support)."
        ),
        indicators=("mean_monthly_income",),
        source="assumption: 8 % premium for organised placement with partner-province employers",
    ),
    Lever(
        name="e2_rel_separation",
        clause="E2",
        kind="rate",
        unit="multiplier on separation hazard of placed workers",
        status_quo=1.0,
        action=0.7,
        lo=0.3,
        hi=2.0,
        phase="labour",
        mechanism=(
            "Follow-up services of the cooperation scale the monthly separation hazard of placed workers."
        ),
        indicators=("stable_employment_rate",),
        source="assumption: organised placements with follow-up services cut quits by 30 %",
    ),
    Lever(
        name="e3_brand_share",
        clause="E3",
        kind="rate",
        unit="share of training places",
        status_quo=0.0,
        action=0.15,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism=(
            "Share of training places given to county labour-brand (勞務品牌) programmes; their graduates"
            " carry the brand certificate."
        ),
        indicators=("brand_workers", "mean_monthly_income"),
        source="status quo 0; action 15 % (assumption)",
    ),
    Lever(
        name="e3_brand_wage_premium",
        clause="E3",
        kind="rate",
        unit="share of wage",
        status_quo=0.1,
        action=0.1,
        lo=0.0,
        hi=0.5,
        phase="labour",
        mechanism="Wage premium of brand-certified workers (brand recognition by employers).",
        indicators=("mean_monthly_income",),
        source="assumption: 10 %, the order of premia reported for named labour brands",
    ),
    Lever(
        name="e5_pes_village_coverage",
        clause="E5",
        kind="rate",
        unit="share of villages reached",
        status_quo=0.4,
        action=0.9,
        lo=0.0,
        hi=1.0,
        phase="labour",
        mechanism=(
            "Public employment services reaching villages raise the matching efficiency of village "
            "job seekers in the county market in proportion to coverage."
        ),
        indicators=("employed_rate", "local_employment_share"),
        source="status quo 40 % (assumption); action 90 % (the notice: services reach villages)",
    ),
    Lever(
        name="e5_referrals_per_month",
        clause="E5",
        kind="count",
        scales=True,
        unit="referrals per month",
        status_quo=200.0,
        action=600.0,
        lo=0.0,
        hi=20000.0,
        phase="labour",
        mechanism=(
            "Job referrals by the public employment service: searchers referred straight into open "
            "county vacancies each month, on top of ordinary matching."
        ),
        indicators=("employed_rate", "local_employment_share"),
        source="status quo 200/month (assumption for a county PES office); action 600/month",
    ),
    Lever(
        name="e6_campaign_intensity",
        clause="E6",
        kind="rate",
        unit="relative boost to matching",
        status_quo=0.2,
        action=0.5,
        lo=0.0,
        hi=3.0,
        phase="labour",
        mechanism=(
            "Spring Breeze (春風行動) and other recruitment campaigns raise matching efficiency in the "
            "two months after the Spring Festival by this factor."
        ),
        indicators=("employed_rate", "hires"),
        source="status quo 0.2 (campaigns already run every year); action 0.5 (assumption)",
    ),
    Lever(
        name="e6_info_coverage",
        clause="E6",
        kind="rate",
        unit="share of searchers reached by job information",
        status_quo=0.5,
        action=0.9,
        lo=0.0,
        hi=1.0,
        phase="labour",
        mechanism=(
            "A job-information release mechanism lowers search frictions: matching efficiency of all "
            "searchers rises in proportion to coverage."
        ),
        indicators=("employed_rate",),
        source="status quo 50 % (assumption); action 90 %",
    ),
    Lever(
        name="e4_demonstration",
        clause="E4",
        kind="rate",
        unit="0-1 strength of demonstration areas",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="services",
        mechanism=(
            "Showcasing typical cases of labour transfer in county-town demonstration areas raises "
            "awareness of employment and training services."
        ),
        indicators=("awareness_employment", "awareness_training"),
        source="status quo 0; action 1 (assumption)",
    ),
    Lever(
        name="e7_loan_support",
        clause="E7",
        kind="rate",
        unit="share of returnee start-ups offered guaranteed loans",
        status_quo=0.2,
        action=0.6,
        lo=0.0,
        hi=1.0,
        phase="enterprise",
        mechanism=(
            "Guaranteed start-up loans and interest subsidies raise returnees' start-up rate and "
            "lower failure."
        ),
        indicators=("startups_cum", "startup_jobs"),
        source="status quo 20 % (assumption); action 60 %",
    ),
    Lever(
        name="e7_park_places",
        clause="E7",
        kind="count",
        scales=True,
        unit="firm places in returnee entrepreneurship parks",
        status_quo=30.0,
        action=150.0,
        lo=0.0,
        hi=10000.0,
        phase="enterprise",
        mechanism="Places in returnee entrepreneurship parks; firms housed in a park fail less often.",
        indicators=("startups_active", "startup_jobs"),
        source="status quo 30 (county profile); action 150 (assumption)",
    ),
    Lever(
        name="e7_mentoring",
        clause="E7",
        kind="rate",
        unit="share of returnee start-ups mentored by entrepreneurship leaders",
        status_quo=0.1,
        action=0.6,
        lo=0.0,
        hi=1.0,
        phase="enterprise",
        mechanism=(
            "Mentoring by entrepreneurship leaders (創業帶頭人) raises the start-up rate and lowers failure."
        ),
        indicators=("startups_cum",),
        source="status quo 10 %; action 60 % (assumption)",
    ),
    # --- 2.2 Skills -----------------------------------------------------------------------
    Lever(
        name="s1_training_places_per_year",
        clause="S1",
        kind="count",
        scales=True,
        unit="places per year",
        status_quo=6000.0,
        action=15000.0,
        lo=0.0,
        hi=500000.0,
        phase="training",
        mechanism=(
            "Government-subsidised vocational training places offered each year; enrolment beyond "
            "them is rationed."
        ),
        indicators=("training_person_times", "high_skilled_workers", "mean_monthly_income"),
        source=(
            "status quo 6,000/yr (assumption: ~4 % of the county's migrant workers); action 15,000/yr"
            " (assumption: the action's large-scale training)"
        ),
    ),
    Lever(
        name="s1_subsidy_yuan",
        clause="S1",
        kind="yuan",
        unit="yuan per certified trainee",
        status_quo=1000.0,
        action=1500.0,
        lo=0.0,
        hi=10000.0,
        phase="training",
        mechanism=(
            "Subsidy paid per certified trainee; a larger subsidy lowers the trainee's cost and "
            "raises the monthly application rate (elasticity in behaviour.training)."
        ),
        indicators=("training_person_times", "training_subsidy_yuan_cum"),
        source="status quo 1,000 yuan (level-4 subsidy, countysim/data/norms.csv); action 1,500 (level 3)",
    ),
    Lever(
        name="s2_poverty_priority",
        clause="S2",
        kind="rate",
        unit="0 = none, 1 = full priority",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism=(
            "Share of each month's places first offered to poverty-alleviated applicants (脫貧勞動力) "
            "before anyone else."
        ),
        indicators=("training_person_times_poverty", "poverty_willing_trained_share"),
        source="status quo 0; action 1 (the notice: every willing poverty-alleviated worker trained)",
    ),
    Lever(
        name="s2_outreach",
        clause="S2",
        kind="rate",
        unit="relative boost to application",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=5.0,
        phase="training",
        mechanism=(
            "Outreach to poverty-alleviated workers raises their monthly application rate by this factor."
        ),
        indicators=("training_person_times_poverty", "poverty_willing_trained_share"),
        source="assumption: door-to-door outreach doubles application (action 1.0)",
    ),
    Lever(
        name="s3_advanced_share",
        clause="S3",
        kind="rate",
        unit="share of training places",
        status_quo=0.05,
        action=0.15,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism="Share of places in advanced programmes that lift 中級 workers to 高級工 and 高級工 to 技師.",
        indicators=("high_skilled_workers",),
        source=("status quo 5 %, action 15 % (assumption, towards the notice's 10,000 high-skilled workers)"),
    ),
    Lever(
        name="s3_craftsman_share",
        clause="S3",
        kind="rate",
        unit="share of training places",
        status_quo=0.02,
        action=0.08,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism="Share of places in rural craftsman (鄉村工匠) programmes; graduates become craftsmen.",
        indicators=("rural_craftsmen",),
        source="status quo 2 %, action 8 % (assumption)",
    ),
    Lever(
        name="s4_pooling",
        clause="S4",
        kind="rate",
        unit="share of provider capacity pooled",
        status_quo=0.2,
        action=0.8,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism=(
            "County coordination pools this share of enterprise and vocational-college training "
            "capacity (county profile) into the county's training places."
        ),
        indicators=("training_person_times",),
        source="status quo 20 % (assumption); action 80 %",
    ),
    Lever(
        name="s5_older_programme_share",
        clause="S5",
        kind="rate",
        unit="share of training places",
        status_quo=0.0,
        action=0.2,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism=(
            "Share of places in programmes for older workers (大齡, 45+); dedicated programmes raise "
            "older workers' application and completion."
        ),
        indicators=("training_person_times", "training_person_times_45plus"),
        source="status quo 0; action 20 % (assumption)",
    ),
    Lever(
        name="s5_young_programme_share",
        clause="S5",
        kind="rate",
        unit="share of training places",
        status_quo=0.0,
        action=0.2,
        lo=0.0,
        hi=1.0,
        phase="training",
        mechanism=(
            "Share of places in programmes for young workers (under 30); dedicated programmes raise "
            "their application and completion."
        ),
        indicators=("training_person_times", "training_person_times_under30"),
        source="status quo 0; action 20 % (assumption)",
    ),
    # --- 2.3 Labour rights --------------------------------------------------------------
    Lever(
        name="r1_contract_enforcement",
        clause="R1",
        kind="rate",
        unit="0-1 enforcement intensity",
        status_quo=0.2,
        action=0.7,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Labour inspection and model contracts close a share of the gap to a written contract at "
            "hire, and prompt contracts for employees without one."
        ),
        indicators=("contract_rate",),
        source="status quo 0.2, action 0.7 (assumption)",
    ),
    Lever(
        name="r2_enrolment_drive",
        clause="R2",
        kind="rate",
        unit="0-1 enrolment drive intensity",
        status_quo=0.2,
        action=0.7,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Insurance enrolment drives (全民參保) close a share of the gap to full enrolment of "
            "employees in the four insurances."
        ),
        indicators=(
            "pension_coverage",
            "medical_coverage",
            "unemployment_insurance_coverage",
            "injury_insurance_coverage",
        ),
        source="status quo 0.2, action 0.7 (assumption)",
    ),
    Lever(
        name="r3_benefit_portability",
        clause="R3",
        kind="rate",
        unit="share of injured workers back home who still receive benefits",
        status_quo=0.6,
        action=0.95,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism="Work-injury benefits follow injured workers who return home (delivery after return).",
        indicators=("injury_benefit_share",),
        source="status quo 60 %, action 95 % (assumption)",
    ),
    Lever(
        name="r4_transfer_ease",
        clause="R4",
        kind="rate",
        unit="probability coverage continues across regions",
        status_quo=0.5,
        action=0.9,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Transfer and continuation of social insurance (轉移接續): a worker who changes job across "
            "regions keeps pension and medical coverage with this probability."
        ),
        indicators=("insurance_continuity_rate", "pension_coverage"),
        source="status quo 50 %, action 90 % (assumption)",
    ),
    Lever(
        name="r5_inspection_cases_per_month",
        clause="R5",
        kind="count",
        scales=True,
        unit="arrears cases the inspectorate resolves a month",
        status_quo=20.0,
        action=60.0,
        lo=0.0,
        hi=10000.0,
        phase="rights",
        mechanism=(
            "Labour inspection resolves up to this many open wage-arrears cases a month, oldest first."
        ),
        indicators=("arrears_open_cases", "arrears_resolved_cum", "arrears_months_to_resolve"),
        source="status quo 20/month (assumption); action 60",
    ),
    Lever(
        name="r5_prevention",
        clause="R5",
        kind="rate",
        unit="0-1 prevention strength",
        status_quo=0.3,
        action=0.8,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Wage guarantee deposits, special wage accounts and real-name management prevent a share "
            "of new arrears."
        ),
        indicators=("arrears_open_cases", "arrears_new_cum"),
        source="status quo 0.3, action 0.8 (assumption)",
    ),
    Lever(
        name="r6_arbitration_green_channel",
        clause="R6",
        kind="rate",
        unit="0-1 strength of the green channel",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "A fast-track arbitration channel for migrant workers' disputes raises the monthly "
            "resolution of open cases."
        ),
        indicators=("arrears_resolved_cum", "arrears_months_to_resolve"),
        source="status quo 0, action 1 (assumption)",
    ),
    Lever(
        name="r6_legal_aid_reach",
        clause="R6",
        kind="rate",
        unit="share of workers reached by legal aid",
        status_quo=0.3,
        action=0.8,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Legal aid and the legal-service network raise the monthly resolution of cases of aware workers."
        ),
        indicators=("arrears_resolved_cum",),
        source="status quo 30 %, action 80 % (assumption)",
    ),
    Lever(
        name="r7_flexible_scheme",
        clause="R7",
        kind="rate",
        unit="0-1 reach of flexible-worker schemes",
        status_quo=0.1,
        action=0.7,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "Occupational injury protection and flexible-worker enrolment reach flexible and self-"
            "employed workers."
        ),
        indicators=("flexible_injury_coverage",),
        source="status quo 0.1, action 0.7 (assumption)",
    ),
    # --- 2.4 County public services -----------------------------------------------------
    Lever(
        name="p1_service_standard",
        clause="P1",
        kind="rate",
        unit="share of the national basic public service standard funded",
        status_quo=0.7,
        action=1.0,
        lo=0.0,
        hi=1.5,
        phase="services",
        mechanism=(
            "Per-resident spending on basic public services against the national standard; raises the"
            " value of settling and the share of service items at standard."
        ),
        indicators=("service_items_at_standard", "settled_households_cum", "fiscal_cost_cum"),
        source="status quo 70 % (assumption); action 100 % (the notice)",
    ),
    Lever(
        name="p2_transfer_per_settled_yuan",
        clause="P2",
        kind="yuan",
        unit="yuan per settled person a year",
        status_quo=0.0,
        action=1000.0,
        lo=0.0,
        hi=20000.0,
        phase="fiscal",
        mechanism=(
            "Transfers linked to the agricultural-transfer population settled in the county town "
            "(人地錢掛鈎)."
        ),
        indicators=("transfer_revenue_cum", "net_fiscal_cost_cum"),
        source="status quo 0; action 1,000 (assumption)",
    ),
    Lever(
        name="p2_transfer_per_resident_yuan",
        clause="P2",
        kind="yuan",
        unit="yuan per resident migrant in town a year",
        status_quo=0.0,
        action=300.0,
        lo=0.0,
        hi=20000.0,
        phase="fiscal",
        mechanism=(
            "Fiscal tilt to counties absorbing migrants: transfers per resident migrant in the county town."
        ),
        indicators=("transfer_revenue_cum",),
        source="status quo 0; action 300 (assumption)",
    ),
    Lever(
        name="p3_units_per_year",
        clause="P3",
        kind="count",
        scales=True,
        unit="affordable units built a year",
        status_quo=100.0,
        action=800.0,
        lo=0.0,
        hi=50000.0,
        phase="housing",
        mechanism="Affordable rental units added each year (at the annual plan) for migrant households.",
        indicators=("affordable_housing_households", "housing_waitlist", "fiscal_cost_cum"),
        source="status quo 100/yr, action 800/yr (assumption)",
    ),
    Lever(
        name="p3_migrant_eligibility",
        clause="P3",
        kind="rate",
        unit="share of migrant households eligible",
        status_quo=0.3,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="housing",
        mechanism=(
            "Share of town-based migrant households included in urban housing security (eligibility rules)."
        ),
        indicators=("housing_waitlist", "affordable_housing_households"),
        source="status quo 30 %, action 100 % (assumption)",
    ),
    Lever(
        name="p3_min_town_months",
        clause="P3",
        kind="count",
        unit="months in town before eligibility",
        status_quo=24.0,
        action=6.0,
        lo=0.0,
        hi=120.0,
        phase="housing",
        mechanism="Months a household must have lived in the county town to apply for an affordable unit.",
        indicators=("housing_waitlist",),
        source="status quo 24 months, action 6 (assumption)",
    ),
    Lever(
        name="p4_primary_seats_per_year",
        clause="P4",
        kind="count",
        scales=True,
        unit="public primary seats added a year beyond the county's own plan",
        status_quo=0.0,
        action=600.0,
        lo=0.0,
        hi=100000.0,
        phase="schooling",
        mechanism=(
            "Public primary seats for migrant children added each year on top of the county's plan "
            "(county.schools.seat_plan_response), planned by the resident population."
        ),
        indicators=("seat_shortage_primary", "public_school_share"),
        source="status quo 0 (the county's own plan follows its trend); action 600/yr more (assumption)",
    ),
    Lever(
        name="p4_junior_seats_per_year",
        clause="P4",
        kind="count",
        scales=True,
        unit="public junior seats added a year beyond the county's own plan",
        status_quo=0.0,
        action=300.0,
        lo=0.0,
        hi=100000.0,
        phase="schooling",
        mechanism="Public junior-secondary seats for migrant children added each year on top of the county's plan.",
        indicators=("seat_shortage_junior", "public_school_share"),
        source="status quo 0 (the county's own plan follows its trend); action 300/yr more (assumption)",
    ),
    Lever(
        name="p5_permit_basis",
        clause="P5",
        kind="switch",
        unit="0 = hukou-first rules, 1 = residence permit as the main basis",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="schooling",
        mechanism=(
            "Admission on the residence-permit basis (以居住證為主要依據): a permit suffices for eligibility, "
            "and permit holders rank with hukou children."
        ),
        indicators=("public_school_share", "left_behind_children"),
        source="status quo 0; action 1 (the notice)",
    ),
    Lever(
        name="p5_remove_documents",
        clause="P5",
        kind="rate",
        unit="share of non-compliant document requirements removed",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="schooling",
        mechanism=(
            "Removing non-compliant documents and time requirements raises the share of households "
            "that qualify."
        ),
        indicators=("public_school_share",),
        source="status quo 0; action 1 (the notice)",
    ),
    Lever(
        name="p5_purchased_places",
        clause="P5",
        kind="count",
        scales=True,
        unit="government-purchased private places",
        status_quo=300.0,
        action=1500.0,
        lo=0.0,
        hi=100000.0,
        phase="schooling",
        mechanism=(
            "Places the government buys in private schools for migrant children who get no public seat."
        ),
        indicators=("public_school_share", "fiscal_cost_cum"),
        source="status quo 300, action 1,500 (assumption)",
    ),
    Lever(
        name="p6_min_town_months",
        clause="P6",
        kind="count",
        unit="months of residence required to settle",
        status_quo=36.0,
        action=0.0,
        lo=0.0,
        hi=240.0,
        phase="settlement",
        mechanism="Residence requirement for settling in the county town.",
        indicators=("settled_households_cum", "hukou_urbanization_rate"),
        source="status quo 36 months (assumption); action 0 (the notice: remove restrictions)",
    ),
    Lever(
        name="p6_require_insurance",
        clause="P6",
        kind="switch",
        unit="0/1 employee insurance required",
        status_quo=1.0,
        action=0.0,
        lo=0.0,
        hi=1.0,
        phase="settlement",
        mechanism="Whether settling requires a worker enrolled in employee pension insurance.",
        indicators=("settled_households_cum",),
        source="status quo 1; action 0 (the notice)",
    ),
    Lever(
        name="p6_require_housing",
        clause="P6",
        kind="switch",
        unit="0/1 owned or affordable housing required",
        status_quo=1.0,
        action=0.0,
        lo=0.0,
        hi=1.0,
        phase="settlement",
        mechanism=(
            "Whether settling requires an owned home or an affordable unit in town (legal stable residence)."
        ),
        indicators=("settled_households_cum",),
        source="status quo 1; action 0 (the notice)",
    ),
    Lever(
        name="p6_require_stable_job",
        clause="P6",
        kind="switch",
        unit="0/1 stable job required",
        status_quo=1.0,
        action=0.0,
        lo=0.0,
        hi=1.0,
        phase="settlement",
        mechanism="Whether settling requires a worker with 12+ months in a county-town job.",
        indicators=("settled_households_cum",),
        source="status quo 1; action 0 (the notice: easy for the stably employed)",
    ),
    Lever(
        name="p6_land_rights_kept",
        clause="P6",
        kind="rate",
        unit="credibility that land rights are kept after settling",
        status_quo=0.5,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="settlement",
        mechanism=(
            "Guarantees that settled households keep land contract, homestead and collective income "
            "rights; lowers the land-rights cost of settling."
        ),
        indicators=("settled_households_cum", "hukou_urbanization_rate"),
        source="status quo 0.5, action 1 (central policy: rights may not be a condition of settlement)",
    ),
    # --- 2.5 Grassroots services and 3. working requirements -----------------------------
    Lever(
        name="g1_coordination",
        clause="G1",
        kind="switch",
        unit="0/1 county coordination body",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="calendar",
        mechanism=(
            "Without a coordination body every other lever takes effect late by "
            "behaviour.services.coordination_delay_months."
        ),
        indicators=("lever_delay_months",),
        source="status quo 0; action 1 (the notice)",
    ),
    Lever(
        name="g2_window_coverage",
        clause="G2",
        kind="rate",
        unit="share of townships and villages with one-stop windows",
        status_quo=0.3,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="services",
        mechanism="Service centres and one-stop windows raise awareness and take-up of every service.",
        indicators=("awareness_mean", "housing_waitlist", "settled_households_cum"),
        source="status quo 30 %, action 100 % (assumption)",
    ),
    Lever(
        name="g3_monitoring_coverage",
        clause="G3",
        kind="rate",
        unit="share of workers in the dynamic monitoring system",
        status_quo=0.3,
        action=0.9,
        lo=0.0,
        hi=1.0,
        phase="calendar",
        mechanism=(
            "Dynamic monitoring lets outreach find its targets: scales the effect of training "
            "outreach (S2) and PES reach (E5)."
        ),
        indicators=("training_person_times_poverty", "monitoring_coverage"),
        source="status quo 30 %, action 90 % (assumption)",
    ),
    Lever(
        name="g4_spring_warmth",
        clause="G4",
        kind="rate",
        unit="0-1 intensity of the Spring Warmth action",
        status_quo=0.3,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="services",
        mechanism=(
            "Around the Spring Festival: faster arrears resolution, job information and awareness for"
            " returning workers."
        ),
        indicators=("arrears_resolved_cum", "awareness_rights"),
        source="status quo 0.3, action 1 (assumption)",
    ),
    Lever(
        name="w1_joint_mechanism",
        clause="W1",
        kind="switch",
        unit="0/1 HRSS-led joint mechanism of the nine departments",
        status_quo=0.0,
        action=1.0,
        lo=0.0,
        hi=1.0,
        phase="rights",
        mechanism=(
            "A joint working mechanism strengthens enforcement: R1, R2 and R5 levers act 25 % more "
            "strongly (assumption)."
        ),
        indicators=("contract_rate", "arrears_open_cases"),
        source="status quo 0; action 1 (the notice)",
    ),
    Lever(
        name="w4_publicity",
        clause="W4",
        kind="rate",
        unit="0-1 publicity intensity",
        status_quo=0.2,
        action=0.8,
        lo=0.0,
        hi=1.0,
        phase="services",
        mechanism=(
            "Publicity in forms migrant workers like raises awareness of every service, which gates take-up."
        ),
        indicators=("awareness_mean",),
        source="status quo 0.2, action 0.8 (assumption)",
    ),
)
LEVERS_BY_NAME: dict[str, Lever] = {lever.name: lever for lever in LEVERS}
