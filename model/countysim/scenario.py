"""Scenario files: schema, loading with ``extends =`` inheritance, and validation.

A scenario is a TOML file with five parts (DESIGN.md, XLRM framing):

- ``[horizon]`` and ``seed``: when the run starts, how long it lasts, its root seed;
- ``[county]``: the county profile — what the county is, not what it decides;
- ``[behaviour.*]``: behavioural parameters — how people respond (uncertainties);
- ``[levers]``: the policy package — what the county decides, each with start and ramp;
- ``[population]``: where persons come from (synthesis or a microdata file).

``extends = "other.toml"`` (relative to the file) inherits everything and overrides what the
file sets, table by table, so a package differs from the baseline by a few lines.

Every error names the file that set the value, the key path, the value and what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from countysim.calendar import SPRING_FESTIVAL, month_label, parse_month
from countysim.policy.levers import LEVERS_BY_NAME

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


def P(default: Any, unit: str, source: str, ge: float | None = None, le: float | None = None):
    """A documented parameter: default, unit, source or assumption, and allowed range."""
    return Field(
        default,
        ge=ge,
        le=le,
        description=f"[{unit}] {source}",
        json_schema_extra={"unit": unit, "source": source},
    )


class Frozen(BaseModel):
    """Base of every scenario part: immutable, unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# ----------------------------------------------------------------------------------------
# Horizon
# ----------------------------------------------------------------------------------------
class Horizon(Frozen):
    """When the run starts and how many months it lasts."""

    start: str = P("2023-01", "YYYY-MM", "first simulated month; the notice is dated 2023-01-12")
    months: int = P(96, "months", "run length; 96 months covers 2023-2030", ge=1, le=360)

    @field_validator("start")
    @classmethod
    def _start_is_month(cls, v: str) -> str:
        absolute = parse_month(v)
        year = absolute // 12
        if year not in SPRING_FESTIVAL:
            raise ValueError(f"start year must lie in {min(SPRING_FESTIVAL)}-{max(SPRING_FESTIVAL)}")
        return v

    @model_validator(mode="after")
    def _end_in_calendar(self) -> Horizon:
        end_year = (parse_month(self.start) + self.months - 1) // 12
        if end_year not in SPRING_FESTIVAL:
            raise ValueError(f"horizon ends in {end_year}, beyond the calendar ({max(SPRING_FESTIVAL)})")
        return self

    @property
    def start_absolute(self) -> int:
        """Absolute month number of the start."""
        return parse_month(self.start)

    @property
    def end(self) -> str:
        """Label of the last month."""
        return month_label(self.start_absolute + self.months - 1)


# ----------------------------------------------------------------------------------------
# County profile
# ----------------------------------------------------------------------------------------
NBS = "NBS 2022 migrant worker monitoring survey (data/nbs_migrant_workers.csv)"


