"""Build a county's population from a microdata file (clause G3).

A county can export its migrant-worker information system (農民工信息系統) as one row per
person, CSV or Parquet. The schema (``SCHEMA``; also in ``docs/microdata.md``):

=====================  ========  ===========================================================
column                 required  values
=====================  ========  ===========================================================
household_id           yes       any id, not blank; persons with the same id form a household,
                                 which needs at least one worker or elder
age                    yes       years, 0-110; workers 16 or more, children at most 25,
                                 elders 45 or more
sex                    yes       male / female
role                   yes       worker / child / elder (workers aged 16+)
person_id              no        any id, unique and not blank; without it, two rows of adults
                                 that agree in every column are taken for a repeated row
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
tenure_months          no        months in the current job, 0-720 and no longer than the
                                 person's working life since 16 (default 12)
wage_yuan_month        no        monthly income, yuan, 0-1,000,000; sets the person's wage effect
                                 so the wage equation reproduces it (default: drawn effect)
=====================  ========  ===========================================================

A CSV file may be UTF-8 (with or without a byte-order mark), GB18030/GBK (what Chinese
spreadsheet software often writes) or UTF-16 with a byte-order mark; ids, categories and flags
are read as text (an id keeps its leading zeros). Unknown columns are ignored (a system export
carries many).
Every problem of the file is reported at once, with the file, the column, the first offending
rows (1-based, as a spreadsheet shows them: the header is row 1; in a Parquet file, records
from 1), the bad values and what is allowed.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countysim.parameters.base import did_you_mean
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
SCHEMA = (
    *REQUIRED, "person_id", "education", "skill", *FLAGS, "job", "sector", "tenure_months", "wage_yuan_month",
)  # fmt: skip
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: columns read as text (ids keep leading zeros; categories and flags are matched as words)
TEXT_COLUMNS = ("household_id", "person_id", *CATEGORIES, *FLAGS)
#: the youngest worker and the latest entry: labour-market entry by education
#: (rules.demography.ENTRY_AGE_BY_EDU)
MIN_WORKER_AGE = int(demography.ENTRY_AGE_BY_EDU.min())
LATEST_ENTRY_AGE = int(demography.ENTRY_AGE_BY_EDU.max())
#: the oldest child: a few years past the latest entry (a late graduate); older is a coding error
MAX_CHILD_AGE = LATEST_ENTRY_AGE + 3
#: the youngest elder: the earliest age at which a worker leaves the labour market for good
MIN_ELDER_AGE = demography.EARLIEST_EXIT_AGE
#: how many offending rows and values a problem quotes
SHOWN = 5


class MicrodataError(ValueError):
    """A microdata file cannot be used.

    ``problems`` lists ``(where, message)``: ``where`` names the column and rows (or is
    empty for the file as a whole), ``message`` the bad values and what is allowed.
    """

    def __init__(self, path: str | Path, problems: list[tuple[str, str]]) -> None:
        self.path, self.problems = str(path), problems
        lines = [f"{where}: {msg}" if where else msg for where, msg in problems]
        if len(lines) == 1:
            text = f"{path}: {lines[0]}"
        else:
            text = f"{path}: {len(lines)} problems\n  " + "\n  ".join(lines)
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self.path, self.problems)


@dataclass(frozen=True)
class MicrodataTable:
    """A checked microdata file, as arrays of codes and numbers (one entry per row).

    Optional columns the file leaves out are ``None``.
    """

    path: Path
    household: np.ndarray  # household index, from 0 in order of first appearance
    n_households: int
    age: np.ndarray  # years (float)
    sex: np.ndarray
    role: np.ndarray
    education: np.ndarray
    skill: np.ndarray
    job: np.ndarray
    sector: np.ndarray | None  # index in SECTOR_NAMES[1:], -1 where blank
    poverty_alleviated: np.ndarray | None
    rural_craftsman: np.ndarray | None
    willing_to_train: np.ndarray | None
    tenure_months: np.ndarray | None
    wage_yuan_month: np.ndarray | None

    @property
    def n(self) -> int:
        """Number of persons (rows)."""
        return len(self.age)


# ----------------------------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------------------------
def _decode(raw: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (GBK).

    Raises:
        ValueError: naming the encodings tried, for bytes that are none of them.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ValueError(
            f"not text in UTF-8 or GB18030/GBK (byte {raw[first.start]:#04x} at position {first.start} "
            "is neither); export the file as CSV in UTF-8"
        ) from None


def _looks_like_text(raw: bytes) -> bool:
    try:
        _decode(raw[:4096])
    except ValueError:
        return False
    return b"\x00" not in raw[:4096]


def _scan_csv(text: str) -> tuple[list[str], list[int], list[int]]:
    """The header, the line where each record starts, and the lines of records longer than the header.

    Blank lines are skipped, as pandas skips them, so that a record's line is what a
    spreadsheet or an editor shows even after blank lines or values spanning lines.
    """
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    for record in reader:
        if record:
            header = record
            break
    lines: list[int] = []
    long_rows: list[int] = []
    last = reader.line_num
    for record in reader:
        if record:
            lines.append(last + 1)
            if len(record) > len(header):
                long_rows.append(last + 1)
        last = reader.line_num
    return header, lines, long_rows


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet microdata file (by suffix); ids, categories and flags as text.

    Raises:
        MicrodataError: as :func:`read_microdata`, for a file that cannot be read as a table.
    """
    return _read_frame(Path(path))[0]


