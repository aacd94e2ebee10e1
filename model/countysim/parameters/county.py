"""The county profile: what the county is, not what it decides (``[county]``)."""

from __future__ import annotations

import itertools

from pydantic import field_validator, model_validator

from countysim.parameters.base import AgeEdge, Frozen, P, Problems, Share, check_names

# ----------------------------------------------------------------------------------------
# County profile
# ----------------------------------------------------------------------------------------
NBS = "NBS 2022 migrant worker monitoring survey (countysim/data/nbs_migrant_workers.csv)"


class Households(Frozen):
    """Composition of the county's migrant-worker households."""

    n: int = P(
        110_000, "households",
        "assumption: a labour-exporting county of ~620,000 hukou population with ~160,000 "
        "migrant workers (26 % of the hukou population; nationally 295.6 M migrant workers are "
        "~21 % of the 1.41 bn population, and labour-exporting counties run higher) in 1.45 "
        "workers a household",
        ge=1, le=5_000_000, scales=True,
    )  # fmt: skip
    p_two_workers: float = P(
        0.45, "share of households",
        "assumption: couples migrating or working together; gives a female share of workers "
        "near NBS 2021's 35.9 %", ge=0, le=1,
    )  # fmt: skip
    p_female_single_worker: float = P(
        0.12, "share of one-worker households", "assumption, with p_two_workers fits NBS female share",
        ge=0, le=1,
    )  # fmt: skip
    children_dist: tuple[Share, Share, Share, Share] = P(
        (0.48, 0.34, 0.15, 0.03), "share of households with 0/1/2/3 dependent children",
        "calibrated: ~0.47 children under 18 per migrant worker (7th census: ~138 M migrant and "
        "left-behind children for ~290 M migrant workers), i.e. ~0.73 per household",
    )  # fmt: skip
    p_elder: float = P(
        0.55, "share of households with a co-registered elder (60+)",
        "assumption: stem families are common in rural central China", ge=0, le=1,
    )  # fmt: skip
    p_two_elders: float = P(0.5, "share of elder households with two elders", "assumption", ge=0, le=1)
    mean_savings_yuan: float = P(
        60_000,
        "yuan per household",
        "assumption: rural household deposits, central China",
        ge=0,
        le=100_000_000,
    )

    @field_validator("children_dist")
    @classmethod
    def _sums_to_one(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"must be four shares in [0, 1] that sum to 1 (they sum to {sum(v):g})")
        return v


