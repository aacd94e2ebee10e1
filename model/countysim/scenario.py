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

Every error names the file that set the value, the key path, the value and what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from countysim.calendar import SPRING_FESTIVAL, month_label, parse_month
from countysim.parameters.base import Frozen, P, scaled_fields
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
    levers: dict[str, LeverSetting] = Field(default_factory=dict)
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
            if lever.kind == "switch":
                for key, value in (("value", setting.value), ("from", setting.from_value)):
                    if value is not None and value not in (0, 1):
                        raise _LeverError(
                            ("levers", name, key), value, f"{name} is a switch; allowed 0 (off) or 1 (on)"
                        )
                if setting.ramp_months:
                    raise _LeverError(
                        ("levers", name, "ramp_months"), setting.ramp_months,
                        f"{name} is a switch: it takes effect at once; allowed 0 (or leave ramp_months out)",
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
#: the value of a problem that has none to show (a missing key, a missing file)
NO_VALUE = object()


def describe_problem(key: str, value: Any, msg: str) -> str:
    """``key = value: message``, without ``= value`` when ``value`` is ``NO_VALUE``."""
    return f"{key}" + ("" if value is NO_VALUE else f" = {value!r}") + f": {msg}"


class InputProblems(ValueError):
    """A file the user wrote cannot be used. ``problems`` lists (file, key path, value, message)."""

    #: what the file is, for the first line of the message
    subject = "input"

    def __init__(self, problems: list[tuple[str, str, Any, str]]) -> None:
        self.problems = problems
        lines = [f"{file}: " + describe_problem(key, value, msg) for file, key, value, msg in problems]
        super().__init__(f"invalid {self.subject}:\n  " + "\n  ".join(lines))


class ScenarioError(InputProblems):
    """A scenario file cannot be used. ``problems`` lists (file, key path, value, message)."""

    subject = "scenario"


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
        raise ScenarioError([(shown, "extends", NO_VALUE, f"circular extends: {cycle}")])
    if not path.is_file():
        where = f"extended by {chain[-1]}" if chain else "scenario file"
        raise ScenarioError([(shown, "(file)", NO_VALUE, f"no such file ({where})")])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([(shown, "(syntax)", NO_VALUE, f"not valid TOML: {exc}")]) from None
    parents = raw.pop("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise ScenarioError([(shown, "extends", parents, "must be a file name or a list of file names")])
    base: dict = {}
    for parent_name in parents:  # several parents merge in order, later over earlier
        parent = _read_toml((path.parent / parent_name).resolve(), (*chain, path), prov)
        base = _merge(base, parent, {}, shown)
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
        value = err.get("input", NO_VALUE)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; allowed here: {', '.join(_allowed_keys(loc[:-1]))}"
        elif isinstance(value, dict):
            value = NO_VALUE
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
