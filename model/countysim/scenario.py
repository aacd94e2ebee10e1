"""Scenario files: schema, loading with ``extends =`` inheritance, and validation.

A scenario is a TOML file with five parts (DESIGN.md, XLRM framing):

- ``[horizon]`` and ``seed``: when the run starts, how long it lasts, its root seed;
- ``[county]``: the county profile — what the county is, not what it decides;
- ``[behaviour.*]``: behavioural parameters — how people respond (uncertainties);
- ``[levers]``: the policy package — what the county decides, each with start and ramp;
- ``[population]``: where persons come from (synthesis or a microdata file).

``extends = "other.toml"`` (relative to the file) inherits everything and overrides what the
file sets, table by table, so a package differs from the baseline by a few lines. A list,
``extends = ["a.toml", "b.toml"]``, merges several parents in order (later over earlier): the
full action is the union of its pillars.

Types are strict: a number is written as a number (``months = 12``, not ``"12"``), a flag as
``true``/``false`` (never ``1`` or ``"yes"``), and every number is finite and within its
documented range (``countysim params``). Files are UTF-8, with or without a byte-order mark;
UTF-16 with a byte-order mark (what some Windows editors save as "Unicode") is decoded too.

Every error names the file that set the value, the key path, the value and what is allowed, and
every problem of a file is reported at once.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import math
import os
import reprlib
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from countysim.calendar import SPRING_FESTIVAL, month_label, parse_month
from countysim.parameters.base import (
    NO_VALUE,
    Frozen,
    P,
    Problems,
    did_you_mean,
    entry_bounds,
    scaled_fields,
)
from countysim.parameters.behaviour import (
    Behaviour,
    DemographyBehaviour,
    LabourBehaviour,
    TrainingBehaviour,
)
from countysim.parameters.county import County, Households, Labour, Training, Workers
from countysim.policy.levers import LEVERS_BY_NAME

__all__ = [
    "Behaviour", "County", "DemographyBehaviour", "Households", "Labour", "LabourBehaviour",
    "Scenario", "ScenarioError", "Training", "TrainingBehaviour", "Workers", "load",
]  # fmt: skip

#: the provenance of a key set in code (``Scenario.replace``, ``load(**overrides)``, ``--months``)
OVERRIDE = "(override)"
#: the longest ``extends`` chain followed (a longer one is a mistake, not a design)
MAX_EXTENDS_DEPTH = 64
#: the deepest nesting of tables and arrays read from a file (a scenario needs 4)
MAX_NESTING = 32
#: microdata file suffixes (``countysim.build.microdata``)
MICRODATA_SUFFIXES = (".csv", ".parquet", ".pq")


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

    model_config = ConfigDict(populate_by_name=True)

    @field_validator("start")
    @classmethod
    def _month(cls, v: str | None) -> str | None:
        if v is not None:
            parse_month(v)
        return v


def lever_problems(
    levers: dict[str, LeverSetting], horizon: Horizon | None
) -> list[tuple[tuple[str, ...], Any, str, tuple[tuple[str, ...], ...]]]:
    """Every problem of a package's lever settings (``Problems`` items, absolute key paths).

    Names, ranges and switches are checked for every setting; start months only when the
    horizon is known (``horizon`` not ``None``).
    """
    items: list[tuple[tuple[str, ...], Any, str, tuple[tuple[str, ...], ...]]] = []
    for name, setting in levers.items():
        lever = LEVERS_BY_NAME.get(name)
        if lever is None:
            items.append(
                (("levers", name), NO_VALUE,
                 f"unknown lever; allowed: {', '.join(LEVERS_BY_NAME)} (`countysim levers`)"
                 f"{did_you_mean(name, LEVERS_BY_NAME)}", ())
            )  # fmt: skip
            continue
        for key, value in (("value", setting.value), ("from", setting.from_value)):
            if value is None:
                continue
            if not lever.lo <= value <= lever.hi:
                items.append(
                    (("levers", name, key), value,
                     f"out of range for {name} ({lever.unit}); allowed {lever.lo} to {lever.hi}", ())
                )  # fmt: skip
            elif lever.kind == "switch" and value not in (0, 1):
                items.append(
                    (("levers", name, key), value, f"{name} is a switch; allowed 0 (off) or 1 (on)", ())
                )
        if lever.kind == "switch" and setting.ramp_months:
            items.append(
                (("levers", name, "ramp_months"), setting.ramp_months,
                 f"{name} is a switch: it takes effect at once; allowed 0 (or leave ramp_months out)", ())
            )  # fmt: skip
        if horizon is not None and setting.start is not None:
            begin, end = horizon.start_absolute, horizon.start_absolute + horizon.months - 1
            if not begin <= parse_month(setting.start) <= end:
                items.append(
                    (("levers", name, "start"), setting.start,
                     f"outside the horizon; allowed {horizon.start} to {horizon.end}",
                     (("horizon", "start"), ("horizon", "months")))
                )  # fmt: skip
    return items


class Population(Frozen):
    """Where the persons come from."""

    source: Literal["synthetic", "microdata"] = "synthetic"
    path: str | None = Field(
        None, description="microdata file (CSV or Parquet), relative to the scenario file"
    )

    @field_validator("path")
    @classmethod
    def _path(cls, v: str | None) -> str | None:
        if v is not None:
            if "\x00" in v or not v.strip():
                raise ValueError("must be a file name (no NUL character, not blank)")
            if Path(v).suffix.lower() not in MICRODATA_SUFFIXES:
                raise ValueError(
                    f"must name a microdata file; allowed suffixes: {', '.join(MICRODATA_SUFFIXES)}"
                )
        return v

    @model_validator(mode="after")
    def _needs_path(self) -> Population:
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
    levers: dict[str, LeverSetting] = Field(default_factory=dict)
    population: Population = Population()
    source_file: str | None = Field(None, exclude=True)
    #: which file (or ``OVERRIDE``) set each key path; kept through ``replace``
    _provenance: dict[tuple[str, ...], str] = PrivateAttr(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        # the name becomes part of output folder names (results/<name>-seed<seed>)
        if not v.strip() or len(v) > 200 or any(ch in v for ch in "/\\") or not v.isprintable():
            raise ValueError(
                "must be 1 to 200 printable characters without / or \\ (it names output folders)"
            )
        return v

    @field_validator("levers", mode="before")
    @classmethod
    def _lever_shorthand(cls, v: Any) -> Any:
        # a plain value is the lever's value from the first month; anything but a table is
        # checked as that value, so a string or a boolean is reported at levers.<name>.value
        if isinstance(v, dict):
            return {k: (x if isinstance(x, dict | LeverSetting) else {"value": x}) for k, x in v.items()}
        return v

    @model_validator(mode="after")
    def _check_levers(self) -> Scenario:
        items = lever_problems(self.levers, self.horizon)
        if items:
            raise Problems(items)
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
        """Hash of everything that affects results (not name, description or seed).

        A microdata population enters by the sha256 of the file's bytes, not its path: an
        edited file gives another hash (so a stored run of the old file is not reused), a
        moved copy the same one.
        """
        payload = self.model_dump(mode="json", exclude={"name", "description", "seed"}, by_alias=True)
        if self.population.source == "microdata" and self.population.path:
            digest = file_sha256(self.population.path)
            payload["population"] = {"source": "microdata", "sha256": digest}
            if digest is None:  # unreadable: the run will fail; keep runs of different paths apart
                payload["population"]["path"] = self.population.path
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> str:
        """The resolved scenario as JSON (inheritance applied)."""
        return self.model_dump_json(by_alias=True)

    def provenance(self, key: str) -> str | None:
        """The file that set a dotted key path (or ``OVERRIDE``); ``None`` for a default."""
        return _provenance_of(tuple(key.split(".")), self._provenance)

    def scaled(self, factor: float) -> Scenario:
        """The same county at ``factor`` times its size.

        Households, populations, capacities, county-wide costs and every lever counted in
        persons, places or cases (status quo included) scale; shares, rates and behaviour do
        not. For fast tests and for counties of another size.
        """
        if not 0 < factor <= 100:
            raise ValueError(f"factor must be in (0, 100], got {factor}")
        changes: dict[str, Any] = {}
        dumped = self.model_dump(by_alias=True)
        for path in scaled_fields(County, "county."):
            value = dumped
            for key in path.split("."):
                value = value[key]
            changes[path] = type(value)(round(value * factor)) if isinstance(value, int) else value * factor
        for lever in LEVERS_BY_NAME.values():
            if not lever.scales:
                continue
            setting = self.levers.get(lever.name)
            if setting is None:
                changes[f"levers.{lever.name}"] = {"value": lever.status_quo * factor}
            else:
                base = lever.status_quo if setting.from_value is None else setting.from_value
                changes[f"levers.{lever.name}"] = {
                    **setting.model_dump(by_alias=True), "value": setting.value * factor, "from": base * factor,
                }  # fmt: skip
        return self.replace(**changes)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with dotted key paths replaced and re-validated.

        ``scenario.replace(**{"levers.s1_training_places_per_year": 20000, "seed": 3})``. The
        replaced keys count as set by an override, the others keep the file that set them, so
        an error names the right file and says what the override changed.

        Raises:
            ScenarioError: if the copy is invalid.
        """
        data = self.model_dump(mode="python", by_alias=True)
        prov = dict(self._provenance)
        source = self.source_file or "<replace>"
        for path, value in changes.items():
            _override(data, prov, path, value, source)
        return validate_dict(data, source=source, provenance=prov)