def _read_frame(path: Path) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The table of a microdata file, and each CSV record's line in the file (``None``: Parquet).

    Raises:
        MicrodataError: for a missing, empty or unreadable file, a file whose contents are not
            what its suffix says, bad text, CSV rows that do not parse, or repeated column names.
    """
    path = Path(path)

    def fail(msg: str) -> MicrodataError:
        return MicrodataError(path, [("", msg)])

    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise fail(f"unknown microdata format {path.suffix!r}; allowed: .csv, .parquet (or .pq)")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such microdata file") from None
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read the microdata file: {exc}") from None
    if not raw.strip():
        raise fail(
            "the file is empty: no header, no rows; allowed: a header row naming the columns, then one row a person"
        )
    is_parquet = raw[:4] == b"PAR1"
    if kind == "parquet":
        if not is_parquet:
            looks = (
                "it looks like CSV text: rename it .csv"
                if _looks_like_text(raw)
                else "it has no PAR1 signature"
            )
            raise fail(f"not a Parquet file ({looks}); allowed: a Parquet file, or a CSV file named .csv")
        try:
            df = pd.read_parquet(io.BytesIO(raw))
        except Exception as exc:  # pyarrow raises its own errors for damaged files
            raise fail(f"cannot read it as Parquet: {exc}") from None
    else:
        if is_parquet:
            raise fail("this .csv file is a Parquet file (it starts with PAR1): rename it .parquet")
        try:
            text = _decode(raw)
        except ValueError as exc:
            raise fail(str(exc)) from None
        if "\x00" in text:
            raise fail(
                "the file holds NUL characters: it is not CSV text, or it is UTF-16 without a byte-order mark; "
                "allowed: UTF-8, GB18030/GBK, or UTF-16 with a byte-order mark"
            )
        try:
            header, lines, long_rows = _scan_csv(text)
        except csv.Error as exc:
            raise fail(f"cannot read it as CSV: {exc}") from None
        columns = [h.strip() for h in header]
        repeated = sorted({h for h in columns if h and columns.count(h) > 1})
        if repeated:
            raise fail(
                f"column(s) {', '.join(map(repr, repeated))} appear more than once in the header; each column once"
            )
        if long_rows:
            shown = ", ".join(map(str, long_rows[:SHOWN])) + (" …" if len(long_rows) > SHOWN else "")
            raise fail(
                f"rows {shown} (of {len(long_rows)}) have more fields than the header's {len(header)}; allowed: "
                "one field a column (quote a value that holds a comma)"
            )
        try:
            # numbers are parsed by pandas as ever; ids, categories and flags stay text
            df = pd.read_csv(
                io.StringIO(text), keep_default_na=False, na_values=[""], index_col=False,
                dtype={h: str for h in header if h.strip() in TEXT_COLUMNS},
            )  # fmt: skip
        except (ValueError, csv.Error) as exc:  # pandas' parser errors are ValueErrors
            raise fail(f"cannot read it as CSV: {str(exc).strip()}") from None
        df.columns = [str(col).strip() for col in df.columns]
        return df, (np.asarray(lines) if len(lines) == len(df) else None)
    df.columns = [str(col).strip() for col in df.columns]
    return df, None


# ----------------------------------------------------------------------------------------
# Checking the columns
# ----------------------------------------------------------------------------------------
class _Checker:
    """Collects every problem of a table: (where, message) with 1-based rows."""

    def __init__(self, path: Path, df: pd.DataFrame, csv_file: bool, lines: np.ndarray | None) -> None:
        self.path, self.df = path, df
        # a CSV row as a spreadsheet numbers it (the header is row 1); a Parquet record from 1
        self.numbers = lines if lines is not None else np.arange(len(df)) + (2 if csv_file else 1)
        self.word = "rows" if csv_file else "records"
        self.problems: list[tuple[str, str]] = []

    def text(self, column: str) -> pd.Series:
        """A column as stripped text (``<NA>`` where blank)."""
        s = self.df[column].astype("string").str.strip()
        return s.mask(s == "")

    def bad(self, column: str, rows: np.ndarray, values: list, allowed: str) -> None:
        """Record bad values of ``column`` at (0-based) ``rows``."""
        shown = ", ".join(str(self.numbers[r]) for r in rows[:SHOWN]) + (" …" if len(rows) > SHOWN else "")
        vals = ", ".join("(blank)" if v is None or v is pd.NA or v != v else repr(v) for v in values[:SHOWN])
        self.problems.append(
            (
                f"column {column!r}, {self.word} {shown} (of {len(rows)} bad)",
                f"values {vals}; allowed: {allowed}",
            )
        )

    def codes(self, column: str, default: str | None, blank_ok: bool = False) -> np.ndarray:
        """Category codes of a column (``-1`` for blanks where ``blank_ok``, and for bad values)."""
        names = CATEGORIES[column]
        if column not in self.df:
            return np.full(len(self.df), names.index(default), dtype=np.int8)
        s = self.text(column).str.lower()
        codes = s.map({name: i for i, name in enumerate(names)})
        ok = codes.notna().to_numpy() | (blank_ok & s.isna().to_numpy())
        bad = np.flatnonzero(~ok)
        if len(bad):
            self.bad(
                column,
                bad,
                self.text(column).iloc[bad].tolist(),
                " / ".join(names) + (" or blank" if blank_ok else ""),
            )
        return np.nan_to_num(codes.to_numpy(dtype=float, na_value=np.nan), nan=-1).astype(np.int8)

    def flag(self, column: str) -> np.ndarray | None:
        if column not in self.df:
            return None
        s = self.text(column).str.lower()
        truth = s.map({"true": 1, "1": 1, "yes": 1, "false": 0, "0": 0, "no": 0}).to_numpy(
            dtype=float, na_value=np.nan
        )
        bad = np.flatnonzero(np.isnan(truth))
        if len(bad):
            self.bad(column, bad, self.text(column).iloc[bad].tolist(), "true / false (or 1 / 0, yes / no)")
        return truth == 1

    def number(self, column: str, lo: float, hi: float) -> np.ndarray | None:
        if column not in self.df:
            return None
        col = self.df[column]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            col = pd.to_numeric(self.text(column).astype(object), errors="coerce")
        x = col.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = np.flatnonzero(~np.isfinite(x) | (x < lo) | (x > hi))
        if len(bad):
            self.bad(column, bad, self.df[column].iloc[bad].tolist(), f"numbers from {lo:g} to {hi:g}")
        return x

    def rule(self, column: str, rows: np.ndarray, allowed: str) -> None:
        """Record rows that break a rule across columns (the values shown are ``column``'s)."""
        if len(rows):
            col = self.df[column]
            shown = col if pd.api.types.is_numeric_dtype(col) else self.text(column)
            self.bad(column, rows, shown.iloc[rows].tolist(), allowed)


def read_microdata(path: str | Path) -> MicrodataTable:
    """Read and check a microdata file (schema in the module docstring).

    Raises:
        MicrodataError: listing every problem found, each naming the column, the rows, the bad
            values and what is allowed.
    """
    path = Path(path)
    df, lines = _read_frame(path)
    check = _Checker(path, df, SUFFIXES[path.suffix.lower()] == "csv", lines)
    missing = [col for col in REQUIRED if col not in df]
    if missing:
        hints = "".join(
            f"; for {col!r}{did_you_mean(col, [str(h) for h in df.columns]).removeprefix(';')}"
            for col in missing
            if did_you_mean(col, [str(h) for h in df.columns])
        )
        raise MicrodataError(
            path,
            [("", f"missing required column(s) {', '.join(missing)}; the file has "
                  f"{', '.join(map(str, df.columns)) or 'no columns'}{hints}; schema: {', '.join(SCHEMA)}")],
        )  # fmt: skip
    if len(df) == 0:
        raise MicrodataError(path, [("", "no rows: the file has a header but no persons")])

    ids = df["household_id"]
    blank_id = ids.isna().to_numpy() | (ids.astype("string").str.strip() == "").fillna(True).to_numpy()
    check.rule("household_id", np.flatnonzero(blank_id), "a household id (not blank)")
    textual = pd.api.types.is_string_dtype(ids) or ids.dtype == object
    hh_codes, hh_index = pd.factorize(ids.astype("string").str.strip() if textual else ids, sort=False)

    age = check.number("age", 0, 110)
    assert age is not None
    role = check.codes("role", None)
    with np.errstate(invalid="ignore"):
        check.rule("age", np.flatnonzero((role == c.WORKER) & (age < MIN_WORKER_AGE)),
                   f"{MIN_WORKER_AGE} or more for role = worker")  # fmt: skip
        check.rule("age", np.flatnonzero((role == c.CHILD) & (age > MAX_CHILD_AGE)),
                   f"0 to {MAX_CHILD_AGE} for role = child (children enter the labour force at "
                   f"{MIN_WORKER_AGE}-{LATEST_ENTRY_AGE} by education; an older person is a worker or an elder)")  # fmt: skip
        check.rule("age", np.flatnonzero((role == c.ELDER) & (age < MIN_ELDER_AGE)),
                   f"{MIN_ELDER_AGE} or more for role = elder (the earliest exit age from work)")  # fmt: skip
    sex = check.codes("sex", None)
    education = check.codes("education", "junior")
    skill = check.codes("skill", "none")
    flags = {column: check.flag(column) for column in FLAGS}
    job = check.codes("job", "none")
    check.rule("job", np.flatnonzero((role != c.WORKER) & (role >= 0) & (job != c.J_NONE) & (job >= 0)),
               "none for children and elders")  # fmt: skip
    sector = check.codes("sector", None, blank_ok=True) if "sector" in df else None
    tenure = check.number("tenure_months", 0, 720)
    if tenure is not None:
        with np.errstate(invalid="ignore"):
            longer = (job > c.J_NONE) & (tenure > (np.floor(age) - MIN_WORKER_AGE + 1) * 12)
        check.rule("tenure_months", np.flatnonzero(longer),
                   f"at most the months since the person turned {MIN_WORKER_AGE} (see column 'age')")  # fmt: skip
    wage = check.number("wage_yuan_month", 0, 1e6)

    # a household needs someone who is not a child: a worker or an elder
    if not np.any(blank_id):
        adult = pd.Series((role == c.WORKER) | (role == c.ELDER)).groupby(hh_codes).any().to_numpy()
        only_children = np.flatnonzero(~adult[hh_codes] & (role >= 0))
        check.rule(
            "household_id",
            only_children,
            "a household with at least one worker or elder (it has children only)",
        )
    if "person_id" in df:
        pid = check.text("person_id")
        check.rule("person_id", np.flatnonzero(pid.isna().to_numpy()), "a person id (not blank)")
        repeated = pid.duplicated(keep="first").to_numpy() & pid.notna().to_numpy()
        check.rule(
            "person_id", np.flatnonzero(repeated), "each person id once (these repeat an earlier row's)"
        )
    else:
        # twins make identical child rows; identical adults are a repeated export row
        same = (
            df.astype("string").fillna("").apply(lambda s: s.str.strip()).duplicated(keep="first").to_numpy()
        )
        check.rule("household_id", np.flatnonzero(same & (role != c.CHILD)),
                   "each person once (these rows repeat an earlier row in every column; if they are "
                   "different persons, add a person_id column)")  # fmt: skip
    if check.problems:
        raise MicrodataError(path, check.problems)
    return MicrodataTable(
        path=path, household=hh_codes.astype(np.int64), n_households=len(hh_index), age=age, sex=sex, role=role,
        education=education, skill=skill, job=job, sector=sector,
        poverty_alleviated=flags["poverty_alleviated"], rural_craftsman=flags["rural_craftsman"],
        willing_to_train=flags["willing_to_train"], tenure_months=tenure, wage_yuan_month=wage,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------
# Building the population
# ----------------------------------------------------------------------------------------
def load_microdata(path: str | Path, spec: Scenario, streams: Streams) -> Population:
    """Build a population from a microdata file (schema in the module docstring).

    Raises:
        MicrodataError: naming file, column, rows, values and what is allowed.
    """
    table = read_microdata(path)
    n = table.n
    role, job = table.role, table.job
    pop = Population(n, table.n_households)
    pop.hh[:] = table.household
    pop.age_m[:] = np.floor(table.age * 12).astype(np.int16)
    pop.sex[:] = table.sex
    pop.role[:] = role
    pop.edu[:] = table.education
    pop.skill[:] = table.skill
    for flag, target in ((table.poverty_alleviated, "poverty"), (table.rural_craftsman, "craftsman")):
        if flag is not None:
            getattr(pop, target)[:] = flag
    willing = table.willing_to_train
    u = lambda name: streams.uniform(f"microdata.{name}", -1, n)  # noqa: E731
    pop.willing[:] = willing if willing is not None else u("willing") < spec.county.workers.willing_to_train
    pop.job[:] = job
    pop.loc[:] = np.asarray(c.JOB_LOCATION, dtype=np.int8)[job]
    # sector: drawn from the hiring mix where the file leaves it blank
    mix = spec.behaviour.labour.sector_mix
    cum = np.cumsum([mix[s] for s in c.SECTOR_NAMES[1:]])
    sector = 1 + np.searchsorted(cum, u("sector") * cum[-1], side="right").clip(0, len(cum) - 1)
    if table.sector is not None:
        sector = np.where(table.sector >= 0, 1 + table.sector, sector)
    pop.sector[:] = np.where(job >= c.J_TOWNSHIP, sector, 0)
    tenure = table.tenure_months
    pop.tenure[:] = np.where(job != c.J_NONE, 12 if tenure is None else tenure, 0).astype(np.int16)
    entry = demography.ENTRY_AGE_BY_EDU[pop.edu]
    pop.entry_age_m[:] = np.where(role == c.CHILD, np.maximum(entry * 12, pop.age_m + 1), entry * 12)

    sd = spec.behaviour.labour.wage_person_sd
    z = np.sqrt(-2 * np.log(np.clip(u("wage_a"), 1e-12, 1))) * np.cos(2 * np.pi * u("wage_b"))
    pop.wage_effect[:] = (z * sd - sd**2 / 2).astype(np.float32)
    wage = table.wage_yuan_month
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
