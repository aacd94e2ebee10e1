"""Build a county's population from a microdata file (clause G3).

A county can export its migrant-worker information system (農民工信息系統) as one row per
person, CSV or Parquet. The schema (``SCHEMA``; also in ``docs/microdata.md``):

=====================  ========  ===========================================================
column                 required  values
=====================  ========  ===========================================================
household_id           yes       any id; persons with the same id form a household
age                    yes       years, 0-110
sex                    yes       male / female
role                   yes       worker / child / elder (workers aged 16+)
education              no        none / primary / junior / senior / college (default junior)
skill                  no        none / basic / intermediate / senior / technician (default none)
poverty_alleviated     no        true / false (default false) — 脫貧勞動力
rural_craftsman        no        true / false (default false)
willing_to_train       no        true / false (default: drawn at the profile's rate)
job                    no        none / farm / township / county_formal / county_flexible /
                                 self_employed / outside_province / other_province
                                 (default none; workers only)
sector                 no        manufacturing / construction / trade / transport /
                                 hotels_catering / services / other (blank: drawn from the
                                 hiring mix)
tenure_months          no        months in the current job, ≥ 0 (default 12)
wage_yuan_month        no        monthly income, yuan, ≥ 0; sets the person's wage effect so the
                                 wage equation reproduces it (default: drawn effect)
=====================  ========  ===========================================================

Unknown columns are ignored (a system export carries many). Every problem is reported with
the file, the column, the first offending rows (1-based, as a spreadsheet shows them), the bad
values and what is allowed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from countysim.population import codes as c
from countysim.population.state import Population
from countysim.rng import Streams
from countysim.rules import demography
from countysim.rules.labour import update_wages
from countysim.scenario import Scenario

CATEGORIES: dict[str, tuple[str, ...]] = {
    "sex": c.SEX_NAMES,
    "role": c.ROLE_NAMES,
    "education": c.EDU_NAMES,
    "skill": c.SKILL_NAMES,
    "job": c.JOB_NAMES,
    "sector": c.SECTOR_NAMES[1:],
}
FLAGS = ("poverty_alleviated", "rural_craftsman", "willing_to_train")
REQUIRED = ("household_id", "age", "sex", "role")
SCHEMA = (*REQUIRED, "education", "skill", *FLAGS, "job", "sector", "tenure_months", "wage_yuan_month")


class MicrodataError(ValueError):
    """A microdata file cannot be used; the message names file, column, rows and values."""


def _fail(path: Path, column: str, rows: np.ndarray, values: list, allowed: str) -> None:
    shown = ", ".join(str(r + 2) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    vals = ", ".join(repr(v) for v in values[:5])
    raise MicrodataError(
        f"{path}: column {column!r}, rows {shown} (of {len(rows)} bad): values {vals}; allowed: {allowed}"
    )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet microdata file (by suffix)."""
    path = Path(path)
    if not path.is_file():
        raise MicrodataError(f"{path}: no such microdata file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path)
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    raise MicrodataError(f"{path}: unknown microdata format {suffix!r}; allowed: .csv, .parquet")


def _codes(
    path: Path, df: pd.DataFrame, column: str, default: str | None, blank_ok: bool = False
) -> np.ndarray:
    """Category codes of a column; ``-1`` for blanks where ``blank_ok``."""
    names = CATEGORIES[column]
    if column not in df:
        return np.full(len(df), names.index(default), dtype=np.int8)
    s = df[column].astype("string").str.strip().str.lower()
    lookup = {name: i for i, name in enumerate(names)}
    codes = s.map(lookup)
    if blank_ok:
        codes = codes.mask(s.isna() | (s == ""), -1)
    bad = np.flatnonzero(codes.isna().to_numpy())
    if len(bad):
        _fail(path, column, bad, s.iloc[bad].tolist(), " / ".join(names))
    return codes.to_numpy(dtype=np.int8)


def _flag(path: Path, df: pd.DataFrame, column: str) -> np.ndarray | None:
    if column not in df:
        return None
    s = df[column].astype("string").str.strip().str.lower()
    truth = s.map({"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False})
    bad = np.flatnonzero(truth.isna().to_numpy())
    if len(bad):
        _fail(path, column, bad, s.iloc[bad].tolist(), "true / false (or 1 / 0, yes / no)")
    return truth.to_numpy(dtype=bool)


def _number(path: Path, df: pd.DataFrame, column: str, lo: float, hi: float) -> np.ndarray | None:
    if column not in df:
        return None
    x = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(x) | (x < lo) | (x > hi))
    if len(bad):
        _fail(path, column, bad, df[column].iloc[bad].tolist(), f"numbers from {lo} to {hi}")
    return x


def load_microdata(path: str | Path, spec: Scenario, streams: Streams) -> Population:
    """Build a population from a microdata file (schema in the module docstring).

    Raises:
        MicrodataError: naming file, column, rows, values and what is allowed.
    """
    path = Path(path)
    df = read_table(path)
    missing = [col for col in REQUIRED if col not in df]
    if missing:
        raise MicrodataError(
            f"{path}: missing required column(s) {', '.join(missing)}; the file has "
            f"{', '.join(map(str, df.columns))}; schema: {', '.join(SCHEMA)}"
        )
    if len(df) == 0:
        raise MicrodataError(f"{path}: no rows")
    age = _number(path, df, "age", 0, 110)
    role = _codes(path, df, "role", None)
    young = np.flatnonzero((role == c.WORKER) & (age < 16))
    if len(young):
        _fail(path, "age", young, df["age"].iloc[young].tolist(), "16 or more for role = worker")
    hh_codes, hh_index = pd.factorize(df["household_id"], sort=False)
    n = len(df)
    pop = Population(n, len(hh_index))
    pop.hh[:] = hh_codes
    pop.age_m[:] = np.floor(age * 12).astype(np.int16)
    pop.sex[:] = _codes(path, df, "sex", None)
    pop.role[:] = role
    pop.edu[:] = _codes(path, df, "education", "junior")
    pop.skill[:] = _codes(path, df, "skill", "none")
    for column, target in (("poverty_alleviated", "poverty"), ("rural_craftsman", "craftsman")):
        flag = _flag(path, df, column)
        if flag is not None:
            getattr(pop, target)[:] = flag
    willing = _flag(path, df, "willing_to_train")
    u = lambda name: streams.uniform(f"microdata.{name}", -1, n)  # noqa: E731
    pop.willing[:] = willing if willing is not None else u("willing") < spec.county.workers.willing_to_train
    job = _codes(path, df, "job", "none")
    not_worker = np.flatnonzero((role != c.WORKER) & (job != c.J_NONE))
    if len(not_worker):
        _fail(path, "job", not_worker, df["job"].iloc[not_worker].tolist(), "none for children and elders")
    pop.job[:] = job
    pop.loc[:] = np.asarray(c.JOB_LOCATION, dtype=np.int8)[job]
    # sector: drawn from the hiring mix where the file leaves it blank
    mix = spec.behaviour.labour.sector_mix
    cum = np.cumsum([mix[s] for s in c.SECTOR_NAMES[1:]])
    sector = 1 + np.searchsorted(cum, u("sector") * cum[-1], side="right").clip(0, len(cum) - 1)
    if "sector" in df:
        given = _codes(path, df, "sector", None, blank_ok=True)
        sector = np.where(given >= 0, 1 + given, sector)
    pop.sector[:] = np.where(job >= c.J_TOWNSHIP, sector, 0)
    tenure = _number(path, df, "tenure_months", 0, 720)
    pop.tenure[:] = np.where(job != c.J_NONE, 12 if tenure is None else tenure, 0).astype(np.int16)
    entry = demography.ENTRY_AGE_BY_EDU[pop.edu]
    pop.entry_age_m[:] = np.where(role == c.CHILD, np.maximum(entry * 12, pop.age_m + 1), entry * 12)

    sd = spec.behaviour.labour.wage_person_sd
    z = np.sqrt(-2 * np.log(np.clip(u("wage_a"), 1e-12, 1))) * np.cos(2 * np.pi * u("wage_b"))
    pop.wage_effect[:] = (z * sd - sd**2 / 2).astype(np.float32)
    wage = _number(path, df, "wage_yuan_month", 0, 1e6)
    levers = {"e3_brand_wage_premium": 0.0, "e2_wage_premium": 0.0}
    when = spec.horizon.start_absolute - 1
    if wage is not None:
        # back out the person effect that makes the wage equation give the reported wage
        pop.wage_effect[:] = 0.0
        update_wages(pop, spec.county.labour, spec.behaviour.labour, levers, when)
        fit = (wage > 0) & (pop.wage > 0) & (job >= c.J_TOWNSHIP)
        pop.wage_effect[fit] = np.log(wage[fit] / pop.wage[fit]).astype(np.float32)
    update_wages(pop, spec.county.labour, spec.behaviour.labour, levers, when)
    return pop
