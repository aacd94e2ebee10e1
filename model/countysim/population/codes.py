"""Integer codes of the categorical person and household columns.

Codes are small integers so that state fits int8 columns; names are what files, tables and
microdata use. The order of each tuple is the code.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from countysim.backend import lookup

ROLE_NAMES = ("worker", "child", "elder")
WORKER, CHILD, ELDER = range(3)

SEX_NAMES = ("male", "female")
MALE, FEMALE = range(2)

EDU_NAMES = ("none", "primary", "junior", "senior", "college")

#: none / 初級 (level 5) / 中級 (level 4) / 高級工 (level 3) / 技師 and above (levels 2-1)
SKILL_NAMES = ("none", "basic", "intermediate", "senior", "technician")
SKILL_HIGH = 3  # 高級工 and above count as high-skilled (clause S3)

LOCATION_NAMES = ("village", "county_town", "outside_province", "other_province")
VILLAGE, COUNTY_TOWN, OUTSIDE_PROVINCE, OTHER_PROVINCE = range(4)

JOB_NAMES = (
    "none",
    "farm",
    "township",
    "county_formal",
    "county_flexible",
    "self_employed",
    "outside_province",
    "other_province",
)
(
    J_NONE,
    J_FARM,
    J_TOWNSHIP,
    J_COUNTY_FORMAL,
    J_COUNTY_FLEX,
    J_SELF,
    J_OUTSIDE_PROVINCE,
    J_OTHER_PROVINCE,
) = range(8)
#: jobs that count as non-farm employment (the NBS definition of a migrant worker's work)
NONFARM_JOBS = (J_TOWNSHIP, J_COUNTY_FORMAL, J_COUNTY_FLEX, J_SELF, J_OUTSIDE_PROVINCE, J_OTHER_PROVINCE)
#: jobs paid a wage by an employer: employees hold contracts and employer-linked insurance
WAGE_JOBS = (J_TOWNSHIP, J_COUNTY_FORMAL, J_COUNTY_FLEX, J_OUTSIDE_PROVINCE, J_OTHER_PROVINCE)
#: jobs inside the home township: "local" migrant work on the monitoring survey's definition
SURVEY_LOCAL_JOBS = (J_TOWNSHIP, J_SELF)
#: where each job is done
JOB_LOCATION = (
    VILLAGE,
    VILLAGE,
    VILLAGE,
    COUNTY_TOWN,
    COUNTY_TOWN,
    VILLAGE,
    OUTSIDE_PROVINCE,
    OTHER_PROVINCE,
)

SECTOR_NAMES = (
    "none",
    "manufacturing",
    "construction",
    "trade",
    "transport",
    "hotels_catering",
    "services",
    "other",
)

PROGRAMME_NAMES = ("none", "general", "advanced", "craftsman", "brand", "older", "young")
(P_NONE, P_GENERAL, P_ADVANCED, P_CRAFTSMAN, P_BRAND, P_OLDER, P_YOUNG) = range(7)

#: where a compulsory-age child goes to school (clauses P4, P5)
SCHOOL_NAMES = ("none", "county_public", "purchased_place", "private", "village", "with_parents_outside")
S_NONE, S_PUBLIC, S_PURCHASED, S_PRIVATE, S_VILLAGE, S_OUTSIDE = range(6)
#: schools in the county town: a public seat, a government-purchased place, a private school
TOWN_SCHOOLS = (S_PUBLIC, S_PURCHASED, S_PRIVATE)
#: school stage by age: primary 6-11, junior 12-14 (compulsory education)
STAGE_NAMES = ("none", "primary", "junior")
ST_NONE, ST_PRIMARY, ST_JUNIOR = range(3)

#: where a household lives (its base: where its dependants can live with a working parent)
RESIDENCE_NAMES = ("village", "county_town", "outside")
R_VILLAGE, R_TOWN, R_OUTSIDE = range(3)

#: a household's housing in the county town (clause P3); rural house when in the village
HOUSING_NAMES = ("rural_house", "rent", "dormitory", "affordable_unit", "owned")
H_RURAL, H_RENT, H_DORM, H_AFFORDABLE, H_OWNED = range(5)

HUKOU_NAMES = ("rural", "county_town")

#: services whose awareness gates take-up (clauses W4, G2, O5)
SERVICE_NAMES = ("employment", "training", "rights", "housing", "schooling", "settlement")
SV_EMPLOYMENT, SV_TRAINING, SV_RIGHTS, SV_HOUSING, SV_SCHOOLING, SV_SETTLEMENT = range(6)

#: social insurances (clause R2): employee pension, employee medical, unemployment, work injury
INSURANCE_NAMES = ("pension", "medical", "unemployment", "injury")


@lru_cache(maxsize=64)
def _table(codes: tuple[int, ...]) -> np.ndarray:
    table = np.zeros(128, dtype=bool)
    table[list(codes)] = True
    return table


def in_codes(values: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    """Whether each of ``values`` (small non-negative codes) is one of ``codes``.

    A table lookup in one compiled pass: much faster than ``np.isin`` on the hot path.
    """
    return lookup(_table(tuple(codes)), values)