class Workers(Frozen):
    """Marginal distributions of the county's migrant workers (the labour force)."""

    age_band_edges: tuple[AgeEdge, ...] = P(
        (16, 21, 31, 41, 51, 61, 66), "years (band edges)",
        "bands 16-20, 21-30, 31-40, 41-50, 51-60, 61-65",
    )  # fmt: skip
    age_band_shares: tuple[Share, ...] = P(
        (0.02, 0.18, 0.27, 0.24, 0.21, 0.08), "share of workers",
        f"fitted to {NBS}: share 40 and under 47.0 %, over 50 29.2 %, mean age 42.3",
    )  # fmt: skip
    edu_shares: tuple[Share, Share, Share, Share, Share] = P(
        (0.007, 0.134, 0.552, 0.170, 0.137), "share none/primary/junior/senior/college+", NBS
    )
    edu_age_correlation: float = P(
        -0.45, "Gaussian-copula correlation of age and education",
        "assumption: younger cohorts are better educated (NBS: college+ 18.7 % among out-"
        "migrants, who are younger, vs 9.1 % among local workers)", ge=-0.95, le=0.95,
    )  # fmt: skip
    skill_shares: tuple[Share, Share, Share, Share, Share] = P(
        (0.66, 0.16, 0.11, 0.055, 0.015),
        "share none/初級/中級/高級工/技師+",
        "assumption: about a third of migrant workers hold a vocational certificate (MOHRSS "
        "statements); high-skilled (高級工+) about 7 %",
    )  # fmt: skip
    craftsman_share: float = P(0.01, "share of workers", "assumption: rural craftsmen", ge=0, le=1)
    poverty_share: float = P(
        0.12, "share of workers who are poverty-alleviated (脫貧勞動力)",
        "assumption: 32.7 M poverty-alleviated workers employed (MOHRSS 2022) / 295.6 M migrant "
        "workers = 11 %; central labour-exporting counties at or above that", ge=0, le=1,
    )  # fmt: skip
    willing_to_train: float = P(
        0.35, "share of workers willing to train",
        "assumption: surveys of migrant workers put training demand at 30-40 %", ge=0, le=1,
    )  # fmt: skip
    initial_jobs: dict[str, Share] = P(
        {
            "none": 0.04, "farm": 0.08, "township": 0.20, "county_formal": 0.10,
            "county_flexible": 0.06, "self_employed": 0.07, "outside_province": 0.21,
            "other_province": 0.24,
        },
        "share of workers in each job at the start",
        "calibrated to NBS 2022 on its definitions: 31 % of the county's migrant workers work inside "
        "their home township (nationally 41.9 %: a labour-exporting county sends more out), 39 % of "
        "those outside it cross the province (nationally 41.1 %; central provinces send more to the coast); "
        "4 % without work",
    )  # fmt: skip

    @field_validator("age_band_shares", "edu_shares", "skill_shares")
    @classmethod
    def _shares(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"must be shares in [0, 1] that sum to 1 (they sum to {sum(v):g})")
        return v

    @field_validator("initial_jobs")
    @classmethod
    def _jobs(cls, v: dict[str, float]) -> dict[str, float]:
        from countysim.population.codes import JOB_NAMES

        check_names(v, JOB_NAMES, "jobs")
        if abs(sum(v.values()) - 1.0) > 1e-6:
            raise ValueError(f"must be shares in [0, 1] that sum to 1 (they sum to {sum(v.values()):g})")
        return v

    @model_validator(mode="after")
    def _bands(self) -> Workers:
        e, shares = self.age_band_edges, self.age_band_shares
        rule = "allowed: whole years from 16 to 100, strictly increasing, one more than age_band_shares"
        items = []
        if len(e) != len(shares) + 1:
            items.append(f"{len(e)} edges for {len(shares)} shares; {rule}")
        if any(a >= b for a, b in itertools.pairwise(e)):
            items.append(f"edges must be strictly increasing (each band at least a year wide); {rule}")
        if items:
            raise Problems([(("age_band_edges",), e, msg, ()) for msg in items])
        return self


class Labour(Frozen):
    """The county's labour market and wage levels at the start."""

    county_jobs_per_employed: float = P(
        1.04, "county-town jobs per employed county worker at the start",
        "assumption: a 4 % vacancy rate in the county town", ge=1.0, le=2.0,
    )  # fmt: skip
    township_jobs_per_employed: float = P(
        1.03, "township non-farm jobs per employed township worker",
        "assumption: 3 % vacancy rate", ge=1.0, le=2.0,
    )  # fmt: skip
    township_job_growth: float = P(
        0.0, "share per year", "assumption: township non-farm jobs flat", ge=-0.2, le=0.5
    )
    wage_township: float = P(
        3570, "yuan per month (2022)",
        "calibrated so local migrant workers average 4,026 (NBS 2022) across township and "
        "county jobs", ge=0, le=1_000_000,
    )  # fmt: skip
    wage_county: float = P(
        3990, "yuan per month (2022)", "calibrated with wage_township to NBS 2022 local 4,026",
        ge=0, le=1_000_000,
    )  # fmt: skip
    rel_wage_flexible: float = P(
        0.92, "county flexible pay relative to formal", "assumption: no employer contributions, "
        "irregular hours", ge=0, le=2,
    )  # fmt: skip
    wage_outside_province: float = P(
        4620, "yuan per month (2022)",
        "calibrated so out-migrants average 5,240 (NBS 2022) over within- and cross-province",
        ge=0, le=1_000_000,
    )  # fmt: skip
    wage_other_province: float = P(
        5150, "yuan per month (2022)",
        "calibrated: cross-province out-migrants earn ~10 % more (NBS: eastern region wages)",
        ge=0, le=1_000_000,
    )  # fmt: skip
    income_self_employed: float = P(
        4300,
        "yuan per month (2022)",
        "assumption: between local wage and out-migrant wage",
        ge=0,
        le=1_000_000,
    )
    income_farm: float = P(
        1300, "yuan per month",
        "assumption: rural per-capita net operating income (NBS 2022: 6,972 yuan/yr) for a "
        "working adult's farm work", ge=0, le=1_000_000,
    )  # fmt: skip
    wage_growth: float = P(
        0.04, "share per year (nominal)", "NBS: migrant-worker income +4.1 % in 2022", ge=-0.1,
        le=0.3,
    )  # fmt: skip
    wage_reference_year: int = P(2022, "year", "the year the wage levels refer to", ge=2000, le=2045)


