"""Sweep files: a design over scenario parameters, validated, turned into runs as they are submitted.

A sweep file is a small TOML file next to the scenarios::

    base = "../full_action.toml"        # relative to the sweep file
    name = "training-settlement"        # experiment name in the store (default: the file's stem)
    design = "sobol"                    # grid | lhs | sobol | morris
    points = 64                         # see designs.POINTS_MEANING
    reps = 2                            # replications per point: seeds seed .. seed + reps - 1
    seed = 1                            # design and replication seed (default: the base's seed)
    months = 48                         # optional horizon override
    scale = 0.1                         # optional Scenario.scaled factor (a smaller county)
    levels = 4                          # optional, Morris only: grid levels (even)
    outcomes = ["settled_persons_cum", "public_school_share"]
    [parameters]
    "levers.s1_training_places_per_year.value" = [5000, 30000]
    "behaviour.settlement.base" = [-8.0, -5.0]
    "levers.p6_land_rights_kept" = [0, 1]   # a switch: off or on

A parameter is any numeric scenario key path; ``levers.<name>`` means ``levers.<name>.value``
(a lever's start and ramp in the base are kept). Ranges are in the base county's units: each
point's parameters are set first, then the whole scenario is scaled by ``scale``, so a scaled
sweep is the same sweep on a smaller county. Parameters whose scenario value is a whole number
are rounded. A **switch** lever (``Lever.kind == "switch"``) takes the range ``[0, 1]`` and is
sampled as a category, off (0) or on (1), never in between: a grid takes both, the other
designs map the unit interval to off below 0.5 and on from 0.5 (``designs`` explains why the
indices keep their meaning).

**Validation.** The file's schema is a pydantic model (:class:`SweepFile`, in the manner of the
scenario schema): unknown keys (with the nearest known one), wrong types, numbers out of range,
unknown indicators. Then what needs the base scenario: it loads, every parameter is a numeric key
path of it, both ends of every range are allowed (the base is built at each end, and scaled),
a switch's range is [0, 1], and the design fits in memory. Every problem is reported at once
(``SweepError``: file, key, value, what is allowed) before anything runs.

**Lazily.** Loading builds the design's sample matrix (``points × parameters`` floats) and no
point's scenario: points are built when their runs are submitted, ``CHUNK_RUNS`` runs at a time,
so a sweep of a million points needs its sample matrix and about ``BYTES_PER_RUN`` a run, not a
scenario per point; a design whose size would pass ``MEMORY_LIMIT`` is refused with the sizes.
Since every parameter's allowed values form an interval, a point inside ranges checked at both
ends is valid; should one still fail, the sweep stops there with ``SweepError`` and the runs
finished before it stay stored.

**From the store alone.** The experiment's stored spec (``run_experiment``'s ``description``)
holds the whole design (sample matrix in base64, parameter names, bounds, categories, seeds,
outcomes, the base scenario's hash), so that ``countysim sensitivity`` needs nothing else. A
point's runs are found by their scenario name (``<name>#p<point>``), and points with the same
parameter values (the same scenario, run once per seed) share them. Specs stored by earlier
versions, which listed every point's scenario hash, are read too.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from countysim.experiments.designs import DESIGNS, Design, make_design, n_points
from countysim.experiments.runner import Failure, RunSpec
from countysim.indicators import NAMES
from countysim.parameters.base import scaled_fields
from countysim.parameters.county import County
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.results import RunResult
from countysim.scenario import (
    NO_VALUE,
    InputProblems,
    LeverSetting,
    Scenario,
    ScenarioError,
    describe_problem,
)
from countysim.scenario import load as load_scenario

#: top-level keys of a sweep file and what each holds
KEYS = {
    "base": "scenario file to vary, relative to the sweep file",
    "name": "experiment name in the store",
    "description": "free text",
    "design": f"one of {', '.join(DESIGNS)}",
    "points": "design size (grid: values per parameter; lhs: points; sobol: base N; morris: trajectories)",
    "reps": "replications per point",
    "seed": "design and replication seed",
    "months": "horizon override",
    "scale": "Scenario.scaled factor",
    "levels": "Morris grid levels",
    "outcomes": "indicators to analyse",
    "parameters": "table of key path = [lo, hi]",
}
#: scenario keys that are not model parameters, or that the sweep sets itself
NOT_PARAMETERS = ("seed", "name", "description", "horizon", "source_file")
#: the largest seed (runs are stored with 64-bit signed seeds)
MAX_SEED = 2**63 - 1
#: the longest sweep name: the store keeps 200 characters, and each point's scenario adds #p<point>
MAX_NAME = 180
#: what a sweep may hold in memory: its sample matrix (a few copies while it is made and
#: stored) and about BYTES_PER_RUN a run
MEMORY_LIMIT = 4 * 2**30
#: what the driver holds per run: its key among those done and seen, its row of the outcomes
BYTES_PER_RUN = 1024
#: runs submitted to the executor at a time; their points' scenarios are built just before
CHUNK_RUNS = 4096
#: the most points :meth:`Sweep.specs` lists at once (each holds a scenario, ~35 kB)
MAX_LISTED_POINTS = 10_000
#: version of the stored spec's layout (1: point hashes listed; 2: runs found by name)
SPEC_VERSION = 2
#: what each top-level key must be, for messages
ALLOWED = {
    "base": "a scenario file name, relative to the sweep file",
    "name": f"a name of 1 to {MAX_NAME} characters on one line",
    "description": "a string",
    "design": f"one of {', '.join(DESIGNS)}",
    "points": "a whole number from 1",
    "reps": "a whole number from 1",
    "seed": f"a whole number from 0 to {MAX_SEED}",
    "months": "a whole number from 1 to 360",
    "scale": "a number in (0, 100] (1 = the base county's size)",
    "levels": "a whole number from 2 to 100",
    "outcomes": "a non-empty list of indicator names (`countysim indicators`)",
    "parameters": (
        'a non-empty table of scenario key path = [lo, hi], e.g. "behaviour.settlement.base" = [-8, -5]'
    ),
}


class SweepError(InputProblems):
    """A sweep file cannot be used. ``problems`` lists (file, key, value, message)."""

    subject = "sweep"


def _nearest(word: str, known: Any) -> str:
    """`` (did you mean 'x'?)`` for the known name nearest ``word`` (whole, or its start), or ``""``."""
    word = str(word)

    def score(name: str) -> tuple[float, float]:
        whole = difflib.SequenceMatcher(None, word, name).ratio()
        start = difflib.SequenceMatcher(None, word, name[: len(word) + 1]).ratio()  # "setled" → "settled_..."
        return max(whole, start), whole

    best = max(known, key=score, default=None)
    return f" (did you mean {best!r}?)" if best is not None and word and score(best)[0] >= 0.75 else ""


# ----------------------------------------------------------------------------------------
# The schema
# ----------------------------------------------------------------------------------------
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    if not (_is_int(v) or isinstance(v, float)):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:  # an int beyond any float
        return False


def _whole(key: str, lo: int, hi: int | None = None):
    def check(v: Any) -> int:
        if not _is_int(v) or v < lo or (hi is not None and v > hi):
            raise ValueError(f"must be {ALLOWED[key]}")
        return v

    return BeforeValidator(check)


def _string(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"must be {ALLOWED['description']}")
    return v


def _file_name(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"must be {ALLOWED['base']}")
    return v


def _name(v: Any) -> str:
    if not isinstance(v, str) or not v.strip() or len(v) > MAX_NAME:
        raise ValueError(f"must be {ALLOWED['name']}")
    if not v.isprintable():
        raise ValueError(f"holds control characters; must be {ALLOWED['name']}")
    return v


def _design(v: Any) -> str:
    if v not in DESIGNS:
        raise ValueError(
            f"unknown design{_nearest(v, DESIGNS) if isinstance(v, str) else ''}; allowed: {', '.join(DESIGNS)}"
        )
    return v


def _scale(v: Any) -> float:
    if not (_is_number(v) and 0 < v <= 100):
        raise ValueError(f"must be {ALLOWED['scale']}")
    return float(v)


def _outcome_list(v: Any) -> list:
    if not isinstance(v, list) or not v:
        raise ValueError(f"must be {ALLOWED['outcomes']}")
    return v


def _indicator(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("must be an indicator name (a string)")
    if v not in NAMES:
        raise ValueError(f"unknown indicator{_nearest(v, NAMES)}; allowed: {', '.join(NAMES)}")
    return v


def _unique(v: list[str]) -> list[str]:
    twice = sorted({o for o in v if v.count(o) > 1})
    if twice:
        raise ValueError(f"listed more than once: {', '.join(twice)}")
    return v


def _table(v: Any) -> dict:
    if not isinstance(v, dict) or not v:
        raise ValueError(f"must be {ALLOWED['parameters']}")
    return v


def _range(v: Any) -> tuple[float, float]:
    if not (isinstance(v, list) and len(v) == 2 and all(_is_number(x) for x in v)):
        raise ValueError("must be a range [lo, hi] of two finite numbers")
    lo, hi = v
    if not lo < hi:
        raise ValueError("the lower bound must be below the upper bound")
    return float(lo), float(hi)


class _At(ValueError):
    """Carries the key of a problem found across fields out of the model validator."""

    def __init__(self, key: str, value: Any, msg: str) -> None:
        super().__init__(msg)
        self.key, self.value, self.msg = key, value, msg


class SweepFile(BaseModel):
    """The schema of a sweep file (the module's docstring shows one).

    Every field checks its own value; the model checks what involves two (``levels`` only for
    Morris, the last replication's seed). Unknown keys are errors.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    base: Annotated[str, BeforeValidator(_file_name)]
    name: Annotated[str | None, BeforeValidator(_name)] = None
    description: Annotated[str, BeforeValidator(_string)] = ""
    design: Annotated[str, BeforeValidator(_design)]
    points: Annotated[int, _whole("points", 1)]
    reps: Annotated[int, _whole("reps", 1)] = 1
    seed: Annotated[int | None, _whole("seed", 0, MAX_SEED)] = None
    months: Annotated[int | None, _whole("months", 1, 360)] = None
    scale: Annotated[float | None, BeforeValidator(_scale)] = None
    levels: Annotated[int | None, _whole("levels", 2, 100)] = None
    outcomes: Annotated[
        list[Annotated[str, BeforeValidator(_indicator)]],
        BeforeValidator(_outcome_list),
        AfterValidator(_unique),
    ]
    parameters: Annotated[
        dict[str, Annotated[tuple[float, float], BeforeValidator(_range)]], BeforeValidator(_table)
    ]

    @model_validator(mode="after")
    def _across(self) -> SweepFile:
        if self.levels is not None and self.design != "morris":
            raise _At("levels", self.levels, "applies only to design = 'morris'")
        if self.seed is not None and self.seed + self.reps - 1 > MAX_SEED:
            raise _At(
                "seed", self.seed,
                f"with reps = {self.reps} the last replication's seed would pass {MAX_SEED}; "
                f"allowed up to {MAX_SEED - self.reps + 1}",
            )  # fmt: skip
        return self


def _toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted (``"a.b"``, ``""``)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _key(loc: tuple) -> str:
    """A pydantic location as the sweep file's key: ``parameters."a.b"``, ``outcomes[1]``."""
    out = ""
    for k, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif k == 0:
            out = _toml_key(str(part))
        elif out == "parameters":
            out += "." + _toml_key(str(part))
        # a further string is pydantic's name for a union member or a tuple position: not a key
    return out or "(top)"


def _schema_problems(exc: ValidationError, shown: str, raw: dict) -> list[tuple[str, str, Any, str]]:
    problems = []
    for err in exc.errors():
        ctx = (err.get("ctx") or {}).get("error")
        if isinstance(ctx, _At):
            problems.append((shown, ctx.key, ctx.value, ctx.msg))
            continue
        loc = tuple(err["loc"])
        key = _key(loc)
        value = err.get("input", NO_VALUE)
        if err["type"] == "missing":
            problems.append((shown, key, NO_VALUE, f"missing; give {ALLOWED.get(key, 'a value')}"))
        elif err["type"] == "extra_forbidden":
            msg = f"unknown key{_nearest(key, KEYS)}; allowed: {', '.join(KEYS)}"
            problems.append((shown, key, value, msg))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] != "value_error" and key in ALLOWED:  # a type pydantic itself refused
                msg = f"must be {ALLOWED[key]}"
            problems.append((shown, key, value, msg))
    return problems


def _salvage(raw: dict, failed: set[str]) -> dict[str, Any]:
    """The fields that passed the schema, validated alone (so that the rest can still be checked)."""
    out: dict[str, Any] = {}
    for name, info in SweepFile.model_fields.items():
        if name in failed:
            continue
        if name in raw:
            try:
                out[name] = TypeAdapter(info.rebuild_annotation()).validate_python(raw[name])
            except ValidationError:  # pragma: no cover - it passed within the model
                continue
        elif not info.is_required():
            out[name] = info.default
    return out


# ----------------------------------------------------------------------------------------
# A validated sweep
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    """One swept scenario key path and its range (``categories``: the values of a switch)."""

    path: str
    lo: float
    hi: float
    integer: bool = False
    categories: tuple[float, ...] | None = None

    def value(self, x: float) -> float | int:
        """The scenario value at design coordinate ``x`` (whole numbers rounded)."""
        return round(float(x)) if self.integer else float(x)


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: base scenario, parameters, design, replications, outcomes.

    Attributes:
        file: the sweep file.
        name: experiment name in the store.
        base_file: the base scenario file.
        base: the base scenario with the horizon override applied (not scaled).
        parameters: the swept key paths, in design column order.
        design: the design's points.
        reps: replications per point.
        seed: design seed and first replication seed.
        scale: ``Scenario.scaled`` factor applied to every point, or ``None``.
        outcomes: indicators analysed at the horizon.
        notes: remarks that are not errors (e.g. a Sobol' N that is not a power of 2).
        text: the sweep file as read (stored with the experiment, for the record).
    """

    file: Path
    name: str
    base_file: Path
    base: Scenario
    parameters: tuple[Parameter, ...]
    design: Design
    reps: int
    seed: int
    scale: float | None
    outcomes: tuple[str, ...]
    notes: tuple[str, ...] = ()
    text: str = field(default="", repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The swept key paths."""
        return tuple(p.path for p in self.parameters)

    @property
    def seeds(self) -> list[int]:
        """Replication seeds, common to every point."""
        return [self.seed + r for r in range(self.reps)]

    @property
    def months(self) -> int:
        """The horizon every run simulates."""
        return self.base.horizon.months

    @property
    def runs(self) -> int:
        """Every point on every replication seed (points with the same values run once)."""
        return self.design.n * self.reps

    @property
    def scenario_prefix(self) -> str:
        """Point ``i``'s scenario is named ``<prefix><i>``: how the store's runs find their point."""
        return f"{self.name}#p"

    def params(self, i: int) -> dict[str, float | int]:
        """The scenario values of point ``i``."""
        return {p.path: p.value(x) for p, x in zip(self.parameters, self.design.samples[i], strict=True)}

    def scenario(self, i: int) -> Scenario:
        """The scenario of point ``i``: the base with its parameters set, then scaled.

        Raises:
            SweepError: if the point's scenario is invalid.
        """
        params = self.params(i)
        try:
            scenario = self.base.replace(**params, name=f"{self.scenario_prefix}{i}")
            return scenario if self.scale is None else scenario.scaled(self.scale)
        except (ValueError, OverflowError) as exc:
            raise SweepError(
                [(str(self.file), f"parameters (design point {i})", params, _reason(exc))]
            ) from None

    def iter_specs(self, start: int = 0, stop: int | None = None) -> Iterator[RunSpec]:
        """The runs of points ``start`` to ``stop - 1``, each point's scenario built as it comes.

        Each point on each replication seed, meta ``{point, params, replicate}``.
        """
        for i in range(start, self.design.n if stop is None else min(stop, self.design.n)):
            scenario, params = self.scenario(i), self.params(i)
            for r, seed in enumerate(self.seeds):
                yield RunSpec(scenario, seed, {"point": i, "params": params, "replicate": r})

    def specs(self) -> list[RunSpec]:
        """Every run, as a list (each point's scenario is built and held: small sweeps only).

        Raises:
            SweepError: above ``MAX_LISTED_POINTS`` points (use :meth:`iter_specs` or :func:`execute`).
        """
        if self.design.n > MAX_LISTED_POINTS:
            raise SweepError(
                [(str(self.file), "points", self.design.points,
                  f"the design has {self.design.n:,} points; listing every run holds every point's "
                  f"scenario (~35 kB each), so at most {MAX_LISTED_POINTS:,} are listed: use "
                  "Sweep.iter_specs() or experiments.sweep.execute(), which build them as they are submitted")]
            )  # fmt: skip
        return list(self.iter_specs())

    def description(self) -> dict[str, Any]:
        """The experiment's stored spec: everything ``sensitivity`` needs, JSON-serialisable."""
        return {
            "spec_version": SPEC_VERSION,
            "sweep_file": str(self.file),
            "sweep_text": self.text,
            "base_file": str(self.base_file),
            "base_scenario": self.base.name,
            "base_hash": self.base.content_hash(),
            **self.design.to_dict(),
            "integer": [p.integer for p in self.parameters],
            "reps": self.reps,
            "seeds": self.seeds,
            "months": self.months,
            "scale": self.scale,
            "outcomes": list(self.outcomes),
            "scenario_prefix": self.scenario_prefix,
        }


# ----------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------
def _reason(exc: Exception) -> str:
    """A scenario error's problems without the file prefix, on one line each."""
    if isinstance(exc, ScenarioError):
        return "; ".join(describe_problem(key, value, msg) for _file, key, value, msg in exc.problems)
    return str(exc)


def _lookup(data: Any, keys: list[str]) -> Any:
    for k in keys:
        if not isinstance(data, dict) or k not in data:
            return NO_VALUE
        data = data[k]
    return data


def _normalise(path: str) -> str:
    parts = path.split(".")
    return f"{path}.value" if len(parts) == 2 and parts[0] == "levers" else path


def _read(file: Path, shown: str) -> tuple[str, dict]:
    """The file's text and its TOML table, or the reason it has none."""
    if not file.exists():
        raise SweepError([(shown, "(file)", NO_VALUE, "no such sweep file")])
    if not file.is_file():
        raise SweepError([(shown, "(file)", NO_VALUE, "not a file; give a sweep file (TOML)")])
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SweepError([(shown, "(file)", NO_VALUE, f"cannot read it: {exc.strerror or exc}")]) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SweepError([(shown, "(encoding)", NO_VALUE, "UTF-16 text; save the file as UTF-8")])
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is allowed
    except UnicodeDecodeError as exc:
        raise SweepError(
            [
                (
                    shown,
                    "(encoding)",
                    NO_VALUE,
                    f"not UTF-8 text (byte {exc.start}); a sweep file is TOML in UTF-8",
                )
            ]
        ) from None
    if "\x00" in text:
        raise SweepError(
            [
                (
                    shown,
                    "(encoding)",
                    NO_VALUE,
                    "holds NUL characters: not a text file, or UTF-16; save it as UTF-8",
                )
            ]
        )
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepError([(shown, "(syntax)", NO_VALUE, f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise SweepError([(shown, "(syntax)", NO_VALUE, "values nested too deeply to read")]) from None


def _path_problem(dumped: dict, parts: list[str]) -> str | None:
    """Why ``parts`` names no value of the base scenario (with the nearest key), or None."""
    if parts[0] == "levers":
        if len(parts) != 3:
            return "a lever's key path is levers.<lever> or levers.<lever>.<value | from | ramp_months>"
        if parts[1] not in LEVERS_BY_NAME:
            return f"unknown lever{_nearest(parts[1], LEVERS_BY_NAME)}; allowed: {', '.join(LEVERS_BY_NAME)}"
        fields = [f.alias or n for n, f in LeverSetting.model_fields.items()]
        if parts[2] not in fields:
            return f"unknown key {parts[2]!r} of a lever{_nearest(parts[2], fields)}; allowed: {', '.join(fields)}"
        return None
    node: Any = dumped
    for depth, part in enumerate(parts):
        if not isinstance(node, dict):
            return f"{'.'.join(parts[:depth])} is a number or text, not a table: give a key path down to a number"
        if part not in node:
            where = ".".join(parts[:depth]) or "the scenario"
            known = sorted(node)
            return (
                f"unknown key {part!r} under {where}{_nearest(part, known)}; allowed here: {', '.join(known)}"
            )
        node = node[part]
    return None


def _lever_value(base: Scenario, parts: list[str]) -> Any:
    """The current value of ``levers.<lever>.<field>``, with the lever's defaults where the base sets none."""
    lever = LEVERS_BY_NAME[parts[1]]
    setting = base.levers.get(parts[1])
    if setting is None:
        return {"value": lever.status_quo, "from": lever.status_quo, "ramp_months": 0}.get(parts[2], NO_VALUE)
    if parts[2] == "from":
        return lever.status_quo if setting.from_value is None else setting.from_value
    return getattr(setting, parts[2], NO_VALUE)


def _check_parameters(
    table: dict[str, tuple[float, float]], base: Scenario | None, scale: float | None, shown: str, bad
) -> list[Parameter]:
    """The parameters whose path and both ends are allowed on the base scenario (problems to ``bad``)."""
    parameters: list[Parameter] = []
    dumped = base.model_dump(by_alias=True) if base is not None else {}
    seen: dict[str, str] = {}
    for key, (lo, hi) in table.items():
        where = f"parameters.{_toml_key(key)}"
        shown_range = [lo, hi]
        path = _normalise(key)
        parts = path.split(".")
        if path in seen:
            bad(where, shown_range, f"the same parameter as {seen[path]!r}")
            continue
        seen[path] = key
        if parts[0] in NOT_PARAMETERS:
            why = {"seed": "the sweep sets the seeds itself (seed = ..., reps = ...)",
                   "horizon": "the sweep sets the horizon itself (months = ...)"}  # fmt: skip
            bad(where, shown_range, f"not a model parameter: {why.get(parts[0], 'it does not change a run')}")
            continue
        if base is None:
            continue
        if (why := _path_problem(dumped, parts)) is not None:
            bad(where, shown_range, why)
            continue
        current = _lever_value(base, parts) if parts[0] == "levers" else _lookup(dumped, parts)
        if isinstance(current, dict | list | tuple | str | bool) or current is None or current is NO_VALUE:
            bad(
                where,
                shown_range,
                "not a numeric parameter: give a key path down to a number (`countysim params`)",
            )
            continue
        categories = None
        lever = LEVERS_BY_NAME.get(parts[1]) if parts[0] == "levers" else None
        if lever is not None and lever.kind == "switch" and parts[2] in ("value", "from"):
            if (lo, hi) != (0.0, 1.0):
                bad(
                    where,
                    shown_range,
                    f"{lever.name} is a switch, sampled off (0) or on (1): give the range [0, 1]",
                )
                continue
            categories = (0.0, 1.0)
        param = Parameter(path, lo, hi, integer=_is_int(current), categories=categories)
        for which, bound in (("lower", lo), ("upper", hi)):
            try:
                probe = base.replace(**{path: param.value(bound)})
                if scale is not None:
                    probe.scaled(scale)
            except (ValueError, OverflowError) as exc:  # ScenarioError, or a count too large to scale
                bad(where, shown_range, f"{which} bound not allowed: {_reason(exc)}")
                break
        else:
            parameters.append(param)
    return parameters


def _size(kind: str, points: int, parameters: list[Parameter], reps: int) -> tuple[int, int]:
    """The design's points and the bytes a sweep of it holds (see ``MEMORY_LIMIT``)."""
    n = n_points(kind, points, len(parameters), [p.categories for p in parameters])
    return n, 3 * 8 * n * len(parameters) + BYTES_PER_RUN * n * reps


def _gib(size: int) -> str:
    gib = size / 2**30
    return f"{gib:,.1f} GiB" if gib < 1e6 else f"{gib:.1e} GiB"


def _collapsed(sweep: Sweep) -> list[tuple[str, Any, str]]:
    """Integer county parameters whose distinct values the scale rounds together (the same county)."""
    if sweep.scale is None:
        return []
    scaling = set(scaled_fields(County, "county."))
    out = []
    for j, p in enumerate(sweep.parameters):
        if not (p.integer and p.path in scaling):
            continue
        values = np.unique(np.round(sweep.design.samples[:, j]))
        scaled = np.unique(np.round(values * sweep.scale))
        if len(scaled) < len(values):
            out.append((
                f"parameters.{_toml_key(p.path)}", [p.lo, p.hi],
                f"at scale {sweep.scale:g} its {len(values)} whole-number values give only {len(scaled)} "
                f"different counties (each rounded to a whole number after scaling), so different points "
                "would be the same run; widen the range, use fewer points or a larger scale",
            ))  # fmt: skip
    return out


def load_sweep(
    path: str | Path, seed: int | None = None, months: int | None = None, name: str | None = None
) -> Sweep:
    """Read and validate a sweep file and make its design (no point's scenario is built yet).

    Args:
        path: the sweep file (TOML).
        seed: overrides the file's ``seed`` (``--seed``).
        months: simulate only the first ``months`` of the sweep's horizon (``--months``; at most
            the file's ``months``, or the base scenario's horizon).
        name: overrides the file's ``name`` (``--name``).

    Raises:
        SweepError: with every problem found, each naming file, key, value and what is allowed.
    """
    file = Path(path)
    shown = str(file)
    text, raw = _read(file, shown)
    problems: list[tuple[str, str, Any, str]] = []

    def bad(key: str, value: Any, msg: str) -> None:
        problems.append((shown, key, value, msg))

    try:
        values = dict(SweepFile.model_validate(raw))
    except ValidationError as exc:
        problems += _schema_problems(exc, shown, raw)
        failed = {re.split(r"[.\[]", key, maxsplit=1)[0] for _, key, _, _ in problems}
        values = _salvage(raw, failed)

    # the options, checked as the file's keys are
    if seed is not None and not (_is_int(seed) and 0 <= seed <= MAX_SEED - values.get("reps", 1) + 1):
        bad("--seed", seed, f"must be a whole number from 0 to {MAX_SEED - values.get('reps', 1) + 1}")
        seed = None
    if name is not None:
        try:
            _name(name)
        except ValueError as exc:
            bad("--name", name, str(exc))
            name = None
    elif "name" not in raw and len(file.stem) > MAX_NAME:
        bad(
            "name",
            NO_VALUE,
            f"missing, and the file's name is longer than {MAX_NAME} characters; give name = ...",
        )

    # the base scenario and its horizon
    base: Scenario | None = None
    base_file: Path | None = None
    if "base" in values:
        base_file = (file.parent / values["base"]).resolve()
        if not base_file.is_file():
            bad("base", values["base"], f"no such scenario file (looked for {base_file})")
        else:
            try:
                base = load_scenario(base_file)
            except (ValueError, OSError, RecursionError) as exc:  # ScenarioError, or a file it cannot read
                bad("base", values["base"], f"the base scenario is invalid: {_reason(exc)}")
    if base is not None and values.get("months") is not None:
        try:
            base = base.replace(**{"horizon.months": values["months"]})
        except ScenarioError as exc:
            bad("months", values["months"], _reason(exc))
            base = None
    if base is not None and months is not None:
        horizon = base.horizon
        if not (_is_int(months) and 1 <= months <= horizon.months):
            bad("--months", months,
                f"longer than the sweep's horizon ({horizon.months} months, {horizon.start} to {horizon.end}); "
                f"--months keeps only the first M months: allowed 1 to {horizon.months}")  # fmt: skip
            base = None
        else:
            try:
                base = base.replace(**{"horizon.months": months})
            except ScenarioError as exc:  # a lever starting after the shortened horizon
                bad("--months", months, _reason(exc))
                base = None

    scale = values.get("scale")
    probe_scale = scale
    if base is not None and scale is not None:
        try:
            base.scaled(scale)
        except (ValueError, OverflowError) as exc:
            bad("scale", scale, f"the base scenario at this scale is invalid: {_reason(exc)}")
            probe_scale = None  # the ranges are still checked, on the base as it is
    parameters = _check_parameters(values.get("parameters", {}), base, probe_scale, shown, bad)
    kind = values.get("design")
    if kind == "morris" and any(p.categories for p in parameters) and (values.get("levels") or 4) % 2:
        switch = next(p.path for p in parameters if p.categories)
        bad("levels", values.get("levels"),
            f"{switch} is a switch: Morris needs an even number of levels so that every step switches it; "
            "allowed 2, 4, 6, ...")  # fmt: skip
    if (
        kind is not None
        and "points" in values
        and parameters
        and len(parameters) == len(values["parameters"])
    ):
        n, held = _size(kind, values["points"], parameters, values.get("reps", 1))
        if held > MEMORY_LIMIT:
            bad("points", values["points"],
                f"the {kind} design has {n:,} points × {values.get('reps', 1):,} replications; holding its sample "
                f"matrix and its runs would take about {_gib(held)}, more than the {_gib(MEMORY_LIMIT)} a sweep "
                "may hold; use fewer points or replications, or split the sweep into several")  # fmt: skip
    if problems:
        raise SweepError(problems)
    assert base is not None and base_file is not None and kind is not None

    seed_used = seed if seed is not None else values["seed"] if values.get("seed") is not None else base.seed
    if seed_used + values["reps"] - 1 > MAX_SEED:
        raise SweepError([(shown, "seed", base.seed, f"the base scenario's seed with reps = {values['reps']} "
                                                     f"passes {MAX_SEED}; give seed = ... in the sweep file")])  # fmt: skip
    points = values["points"]
    notes = []
    if kind == "sobol" and points & (points - 1):
        notes.append(
            f"points = {points}: Sobol' sequences converge best when N is a power of 2 "
            f"(e.g. {1 << points.bit_length()})"
        )
    design = make_design(
        kind,
        [p.path for p in parameters],
        [(p.lo, p.hi) for p in parameters],
        points,
        seed_used,
        values.get("levels") or 4,
        [p.categories for p in parameters],
    )
    sweep = Sweep(
        file=file,
        name=name if name is not None else values.get("name") or file.stem,
        base_file=base_file,
        base=base,
        parameters=tuple(parameters),
        design=design,
        reps=values["reps"],
        seed=int(seed_used),
        scale=scale,
        outcomes=tuple(values["outcomes"]),
        notes=tuple(notes),
        text=text,
    )
    if collapsed := _collapsed(sweep):
        raise SweepError([(shown, key, value, msg) for key, value, msg in collapsed])
    return sweep


# ----------------------------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------------------------
@dataclass
class SweepRun:
    """What running a sweep did.

    Attributes:
        done: runs finished now.
        skipped: runs skipped because the store holds them.
        distinct: distinct (scenario, seed) runs of the design (points with the same values share).
        failures: runs that raised (stored as failed).
        results: the runs finished now, if kept (``keep_results``).
    """

    done: int = 0
    skipped: int = 0
    distinct: int = 0
    failures: list[Failure] = field(default_factory=list)
    results: list[RunResult] = field(default_factory=list)


def execute(
    sweep: Sweep, store=None, executor=None, progress: bool = False, keep_results: bool = False
) -> SweepRun:
    """Run every point of a sweep not yet stored, building points as their runs are submitted.

    Points go to the runner (``run_experiment``) ``CHUNK_RUNS`` runs at a time, each chunk's
    scenarios built just before, so memory holds one chunk of scenarios, not the design's.

    Args:
        sweep: from :func:`load_sweep`.
        store: a ``ResultsStore``; stored runs are skipped (``check_resumable`` first).
        executor: any ``concurrent.futures.Executor`` (default: a local process pool).
        progress: a progress bar per chunk of runs.
        keep_results: keep the finished runs' results (they are stored either way).

    Raises:
        SweepError: if a point's scenario is invalid (the runs finished before it are stored).
    """
    from countysim.experiments.runner import default_executor, run_experiment

    description = sweep.description()
    per = max(1, CHUNK_RUNS // sweep.reps)
    own = executor is None
    pool = default_executor() if own else executor
    out = SweepRun()
    seen: set[tuple[str, int]] = set()
    try:
        for start in range(0, sweep.design.n, per):
            try:
                chunk = [s for s in sweep.iter_specs(start, start + per) if s.key not in seen]
            except SweepError as exc:
                file, key, value, msg = exc.problems[0]
                raise SweepError([(file, key, value, f"{msg}. The sweep stopped at this point; the {out.done} "
                                                     "runs finished before it are stored")]) from None  # fmt: skip
            keys = {s.key for s in chunk}
            results, failures = run_experiment(
                sweep.name, chunk, store=store, executor=pool, kind="sweep", description=description,
                progress=progress,
            )  # fmt: skip
            seen |= keys
            out.done += len(results)
            out.failures += failures
            out.skipped += len(keys) - len(results) - len(failures)
            if keep_results:
                out.results += results
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    out.distinct = len(seen)
    return out


def run_sweep(
    path: str | Path,
    store=None,
    executor=None,
    seed: int | None = None,
    months: int | None = None,
    progress: bool = False,
    name: str | None = None,
) -> tuple[list[RunResult], list[Failure]]:
    """Run a sweep file from Python: the same as ``countysim sweep``, on any executor.

    Returns the runs done now and the failures (stored runs are skipped when ``store`` is given).
    The runs done now are returned, so they are held: for a large sweep use :func:`execute`.
    """
    sw = load_sweep(path, seed=seed, months=months, name=name)
    if store is not None:
        check_resumable(store, sw)
    done = execute(sw, store=store, executor=executor, progress=progress, keep_results=True)
    return done.results, done.failures


# ----------------------------------------------------------------------------------------
# Resuming, and reading a sweep back from the store
# ----------------------------------------------------------------------------------------
#: what must match for a stored sweep to be resumed by a sweep file
SAME_DESIGN = ("design", "names", "bounds", "seeds", "levels", "integer", "months", "scale", "base_hash")


def check_resumable(store, sweep: Sweep) -> None:
    """Refuse to add this sweep's runs to a stored experiment with another design.

    Raises:
        SweepError: if experiment ``sweep.name`` exists and was not made by the same design on
            the same base scenario (and code: a change to the scenario schema changes its hash).
    """
    if sweep.name not in set(store.experiments()["name"]):
        return
    stored = store.experiment_spec(sweep.name) or {}
    new = sweep.description()
    if stored.get("spec_version") is not None and "samples" in stored:
        old_design, new_design = Design.from_dict(stored), sweep.design
        same = all(stored.get(k) == new[k] for k in SAME_DESIGN if k in stored) and (
            (old_design.categories or ()) == (new_design.categories or ())
            and np.array_equal(old_design.samples, new_design.samples)
        )
        if same:
            return
        made = f"design {stored.get('design')!r} of {stored.get('names')} with seeds {stored.get('seeds')}"
        if stored.get("base_hash") != new["base_hash"]:
            made += f" on another base scenario or model version (base hash {stored.get('base_hash')}, now {new['base_hash']})"
    else:
        made = "not by a sweep"
    raise SweepError(
        [
            (
                str(sweep.file),
                "name",
                sweep.name,
                f"the results store at {store.url} already holds an experiment of this name, "
                f"made {made}; resuming it with another design would mix the two. Give this "
                "sweep another name (name = ... or --name), or use another --db",
            )
        ]
    )


def design_rows(spec: dict[str, Any]) -> pd.DataFrame:
    """One row per (point, replicate) of a stored sweep spec: point, replicate, seed, params."""
    design = Design.from_dict(spec)
    integer = spec.get("integer", [False] * len(design.names))
    seeds = list(spec["seeds"])
    n, reps = design.n, len(seeds)
    frame = pd.DataFrame(
        {
            "point": np.repeat(np.arange(n), reps),
            "replicate": np.tile(np.arange(reps), n),
            "seed": np.tile(np.asarray(seeds, dtype=np.int64), n),
        }
    )
    for j, name in enumerate(design.names):
        values = np.round(design.samples[:, j]).astype(np.int64) if integer[j] else design.samples[:, j]
        frame[name] = np.repeat(values, reps)
    return frame


def point_hashes(spec: dict[str, Any], runs: pd.DataFrame) -> np.ndarray:
    """Each design point's scenario hash (None where no run of it is stored).

    A spec of version 1 lists them. From version 2 they come from the stored runs, whose scenario
    is named ``<prefix><point>``; points with the same parameter values are the same scenario,
    run once per seed under one of their names, so they share its hash.
    """
    if "point_hashes" in spec:
        return np.asarray(spec["point_hashes"], dtype=object)
    design = Design.from_dict(spec)
    integer = spec.get("integer", [False] * len(design.names))
    values = np.column_stack(
        [
            np.round(design.samples[:, j]) if integer[j] else design.samples[:, j]
            for j in range(len(design.names))
        ]
    )
    _, group = np.unique(values, axis=0, return_inverse=True)
    group = group.reshape(-1)
    by_group: dict[int, str] = {}
    pattern = re.compile(re.escape(spec["scenario_prefix"]) + r"(\d+)$")
    ordered = runs.assign(_done=runs["status"] != "done").sort_values("_done", kind="stable")  # done first
    for scenario_name, scenario_hash in zip(ordered["scenario_name"], ordered["scenario_hash"], strict=True):
        found = pattern.match(str(scenario_name))
        if found and int(found.group(1)) < design.n:
            by_group.setdefault(int(group[int(found.group(1))]), scenario_hash)
    return np.asarray([by_group.get(int(g)) for g in group], dtype=object)


def sweep_results(store, name: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """A stored sweep's spec and its runs: one row per (point, replicate).

    Columns: ``point, replicate, seed, <parameters>, status`` (``done``, ``failed`` or
    ``missing``), then the final value of every indicator of the catalogue (and any other stored
    one), NaN unless the run is done.

    Raises:
        StoreError: if the experiment is unknown.
        SweepError: if it was not made by a sweep.
    """
    spec = store.experiment_spec(name)
    if not spec or spec.get("spec_version") is None or "samples" not in spec:
        kinds = store.experiments().set_index("name")["kind"]
        raise SweepError(
            [
                (
                    store.url,
                    "experiment",
                    name,
                    f"holds no sweep design (its kind is {kinds.get(name)!r}); "
                    "analyse an experiment made by `countysim sweep`",
                )
            ]
        )
    rows = design_rows(spec)
    runs = store.runs(name)
    reps = len(spec["seeds"])
    rows["scenario_hash"] = np.repeat(point_hashes(spec, runs), reps)
    status = {
        (h, int(s)): st for h, s, st in zip(runs["scenario_hash"], runs["seed"], runs["status"], strict=True)
    }
    keys = zip(rows["scenario_hash"], rows["seed"].astype(int), strict=True)
    rows["status"] = [status.get(k, "missing") for k in keys]
    finals = store.summaries(experiment=name)
    indicators = [c for c in finals.columns if c not in ("run_id", "scenario_name", "scenario_hash", "seed")]
    finals = finals.assign(seed=finals["seed"].astype(np.int64)).drop(columns=["run_id", "scenario_name"])
    merged = rows.merge(finals, on=["scenario_hash", "seed"], how="left")
    merged.loc[merged["status"] != "done", indicators] = np.nan
    # every catalogue indicator has a column, even before any run is done
    ordered = [*NAMES, *sorted(n for n in indicators if n not in NAMES)]
    return spec, merged.reindex(columns=["point", "replicate", "seed", *spec["names"], "status", *ordered])