def file_sha256(path: str | Path) -> str | None:
    """The sha256 (hex) of a file's bytes, or ``None`` if it cannot be read.

    Digests are cached by the file's identity and modification (device, inode, size, mtime),
    so that hashing a scenario many times reads a large microdata file once, and any edit is
    seen.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return _sha256_of(str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _sha256_of(path: str, dev: int, ino: int, size: int, mtime_ns: int) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------
# Loading and errors
# ----------------------------------------------------------------------------------------
_SHORT = reprlib.Repr(maxstring=80, maxother=80, maxlist=8, maxtuple=8, maxdict=6, maxlevel=2)


def short_repr(value: Any) -> str:
    """``repr`` cut to a readable length (a problem may quote a 5,000-element array)."""
    try:
        return _SHORT.repr(value)
    except ValueError:  # an integer too long to print (Python's int-to-str limit)
        return "<an integer of more than 4,300 digits>"


def describe_problem(key: str, value: Any, msg: str) -> str:
    """``key = value: message``, without ``= value`` when ``value`` is ``NO_VALUE``."""
    return f"{key}" + ("" if value is NO_VALUE else f" = {short_repr(value)}") + f": {msg}"


class InputProblems(ValueError):
    """A file the user wrote cannot be used. ``problems`` lists (file, key path, value, message)."""

    #: what the file is, for the first line of the message
    subject = "input"

    def __init__(self, problems: list[tuple[str, str, Any, str]]) -> None:
        self.problems = problems
        lines = [f"{file}: " + describe_problem(key, value, msg) for file, key, value, msg in problems]
        super().__init__(f"invalid {self.subject}:\n  " + "\n  ".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from the problems (a worker process sends the error back pickled)
        return type(self), (self.problems,)


class ScenarioError(InputProblems):
    """A scenario file cannot be used. ``problems`` lists (file, key path, value, message)."""

    subject = "scenario"


class TomlFileError(ValueError):
    """A TOML file cannot be read: ``key`` says what failed (``(file)``, ``(encoding)``, ``(syntax)``)."""

    def __init__(self, key: str, msg: str) -> None:
        super().__init__(msg)
        self.key, self.msg = key, msg


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file the user wrote: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises:
        TomlFileError: for a missing or unreadable file, bytes that are not text, bad TOML
            syntax, or nesting deeper than ``MAX_NESTING``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TomlFileError("(file)", "no such file") from None
    except (OSError, ValueError) as exc:
        raise TomlFileError("(file)", f"cannot read the file: {exc}") from None
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TomlFileError(
            "(encoding)",
            f"not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}); save the file as "
            "UTF-8 (UTF-16 is read only with a byte-order mark)",
        ) from None
    if "\x00" in text:
        raise TomlFileError(
            "(encoding)",
            "the file holds NUL characters: it is not text, or UTF-16/UTF-32 without a byte-order "
            "mark; save it as UTF-8",
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError("(syntax)", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise TomlFileError(
            "(syntax)", f"arrays or tables nested too deeply (at most {MAX_NESTING} levels)"
        ) from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's int-to-str limit
        raise TomlFileError("(syntax)", f"not valid TOML: {exc}") from None
    deep = _too_deep(raw)
    if deep is not None:
        raise TomlFileError(
            "(syntax)", f"nested more than {MAX_NESTING} levels deep (at {deep}); a scenario needs 4"
        )
    return raw


def _too_deep(tree: Any) -> str | None:
    """The key path where ``tree`` nests deeper than ``MAX_NESTING``, or ``None`` (no recursion)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(tree, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_NESTING:
            return ".".join(path[:6]) + "..."
        if isinstance(node, dict):
            stack.extend((v, (*path, str(k))) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, str(i))) for i, v in enumerate(node))
    return None


