"""The policy levers: one or more per clause of the notice (人社部發〔2023〕8號).

A lever is a number the county decides. Its *status quo* is what the county does without
the action (the baseline); a scenario sets a ``value`` reached from a ``start`` month over
``ramp_months``. Levers hold no state and draw no random numbers: the phase named in
``phase`` reads the lever's current value and acts on it (DESIGN.md, "Policies are small
objects"). ``countysim levers`` prints this registry as the clause → lever → indicator table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lever:
    """A policy lever.

    Attributes:
        name: key in a scenario's ``[levers]`` table; prefixed with its clause ID.
        clause: POLICY_MAP clause ID the lever implements.
        unit: unit of the value.
        status_quo: value without the action (baseline), with its source or assumption.
        action: value a county implementing the action fully would set (used by
            ``full_action.toml``), an assumption stated in ``source``.
        lo: smallest allowed value.
        hi: largest allowed value.
        phase: the phase of the month that reads it.
        mechanism: what the lever does, in one sentence.
        indicators: indicators it moves.
        source: where ``status_quo`` and ``action`` come from.
    """

    name: str
    clause: str
    unit: str
    status_quo: float
    action: float
    lo: float
    hi: float
    phase: str
    mechanism: str
    indicators: tuple[str, ...]
    source: str


LEVERS: tuple[Lever, ...] = (
    # --- 2.1 Employment and entrepreneurship -------------------------------------------
    Lever(
        "e1_county_job_growth",
        "E1",
        "share of county-town jobs per year",
        0.02,
        0.05,
        -0.2,
        0.5,
        "labour",
        "Grows the county town's stock of formal and flexible jobs each month at this annual "
        "rate, which opens vacancies in the county market.",
        ("employed_rate", "local_employment_share", "county_vacancies"),
        "status quo: county non-farm employment growth of ~2 %/yr (assumption, in line with "
        "local migrant workers' growth of +2.4 %/yr 2020-2022, data/nbs_migrant_workers.csv); "
        "action: 5 %/yr (assumption: county industrial-park and job-creation plans)",
    ),
    Lever(
        "e1_rel_separation_county",
        "E1",
        "multiplier on county job separation hazard",
        1.0,
        0.85,
        0.3,
        2.0,
        "labour",
        "Retention measures (stabilisation subsidies, job-retention refunds) scale the monthly "
        "separation hazard of county-town jobs.",
        ("stable_employment_rate", "employed_rate"),
        "status quo 1 (no measure); action 0.85 (assumption: 15 % fewer quits under retention subsidies)",
    ),
    Lever(
        "e2_placements_per_year",
        "E2",
        "persons per year",
        0.0,
        1500.0,
        0.0,
        50000.0,
        "labour",
        "East-West labour cooperation places this many county searchers a year in jobs of the "
        "partner (eastern) province, spread evenly over the months.",
        ("out_migrant_share", "mean_monthly_income", "e2_placed_workers"),
        "status quo 0 (no organised placement); action 1,500/yr (assumption: ~1 % of the "
        "county's migrant workers a year)",
    ),
    Lever(
        "e2_wage_premium",
        "E2",
        "share of wage",
        0.0,
        0.08,
        0.0,
        0.5,
        "labour",
        "Placed workers earn this premium over an unorganised out-migrant job (screened "
        "employers, travel and settling-in support).",
        ("mean_monthly_income",),
        "assumption: 8 % premium for organised placement with partner-province employers",
    ),
    Lever(
        "e2_rel_separation",
        "E2",
        "multiplier on separation hazard of placed workers",
        1.0,
        0.7,
        0.3,
        2.0,
        "labour",
        "Follow-up services of the cooperation scale the monthly separation hazard of placed workers.",
        ("stable_employment_rate",),
        "assumption: organised placements with follow-up services cut quits by 30 %",
    ),
    Lever(
        "e3_brand_share",
        "E3",
        "share of training places",
        0.0,
        0.15,
        0.0,
        1.0,
        "training",
        "Share of training places given to county labour-brand (勞務品牌) programmes; their "
        "graduates carry the brand certificate.",
        ("brand_workers", "mean_monthly_income"),
        "status quo 0; action 15 % (assumption)",
    ),
    Lever(
        "e3_brand_wage_premium",
        "E3",
        "share of wage",
        0.10,
        0.10,
        0.0,
        0.5,
        "labour",
        "Wage premium of brand-certified workers (brand recognition by employers).",
        ("mean_monthly_income",),
        "assumption: 10 %, the order of premia reported for named labour brands",
    ),
    Lever(
        "e5_pes_village_coverage",
        "E5",
        "share of villages reached",
        0.4,
        0.9,
        0.0,
        1.0,
        "labour",
        "Public employment services reaching villages raise the matching efficiency of village "
        "job seekers in the county market in proportion to coverage.",
        ("employed_rate", "local_employment_share"),
        "status quo 40 % (assumption); action 90 % (the notice: services reach villages)",
    ),
    Lever(
        "e5_referrals_per_month",
        "E5",
        "referrals per month",
        200.0,
        600.0,
        0.0,
        20000.0,
        "labour",
        "Job referrals by the public employment service: searchers referred straight into open "
        "county vacancies each month, on top of ordinary matching.",
        ("employed_rate", "local_employment_share"),
        "status quo 200/month (assumption for a county PES office); action 600/month",
    ),
    Lever(
        "e6_campaign_intensity",
        "E6",
        "relative boost to matching",
        0.2,
        0.5,
        0.0,
        3.0,
        "labour",
        "Spring Breeze (春風行動) and other recruitment campaigns raise matching efficiency in "
        "the two months after the Spring Festival by this factor.",
        ("employed_rate", "hires"),
        "status quo 0.2 (campaigns already run every year); action 0.5 (assumption)",
    ),
    Lever(
        "e6_info_coverage",
        "E6",
        "share of searchers reached by job information",
        0.5,
        0.9,
        0.0,
        1.0,
        "labour",
        "A job-information release mechanism lowers search frictions: matching efficiency of "
        "all searchers rises in proportion to coverage.",
        ("employed_rate",),
        "status quo 50 % (assumption); action 90 %",
    ),
    # --- 2.2 Skills -----------------------------------------------------------------------
    Lever(
        "s1_training_places_per_year",
        "S1",
        "places per year",
        6000.0,
        15000.0,
        0.0,
        500000.0,
        "training",
        "Government-subsidised vocational training places offered each year; enrolment beyond "
        "them is rationed.",
        ("training_person_times", "high_skilled_workers", "mean_monthly_income"),
        "status quo 6,000/yr (assumption: ~4 % of the county's migrant workers); action "
        "15,000/yr (assumption: the action's large-scale training)",
    ),
    Lever(
        "s1_subsidy_yuan",
        "S1",
        "yuan per certified trainee",
        1000.0,
        1500.0,
        0.0,
        10000.0,
        "training",
        "Subsidy paid per certified trainee; a larger subsidy lowers the trainee's cost and raises "
        "the monthly application rate (elasticity in behaviour.training).",
        ("training_person_times", "training_subsidy_yuan_cum"),
        "status quo 1,000 yuan (level-4 subsidy, data/norms.csv); action 1,500 (level 3)",
    ),
    Lever(
        "s2_poverty_priority",
        "S2",
        "0 = none, 1 = full priority",
        0.0,
        1.0,
        0.0,
        1.0,
        "training",
        "Share of each month's places first offered to poverty-alleviated applicants "
        "(脫貧勞動力) before anyone else.",
        ("training_person_times_poverty", "poverty_willing_trained_share"),
        "status quo 0; action 1 (the notice: every willing poverty-alleviated worker trained)",
    ),
    Lever(
        "s2_outreach",
        "S2",
        "relative boost to application",
        0.0,
        1.0,
        0.0,
        5.0,
        "training",
        "Outreach to poverty-alleviated workers raises their monthly application rate by this factor.",
        ("training_person_times_poverty", "poverty_willing_trained_share"),
        "assumption: door-to-door outreach doubles application (action 1.0)",
    ),
    Lever(
        "s3_advanced_share",
        "S3",
        "share of training places",
        0.05,
        0.15,
        0.0,
        1.0,
        "training",
        "Share of places in advanced programmes that lift 中級 workers to 高級工 and 高級工 to 技師.",
        ("high_skilled_workers",),
        "status quo 5 %, action 15 % (assumption, towards the notice's 10,000 high-skilled workers)",
    ),
    Lever(
        "s3_craftsman_share",
        "S3",
        "share of training places",
        0.02,
        0.08,
        0.0,
        1.0,
        "training",
        "Share of places in rural craftsman (鄉村工匠) programmes; graduates become craftsmen.",
        ("rural_craftsmen",),
        "status quo 2 %, action 8 % (assumption)",
    ),
    Lever(
        "s4_pooling",
        "S4",
        "share of provider capacity pooled",
        0.2,
        0.8,
        0.0,
        1.0,
        "training",
        "County coordination pools this share of enterprise and vocational-college training "
        "capacity (county profile) into the county's training places.",
        ("training_person_times",),
        "status quo 20 % (assumption); action 80 %",
    ),
    Lever(
        "s5_older_programme_share",
        "S5",
        "share of training places",
        0.0,
        0.2,
        0.0,
        1.0,
        "training",
        "Share of places in programmes for older workers (大齡, 45+); dedicated programmes raise "
        "older workers' application and completion.",
        ("training_person_times", "training_person_times_45plus"),
        "status quo 0; action 20 % (assumption)",
    ),
    Lever(
        "s5_young_programme_share",
        "S5",
        "share of training places",
        0.0,
        0.2,
        0.0,
        1.0,
        "training",
        "Share of places in programmes for young workers (under 30); dedicated programmes raise "
        "their application and completion.",
        ("training_person_times", "training_person_times_under30"),
        "status quo 0; action 20 % (assumption)",
    ),
)

LEVERS_BY_NAME: dict[str, Lever] = {lever.name: lever for lever in LEVERS}
