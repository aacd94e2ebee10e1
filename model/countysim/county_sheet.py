"""A planner's own county: a short county sheet in, a scenario file out (``countysim county new``).

A **county sheet** holds the figures a county has at hand from its statistical yearbook (統計年鑑)
and its migrant-worker information system (農民工信息系統). It is a CSV file with the columns
``key,value,source`` (one figure a row; ``source`` says where it comes from and may be empty), or
a TOML file of ``key = value`` lines with an optional ``[sources]`` table of the same keys. The
keys are those of ``SHEET_KEYS`` (``countysim county keys`` prints them; ``docs/report.md`` and
``counties/README.md`` explain them); ``name``, ``hukou_population`` and ``migrant_workers`` are
required, every other key is optional.

:func:`make_scenario` turns a sheet into a scenario: every given figure is set, and everything
else comes from the national defaults (the scenario schema, ``countysim params``) **scaled by the
county's size**: the size factor is the county's migrant-worker households over the default
county's 110,000, and every count, capacity, county-wide cost and count lever of the default
(fields and levers marked ``scales``) is multiplied by it, as :meth:`Scenario.scaled` does; rates
and behaviour stay. :func:`scenario_toml` writes the scenario file with a comment on every number
saying whether it came from the sheet (its line and source) or how it was derived.

A bad sheet is refused whole with a :class:`CountySheetError` naming the file, the line and key,
the value and what is allowed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from countysim.parameters.base import did_you_mean, scaled_fields
from countysim.parameters.county import County
from countysim.policy.levers import LEVERS
from countysim.scenario import NO_VALUE, InputProblems, Scenario, ScenarioError, validate_dict

#: households of the default county, the denominator of the size factor
DEFAULT_HOUSEHOLDS = County().households.n
#: migrant workers per household in the default county: one, plus a second in p_two_workers of them
WORKERS_PER_HOUSEHOLD = 1 + County().households.p_two_workers
#: persons per migrant-worker household in the default county at 2023-01 (328,489 / 110,000, seed 20230112)
PERSONS_PER_HOUSEHOLD = 2.99
#: the mean incomes the default wages are calibrated to (NBS 2022, countysim/data/nbs_migrant_workers.csv)
NBS_LOCAL_WAGE, NBS_OUT_WAGE = 4026.0, 5240.0
#: jobs inside the county, and outside it, in ``county.workers.initial_jobs``
INSIDE_JOBS = ("none", "farm", "township", "county_formal", "county_flexible", "self_employed")
OUTSIDE_JOBS = ("outside_province", "other_province")
MAX_COUNT = 50_000_000


@dataclass(frozen=True)
class SheetKey:
    """One figure a county sheet may hold."""

    key: str
    kind: str  # "text", "count", "yuan", "year", "flag"
    unit: str
    zh: str
    en: str
    required: bool = False


SHEET_KEYS: tuple[SheetKey, ...] = (
    SheetKey("name", "text", "text", "县名", "county name", True),
    SheetKey("province", "text", "text", "所属省份", "province"),
    SheetKey("key_assisted", "flag", "yes/no", "是否国家乡村振兴重点帮扶县", "national key assisted county"),
    SheetKey("hukou_population", "count", "persons", "户籍人口", "hukou population", True),
    SheetKey("resident_population", "count", "persons", "常住人口", "resident population"),
    SheetKey("urban_resident_population", "count", "persons", "城镇常住人口", "urban (county-town) resident population"),
    SheetKey("town_hukou_population", "count", "persons", "城镇户籍人口", "persons with county-town hukou"),
    SheetKey("migrant_workers", "count", "persons", "农民工总量（信息系统登记）", "registered migrant workers", True),
    SheetKey("local_workers", "count", "persons", "县内就业农民工", "migrant workers working in the county"),
    SheetKey("out_workers", "count", "persons", "县外就业农民工", "migrant workers working outside the county"),
    SheetKey("cross_province_workers", "count", "persons", "跨省就业农民工", "migrant workers working in another province"),
    SheetKey("migrant_households", "count", "households", "农民工家庭户数", "migrant-worker households"),
    SheetKey("poverty_workers", "count", "persons", "脱贫劳动力（务工）", "poverty-alleviated migrant workers"),
    SheetKey("primary_seats_public", "count", "seats", "公办小学可供随迁子女学位", "public primary seats open to migrant children"),
    SheetKey("junior_seats_public", "count", "seats", "公办初中可供随迁子女学位", "public junior seats open to migrant children"),
    SheetKey("private_school_places", "count", "places", "民办义务教育学位", "private compulsory-school places"),
    SheetKey("purchased_places", "count", "places", "政府购买民办学位", "government-purchased private places"),
    SheetKey("affordable_units", "count", "units", "面向农民工的保障性租赁住房", "affordable rental units open to migrants"),
    SheetKey("affordable_units_per_year", "count", "units per year", "年新建保障性租赁住房", "affordable units built a year"),
    SheetKey("subsidised_training_places", "count", "places per year", "年度补贴性职业技能培训计划", "subsidised training places a year"),
    SheetKey("college_training_places", "count", "places per year", "职业院校短期培训能力", "vocational college short-course places a year"),
    SheetKey("enterprise_training_places", "count", "places per year", "企业培训能力", "in-firm training places a year"),
    SheetKey("park_places", "count", "firm places", "返乡创业园入驻名额", "returnee entrepreneurship-park places"),
    SheetKey("local_wage", "yuan", "yuan per month", "县内就业农民工月均收入", "mean monthly income of local migrant workers"),
    SheetKey("out_wage", "yuan", "yuan per month", "外出农民工月均收入", "mean monthly income of out-migrant workers"),
    SheetKey("wage_year", "year", "year", "收入数据年份", "year of the incomes"),
)  # fmt: skip
SHEET_KEYS_BY_NAME = {k.key: k for k in SHEET_KEYS}
REQUIRED = tuple(k.key for k in SHEET_KEYS if k.required)
TRUE, FALSE = ("yes", "true", "1", "是", "y"), ("no", "false", "0", "否", "n")


class CountySheetError(InputProblems):
    """A county sheet cannot be used. ``problems`` lists (file, line and key, value, message)."""

    subject = "county sheet"


@dataclass
class Figure:
    """One figure of a sheet: its value, where it is in the file and where it comes from."""

    key: str
    value: Any
    line: int
    source: str = ""

    @property
    def where(self) -> str:
        """How messages and comments name it: ``line 7, key``."""
        return f"line {self.line}, {self.key}" if self.line else self.key


@dataclass
class Sheet:
    """A read county sheet: its figures by key."""

    path: str
    figures: dict[str, Figure] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        """The value of ``key``, or ``None`` when the sheet does not give it."""
        fig = self.figures.get(key)
        return None if fig is None else fig.value


# -- reading ----------------------------------------------------------------------------------


def read_sheet(path: str | Path) -> Sheet:
    """Read and check a county sheet (CSV ``key,value,source`` or TOML).

    Raises:
        CountySheetError: every problem, each naming the file, the line and key, the value and
            what is allowed.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CountySheetError([(str(path), "(file)", NO_VALUE, f"cannot be read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start}); save the sheet as UTF-8"
        raise CountySheetError([(str(path), "(encoding)", NO_VALUE, msg)]) from None
    if path.suffix.lower() == ".toml":
        entries, problems = _toml_entries(text, str(path))
    elif path.suffix.lower() == ".csv":
        entries, problems = _csv_entries(text, str(path))
    else:
        msg = f"unknown kind of sheet {path.suffix or '(no extension)'!r}; allowed: .csv (key,value,source) or .toml"
        raise CountySheetError([(str(path), "(file)", NO_VALUE, msg)])
    sheet = Sheet(str(path))
    for key, value, line, source in entries:
        where = f"line {line}, {key}" if line else key
        if key not in SHEET_KEYS_BY_NAME:
            allowed = "unknown key; allowed: " + ", ".join(SHEET_KEYS_BY_NAME)
            problems.append(
                (str(path), where, NO_VALUE, allowed + did_you_mean(key, list(SHEET_KEYS_BY_NAME)))
            )
            continue
        if key in sheet.figures:
            first = sheet.figures[key].line
            problems.append(
                (str(path), where, value, f"given twice (also line {first}); give each figure once")
            )
            continue
        parsed, msg = _parse(SHEET_KEYS_BY_NAME[key], value)
        if msg:
            problems.append((str(path), where, value, msg))
            continue
        sheet.figures[key] = Figure(key, parsed, line, source)
    missing = [
        k for k in REQUIRED if k not in sheet.figures and not any(p[1].endswith(f", {k}") for p in problems)
    ]
    for key in missing:
        spec = SHEET_KEYS_BY_NAME[key]
        problems.append(
            (str(path), key, NO_VALUE, f"missing: a sheet must give {spec.en} ({spec.zh}) in {spec.unit}")
        )
    problems += _consistency(sheet)
    if problems:
        raise CountySheetError(problems)
    return sheet


def _csv_entries(text: str, source: str) -> tuple[list[tuple[str, Any, int, str]], list]:
    reader = csv.reader(io.StringIO(text))
    entries: list[tuple[str, Any, int, str]] = []
    problems: list = []
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:3]] not in (
        ["key", "value", "source"],
        ["key", "value"],
    ):
        got = ",".join(header or []) or "(empty file)"
        return [], [(source, "line 1", NO_VALUE, f"header must be key,value,source (got {got})")]
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2 or len(row) > 3:
            problems.append((source, f"line {line}", NO_VALUE,
                             f"{len(row)} cells; a row is key,value,source (quote a source that holds commas)"))  # fmt: skip
            continue
        key, value = row[0].strip(), row[1].strip()
        entries.append((key, value, line, row[2].strip() if len(row) > 2 else ""))
    return entries, problems


def _toml_entries(text: str, source: str) -> tuple[list[tuple[str, Any, int, str]], list]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [(source, "(syntax)", NO_VALUE, f"not valid TOML: {exc}")]
    sources = data.pop("sources", {})
    problems: list = []
    if not isinstance(sources, dict):
        problems.append(
            (source, "sources", sources, 'must be a table [sources] of key = "where it comes from"')
        )
        sources = {}
    lines = text.splitlines()

    def line_of(key: str, section: str | None = None) -> int:
        in_section = section is None
        for n, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                in_section = stripped.strip("[] ") == section if section else False
                continue
            if in_section and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*=", stripped):
                return n
        return 0

    entries = []
    for key, value in data.items():
        if isinstance(value, dict):
            problems.append((source, f"line {line_of(key)}, {key}" if line_of(key) else key, NO_VALUE,
                             "a sheet holds key = value lines and one [sources] table, not other tables"))  # fmt: skip
            continue
        src = sources.get(key, "")
        entries.append((key, value, line_of(key), src if isinstance(src, str) else str(src)))
    for key in sources:
        if key not in data and key in SHEET_KEYS_BY_NAME:
            n = line_of(key, "sources")
            problems.append((source, f"line {n}, sources.{key}" if n else f"sources.{key}", NO_VALUE,
                             "a source for a figure the sheet does not give"))  # fmt: skip
    return entries, problems


def _parse(spec: SheetKey, value: Any) -> tuple[Any, str]:
    """The value as its kind wants it, or a message saying what is allowed."""
    if spec.kind == "text":
        text = (
            str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
        )
        if not text:
            return None, "must be a non-empty text"
        if len(text) > 200 or any(not c.isprintable() for c in text):
            return None, "must be one line of at most 200 printable characters"
        return text, ""
    if spec.kind == "flag":
        if isinstance(value, bool):
            return value, ""
        text = str(value).strip().lower()
        if text in TRUE:
            return True, ""
        if text in FALSE:
            return False, ""
        return None, f"must be yes or no (allowed: {', '.join(TRUE)} / {', '.join(FALSE)})"
    number = _number(value)
    if number is None:
        return None, f"must be a number in {spec.unit}" + (
            " (digits, without units or words)" if isinstance(value, str) else ""
        )
    if spec.kind == "year":
        if number != int(number) or not 2000 <= number <= 2045:
            return None, "must be a year from 2000 to 2045"
        return int(number), ""
    if spec.kind == "yuan":
        if not 0 < number <= 1_000_000:
            return None, f"must be above 0 and at most 1,000,000 {spec.unit}"
        return float(number), ""
    if number != int(number) or not 0 <= number <= MAX_COUNT:
        return None, f"must be a whole number from 0 to {MAX_COUNT:,} ({spec.unit})"
    if spec.required and number == 0:
        return None, f"must be at least 1 ({spec.unit})"
    return int(number), ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            x = float(text)
        except ValueError:
            return None
        return x if math.isfinite(x) else None
    return None


def _consistency(sheet: Sheet) -> list:
    """Figures that contradict each other, each named by its line."""
    out = []
    fig = sheet.figures

    def bad(key: str, msg: str) -> None:
        out.append((sheet.path, fig[key].where, fig[key].value, msg))

    workers = sheet.get("migrant_workers")
    hukou = sheet.get("hukou_population")
    if workers and hukou and workers > hukou:
        bad(
            "migrant_workers",
            f"more migrant workers than the hukou population ({hukou:,}); allowed at most that",
        )
    local, out_w = sheet.get("local_workers"), sheet.get("out_workers")
    if workers:
        for key in ("local_workers", "out_workers", "poverty_workers"):
            if (v := sheet.get(key)) is not None and v > workers:
                bad(key, f"more than the migrant workers ({workers:,}); allowed at most that")
        if local is not None and out_w is not None and abs(local + out_w - workers) > 0.01 * workers:
            bad("out_workers", f"local_workers ({local:,}) + out_workers ({out_w:,}) = {local + out_w:,}, but "
                "migrant_workers is {workers:,}; they must add up (within 1 %), or give only one of them".replace(
                    "{workers:,}", f"{workers:,}"))  # fmt: skip
    cross = sheet.get("cross_province_workers")
    outside = out_w if out_w is not None else (workers - local if workers and local is not None else None)
    if cross is not None and outside is not None and cross > outside:
        bad(
            "cross_province_workers",
            f"more than the workers outside the county ({outside:,}); allowed at most that",
        )
    households = sheet.get("migrant_households")
    if households is not None and workers and not workers / 3 <= households <= workers:
        bad("migrant_households", f"{workers:,} migrant workers in {households:,} households: allowed 1 to 3 workers "
            f"a household ({math.ceil(workers / 3):,} to {workers:,} households)")  # fmt: skip
    if households == 0:
        bad("migrant_households", "must be at least 1")
    town_hukou = sheet.get("town_hukou_population")
    if town_hukou is not None and hukou and town_hukou > hukou:
        bad("town_hukou_population", f"more than the hukou population ({hukou:,}); allowed at most that")
    resident, urban = sheet.get("resident_population"), sheet.get("urban_resident_population")
    if urban is not None and resident is None:
        bad(
            "urban_resident_population",
            "needs resident_population too (the town's share of it is what is used)",
        )
    elif urban is not None and urban > resident:
        bad(
            "urban_resident_population",
            f"more than the resident population ({resident:,}); allowed at most that",
        )
    return out


# -- the scenario -----------------------------------------------------------------------------


@dataclass
class Setting:
    """One number of the made scenario and how it was made."""

    path: str  # dotted key path in the scenario (``county.schools.primary_seats``, ``levers.X``)
    value: Any
    how: str  # the comment written beside it


def _households(sheet: Sheet) -> tuple[int, str]:
    if (n := sheet.get("migrant_households")) is not None:
        return n, _given(sheet, "migrant_households")
    workers = sheet.get("migrant_workers")
    n = max(1, round(workers / WORKERS_PER_HOUSEHOLD))
    return n, (f"derived: migrant_workers {workers:,} / {WORKERS_PER_HOUSEHOLD:g} workers a household "
               f"(the default county's; {_given(sheet, 'migrant_workers')})")  # fmt: skip


def _given(sheet: Sheet, key: str) -> str:
    fig = sheet.figures[key]
    return f"sheet {fig.where}" + (f": {fig.source}" if fig.source else "")


def settings(sheet: Sheet) -> tuple[float, list[Setting]]:
    """The size factor and every number the county's scenario sets, each with how it was made."""
    defaults = County()
    households, how_households = _households(sheet)
    factor = households / DEFAULT_HOUSEHOLDS
    size = f"× {factor:.4g} (size factor: {households:,} households / the default county's {DEFAULT_HOUSEHOLDS:,})"
    out: dict[str, Setting] = {}

    def put(path: str, value: Any, how: str) -> None:
        out[path] = Setting(path, value, how)

    def given(path: str, key: str, convert: Callable[[Any], Any] = lambda v: v) -> bool:
        if key in sheet.figures:
            put(path, convert(sheet.get(key)), _given(sheet, key))
            return True
        return False

    given("county.name", "name")
    given("county.province", "province")
    if not given("county.key_assisted", "key_assisted"):
        put("county.key_assisted", False, "default: not a key assisted county (the sheet does not say)")
    given("county.hukou_population", "hukou_population")
    put("county.households.n", households, how_households)
    # every count and capacity of the default, scaled; the sheet's own figures replace them below
    for path in scaled_fields(County, "county."):
        if path in out:
            continue
        default = _value_at(defaults, path.removeprefix("county."))
        value = round(default * factor) if isinstance(default, int) else round(default * factor, 2)
        put(path, value, f"derived: default {default:,.10g} {size}")
    given("county.schools.primary_seats", "primary_seats_public")
    given("county.schools.junior_seats", "junior_seats_public")
    given("county.schools.private_places", "private_school_places")
    given("county.housing.affordable_units", "affordable_units")
    given("county.training.college_places_per_year", "college_training_places")
    given("county.training.enterprise_places_per_year", "enterprise_training_places")
    if given("county.enterprise.park_places", "park_places"):
        put("levers.e7_park_places", {"value": float(sheet.get("park_places"))},
            "status quo: " + _given(sheet, "park_places"))  # fmt: skip
    hukou = sheet.get("hukou_population")
    if not given("county.town.town_hukou_population", "town_hukou_population"):
        d = defaults.town
        value = round(hukou * d.town_hukou_population / defaults.hukou_population)
        put("county.town.town_hukou_population", value,
            f"derived: hukou_population {hukou:,} × {d.town_hukou_population:,} / {defaults.hukou_population:,} "
            "(the default county's county-town share of its hukou population)")  # fmt: skip
    _residents(sheet, households, put)
    _jobs(sheet, defaults, put)
    if (poor := sheet.get("poverty_workers")) is not None:
        put("county.workers.poverty_share", round(poor / sheet.get("migrant_workers"), 4),
            f"derived: poverty_workers {poor:,} / migrant_workers {sheet.get('migrant_workers'):,} "
            f"({_given(sheet, 'poverty_workers')})")  # fmt: skip
    lab = defaults.labour
    if (wage := sheet.get("local_wage")) is not None:
        r = wage / NBS_LOCAL_WAGE
        for name in ("wage_township", "wage_county"):
            put(f"county.labour.{name}", round(getattr(lab, name) * r),
                f"derived: default {getattr(lab, name):,.0f} × local_wage {wage:,.0f} / {NBS_LOCAL_WAGE:,.0f} (the NBS "
                f"local mean the default is calibrated to; {_given(sheet, 'local_wage')})")  # fmt: skip
    if (wage := sheet.get("out_wage")) is not None:
        r = wage / NBS_OUT_WAGE
        for name in ("wage_outside_province", "wage_other_province"):
            put(f"county.labour.{name}", round(getattr(lab, name) * r),
                f"derived: default {getattr(lab, name):,.0f} × out_wage {wage:,.0f} / {NBS_OUT_WAGE:,.0f} (the NBS "
                f"out-migrant mean the default is calibrated to; {_given(sheet, 'out_wage')})")  # fmt: skip
    given("county.labour.wage_reference_year", "wage_year")
    # the county's status-quo plans: count levers scale with the county unless the sheet gives them
    sheet_levers = {"s1_training_places_per_year": "subsidised_training_places",
                    "p3_units_per_year": "affordable_units_per_year", "p5_purchased_places": "purchased_places"}  # fmt: skip
    for lever in LEVERS:
        if not lever.scales or f"levers.{lever.name}" in out:
            continue
        key = sheet_levers.get(lever.name)
        if key is not None and key in sheet.figures:
            put(f"levers.{lever.name}", {"value": float(sheet.get(key))}, "status quo: " + _given(sheet, key))
        elif lever.status_quo:
            put(f"levers.{lever.name}", {"value": round(lever.status_quo * factor, 2)},
                f"status quo: default {lever.status_quo:,g} {size}")  # fmt: skip
    return factor, list(out.values())


def _value_at(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _residents(sheet: Sheet, households: int, put: Callable[[str, Any, str], None]) -> None:
    """The county's residents outside the migrant-worker households, from its resident population."""
    resident = sheet.get("resident_population")
    if resident is None:
        return  # the scaled defaults stand
    workers = sheet.get("migrant_workers")
    out_workers = sheet.get("out_workers")
    if out_workers is None:
        local = sheet.get("local_workers")
        jobs = County().workers.initial_jobs
        out_workers = (
            workers - local if local is not None else round(workers * sum(jobs[j] for j in OUTSIDE_JOBS))
        )
    members_home = round(households * PERSONS_PER_HOUSEHOLD - out_workers)
    others = resident - members_home
    fig = sheet.figures["resident_population"]
    if others < 0:
        raise CountySheetError([(sheet.path, fig.where, resident,
                                 f"fewer residents than the migrant-worker household members living in the county "
                                 f"(~{members_home:,}: {households:,} households × {PERSONS_PER_HOUSEHOLD} persons, less "
                                 f"{out_workers:,} working outside); check the figure or migrant_households")])  # fmt: skip
    d = County().town
    if (urban := sheet.get("urban_resident_population")) is not None:
        town_share, why = (
            urban / resident,
            f"urban_resident_population {urban:,} / resident_population {resident:,}",
        )
    else:
        total = d.town_residents_other + d.rural_residents_other
        town_share, why = d.town_residents_other / total, "the default county's split"
    base = (f"resident_population {resident:,} less ~{members_home:,} migrant-household members living in the county "
            f"({households:,} households × {PERSONS_PER_HOUSEHOLD} persons less {out_workers:,} working outside)")  # fmt: skip
    town = round(others * town_share)
    put(
        "county.town.town_residents_other",
        town,
        f"derived: {base} = {others:,}, × {town_share:.3f} in town ({why})",
    )
    put(
        "county.town.rural_residents_other",
        others - town,
        f"derived: the rest of the {others:,} ({_given(sheet, 'resident_population')})",
    )


def _jobs(sheet: Sheet, defaults: County, put: Callable[[str, Any, str], None]) -> None:
    """Where the county's migrant workers work at the start, from its local/out split."""
    workers, local, out_w = (sheet.get(k) for k in ("migrant_workers", "local_workers", "out_workers"))
    cross = sheet.get("cross_province_workers")
    if local is None and out_w is None and cross is None:
        return
    jobs = dict(defaults.workers.initial_jobs)
    inside, outside = sum(jobs[j] for j in INSIDE_JOBS), sum(jobs[j] for j in OUTSIDE_JOBS)
    share_out = (
        out_w / workers if out_w is not None else (1 - local / workers if local is not None else outside)
    )
    how = []
    if local is not None or out_w is not None:
        for j in INSIDE_JOBS:
            jobs[j] = jobs[j] * (1 - share_out) / inside
        for j in OUTSIDE_JOBS:
            jobs[j] = jobs[j] * share_out / outside if outside else share_out / len(OUTSIDE_JOBS)
        key = "out_workers" if out_w is not None else "local_workers"
        how.append(f"share outside the county {share_out:.3f} from {key} ({_given(sheet, key)}), each job's default "
                   "share kept within inside / outside")  # fmt: skip
    if cross is not None:
        total_out = share_out
        jobs["other_province"] = cross / workers
        jobs["outside_province"] = max(0.0, total_out - jobs["other_province"])
        how.append(
            f"other_province = cross_province_workers {cross:,} / migrant_workers ({_given(sheet, 'cross_province_workers')})"
        )
    rounded = {j: round(v, 4) for j, v in jobs.items()}
    biggest = max(rounded, key=rounded.get)
    rounded[biggest] = round(rounded[biggest] + 1 - sum(rounded.values()), 4)  # shares sum to 1 exactly
    put("county.workers.initial_jobs", rounded, "derived: " + "; ".join(how))


def make_scenario(sheet: Sheet, name: str | None = None) -> tuple[Scenario, float, list[Setting]]:
    """The county's scenario (status-quo policy), its size factor and what each number came from.

    Raises:
        CountySheetError: when a figure is outside what the scenario allows (naming the sheet's line).
    """
    factor, made = settings(sheet)
    data: dict[str, Any] = {
        "name": name or _slug(sheet.get("name")),
        "description": _description(sheet, factor),
    }
    for s in made:
        _set(data, s.path.split("."), s.value)
    try:
        scenario = validate_dict(data, source=sheet.path)
    except ScenarioError as exc:
        raise CountySheetError([_blame(sheet, made, p) for p in exc.problems]) from None
    return scenario, factor, made


def _blame(
    sheet: Sheet, made: list[Setting], problem: tuple[str, str, Any, str]
) -> tuple[str, str, Any, str]:
    """A scenario problem as a problem of the sheet's line that gave the number."""
    _, key, value, msg = problem
    setting = next((s for s in made if key == s.path or key.startswith(s.path + ".")), None)
    if setting is not None and setting.how.startswith(("sheet ", "status quo: sheet ")):
        where = setting.how.split("sheet ", 1)[1].split(":")[0]
        return (sheet.path, where, value, f"{msg} (it sets {key})")
    return (sheet.path, key, value, f"{msg} (derived: {setting.how if setting else 'from the defaults'})")


def _set(data: dict, keys: list[str], value: Any) -> None:
    for k in keys[:-1]:
        data = data.setdefault(k, {})
    data[keys[-1]] = value


def _slug(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip())


def _description(sheet: Sheet, factor: float) -> str:
    hukou = sheet.get("hukou_population")
    flag = ", key assisted county" if sheet.get("key_assisted") else ""
    return (f"{sheet.get('name')} (~{hukou:,} hukou population{flag}), status-quo policy: "
            f"figures from its county sheet, the rest the national defaults at {factor:.3g} × the default county's size.")  # fmt: skip


# -- writing ----------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(float(value)) if value != int(value) else f"{value:.1f}"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def scenario_toml(scenario: Scenario, factor: float, made: list[Setting], sheet: Sheet) -> str:
    """The scenario file's text: every number the county sets, each with a comment on how it was made."""
    lines = [
        f"# {sheet.get('name')}: the county's own scenario, made by `countysim county new {Path(sheet.path).name}`.",
        "# Numbers marked 'sheet' are the county's own figures (the sheet's line and source); every other",
        f"# number is the national default (`countysim params`) scaled by the size factor {factor:.4g}: the",
        f"# county's {scenario.county.households.n:,} migrant-worker households / the default county's "
        f"{DEFAULT_HOUSEHOLDS:,}.",
        "# Rates and behaviour are the defaults. A policy package for this county extends this file.",
        f"name = {_toml_value(scenario.name)}",
        f"description = {_toml_value(scenario.description)}",
        f"seed = {scenario.seed}",
        "",
        "[horizon]",
        f'start = "{scenario.horizon.start}"',
        f"months = {scenario.horizon.months}",
        "",
        "[population]",
        'source = "synthetic"',
    ]
    tables: dict[str, list[Setting]] = {}
    for s in made:
        table, _, key = s.path.rpartition(".")
        tables.setdefault(table, []).append(s)
    for table in sorted(tables, key=lambda t: (t.startswith("levers"), t.count("."), t)):
        lines += ["", f"[{table}]"]
        for s in tables[table]:
            key = s.path.rpartition(".")[2]
            lines.append(f"{key} = {_toml_value(s.value)}  # {s.how}")
    return "\n".join(lines) + "\n"


def new_county(sheet_path: str | Path, output: str | Path, name: str | None = None) -> tuple[Scenario, float]:
    """Read a county sheet and write its scenario file (checked by loading it back).

    Raises:
        CountySheetError: for a bad sheet; nothing is written.
    """
    from countysim.scenario import load

    sheet = read_sheet(sheet_path)
    scenario, factor, made = make_scenario(sheet, name)
    text = scenario_toml(scenario, factor, made, sheet)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    try:
        load(tmp)
    except ScenarioError:
        tmp.unlink()
        raise
    tmp.replace(out)
    return load(out), factor