def set_path(data: dict, keys: list[str], value: Any) -> None:
    """Set ``data[k1][k2]...`` creating tables on the way.

    Raises:
        ValueError: if a key on the way holds something other than a table.
    """
    for k in keys[:-1]:
        data = data.setdefault(k, {})
        if not isinstance(data, dict):
            raise ValueError(f"{'.'.join(keys)}: {k} is not a table")
    data[keys[-1]] = value


def _override(data: dict, prov: dict, dotted: str, value: Any, source: str) -> None:
    """Set a dotted key path in ``data`` and mark it (and what is below it) as set by an override."""
    keys = tuple(dotted.split("."))
    try:
        set_path(data, list(keys), value)
    except ValueError as exc:
        raise ScenarioError([(OVERRIDE, dotted, value, str(exc).split(": ", 1)[1])]) from None
    for path in [p for p in prov if p[: len(keys)] == keys]:
        del prov[path]
    prov[keys] = OVERRIDE
    if isinstance(value, dict):
        _mark(value, prov, OVERRIDE, keys)


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
        raise ScenarioError([(shown, "extends", NO_VALUE, f"circular extends: {cycle}")])
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [(str(chain[-1]), "extends", NO_VALUE,
              f"the extends chain from {chain[0]} is deeper than {MAX_EXTENDS_DEPTH} files; allowed at most "
              f"{MAX_EXTENDS_DEPTH}")]
        )  # fmt: skip
    try:
        raw = read_toml(path)
    except TomlFileError as exc:
        msg = "no such file (scenario file)" if exc.msg == "no such file" else exc.msg
        raise ScenarioError([(shown, exc.key, NO_VALUE, msg)]) from None
    parents = raw.pop("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(
        isinstance(p, str) and p.strip() and "\x00" not in p for p in parents
    ):
        raise ScenarioError([(shown, "extends", parents, "must be a file name or a list of file names")])
    base: dict = {}
    for parent_name in parents:  # several parents merge in order, later over earlier
        parent_path = (path.parent / parent_name).resolve()
        if not parent_path.is_file():  # the file to edit is the one naming the parent
            raise ScenarioError([(shown, "extends", parent_name, f"no such file (looked for {parent_path})")])
        parent = _read_toml(parent_path, (*chain, path), prov)
        base = _merge(base, parent, {}, shown)
    population = raw.get("population")
    if (
        isinstance(population, dict)
        and isinstance(population.get("path"), str)
        and "\x00" not in population["path"]
    ):
        # microdata paths are relative to the file that names them
        population["path"] = str((path.parent / population["path"]).resolve())
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
        _override(data, prov, dotted, value, str(path))
    return validate_dict(data, source=str(path), provenance=prov)


