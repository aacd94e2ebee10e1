"""Province files: the counties, the provincial packages, provincial levers and province targets.

A province file (``provinces/*.toml``) says which counties a province holds and which packages it
compares on all of them::

    name = "example5"                       # experiment name in the store: province:<name>
    description = "..."
    seed = 20230112                         # province seed: every county's seeds are spawned from it
    base = "../scenarios/baseline.toml"     # the scenario the table's rows change (relative to this file)
    table = "example5_counties.csv"         # optional: one row per county (see below)
    months = 36                             # optional: simulate only the first months
    scale = 0.1                             # optional: every county at this fraction of its size

    [[county]]                              # optional: a county given by its own scenario file
    name = "Pingyuan"
    scenario = "../scenarios/key_assisted_baseline.toml"
    key_assisted = true                     # default: the scenario's county.key_assisted
    [county.set]                            # optional: dotted scenario keys changed for this county
    "county.workers.poverty_share" = 0.25

    [[package]]                             # the first package is the reference of comparisons
    name = "status_quo"

    [[package]]
    name = "full_action"
    levers_from = "../scenarios/full_action.toml"   # optional: that scenario's [levers]
    [package.levers]                        # optional: lever settings on top (as in a scenario)
    s1_training_places_per_year = 12000
    [package.county."Pingyuan".levers]      # optional: per-county overrides, in that county's units
    p3_units_per_year = 300
    [[package.provincial]]                  # optional: a lever the province sets for every county
    lever = "s1_training_places_per_year"
    total = 400000                          # the province's total, in the lever's unit
    rule = "poverty_workers"                # equal | households | poverty_workers
    key_assisted_weight = 2.0               # optional: key assisted counties weigh this many times more
    [package.transfer_pool]                 # optional: a provincial transfer pool by settled persons
    yuan_per_year = 1.0e9                   # the pool, yuan a year (TransferPool)

    [[target]]                              # province targets: the targets-file format, plus
    id = "s3_poverty_training"              # counties = "all" | "key_assisted" (default "all")
    clause = "S3"
    indicator = "training_person_times_poverty"
    op = ">="
    value = 600000
    at = "2025-12"
    counties = "key_assisted"
    share_by = "equal"                      # how the target is shared among counties for the ranking

**County table.** A CSV file, one row per county, with the columns ``name`` (required, unique),
``households`` (required: migrant-worker households), ``key_assisted`` (``true``/``false``,
``1``/``0``; default false), and optionally ``hukou_population``, ``poverty_share`` (share of workers
who are poverty-alleviated), ``out_migration_share`` (share of workers working outside the county at
the start) and any dotted scenario key path (``county.labour.wage_county``). A row's scenario is the
base scenario scaled to the row's households (``Scenario.scaled``: capacities, populations and count
levers follow the county's size), then the row's columns set: ``out_migration_share`` rescales the
two outside jobs of ``county.workers.initial_jobs`` to sum to it and the jobs inside the county to
the rest, keeping the proportions within each.

**A county under a package.** The county's own scenario (its file with ``set``, or its row) keeps
its levers; the package's levers (``levers_from``, then ``levers``) replace the ones they name, each
lever counted in persons, places or cases (``Lever.scales``) multiplied by the county's households
over ``reference_households`` (default: the base scenario's, else 110,000: the size the lever values
are written for); then the package's per-county levers (not scaled); then the provincial levers.

**Provincial levers** are decided by the province, not the county: a pre-step, before any run, sets
each county's value of the lever to ``total × w_c / Σ w`` over the province's counties, where
``w_c`` is 1 (``equal``), the county's households (``households``) or its households times its
poverty share (``poverty_workers``: where the poverty-alleviated workers are), times
``key_assisted_weight`` for a key assisted county. So a provincial training fund of 400,000 places a
year is shared among the counties by the stated rule, and the sum over counties is the total.

**A provincial transfer pool** (``[package.transfer_pool]``) is also decided by the province:
``yuan_per_year`` is shared among the counties in proportion to their settled persons. Each
month a twelfth of it (times ``scale``: a province at a fraction of its size gets that fraction of
the pool) goes to the counties by their share of the province's ``settled_persons_cum`` at the
month's end. Nothing in a county's month reads its transfers back (the fiscal account only feeds
indicators), so the roll-up allocates the pool exactly, replication by replication and month by
month, after the runs (``countysim.province.rollup``); the runs do not depend on it.

**Seeds.** County ``c``'s replication ``r`` runs on a seed spawned from the province seed by the
county's name (``county_seeds``): the same for every package (common random numbers: packages pair
county by county), different between counties, and unchanged when counties are added or reordered.

Every problem of a file (and of its table) is reported at once in a :class:`ProvinceError` naming
the file, the key or row, the value and what is allowed; nothing runs before the file is valid.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from countysim.assessment import Target, TargetsError, parse_targets
from countysim.parameters.base import NO_VALUE, P, did_you_mean
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.scenario import (
    InputProblems,
    LeverSetting,
    Scenario,
    ScenarioError,
    TomlFileError,
    read_toml,
)
from countysim.scenario import load as load_scenario

#: the largest seed (runs are stored with 64-bit signed seeds)
MAX_SEED = 2**63 - 1
#: the longest province name: the store keeps 200 characters for the experiment ``province:<name>``
MAX_NAME = 180
#: households the package lever values are written for when the file names no base scenario
DEFAULT_REFERENCE_HOUSEHOLDS = 110_000
#: the largest provincial transfer pool, yuan per year (1,000 亿元: more than the central reward fund)
POOL_MAX_YUAN = 1e12
#: how a provincial lever's total is shared among the counties
RULES = ("equal", "households", "poverty_workers")
#: which counties a province target totals
SCOPES = ("all", "key_assisted")
#: keys of a province file and what each holds
KEYS = {
    "name": "a name of 1 to 180 printable characters",
    "description": "a string",
    "seed": f"a whole number from 0 to {MAX_SEED}",
    "base": "a scenario file, relative to the province file",
    "table": "a CSV file of counties, relative to the province file",
    "months": "a whole number from 1 to 360",
    "scale": "a number in (0, 100]",
    "reference_households": "a whole number from 1 (households the package lever values are for)",
    "county": "an array of [[county]] tables",
    "package": "an array of [[package]] tables",
    "target": "an array of [[target]] tables",
}
COUNTY_KEYS = {
    "name": "the county's name (unique in the province)",
    "scenario": "its scenario file, relative to the province file",
    "key_assisted": "true or false",
    "set": "a table of dotted scenario key paths and values",
}
PACKAGE_KEYS = {
    "name": "the package's name (unique in the file)",
    "description": "a string",
    "levers_from": "a scenario file whose [levers] the package takes",
    "levers": "a table of lever settings (as in a scenario's [levers])",
    "county": "a table of county name = { levers = {...} }",
    "provincial": "an array of [[package.provincial]] tables",
    "transfer_pool": "a table: yuan_per_year = the province's pool shared by settled persons",
}
PROVINCIAL_KEYS = {
    "lever": "a lever counted in persons, places or cases (`countysim levers`: scales yes)",
    "total": "the province's total, a number from 0",
    "rule": f"one of {', '.join(RULES)}",
    "key_assisted_weight": "a number from 0 (default 1)",
}
TARGET_EXTRA = {"counties": f"one of {', '.join(SCOPES)}", "share_by": f"one of {', '.join(RULES)}"}
#: columns of a county table with a meaning of their own (any other is a dotted scenario key path)
TABLE_COLUMNS = ("name", "households", "key_assisted", "hukou_population", "poverty_share",
                 "out_migration_share")  # fmt: skip
OUTSIDE_JOBS = ("outside_province", "other_province")


class ProvinceError(InputProblems):
    """A province file cannot be used. ``problems`` lists (file, key or row, value, message)."""

    subject = "province"


@dataclass(frozen=True)
class ProvincialLever:
    """A lever the province sets for every county: its total shared by a rule."""

    lever: str
    total: float
    rule: str = "equal"
    key_assisted_weight: float = 1.0


class TransferPool(BaseModel):
    """A provincial transfer pool shared among the counties by their settled persons (clause P2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    yuan_per_year: float = P(
        0.0, "yuan per year",
        "the province's decision (no default pool): e.g. its share of the central reward fund for "
        "citizenizing agricultural migrants (農業轉移人口市民化獎勵資金) with its own matching; the shipped "
        "provinces' figures are assumptions",
        ge=0, le=POOL_MAX_YUAN,
    )  # fmt: skip


@dataclass(frozen=True)
class Package:
    """A provincial package: lever settings for every county, per-county overrides, provincial levers."""

    name: str
    description: str = ""
    levers: dict[str, dict] = field(default_factory=dict)
    county_levers: dict[str, dict[str, dict]] = field(default_factory=dict)
    provincial: tuple[ProvincialLever, ...] = ()
    transfer_pool: TransferPool | None = None


@dataclass(frozen=True)
class County:
    """A county of the province: its scenario (without any package) and whether it is key assisted."""

    name: str
    scenario: Scenario
    key_assisted: bool

    @property
    def households(self) -> int:
        """Migrant-worker households of the county at full size."""
        return int(self.scenario.county.households.n)


@dataclass(frozen=True)
class ProvinceTarget:
    """A province target: a ``Target`` over all or the key assisted counties."""

    target: Target
    counties: str = "all"
    share_by: str = "equal"


@dataclass(frozen=True)
class Province:
    """A validated province file."""

    name: str
    description: str
    seed: int
    counties: tuple[County, ...]
    packages: tuple[Package, ...]
    targets: tuple[ProvinceTarget, ...] = ()
    months: int | None = None
    scale: float | None = None
    reference_households: int = DEFAULT_REFERENCE_HOUSEHOLDS
    source_file: str = ""

    @property
    def experiment(self) -> str:
        """The store experiment of the province's runs."""
        return f"province:{self.name}"

    @property
    def key_assisted(self) -> tuple[str, ...]:
        """Names of the key assisted counties."""
        return tuple(c.name for c in self.counties if c.key_assisted)

    def package(self, name: str) -> Package:
        """The package called ``name``.

        Raises:
            KeyError: naming the packages there are.
        """
        for p in self.packages:
            if p.name == name:
                return p
        raise KeyError(f"no package {name!r} in province {self.name!r}; packages: "
                       f"{', '.join(p.name for p in self.packages)}")  # fmt: skip

    def county_scenario(self, county: County, package: Package) -> Scenario:
        """The scenario of ``county`` under ``package``: levers, provincial levers, horizon, scale.

        Raises:
            ProvinceError: if the county's scenario is invalid under the package (a lever out of
                range), naming the county, the package and the problem.
        """
        levers = {k: v.model_dump(by_alias=True) for k, v in county.scenario.levers.items()}
        factor = county.households / self.reference_households
        for name, setting in package.levers.items():
            levers[name] = _scaled_setting(name, setting, factor)
        for name, setting in package.county_levers.get(county.name, {}).items():
            levers[name] = dict(setting)
        for prov in package.provincial:
            value = self.provincial_share(prov, county)
            levers[prov.lever] = {**levers.get(prov.lever, {}), "value": value}
        changes: dict[str, Any] = {"levers": levers, "name": f"{county.name}@{package.name}"}
        if self.months is not None:
            changes["horizon.months"] = self.months
        where = f"county {county.name!r} under package {package.name!r}"
        try:
            scenario = county.scenario.replace(**changes)
            if self.scale is not None:
                scenario = scenario.scaled(self.scale)
        except ScenarioError as exc:
            raise ProvinceError(
                [(self.source_file, f"{where}: {key}", value, msg) for _, key, value, msg in exc.problems]
            ) from None
        except ValueError as exc:
            raise ProvinceError([(self.source_file, where, NO_VALUE, str(exc))]) from None
        return scenario

    def weight(self, rule: str, county: County, key_assisted_weight: float = 1.0) -> float:
        """A county's weight under a sharing rule (``RULES``)."""
        if rule == "equal":
            w = 1.0
        elif rule == "households":
            w = float(county.households)
        else:
            w = county.households * float(county.scenario.county.workers.poverty_share)
        return w * (key_assisted_weight if county.key_assisted else 1.0)

    def provincial_share(self, prov: ProvincialLever, county: County) -> float:
        """The value of a provincial lever in ``county``: its total times the county's weight share."""
        weights = [self.weight(prov.rule, c, prov.key_assisted_weight) for c in self.counties]
        total = math.fsum(weights)
        w = self.weight(prov.rule, county, prov.key_assisted_weight)
        return prov.total * w / total if total > 0 else 0.0

    def pool_month_yuan(self, package: Package) -> float:
        """The package's transfer pool paid out in a month, yuan: a twelfth of the year's, times ``scale``."""
        if package.transfer_pool is None:
            return 0.0
        return package.transfer_pool.yuan_per_year / 12 * (1.0 if self.scale is None else self.scale)

    def seeds(self, county: County | str, reps: int, seed: int | None = None) -> list[int]:
        """The seeds of a county's replications 0 .. reps - 1 (``county_seeds``)."""
        name = county if isinstance(county, str) else county.name
        return county_seeds(self.seed if seed is None else seed, name, reps)


def county_seeds(province_seed: int, county: str, reps: int) -> list[int]:
    """Seeds of a county's replications, spawned from the province seed.

    Replication ``r`` of county ``county`` uses the first 63 bits of
    ``numpy.random.SeedSequence(province_seed, spawn_key=(len(b), *b, r))`` where ``b`` is the
    county name's UTF-8 bytes: a child sequence of the province seed keyed by the county (the
    length first, so no two names give the same key) and the replication. The same for every
    package, so packages pair county by county; one county's seeds do not depend on the others.
    """
    key = tuple(county.encode("utf-8"))
    return [
        int(np.random.SeedSequence(int(province_seed), spawn_key=(len(key), *key, r)).generate_state(
            1, np.uint64)[0] >> np.uint64(1))
        for r in range(reps)
    ]  # fmt: skip


def _scaled_setting(name: str, setting: dict, factor: float) -> dict:
    """A lever setting for a county ``factor`` times the reference size (count levers scale)."""
    lever = LEVERS_BY_NAME[name]
    if not lever.scales:
        return dict(setting)
    out = dict(setting)
    out["value"] = setting["value"] * factor
    base = setting.get("from")
    out["from"] = (lever.status_quo if base is None else base) * factor
    return out


# ----------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------
class _Problems:
    """Collects (file, key, value, message) problems of one province file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[tuple[str, str, Any, str]] = []

    def add(self, key: str, value: Any, msg: str, file: str | None = None) -> None:
        self.items.append((file or self.file, key, value, msg))

    def unknown_keys(self, table: dict, allowed: dict, where: str) -> None:
        for key in table:
            if key not in allowed:
                self.add(f"{where}{key}", NO_VALUE,
                         f"unknown key; allowed here: {', '.join(allowed)}{did_you_mean(key, allowed)}")  # fmt: skip


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(float(v))


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip()) and v.isprintable() and "@" not in v


def _file(folder: Path, value: Any, key: str, pr: _Problems, what: str) -> Path | None:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        pr.add(key, value, f"must be {what}")
        return None
    path = (folder / value).resolve()
    if not path.is_file():
        pr.add(key, value, f"no such file (looked for {path}); must be {what}")
        return None
    return path


def _scenario(path: Path, key: str, pr: _Problems) -> Scenario | None:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        for file, k, value, msg in exc.problems:
            pr.add(f"{key} → {k}", value, msg, file=file)
        return None


def load_province(path: str | Path) -> Province:
    """Read and validate a province file (and its county table).

    Raises:
        ProvinceError: with every problem found, each naming the file, the key or table row, the
            value and what is allowed.
    """
    path = Path(path).resolve()
    shown = str(path)
    pr = _Problems(shown)
    try:
        raw = read_toml(path)
    except TomlFileError as exc:
        msg = "no such file (province file)" if exc.msg == "no such file" else exc.msg
        raise ProvinceError([(shown, exc.key, NO_VALUE, msg)]) from None
    folder = path.parent
    pr.unknown_keys(raw, KEYS, "")
    name = raw.get("name", path.stem)
    if not (isinstance(name, str) and name.strip() and len(name) <= MAX_NAME and name.isprintable()):
        pr.add("name", name, f"must be {KEYS['name']}")
    description = raw.get("description", "")
    if not isinstance(description, str):
        pr.add("description", description, "must be a string")
    seed = raw.get("seed", 20230112)
    if not (_is_int(seed) and 0 <= seed <= MAX_SEED):
        pr.add("seed", seed, f"must be {KEYS['seed']}")
    months = raw.get("months")
    if months is not None and not (_is_int(months) and 1 <= months <= 360):
        pr.add("months", months, f"must be {KEYS['months']}")
    scale = raw.get("scale")
    if scale is not None and not (_is_number(scale) and 0 < scale <= 100):
        pr.add("scale", scale, f"must be {KEYS['scale']}")
    base = None
    if "base" in raw:
        base_path = _file(folder, raw["base"], "base", pr, KEYS["base"])
        base = _scenario(base_path, "base", pr) if base_path else None
    reference = raw.get("reference_households")
    if reference is None:
        reference = base.county.households.n if base is not None else DEFAULT_REFERENCE_HOUSEHOLDS
    elif not (_is_int(reference) and reference >= 1):
        pr.add("reference_households", reference, f"must be {KEYS['reference_households']}")
        reference = DEFAULT_REFERENCE_HOUSEHOLDS

    counties: list[County] = []
    entries = raw.get("county", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        pr.add("county", NO_VALUE, f"must be {KEYS['county']}")
        entries = []
    for k, entry in enumerate(entries, 1):
        county = _county_entry(entry, f"county[{k}].", folder, pr)
        if county is not None:
            counties.append(county)
    if "table" in raw:
        table_path = _file(folder, raw["table"], "table", pr, KEYS["table"])
        if table_path is not None and base is None and "base" not in raw:
            pr.add("table", raw["table"], "a county table needs base = a scenario file its rows change")
        elif table_path is not None and base is not None:
            counties += _table_counties(table_path, base, pr)
    if not counties and not any("county" in item[1] or "table" in item[1] for item in pr.items):
        pr.add("(top)", NO_VALUE, "no counties: give [[county]] tables or table = a CSV of counties")
    seen: set[str] = set()
    for c in counties:
        if c.name in seen:
            pr.add("county", c.name, "a county name appears twice; give every county its own name")
        seen.add(c.name)

    packages: list[Package] = []
    entries = raw.get("package", [])
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        pr.add("package", NO_VALUE, f"must be {KEYS['package']} (at least one)")
        entries = []
    for k, entry in enumerate(entries, 1):
        package = _package_entry(entry, f"package[{k}].", folder, seen, pr)
        if package is not None:
            packages.append(package)
    names = [p.name for p in packages]
    for n in sorted({n for n in names if names.count(n) > 1}):
        pr.add("package", n, "a package name appears twice; give every package its own name")

    targets = _targets(raw.get("target", []), shown, pr)
    if pr.items:
        raise ProvinceError(pr.items)
    province = Province(
        name=name, description=description, seed=seed, counties=tuple(counties), packages=tuple(packages),
        targets=targets, months=months, scale=None if scale is None else float(scale),
        reference_households=int(reference), source_file=shown,
    )  # fmt: skip
    check_scenarios(province)
    return province


def check_scenarios(province: Province) -> None:
    """Build every county's scenario under every package once, so that no run starts on a bad one.

    Raises:
        ProvinceError: every county and package whose scenario is invalid.
    """
    problems = []
    for package in province.packages:
        for county in province.counties:
            try:
                province.county_scenario(county, package)
            except ProvinceError as exc:
                problems += exc.problems
    if problems:
        raise ProvinceError(problems)


def _county_entry(entry: dict, where: str, folder: Path, pr: _Problems) -> County | None:
    pr.unknown_keys(entry, COUNTY_KEYS, where)
    name = entry.get("name")
    ok = True
    if not _text(name):
        pr.add(f"{where}name", name if name is not None else NO_VALUE,
               "required: the county's name (printable, no @)")  # fmt: skip
        ok = False
    scenario_path = _file(folder, entry.get("scenario"), f"{where}scenario", pr, COUNTY_KEYS["scenario"])
    scenario = _scenario(scenario_path, f"{where}scenario", pr) if scenario_path else None
    changes = entry.get("set", {})
    if not isinstance(changes, dict):
        pr.add(f"{where}set", changes, f"must be {COUNTY_KEYS['set']}")
        changes = {}
    key_assisted = entry.get("key_assisted")
    if key_assisted is not None and not isinstance(key_assisted, bool):
        pr.add(f"{where}key_assisted", key_assisted, "must be true or false")
        ok = False
    if scenario is None or not ok:
        return None
    if key_assisted is None:
        key_assisted = bool(scenario.county.key_assisted)
    try:
        scenario = scenario.replace(**changes, **{"county.key_assisted": key_assisted})
    except ScenarioError as exc:
        for _, key, value, msg in exc.problems:
            pr.add(f"{where}set.{key}", value, msg)
        return None
    return County(name, scenario, key_assisted)


def _bool_cell(text: str) -> bool | None:
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False, "": False}.get(
        text.strip().lower()
    )


def _number_cell(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _table_counties(path: Path, base: Scenario, pr: _Problems) -> list[County]:
    """The counties of a county table, each the base scenario changed by its row."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        pr.add("(file)", NO_VALUE, f"cannot read the county table as UTF-8 text: {exc}", file=shown)
        return []
    rows = list(csv.DictReader(text.splitlines()))
    header = list(rows[0].keys()) if rows else next(csv.reader(text.splitlines()), [])
    for col in ("name", "households"):
        if col not in header:
            pr.add("(header)", ", ".join(header) or "(empty)", f"required column {col!r} missing; columns: "
                   f"{', '.join(TABLE_COLUMNS)} and dotted scenario keys", file=shown)  # fmt: skip
    if "name" not in header or "households" not in header:
        return []
    unknown = [col for col in header if col not in TABLE_COLUMNS and "." not in (col or "")]
    for col in unknown:
        pr.add("(header)", col, f"unknown column; allowed: {', '.join(TABLE_COLUMNS)} or a dotted scenario "
               f"key path such as county.labour.wage_county{did_you_mean(col, TABLE_COLUMNS)}", file=shown)  # fmt: skip
    if not rows:
        pr.add("(rows)", NO_VALUE, "the table has no county rows", file=shown)
    out = []
    base_n = base.county.households.n
    for k, row in enumerate(rows, 2):  # line numbers: the header is line 1
        where = f"row {k} ({row.get('name') or 'no name'})"
        if None in row:
            pr.add(where, row[None], f"more cells than the {len(header)} columns", file=shown)
            continue
        name = (row.get("name") or "").strip()
        if not _text(name):
            pr.add(
                f"{where}: name", row.get("name"), "required: the county's name (printable, no @)", file=shown
            )
            continue
        hh = _number_cell(row.get("households") or "")
        if hh is None or hh < 1 or hh != int(hh):
            pr.add(f"{where}: households", row.get("households"), "must be a whole number from 1", file=shown)
            continue
        ka = _bool_cell(row.get("key_assisted") or "")
        if ka is None:
            pr.add(
                f"{where}: key_assisted", row["key_assisted"], "must be true or false (or 1/0)", file=shown
            )
            continue
        changes: dict[str, Any] = {"county.households.n": int(hh), "county.key_assisted": ka,
                                   "county.name": name}  # fmt: skip
        bad = False
        for col in header:
            cell = (row.get(col) or "").strip()
            if col in ("name", "households", "key_assisted") or col in unknown or cell == "":
                continue
            value = _number_cell(cell)
            if value is None:
                pr.add(f"{where}: {col}", cell, "must be a finite number", file=shown)
                bad = True
            elif col == "hukou_population":
                changes["county.hukou_population"] = round(value)
            elif col == "poverty_share":
                changes["county.workers.poverty_share"] = value
            elif col == "out_migration_share":
                jobs = _initial_jobs(base.county.workers.initial_jobs, value)
                if jobs is None:
                    pr.add(f"{where}: {col}", cell, "must be a share from 0 to 1", file=shown)
                    bad = True
                else:
                    changes["county.workers.initial_jobs"] = jobs
            elif "." in col:
                changes[col] = round(value) if value == int(value) and "." not in cell else value
        if bad:
            continue
        try:
            scenario = base.scaled(hh / base_n).replace(**changes)
        except (ScenarioError, ValueError) as exc:
            problems = exc.problems if isinstance(exc, ScenarioError) else [("", "households", hh, str(exc))]
            for _, key, value, msg in problems:
                pr.add(f"{where}: {key}", value, msg, file=shown)
            continue
        out.append(County(name, scenario, ka))
    return out


def _initial_jobs(jobs: dict[str, float], out_share: float) -> dict[str, float] | None:
    """The initial job shares with the outside jobs summing to ``out_share`` (proportions kept)."""
    if not 0 <= out_share <= 1:
        return None
    outside = sum(jobs[j] for j in OUTSIDE_JOBS)
    inside = 1.0 - outside
    if outside <= 0 or inside <= 0:
        return None
    return {j: (v / outside * out_share if j in OUTSIDE_JOBS else v / inside * (1 - out_share))
            for j, v in jobs.items()}  # fmt: skip


def _lever_table(table: Any, where: str, pr: _Problems) -> dict[str, dict]:
    """Lever settings as plain dicts, each checked as a scenario's (name, type, range)."""
    if not isinstance(table, dict):
        pr.add(where.rstrip("."), NO_VALUE, "must be a table of lever settings (as in a scenario's [levers])")
        return {}
    out = {}
    for name, raw in Scenario._lever_shorthand(table).items():
        if name not in LEVERS_BY_NAME:
            pr.add(f"{where}{name}", NO_VALUE, f"unknown lever; allowed: {', '.join(LEVERS_BY_NAME)} "
                   f"(`countysim levers`){did_you_mean(name, LEVERS_BY_NAME)}")  # fmt: skip
            continue
        try:
            setting = LeverSetting.model_validate(raw)
        except Exception as exc:  # pydantic's ValidationError: the setting's own shape
            pr.add(f"{where}{name}", raw, f"not a lever setting: {str(exc).splitlines()[-1].strip()}")
            continue
        lever = LEVERS_BY_NAME[name]
        if not lever.lo <= setting.value <= lever.hi:
            pr.add(
                f"{where}{name}",
                setting.value,
                f"out of range ({lever.unit}); allowed {lever.lo:g} to {lever.hi:g}",
            )
            continue
        out[name] = setting.model_dump(by_alias=True)
    return out


def _package_entry(
    entry: dict, where: str, folder: Path, counties: set[str], pr: _Problems
) -> Package | None:
    pr.unknown_keys(entry, PACKAGE_KEYS, where)
    name = entry.get("name")
    if not _text(name):
        pr.add(f"{where}name", name if name is not None else NO_VALUE,
               "required: the package's name (printable, no @)")  # fmt: skip
        return None
    levers: dict[str, dict] = {}
    if "levers_from" in entry:
        src = _file(folder, entry["levers_from"], f"{where}levers_from", pr, PACKAGE_KEYS["levers_from"])
        scenario = _scenario(src, f"{where}levers_from", pr) if src else None
        if scenario is not None:
            levers = {k: v.model_dump(by_alias=True) for k, v in scenario.levers.items()}
    levers.update(_lever_table(entry.get("levers", {}), f"{where}levers.", pr))
    per_county: dict[str, dict[str, dict]] = {}
    table = entry.get("county", {})
    if not isinstance(table, dict):
        pr.add(f"{where}county", NO_VALUE, f"must be {PACKAGE_KEYS['county']}")
        table = {}
    for county, sub in table.items():
        if county not in counties:
            pr.add(f"{where}county.{county}", NO_VALUE, "no such county in the province"
                   f"{did_you_mean(county, counties)}")  # fmt: skip
            continue
        if not isinstance(sub, dict) or set(sub) - {"levers"}:
            pr.add(f"{where}county.{county}", NO_VALUE, "must be a table with levers = {...}")
            continue
        per_county[county] = _lever_table(sub.get("levers", {}), f"{where}county.{county}.levers.", pr)
    provincial = []
    entries = entry.get("provincial", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        pr.add(f"{where}provincial", NO_VALUE, f"must be {PACKAGE_KEYS['provincial']}")
        entries = []
    for k, p in enumerate(entries, 1):
        at = f"{where}provincial[{k}]."
        pr.unknown_keys(p, PROVINCIAL_KEYS, at)
        lever, total = p.get("lever"), p.get("total")
        rule, weight = p.get("rule", "equal"), p.get("key_assisted_weight", 1.0)
        ok = True
        if lever not in LEVERS_BY_NAME or not LEVERS_BY_NAME[lever].scales:
            counted = [n for n, lv in LEVERS_BY_NAME.items() if lv.scales]
            pr.add(f"{at}lever", lever if lever is not None else NO_VALUE, f"must be a lever counted in persons, "
                   f"places or cases; allowed: {', '.join(counted)}{did_you_mean(lever, counted)}")  # fmt: skip
            ok = False
        if not (_is_number(total) and total >= 0):
            pr.add(
                f"{at}total", total if total is not None else NO_VALUE, f"must be {PROVINCIAL_KEYS['total']}"
            )
            ok = False
        if rule not in RULES:
            pr.add(f"{at}rule", rule, f"must be {PROVINCIAL_KEYS['rule']}{did_you_mean(rule, RULES)}")
            ok = False
        if not (_is_number(weight) and weight >= 0):
            pr.add(f"{at}key_assisted_weight", weight, f"must be {PROVINCIAL_KEYS['key_assisted_weight']}")
            ok = False
        if ok:
            provincial.append(ProvincialLever(lever, float(total), rule, float(weight)))
    pool = _transfer_pool(entry.get("transfer_pool"), f"{where}transfer_pool", pr)
    description = entry.get("description", "")
    if not isinstance(description, str):
        pr.add(f"{where}description", description, "must be a string")
        description = ""
    return Package(name, description, levers, per_county, tuple(provincial), pool)


def _transfer_pool(raw: Any, where: str, pr: _Problems) -> TransferPool | None:
    """A package's ``transfer_pool`` table, checked against ``TransferPool`` (keys, type, range)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        pr.add(where, raw, f"must be {PACKAGE_KEYS['transfer_pool']}")
        return None
    fields = TransferPool.model_fields
    for key in raw:
        if key not in fields:
            pr.add(
                f"{where}.{key}",
                raw[key],
                f"unknown key; allowed: {', '.join(fields)}{did_you_mean(key, fields)}",
            )
    if "yuan_per_year" not in raw:
        pr.add(f"{where}.yuan_per_year", NO_VALUE, "required: the pool, yuan per year")
        return None
    value = raw["yuan_per_year"]
    info = fields["yuan_per_year"].json_schema_extra
    if not _is_number(value) or not 0 <= value <= POOL_MAX_YUAN:
        pr.add(
            f"{where}.yuan_per_year", value, f"must be a number ({info['unit']}) from 0 to {POOL_MAX_YUAN:g}"
        )
        return None
    if set(raw) - set(fields):
        return None
    try:
        return TransferPool.model_validate(raw)
    except ValidationError as exc:  # kept in step with the checks above
        pr.add(where, raw, str(exc).splitlines()[-1].strip())
        return None


def _targets(entries: Any, shown: str, pr: _Problems) -> tuple[ProvinceTarget, ...]:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        pr.add("target", NO_VALUE, f"must be {KEYS['target']}")
        return ()
    extras = []
    plain = []
    for k, entry in enumerate(entries, 1):
        scope, share_by = entry.get("counties", "all"), entry.get("share_by", "equal")
        if scope not in SCOPES:
            pr.add(f"target[{k}].counties", scope, f"must be {TARGET_EXTRA['counties']}")
        if share_by not in RULES:
            pr.add(f"target[{k}].share_by", share_by, f"must be {TARGET_EXTRA['share_by']}")
        extras.append((scope, share_by))
        plain.append({key: v for key, v in entry.items() if key not in TARGET_EXTRA})
    if not plain:
        return ()
    try:
        targets = parse_targets({"target": plain}, source=shown)
    except TargetsError as exc:
        for line in str(exc).splitlines()[1:] or [str(exc)]:
            pr.add("target", NO_VALUE, line.strip().removeprefix(f"{shown}: "))
        return ()
    return tuple(
        ProvinceTarget(t, scope, share_by) for t, (scope, share_by) in zip(targets, extras, strict=True)
    )


__all__ = [
    "County", "Package", "Province", "ProvinceError", "ProvinceTarget", "ProvincialLever", "TransferPool",
    "county_seeds", "load_province",
]  # fmt: skip