class Training(Frozen):
    """Training capacity of the county's providers outside the subsidised places."""

    enterprise_places_per_year: float = P(
        4000, "places per year", "assumption: in-firm training capacity of county enterprises",
        ge=0, le=10_000_000, scales=True,
    )  # fmt: skip
    college_places_per_year: float = P(
        3000, "places per year",
        "assumption: the county vocational college's and technical school's short-course capacity",
        ge=0, le=10_000_000, scales=True,
    )  # fmt: skip


class Town(Frozen):
    """The county town and the rest of the county outside the modelled households."""

    town_hukou_population: int = P(
        170_000, "persons with county-town hukou at the start",
        "assumption: hukou urbanization of ~27 % in a central labour-exporting county (national "
        "46.7 % in 2021, NDRC; counties well below)", ge=0, le=50_000_000, scales=True,
    )  # fmt: skip
    town_residents_other: int = P(
        200_000, "county-town residents outside the modelled households",
        "assumption: town hukou holders living in town plus residents from elsewhere", ge=0, le=50_000_000, scales=True,
    )  # fmt: skip
    rural_residents_other: int = P(
        90_000, "rural residents outside the modelled households",
        "assumption: farm households without migrant workers", ge=0, le=50_000_000, scales=True,
    )  # fmt: skip
    permit_months: int = P(
        6, "months", "a residence permit (居住證) after 6 months' residence (State Council 2015 "
        "Interim Regulation on Residence Permits)", ge=0, le=120,
    )  # fmt: skip


class Schools(Frozen):
    """County-town compulsory-education capacity open to children without town hukou (P4, P5)."""

    primary_seats: int = P(
        2_600, "public primary seats for migrant children at the start",
        "assumption: enough for ~80 % of migrant pupils in town (NBS 2021: 84.4 % of migrant "
        "primary pupils in public schools nationally)", ge=0, le=10_000_000, scales=True,
    )  # fmt: skip
    junior_seats: int = P(
        1_300, "public junior-secondary seats for migrant children at the start",
        "assumption, as primary_seats", ge=0, le=10_000_000, scales=True,
    )  # fmt: skip
    seat_plan_response: float = P(
        1.0, "share of the gap between the public-seat demand it expects next September (last September's, "
        "grown at the last year's pace) and its seats that the county plans to add, by stage",
        "calibrated: the county's status-quo seat plan follows demand closely enough that the share of town "
        "pupils in public schools holds or rises, as nationally (NBS: primary 83.4 % in 2019, 84.4 % in 2021); "
        "0 for a county whose seats lag", ge=0, le=2,
    )  # fmt: skip
    seat_plan_margin: float = P(
        0.05, "share above the public-seat demand it expects that the county's plan aims for",
        "assumption: a margin for the year's unforeseen arrivals",
        ge=0, le=1,
    )  # fmt: skip
    private_places: int = P(
        5_000,
        "fee-paying private school places in town",
        "assumption: ample",
        ge=0,
        le=10_000_000,
        scales=True,
    )