def validate_dict(data: dict, source: str = "<dict>", provenance: dict | None = None) -> Scenario:
    """Validate a scenario given as a (merged) dict.

    Raises:
        ScenarioError: with every problem found: the schema's, and the levers' even where other
            parts of the scenario are wrong.
    """
    prov = provenance or {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [p for err in errors for p in _problems(err, source, prov, data)]
        if not any(
            isinstance((e.get("ctx") or {}).get("error"), Problems) and e["loc"] == () for e in errors
        ):
            # the levers' own checks run after the schema passes: run them on what is valid
            problems += [_finish(*item, source, prov, data) for item in _partial_lever_problems(data)]
        raise ScenarioError(problems) from None
    scenario = scenario.model_copy(update={"source_file": source})
    scenario._provenance = dict(prov)
    return scenario


def _partial_lever_problems(data: dict) -> list:
    """Lever problems of a scenario whose other parts failed: each valid setting is checked."""
    levers = data.get("levers")
    if not isinstance(levers, dict):
        return []
    try:
        horizon: Horizon | None = Horizon.model_validate(data.get("horizon", {}))
    except (ValidationError, TypeError):
        horizon = None
    valid: dict[str, LeverSetting] = {}
    for name, raw in Scenario._lever_shorthand(levers).items():
        try:
            valid[name] = LeverSetting.model_validate(raw)
        except ValidationError:
            if name not in LEVERS_BY_NAME:  # its table's errors are reported; its name is wrong too
                valid[name] = LeverSetting(value=0)
    return lever_problems(valid, horizon)


def _provenance_of(loc: tuple[str, ...], prov: dict) -> str | None:
    for i in range(len(loc), 0, -1):
        if loc[:i] in prov:
            return prov[loc[:i]]
    return None


def _lookup(data: Any, loc: tuple[str, ...]) -> Any:
    for k in loc:
        if not isinstance(data, dict) or k not in data:
            return NO_VALUE
        data = data[k]
    return data


def _finish(
    loc: tuple[str, ...], value: Any, msg: str, related: tuple, source: str, prov: dict, data: dict
) -> tuple[str, str, Any, str]:
    """A problem as (file, key path, value, message), blaming the file that set the key.

    Where the problem depends on other keys (``related``) set elsewhere (another file, an
    override such as ``--months``), the message says who set them.
    """
    file = _provenance_of(loc, prov) or source
    notes = []
    for other in related:
        who = _provenance_of(other, prov) or source
        if who != file:
            shown = _lookup(data, other)
            key = ".".join(other) + ("" if shown is NO_VALUE else f" = {short_repr(shown)}")
            notes.append(
                f"{key} is set by an override (such as --months)"
                if who == OVERRIDE
                else f"{key} is set in {who}"
            )
    if notes:
        msg += " (" + "; ".join(notes) + ")"
    if isinstance(value, dict):
        value = NO_VALUE
    return file, ".".join(loc) or "(top)", value, msg


def _problems(err: dict, source: str, prov: dict, data: dict) -> list[tuple[str, str, Any, str]]:
    loc = tuple(str(p) for p in err["loc"])
    ctx_err = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_err, Problems):
        return [
            _finish((*loc, *sub), value, msg, related, source, prov, data)
            for sub, value, msg, related in ctx_err.items
        ]
    value = err.get("input", NO_VALUE)
    if err["type"] == "missing":
        value = NO_VALUE
    return [_finish(loc, value, _message(err, loc), (), source, prov, data)]