class Households(Frozen):
    """Composition of the county's migrant-worker households."""

    n: int = P(
        110_000, "households",
        "assumption: a labour-exporting county of ~620,000 hukou population with ~160,000 "
        "migrant workers (26 % of the hukou population; nationally 295.6 M migrant workers are "
        "~21 % of the 1.41 bn population, and labour-exporting counties run higher) in 1.45 "
        "workers a household",
        ge=1, le=5_000_000,
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
    children_dist: tuple[float, float, float, float] = P(
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
        60_000, "yuan per household", "assumption: rural household deposits, central China", ge=0
    )

    @field_validator("children_dist")
    @classmethod
    def _sums_to_one(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(p < 0 or p > 1 for p in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError("must be four shares in [0, 1] that sum to 1")
        return v


class Workers(Frozen):
    """Marginal distributions of the county's migrant workers (the labour force)."""

    age_band_edges: tuple[int, ...] = P(
        (16, 21, 31, 41, 51, 61, 66), "years (band edges)",
        "bands 16-20, 21-30, 31-40, 41-50, 51-60, 61-65",
    )  # fmt: skip
    age_band_shares: tuple[float, ...] = P(
        (0.02, 0.18, 0.27, 0.24, 0.21, 0.08), "share of workers",
        f"fitted to {NBS}: share 40 and under 47.0 %, over 50 29.2 %, mean age 42.3",
    )  # fmt: skip
    edu_shares: tuple[float, float, float, float, float] = P(
        (0.007, 0.134, 0.552, 0.170, 0.137), "share none/primary/junior/senior/college+", NBS
    )
    edu_age_correlation: float = P(
        -0.45, "Gaussian-copula correlation of age and education",
        "assumption: younger cohorts are better educated (NBS: college+ 18.7 % among out-"
        "migrants, who are younger, vs 9.1 % among local workers)", ge=-0.95, le=0.95,
    )  # fmt: skip
    skill_shares: tuple[float, float, float, float, float] = P(
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
    initial_jobs: dict[str, float] = P(
        {
            "none": 0.04, "farm": 0.06, "township": 0.13, "county_formal": 0.10,
            "county_flexible": 0.07, "self_employed": 0.05, "outside_province": 0.30,
            "other_province": 0.25,
        },
        "share of workers in each job at the start",
        "calibrated: out-of-county 55 % (NBS 2022 out-migrants are 58 % of migrant workers, "
        "of whom 41 % cross provinces; a labour-exporting county sends more out); 4 % without "
        "work",
    )  # fmt: skip

    @field_validator("age_band_shares", "edu_shares", "skill_shares")
    @classmethod
    def _shares(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(p < 0 or p > 1 for p in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError("must be shares in [0, 1] that sum to 1")
        return v

    @field_validator("initial_jobs")
    @classmethod
    def _jobs(cls, v: dict[str, float]) -> dict[str, float]:
        from countysim.population.codes import JOB_NAMES

        unknown = sorted(set(v) - set(JOB_NAMES))
        if unknown:
            raise ValueError(f"unknown job {unknown}; allowed: {', '.join(JOB_NAMES)}")
        if any(p < 0 or p > 1 for p in v.values()) or abs(sum(v.values()) - 1.0) > 1e-6:
            raise ValueError("must be shares in [0, 1] that sum to 1")
        return v

    @model_validator(mode="after")
    def _bands(self) -> Workers:
        e = self.age_band_edges
        if len(e) != len(self.age_band_shares) + 1 or list(e) != sorted(e) or e[0] < 16:
            raise ValueError(
                "age_band_edges must be increasing, start at 16 or above, and have one more "
                "entry than age_band_shares"
            )
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
        "county jobs", ge=0,
    )  # fmt: skip
    wage_county: float = P(
        3990, "yuan per month (2022)", "calibrated with wage_township to NBS 2022 local 4,026",
        ge=0,
    )  # fmt: skip
    rel_wage_flexible: float = P(
        0.92, "county flexible pay relative to formal", "assumption: no employer contributions, "
        "irregular hours", ge=0, le=2,
    )  # fmt: skip
    wage_outside_province: float = P(
        4620, "yuan per month (2022)",
        "calibrated so out-migrants average 5,240 (NBS 2022) over within- and cross-province",
        ge=0,
    )  # fmt: skip
    wage_other_province: float = P(
        5150, "yuan per month (2022)",
        "calibrated: cross-province out-migrants earn ~10 % more (NBS: eastern region wages)",
        ge=0,
    )  # fmt: skip
    income_self_employed: float = P(
        4300, "yuan per month (2022)", "assumption: between local wage and out-migrant wage", ge=0
    )
    income_farm: float = P(
        1300, "yuan per month",
        "assumption: rural per-capita net operating income (NBS 2022: 6,972 yuan/yr) for a "
        "working adult's farm work", ge=0,
    )  # fmt: skip
    wage_growth: float = P(
        0.04, "share per year (nominal)", "NBS: migrant-worker income +4.1 % in 2022", ge=-0.1,
        le=0.3,
    )  # fmt: skip
    wage_reference_year: int = P(2022, "year", "the year the wage levels refer to", ge=2000)


class Training(Frozen):
    """Training capacity of the county's providers outside the subsidised places."""

    enterprise_places_per_year: float = P(
        4000, "places per year", "assumption: in-firm training capacity of county enterprises",
        ge=0,
    )  # fmt: skip
    college_places_per_year: float = P(
        3000, "places per year",
        "assumption: the county vocational college's and technical school's short-course capacity",
        ge=0,
    )  # fmt: skip


class County(Frozen):
    """A county profile: what the county is."""

    name: str = P("Central labour-exporting county", "text", "display name")
    province: str = P("a central province", "text", "display name")
    hukou_population: int = P(
        620_000, "persons",
        "assumption: median county of Henan/Anhui/Hunan (500,000-1,200,000 hukou population)",
        ge=1,
    )  # fmt: skip
    key_assisted: bool = P(
        False, "flag", "national key assisted county for rural revitalisation (國家鄉村振興重點幫扶縣)"
    )
    households: Households = Households()
    workers: Workers = Workers()
    labour: Labour = Labour()
    training: Training = Training()


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
        "expected income = chance × pay (coefficient 1), chances as seen last month", ge=0, le=10,
    )  # fmt: skip
    choice_noise: float = P(1.0, "Gumbel scale", "assumption", ge=0.01, le=10)
    living_cost_outside: float = P(
        1300, "yuan per month",
        "extra cost of living away from home (rent, food); NBS 2022 out-migrants' monthly "
        "living costs ~1,700 vs ~400 at home (assumption from NBS consumption figures)", ge=0,
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
    sector_wage: dict[str, float] = P(
        {
            "manufacturing": 1.00, "construction": 1.16, "trade": 0.91, "transport": 1.12,
            "hotels_catering": 0.83, "services": 0.86, "other": 0.95,
        },
        "wage relative to manufacturing",
        "NBS 2022: construction 5,358, hotels & catering 3,824 vs manufacturing ~4,600",
    )  # fmt: skip
    sector_mix: dict[str, float] = P(
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

        unknown = sorted(set(v) - set(SECTOR_NAMES[1:]))
        missing = sorted(set(SECTOR_NAMES[1:]) - set(v))
        if unknown or missing:
            raise ValueError(
                f"sectors must be exactly {', '.join(SECTOR_NAMES[1:])}"
                + (f"; unknown {unknown}" if unknown else "")
                + (f"; missing {missing}" if missing else "")
            )
        if any(x < 0 for x in v.values()):
            raise ValueError("values must be non-negative")
        if info.field_name == "sector_mix" and abs(sum(v.values()) - 1) > 1e-6:
            raise ValueError("shares must sum to 1")
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


class Behaviour(Frozen):
    """Behavioural parameters: how people respond (the uncertainties)."""

    demography: DemographyBehaviour = DemographyBehaviour()
    labour: LabourBehaviour = LabourBehaviour()
    training: TrainingBehaviour = TrainingBehaviour()


# ----------------------------------------------------------------------------------------
# Levers
# ----------------------------------------------------------------------------------------
class LeverSetting(Frozen):
    """A lever's value in a package: reached from ``start`` over ``ramp_months``.

    Before ``start`` the lever is at ``from_value`` (default: its status quo); from
    ``start`` it moves linearly to ``value``, reaching it after ``ramp_months`` (0: at once).
    """

    value: float
    start: str | None = None
    ramp_months: int = Field(0, ge=0, le=360)
    from_value: float | None = Field(None, alias="from")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("start")
    @classmethod
    def _month(cls, v: str | None) -> str | None:
        if v is not None:
            parse_month(v)
        return v


class Population(Frozen):
    """Where the persons come from."""

    source: Literal["synthetic", "microdata"] = "synthetic"
    path: str | None = Field(
        None, description="microdata file (CSV or Parquet), relative to the scenario file"
    )

    @model_validator(mode="after")
    def _path(self) -> Population:
        if self.source == "microdata" and not self.path:
            raise ValueError("source = 'microdata' needs path = 'file.csv' or 'file.parquet'")
        return self


class Scenario(Frozen):
    """A validated, frozen scenario."""

    name: str = "unnamed"
    description: str = ""
    seed: int = Field(20230112, ge=0, le=2**63 - 1)
    horizon: Horizon = Horizon()
    county: County = County()
    behaviour: Behaviour = Behaviour()
    levers: dict[str, LeverSetting] = {}
    population: Population = Population()
    source_file: str | None = Field(None, exclude=True)

    @field_validator("levers", mode="before")
    @classmethod
    def _lever_shorthand(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {
                k: ({"value": x} if isinstance(x, int | float) and not isinstance(x, bool) else x)
                for k, x in v.items()
            }
        return v

    @model_validator(mode="after")
    def _check_levers(self) -> Scenario:
        start = self.horizon.start_absolute
        end = start + self.horizon.months - 1
        for name, setting in self.levers.items():
            lever = LEVERS_BY_NAME.get(name)
            if lever is None:
                raise _LeverError(
                    ("levers", name), name, f"unknown lever; allowed: {', '.join(LEVERS_BY_NAME)}"
                )
            for key, value in (("value", setting.value), ("from", setting.from_value)):
                if value is not None and not lever.lo <= value <= lever.hi:
                    raise _LeverError(
                        ("levers", name, key), value,
                        f"out of range for {name} ({lever.unit}); allowed {lever.lo} to {lever.hi}",
                    )  # fmt: skip
            if setting.start is not None and not start <= parse_month(setting.start) <= end:
                raise _LeverError(
                    ("levers", name, "start"), setting.start,
                    f"outside the horizon; allowed {self.horizon.start} to {self.horizon.end}",
                )  # fmt: skip
        return self

    def lever_value(self, name: str, t: int) -> float:
        """Value of lever ``name`` in month ``t`` (0-based from the horizon's start)."""
        lever = LEVERS_BY_NAME[name]
        setting = self.levers.get(name)
        if setting is None:
            return lever.status_quo
        base = lever.status_quo if setting.from_value is None else setting.from_value
        begin = 0 if setting.start is None else parse_month(setting.start) - self.horizon.start_absolute
        if t < begin:
            return base
        if setting.ramp_months == 0:
            return setting.value
        frac = min(1.0, (t - begin + 1) / setting.ramp_months)
        return base + (setting.value - base) * frac

    def content_hash(self) -> str:
        """Hash of everything that affects results (not name, description or seed)."""
        payload = self.model_dump(mode="json", exclude={"name", "description", "seed"}, by_alias=True)
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> str:
        """The resolved scenario as JSON (inheritance applied)."""
        return self.model_dump_json(by_alias=True)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with dotted key paths replaced and re-validated.

        ``scenario.replace(**{"levers.s1_training_places_per_year": 20000, "seed": 3})``.
        """
        data = self.model_dump(mode="python", by_alias=True)
        for path, value in changes.items():
            set_path(data, path.split("."), value)
        return validate_dict(data, source=self.source_file or "<replace>")


class _LeverError(ValueError):
    """Carries the key path of a lever problem out of the model validator."""

    def __init__(self, loc: tuple[str, ...], value: Any, msg: str) -> None:
        super().__init__(msg)
        self.loc, self.value, self.msg = loc, value, msg


# ----------------------------------------------------------------------------------------
# Loading and errors
# ----------------------------------------------------------------------------------------
class ScenarioError(ValueError):
    """A scenario file cannot be used. ``problems`` lists (file, key path, value, message)."""

    def __init__(self, problems: list[tuple[str, str, Any, str]]) -> None:
        self.problems = problems
        lines = [
            f"{file}: {key}" + ("" if value is _NO_VALUE else f" = {value!r}") + f": {msg}"
            for file, key, value, msg in problems
        ]
        super().__init__("invalid scenario:\n  " + "\n  ".join(lines))


_NO_VALUE = object()


def set_path(data: dict, keys: list[str], value: Any) -> None:
    """Set ``data[k1][k2]...`` creating tables on the way."""
    for k in keys[:-1]:
        data = data.setdefault(k, {})
        if not isinstance(data, dict):
            raise ValueError(f"{'.'.join(keys)}: {k} is not a table")
    data[keys[-1]] = value


def _merge(base: dict, over: dict, prov: dict, file: str, prefix: tuple = ()) -> dict:
    """Deep-merge ``over`` into a copy of ``base``; record which file set each key."""
    out = dict(base)
    for key, value in over.items():
        path = (*prefix, key)
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, prov, file, path)
        else:
            out[key] = value
        prov[path] = file
        if isinstance(value, dict):
            _mark(value, prov, file, path)
    return out


def _mark(tree: dict, prov: dict, file: str, prefix: tuple) -> None:
    for key, value in tree.items():
        prov[(*prefix, key)] = file
        if isinstance(value, dict):
            _mark(value, prov, file, (*prefix, key))


def _read_toml(path: Path, chain: tuple[Path, ...], prov: dict) -> dict:
    """Read a scenario file and everything it extends, merged, child over parent."""
    shown = str(path)
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError([(shown, "extends", _NO_VALUE, f"circular extends: {cycle}")])
    if not path.is_file():
        where = f"extended by {chain[-1]}" if chain else "scenario file"
        raise ScenarioError([(shown, "(file)", _NO_VALUE, f"no such file ({where})")])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([(shown, "(syntax)", _NO_VALUE, f"not valid TOML: {exc}")]) from None
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        base: dict = {}
    else:
        if not isinstance(parent_name, str):
            raise ScenarioError([(shown, "extends", parent_name, "must be a file name (string)")])
        parent = (path.parent / parent_name).resolve()
        base = _read_toml(parent, (*chain, path), prov)
    if "population" in raw and isinstance(raw["population"], dict) and "path" in raw["population"]:
        # microdata paths are relative to the file that names them
        raw["population"]["path"] = str((path.parent / raw["population"]["path"]).resolve())
    return _merge(base, raw, prov, shown)


def load(path: str | Path, **overrides: Any) -> Scenario:
    """Load, merge and validate a scenario file.

    Args:
        path: the TOML file.
        **overrides: dotted key paths to override after loading (``seed=7``,
            ``**{"horizon.months": 12}``).

    Raises:
        ScenarioError: with every problem found, each naming file, key path, value and rule.
    """
    path = Path(path).resolve()
    prov: dict[tuple, str] = {}
    data = _read_toml(path, (), prov)
    for dotted, value in overrides.items():
        set_path(data, dotted.split("."), value)
        prov[tuple(dotted.split("."))] = "(override)"
    return validate_dict(data, source=str(path), provenance=prov)


def validate_dict(data: dict, source: str = "<dict>", provenance: dict | None = None) -> Scenario:
    """Validate a scenario given as a (merged) dict."""
    prov = provenance or {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_problem(err, source, prov, data) for err in exc.errors()]) from None
    return scenario.model_copy(update={"source_file": source})


def _problem(err: dict, source: str, prov: dict, data: dict) -> tuple[str, str, Any, str]:
    ctx_err = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_err, _LeverError):
        loc, value, msg = ctx_err.loc, ctx_err.value, ctx_err.msg
    else:
        loc = tuple(str(p) for p in err["loc"])
        value = err.get("input", _NO_VALUE)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; allowed here: {', '.join(_allowed_keys(loc[:-1]))}"
        elif isinstance(value, dict):
            value = _NO_VALUE
    file = source
    for i in range(len(loc), 0, -1):
        if loc[:i] in prov:
            file = prov[loc[:i]]
            break
    return file, ".".join(loc) or "(top)", value, msg.removeprefix("Value error, ")


def _allowed_keys(loc: tuple[str, ...]) -> list[str]:
    """Field names allowed at a key path of the schema."""
    model: Any = Scenario
    for part in loc:
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = field.annotation
    fields = getattr(model, "model_fields", {})
    return [f.alias or n for n, f in fields.items() if n != "source_file"]


def parameter_table() -> list[dict[str, str]]:
    """Every documented parameter of the schema: key path, default, unit, range, source."""
    rows: list[dict[str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name}.")
                continue
            extra = field.json_schema_extra
            if not isinstance(extra, dict):
                continue
            bounds = {type(m).__name__: getattr(m, type(m).__name__.lower(), None) for m in field.metadata}
            lo, hi = bounds.get("Ge"), bounds.get("Le")
            rows.append({
                "key": prefix + name,
                "default": json.dumps(field.default, ensure_ascii=False) if not isinstance(field.default, str) else field.default,
                "unit": str(extra["unit"]),
                "range": "" if lo is None and hi is None else f"{'' if lo is None else lo} to {'' if hi is None else hi}",
                "source": str(extra["source"]),
            })  # fmt: skip

    walk(Scenario, "")
    return rows