class Housing(Frozen):
    """The county town's housing for migrant households (P3)."""

    affordable_units: int = P(
        600, "affordable rental units open to migrant households at the start",
        "assumption: few units before the action; 保障性租賃住房 ≤ 70 m² (countysim/data/norms.csv)", ge=0, le=10_000_000, scales=True,
    )  # fmt: skip
    rent_yuan_month: float = P(
        900, "yuan per month for a 60 m² flat", "assumption: county-town market rent", ge=0, le=100_000
    )
    affordable_rent_yuan_month: float = P(
        450, "yuan per month", "assumption: affordable rent at ~50 % of market", ge=0, le=100_000
    )
    house_price_yuan: float = P(
        400_000,
        "yuan for a 90 m² flat",
        "assumption: ~4,500 yuan/m² in a central county town",
        ge=0,
        le=100_000_000,
    )
    down_payment_share: float = P(0.3, "share of price", "commercial mortgage rule", ge=0, le=1)
    mean_land_value_yuan: float = P(
        60_000,
        "yuan per household",
        "assumption: capitalised value of contracted land and homestead use",
        ge=0,
        le=100_000_000,
    )


class Enterprise(Frozen):
    """Returnee entrepreneurship infrastructure at the start (E7)."""

    park_places: int = P(
        30, "firm places in returnee entrepreneurship parks", "assumption", ge=0, le=1_000_000, scales=True
    )


