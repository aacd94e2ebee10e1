"""A policy package as the app builds it: a county scenario, the visitor's lever values, a file.

Everything here is plain Python with no user interface, so the pages stay thin and the rules are
tested directly:

- :data:`PILLARS` — the notice's five pillars and the levers of each (by clause);
- :func:`list_scenarios` — the county scenarios of the folder the app was started with;
- :class:`Package` — a base scenario plus lever values; :meth:`Package.scenario` builds the
  validated package through ``countysim.scenario.validate_dict``, so a value outside a lever's
  range is refused with the very message ``countysim validate`` gives;
- :func:`baseline_of` — the same county with every lever at its status quo;
- :func:`safe_file_name` and :func:`save_package` — the package as a scenario file
  (``extends = "<base>"`` plus the changed ``[levers]``) written under the save folder only.

Nothing a visitor types is evaluated: numbers are parsed with ``float``, names are written as
escaped TOML strings, and the only file the app reads back is the one it has just written,
inside its save folder.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from countysim.calendar import month_label
from countysim.policy.levers import LEVERS, LEVERS_BY_NAME, Lever
from countysim.scenario import Scenario, ScenarioError, describe_problem, validate_dict
from countysim.scenario import load as load_scenario

#: months after the horizon's start at which the changed levers start by default: the scenario
#: library's packages start in 2023-03, two months after the notice of 2023-01-12
DEFAULT_START_OFFSET = 2
#: months over which capacities (levers counted in persons, places or cases) ramp up by default,
#: as in the scenario library
DEFAULT_RAMP_MONTHS = 12
#: longest file name (without ``.toml``) the app writes
MAX_FILE_NAME = 80
#: names Windows reserves for devices
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


@dataclass(frozen=True)
class Pillar:
    """One pillar of the notice: its code, its clauses and its levers."""

    code: str
    clauses: tuple[str, ...]
    levers: tuple[Lever, ...]


def _pillar_code(clause: str) -> str:
    """The pillar of a clause: E, S, R, P; the grassroots (G) and working requirements (W) go together."""
    letter = clause[0]
    return "G" if letter in ("G", "W") else letter


def _pillars() -> tuple[Pillar, ...]:
    out = []
    for code in ("E", "S", "R", "P", "G"):
        levers = tuple(lv for lv in LEVERS if _pillar_code(lv.clause) == code)
        clauses = tuple(dict.fromkeys(lv.clause for lv in levers))
        out.append(Pillar(code, clauses, levers))
    return tuple(out)


#: the five pillars, in the notice's order, each with its levers in registry order
PILLARS: tuple[Pillar, ...] = _pillars()
PILLARS_BY_CODE: dict[str, Pillar] = {p.code: p for p in PILLARS}


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario file of the app's scenarios folder: its scenario, or why it cannot be used."""

    path: Path
    scenario: Scenario | None
    error: str = ""

    @property
    def file(self) -> str:
        """The file's name (what the county picker shows)."""
        return self.path.name


def list_scenarios(folder: Path) -> list[ScenarioFile]:
    """Every ``*.toml`` directly in ``folder``, loaded and validated (``baseline.toml`` first).

    A file that does not validate is listed with its error, so the page can say why it is not
    offered.
    """
    files = sorted(Path(folder).glob("*.toml"), key=lambda p: (p.name != "baseline.toml", p.name))
    out = []
    for path in files:
        try:
            out.append(ScenarioFile(path, load_scenario(path)))
        except ScenarioError as exc:
            out.append(ScenarioFile(path, None, str(exc)))
    return out


def baseline_of(scenario: Scenario) -> Scenario:
    """The same county and horizon with every lever at its status quo (the package's baseline).

    A scenario that sets no lever is its own baseline; otherwise the baseline is named
    ``<name>_status_quo``.
    """
    if not scenario.levers:
        return scenario
    data = scenario.model_dump(mode="python", by_alias=True)
    data["levers"] = {}
    data["name"] = f"{scenario.name}_status_quo"
    data["description"] = f"{scenario.name} with every lever at its status quo"
    return validate_dict(data, source=scenario.source_file or "<baseline>")


def base_value(scenario: Scenario, name: str) -> float:
    """The value lever ``name`` reaches in ``scenario`` (its setting's value, else the status quo)."""
    setting = scenario.levers.get(name)
    return LEVERS_BY_NAME[name].status_quo if setting is None else float(setting.value)