#: what a type error expects, by pydantic error type
_EXPECTED = {
    "float_type": "a number",
    "int_type": "an integer (a whole number)",
    "bool_type": "true or false",
    "string_type": "a string in quotes",
    "tuple_type": "an array [...]",
    "list_type": "an array [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


def _message(err: dict, loc: tuple[str, ...]) -> str:
    """A pydantic error as a user's message: what is wrong, what is allowed there."""
    kind, value = err["type"], err.get("input", NO_VALUE)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = did_you_mean(loc[-1], allowed)
        if not hint:
            elsewhere = [p for p in _all_key_paths() if p.rsplit(".", 1)[-1] == loc[-1]]
            hint = (
                f"; did you mean {' or '.join(elsewhere[:3])} (elsewhere in the scenario)?"
                if elsewhere
                else ""
            )
        return f"unknown key; allowed here: {', '.join(allowed) or '(no keys)'}{hint}"
    if kind == "missing":
        return f"required key missing; keys here: {', '.join(_allowed_keys(loc[:-1]))}"
    msg = err["msg"].removeprefix("Value error, ")
    if kind in _EXPECTED:
        msg = f"must be {_EXPECTED[kind]}"
        if isinstance(value, bool):
            msg += ", not true/false" + (" (write 1 or 0)" if kind in ("float_type", "int_type") else "")
        elif isinstance(value, str) and kind != "string_type":
            msg += (
                f", not a string (write {value.strip()} without quotes)"
                if _numeric_text(value)
                else ", not a string"
            )
        elif isinstance(value, float) and kind == "int_type":
            msg += ", not a decimal number" if math.isfinite(value) else ", not nan or inf"
        elif isinstance(value, int) and kind == "float_type":
            msg += " that fits in a 64-bit float"
    elif kind == "finite_number":
        msg = "must be a finite number, not nan or inf"
    elif kind == "literal_error":
        msg = f"not allowed; allowed: {err.get('ctx', {}).get('expected', '')}"
    bounds = _bounds_text(loc)
    return f"{msg}; allowed {bounds}" if bounds and "allowed" not in msg else msg


def _numeric_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unwrap(annotation: Any) -> Any:
    """The type under ``Optional``/``Annotated`` (``float | None`` -> ``float``)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_field(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field
    return None


def _node_at(loc: tuple[str, ...]) -> tuple[Any, Any]:
    """(annotation, FieldInfo or None) of a key path of the schema, or ``(None, None)``."""
    node: Any = Scenario
    field = None
    for part in loc:
        node = _unwrap(node)
        origin = typing.get_origin(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = _model_field(node, part)
            if field is None:
                return None, None
            node = field.annotation
        elif origin is dict:
            node, field = typing.get_args(node)[1], None
        elif origin is tuple:
            node, field = typing.get_args(node)[0], None
        else:
            return None, None
    return node, field


def _bounds_text(loc: tuple[str, ...]) -> str:
    """``lo to hi`` for a numeric key path (a lever's range for a lever's value), or ``""``."""
    if len(loc) == 3 and loc[0] == "levers" and loc[2] in ("value", "from") and loc[1] in LEVERS_BY_NAME:
        lever = LEVERS_BY_NAME[loc[1]]
        return f"{lever.lo} to {lever.hi} ({lever.unit})"
    node, field = _node_at(loc)
    lo = hi = None
    metadata = list(field.metadata) if field is not None else []
    metadata += [m for meta in getattr(node, "__metadata__", ()) for m in getattr(meta, "metadata", (meta,))]
    for m in metadata:
        lo, hi = getattr(m, "ge", lo), getattr(m, "le", hi)
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else lo} to {'' if hi is None else hi}".strip()


def _allowed_keys(loc: tuple[str, ...]) -> list[str]:
    """Keys allowed at a key path of the schema (for a table of levers: the lever names)."""
    if loc == ("levers",):
        return list(LEVERS_BY_NAME)
    model = _unwrap(_node_at(loc)[0])
    fields = getattr(model, "model_fields", {})
    return [f.alias or n for n, f in fields.items() if n != "source_file"]


@functools.cache
def _all_key_paths() -> tuple[str, ...]:
    """Every key path of the schema's tables (for "did you mean" across tables)."""
    out: list[str] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            if name == "source_file":
                continue
            key = field.alias or name
            out.append(prefix + key)
            ann = _unwrap(field.annotation)
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{key}.")

    walk(Scenario, "")
    return tuple(out)


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
            each = ""
            if lo is None and hi is None:
                lo, hi = entry_bounds(ann)
                each = " each"
            rows.append({
                "key": prefix + name,
                "default": json.dumps(field.default, ensure_ascii=False) if not isinstance(field.default, str) else field.default,
                "unit": str(extra["unit"]),
                "range": "" if lo is None and hi is None else f"{'' if lo is None else lo} to {'' if hi is None else hi}{each}",
                "source": str(extra["source"]),
            })  # fmt: skip

    walk(Scenario, "")
    return rows