class Costs(Frozen):
    """Unit costs for the county's fiscal account (P1, P2), yuan (2023 prices)."""

    primary_pupil_yuan_year: float = P(
        12_000,
        "yuan per public primary pupil a year",
        "MOE 2022: general public budget per primary pupil ~12,000",
        ge=0,
        le=10_000_000,
    )
    junior_pupil_yuan_year: float = P(
        17_000,
        "yuan per public junior pupil a year",
        "MOE 2022: ~17,000 per junior-secondary pupil",
        ge=0,
        le=10_000_000,
    )
    purchased_place_yuan_year: float = P(
        6_000,
        "yuan per government-purchased private place a year",
        "assumption: half the public cost",
        ge=0,
        le=10_000_000,
    )
    seat_build_yuan: float = P(
        30_000,
        "yuan per new public seat (capital)",
        "assumption: school building cost per pupil place",
        ge=0,
        le=10_000_000,
    )
    affordable_unit_build_yuan: float = P(
        150_000,
        "yuan of public money per affordable unit built",
        "assumption: land and construction subsidy",
        ge=0,
        le=10_000_000,
    )
    affordable_unit_yuan_month: float = P(
        150, "yuan per occupied affordable unit a month", "assumption: operating subsidy", ge=0, le=10_000_000
    )
    referral_yuan: float = P(300, "yuan per PES referral", "assumption", ge=0, le=10_000_000)
    pes_coverage_yuan_year: float = P(
        3_000_000,
        "yuan a year at full PES village coverage",
        "assumption: village service points",
        ge=0,
        le=10_000_000_000,
        scales=True,
    )
    placement_yuan: float = P(
        1_000, "yuan per East-West placement", "assumption: travel and organisation", ge=0, le=10_000_000
    )
    inspection_case_yuan: float = P(
        2_000, "yuan per inspected arrears case", "assumption", ge=0, le=10_000_000
    )
    legal_aid_case_yuan: float = P(
        3_000, "yuan per case handled with legal aid or arbitration", "assumption", ge=0, le=10_000_000
    )
    startup_support_yuan: float = P(
        15_000,
        "yuan per supported start-up (interest subsidy, guarantee losses, mentoring)",
        "assumption",
        ge=0,
        le=10_000_000,
    )
    park_place_yuan_year: float = P(20_000, "yuan per park place a year", "assumption", ge=0, le=10_000_000)
    window_yuan_year: float = P(
        2_000_000,
        "yuan a year for one-stop windows at full coverage",
        "assumption",
        ge=0,
        le=10_000_000_000,
        scales=True,
    )
    publicity_yuan_year: float = P(
        1_000_000, "yuan a year at full publicity", "assumption", ge=0, le=10_000_000_000, scales=True
    )
    monitoring_yuan_year: float = P(
        800_000, "yuan a year at full monitoring coverage", "assumption", ge=0, le=10_000_000_000, scales=True
    )
    coordination_yuan_year: float = P(
        300_000, "yuan a year for the coordination body", "assumption", ge=0, le=10_000_000_000, scales=True
    )
    spring_warmth_yuan: float = P(
        500_000,
        "yuan per Spring Warmth action at full intensity",
        "assumption",
        ge=0,
        le=10_000_000_000,
        scales=True,
    )
    service_standard_yuan_year: float = P(
        1_200, "yuan per resident migrant a year at the full basic public service standard",
        "assumption; DRC puts the public cost of citizenization at ~80,000 per person over a "
        "lifetime (countysim/data/norms.csv)", ge=0, le=10_000_000,
    )  # fmt: skip
    settlement_infrastructure_yuan: float = P(
        45_000, "yuan of public money per person settling in the county town, once (urban infrastructure, "
        "facilities and their upkeep)",
        "assumption: the largest item of published citizenization costs; with the other settlement items and "
        "schooling the committed cost per settled person is ~80,000-150,000 (DRC ~80,000, countysim/data/norms.csv)",
        ge=0, le=1_000_000,
    )  # fmt: skip
    settlement_housing_yuan: float = P(
        12_000, "yuan per person settling, once (housing security: public rental housing and subsidies)",
        "assumption: a share of settled households housed by the county (杜幗男 & 蔡繼明 2014 include it)",
        ge=0, le=1_000_000,
    )  # fmt: skip
    settlement_insurance_yuan_year: float = P(
        700, "yuan a year per settled person (subsidies to resident pension and medical insurance, urban terms)",
        "assumption: government subsidy of urban resident schemes beyond the rural ones", ge=0, le=100_000,
    )  # fmt: skip
    settlement_health_yuan_year: float = P(
        250, "yuan a year per settled person (public health services, medical assistance)",
        "assumption: basic public health service funding per resident and assistance", ge=0, le=100_000,
    )  # fmt: skip
    settlement_assistance_yuan_year: float = P(
        400, "yuan a year per settled person (urban minimum living allowance 低保 and other assistance)",
        "assumption: ~4 % of settled persons on an urban allowance of ~9,000 yuan a year, plus assistance",
        ge=0, le=100_000,
    )  # fmt: skip
    settlement_cost_years: int = P(
        20, "years", "years of yearly settlement costs counted in the committed cost per settled person",
        ge=1, le=80,
    )  # fmt: skip
    discount_rate: float = P(
        0.03,
        "per year",
        "assumption: social discount rate for the committed cost of settlement",
        ge=0,
        le=0.2,
    )
    central_reward_per_settled_yuan: float = P(
        2_000, "yuan the county receives per newly settled person from the central reward fund, once",
        "assumption: the central reward fund for citizenization (農業轉移人口市民化獎勵資金, a few tens of "
        "billions of yuan a year) shared by the persons settled nationally", ge=0, le=1_000_000,
    )  # fmt: skip


class County(Frozen):
    """A county profile: what the county is."""

    name: str = P("Central labour-exporting county", "text", "display name")
    province: str = P("a central province", "text", "display name")
    hukou_population: int = P(
        620_000, "persons",
        "assumption: median county of Henan/Anhui/Hunan (500,000-1,200,000 hukou population)",
        ge=1, le=50_000_000, scales=True,
    )  # fmt: skip
    key_assisted: bool = P(
        False, "flag", "national key assisted county for rural revitalisation (國家鄉村振興重點幫扶縣)"
    )
    households: Households = Households()
    workers: Workers = Workers()
    labour: Labour = Labour()
    training: Training = Training()
    town: Town = Town()
    schools: Schools = Schools()
    housing: Housing = Housing()
    enterprise: Enterprise = Enterprise()
    costs: Costs = Costs()