def parse_number(text: str, lever: Lever) -> float:
    """A typed lever value as a number: digits only, never evaluated.

    Raises:
        ScenarioError: naming the lever's key path, the text and what is allowed.
    """
    cleaned = str(text).strip().replace(",", "").replace("_", "")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(
            [("the lever panel", f"levers.{lever.name}.value", str(text),
              f"not a number; allowed {lever.lo} to {lever.hi} ({lever.unit})")]
        )  # fmt: skip
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def slider_step(lever: Lever) -> float:
    """A slider step for ``lever``: 1 for whole counts of small range, about 1/500 of the range otherwise."""
    span = lever.hi - lever.lo
    if lever.kind == "switch":
        return 1.0
    if lever.kind in ("count", "yuan"):
        raw = span / 500
        if raw <= 1:
            return 1.0
        magnitude = 10 ** math.floor(math.log10(raw))
        return float(min((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), default=raw))
    return span / 200


@dataclass
class Package:
    """A policy package being edited: a base scenario and the visitor's lever values.

    Attributes:
        base: the county scenario the package starts from (a file of the scenarios folder).
        base_path: that file.
        name: the package's scenario name.
        values: lever values the visitor set (levers not named keep the base's setting).
        start: month (``YYYY-MM``) from which changed levers take their new value; default two
            months after the horizon's start.
        ramp_months: months over which changed capacities (levers that scale with the county)
            ramp up; rates, amounts, months and switches change at once.
    """

    base: Scenario
    base_path: Path
    name: str = ""
    values: dict[str, float] = field(default_factory=dict)
    start: str = ""
    ramp_months: int = DEFAULT_RAMP_MONTHS

    def __post_init__(self) -> None:
        if not self.name:
            self.name = f"{self.base.name}_package"
        if not self.start:
            self.start = default_start(self.base)

    def value(self, name: str) -> float:
        """The lever's value in the package."""
        return self.values.get(name, base_value(self.base, name))

    def changed(self) -> dict[str, float]:
        """Levers whose value differs from the base scenario's, in registry order."""
        return {
            lv.name: self.values[lv.name]
            for lv in LEVERS
            if lv.name in self.values and self.values[lv.name] != base_value(self.base, lv.name)
        }

    def pillar_on(self, code: str) -> bool:
        """Whether any lever of the pillar is away from its status quo."""
        return any(self.value(lv.name) != lv.status_quo for lv in PILLARS_BY_CODE[code].levers)

    def with_pillar(self, code: str, on: bool) -> Package:
        """The package with every lever of a pillar at its action value (on) or status quo (off)."""
        values = dict(self.values)
        for lv in PILLARS_BY_CODE[code].levers:
            values[lv.name] = lv.action if on else lv.status_quo
        return self.copy(values=values)

    def with_value(self, name: str, value: float) -> Package:
        """The package with one lever set (not checked here: :meth:`scenario` checks)."""
        return self.copy(values={**self.values, name: value})

    def without(self, name: str) -> Package:
        """The package with one lever back at the base scenario's setting."""
        return self.copy(values={k: v for k, v in self.values.items() if k != name})

    def copy(self, **changes: Any) -> Package:
        """A copy with fields replaced."""
        fields = {"base": self.base, "base_path": self.base_path, "name": self.name,
                  "values": dict(self.values), "start": self.start, "ramp_months": self.ramp_months}  # fmt: skip
        return Package(**{**fields, **changes})

    def settings(self) -> dict[str, dict[str, Any]]:
        """The ``[levers]`` entries of the changed levers, as they are written to the file.

        A lever the base scenario already sets keeps its start, ramp and starting value (only
        its value changes); any other starts in ``start``, capacities ramping over
        ``ramp_months``.
        """
        out: dict[str, dict[str, Any]] = {}
        for name, value in self.changed().items():
            lever = LEVERS_BY_NAME[name]
            inherited = self.base.levers.get(name)
            if inherited is not None:
                entry = inherited.model_dump(by_alias=True, exclude_none=True)
                entry["value"] = value
            else:
                entry = {"value": value, "start": self.start}
                if lever.scales and self.ramp_months:
                    entry["ramp_months"] = int(self.ramp_months)
            out[name] = entry
        return out

    def scenario(self, source: str | None = None) -> Scenario:
        """The package as a validated scenario.

        Args:
            source: what the error messages name as the file (default: the package's name).

        Raises:
            ScenarioError: for any value outside what ``countysim validate`` accepts, with the
                same key path, value and rule.
        """
        data = self.base.model_dump(mode="python", by_alias=True)
        data["name"] = self.name
        n = len(self.changed())
        data["description"] = f"{self.base.name} with {n} lever{'s' * (n != 1)} changed in countysim app"
        levers = dict(data.get("levers") or {})
        levers.update(self.settings())
        data["levers"] = levers
        return validate_dict(data, source=source or f"package {self.name!r}")


def default_start(scenario: Scenario) -> str:
    """The month changed levers start in by default: two months after the horizon's start."""
    offset = min(DEFAULT_START_OFFSET, scenario.horizon.months - 1)
    return month_label(scenario.horizon.start_absolute + offset)


# ----------------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------------
def safe_file_name(text: str) -> str:
    """A file name (without folder) for a package: readable, Chinese kept, nothing that leaves the folder.

    Letters and digits of any script, ``-``, ``_`` and ``.`` are kept; anything else (separators,
    spaces, ``:``) becomes ``_``; runs of dots become one dot; leading and trailing dots, dashes
    and underscores are dropped; ``.toml`` is added.

    Raises:
        ValueError: if nothing usable is left, naming what is allowed.
    """
    stem = unicodedata.normalize("NFC", str(text)).strip()
    if stem.lower().endswith(".toml"):
        stem = stem[: -len(".toml")]
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)
    stem = re.sub(r"\.{2,}", ".", stem)
    stem = re.sub(r"_{2,}", "_", stem).strip("._-")[:MAX_FILE_NAME].strip("._-")
    if not stem:
        raise ValueError(
            f"file name {text!r} has no usable character; use letters (any script), digits, '-', '_' or '.'"
        )
    if stem.lower().split(".")[0] in _RESERVED:
        stem = f"{stem}_package"
    return f"{stem}.toml"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A scalar, list or inline table as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written to a scenario file")
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to TOML")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def to_toml(data: Mapping[str, Any], header: str = "") -> str:
    """A nested mapping as a TOML document (``None`` values are left out).

    Scalars and lists of a table come first, then its sub-tables as ``[a.b]`` sections, except
    the tables under ``levers``, which are written inline (one line per lever, as in the library).
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []

    def table(prefix: str, body: Mapping[str, Any]) -> None:
        scalars = {k: v for k, v in body.items() if v is not None and not isinstance(v, Mapping)}
        inline = prefix == "levers"
        tables = {k: v for k, v in body.items() if isinstance(v, Mapping)}
        if prefix and (scalars or (inline and tables)):
            lines.extend(["", f"[{prefix}]"])
        for k, v in scalars.items():
            lines.append(f"{_key(k)} = {toml_value(v)}")
        for k, v in tables.items():
            if inline:
                lines.append(f"{_key(k)} = {toml_value({a: b for a, b in v.items() if b is not None})}")
            else:
                table(f"{prefix}.{_key(k)}" if prefix else _key(k), v)

    table("", data)
    return "\n".join(lines).lstrip("\n") + "\n"


def package_toml(package: Package, path: Path) -> str:
    """The scenario file of a package saved at ``path``: ``extends`` the base plus the changed levers."""
    base = package.base_path.resolve()
    try:
        extends = Path(os.path.relpath(base, path.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): an absolute path
        extends = base.as_posix()
    scenario = package.scenario()
    data: dict[str, Any] = {"extends": extends, "name": package.name, "description": scenario.description}
    data["levers"] = package.settings()
    header = f"Policy package made with `countysim app` on {date.today().isoformat()}, from {package.base_path.name}."
    return to_toml(data, header)


class SaveError(ValueError):
    """The package cannot be saved: the message says why and what to do."""


def save_package(package: Package, folder: Path, file_name: str, overwrite: bool = False) -> tuple[Path, str]:
    """Write the package as a scenario file under ``folder``, check it as ``countysim validate`` does.

    The file is written next to its final place, loaded back and validated, then moved into place;
    a file that fails is removed, so nothing half-made is left.

    Returns:
        The file and the line ``countysim validate`` prints for it.

    Raises:
        SaveError: for a bad file name, an existing file (without ``overwrite``), a package that
            does not validate, or a folder that cannot be written.
    """
    try:
        name = safe_file_name(file_name)
    except ValueError as exc:
        raise SaveError(str(exc)) from None
    folder = Path(folder).resolve()
    path = folder / name
    if path.parent != folder:  # pragma: no cover - safe_file_name keeps separators out
        raise SaveError(f"{name!r} would leave the save folder {folder}")
    if path.exists() and not overwrite:
        raise SaveError(f"{path} exists; choose another file name or tick 'overwrite'")
    try:
        text = package_toml(package, path)
    except ScenarioError as exc:
        raise SaveError(str(exc)) from None
    tmp = folder / f".{name}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        spec = load_scenario(tmp)
        os.replace(tmp, path)
    except ScenarioError as exc:
        raise SaveError(str(exc).replace(str(tmp), str(path))) from None
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path, validate_line(path, spec)


def validate_line(path: Path, spec: Scenario) -> str:
    """What ``countysim validate`` prints for a valid file."""
    changed = ", ".join(spec.levers) or "none (status quo)"
    return (
        f"{path}: valid — scenario {spec.name!r}, {spec.horizon.start} + {spec.horizon.months} months, "
        f"seed {spec.seed}, hash {spec.content_hash()}\nlevers set: {changed}"
    )


def problem_lines(error: ScenarioError) -> list[str]:
    """The ``key = value: rule`` part of each problem of an error (without the file)."""
    return [describe_problem(key, value, msg) for _, key, value, msg in error.problems]
