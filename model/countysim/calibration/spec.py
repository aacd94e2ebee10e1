"""Calibration files: what to estimate, from which prior, against which observations, how.

A calibration file is a small TOML file (``calibrations/*.toml``)::

    base = "../scenarios/validation/from_2019.toml"   # relative to this file
    name = "nbs-2019-2022"          # the ensemble's name in the store (default: the file's stem)
    scale = 0.03                    # Scenario.scaled factor of every simulation (a smaller county)
    reps = 1                        # replications per evaluated parameter set
    seed = 2019                     # proposals and replication seeds (default: the base's seed)
    months = 48                     # optional horizon override

    [method]                        # ABC-SMC (pyabc); every key optional
    population = 60                 # accepted particles per generation
    generations = 4                 # at most this many generations
    min_epsilon = 1.0               # stop when ε (the distance below) falls to this
    max_simulations = 2000          # stop after this many evaluated parameter sets
    quantile = 0.5                  # ε of a generation: this quantile of the last one's distances
    screen_trajectories = 6         # --screen: Morris trajectories over the priors' ranges
    screen_keep = 3                 # --screen: estimate only the parameters that move the targets most

    [parameters]                    # any numeric scenario key path
    "behaviour.settlement.base" = {}                              # uniform over the schema's range
    "behaviour.labour.p_return_home" = { range = [0.2, 0.7] }     # uniform over [0.2, 0.7]
    "behaviour.labour.match_efficiency" = { prior = "normal", mean = 0.3, sd = 0.1 }  # truncated to its range

    [[target]]
    indicator = "survey_mean_age"   # any indicator; the survey_* ones use the NBS survey's definitions
    year = 2022                     # the annual mean of a year; or month = "2022-06"; or trend = [2019, 2022]
    value = 42.3
    se = 0.4                        # standard error, or tolerance = ... (half-width of what is acceptable)
    source = "NBS 2022 monitoring report"

    [[target]]
    plausibility = "level:survey_local_share"   # a check of countysim.plausibility, as it stands

A ``trend`` target is the change a year between the annual means of its two years (``relative
= true``: the growth rate a year), as ``countysim.plausibility`` computes it. A ``plausibility``
target takes a check of that module (``level:<indicator>`` or ``trend:<indicator>``): its
indicator, years and definition, with the centre of the range the check allows as the value and
half its width as the tolerance (the range already says how far one county may sit from the
nation, and why).

Every problem is reported at once, each naming the file, the key, the value and what is
allowed (``CalibrationError``), before anything runs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from countysim.experiments.sweep import (
    MAX_SEED,
    SweepError,
    _check_parameters,
    _is_int,
    _is_number,
    _nearest,
    _normalise,
    _path_problem,
    _read,
    _reason,
    _toml_key,
)
from countysim.indicators import NAMES
from countysim.parameters.base import NO_VALUE
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.scenario import InputProblems, Scenario, ScenarioError
from countysim.scenario import load as load_scenario

#: top-level keys of a calibration file and what each holds
KEYS = {
    "base": "scenario file to calibrate, relative to the calibration file",
    "name": "the ensemble's name in the store",
    "description": "free text",
    "scale": "Scenario.scaled factor of every simulation",
    "reps": "replications per evaluated parameter set",
    "seed": "seed of the proposals and replications",
    "months": "horizon override",
    "method": "table of ABC-SMC settings",
    "parameters": "table of key path = { prior, range, mean, sd }",
    "target": "array of [[target]] tables",
}
#: keys of the [method] table, their defaults and what each must be
METHOD = {
    "population": (60, "a whole number from 5 to 100000 (accepted particles per generation)"),
    "generations": (4, "a whole number from 1 to 100 (at most this many generations)"),
    "min_epsilon": (1.0, "a number from 0 (stop when ε falls to it)"),
    "max_simulations": (100_000, "a whole number from 1 (stop after this many evaluated parameter sets)"),
    "quantile": (0.5, "a number in (0, 1) (ε of a generation: this quantile of the last one's distances)"),
    "screen_trajectories": (6, "a whole number from 2 to 1000 (Morris trajectories of --screen)"),
    "screen_keep": (3, "a whole number from 1 (parameters --screen keeps)"),
}
PRIOR_KEYS = ("prior", "range", "mean", "sd")
PRIORS = ("uniform", "normal")
TARGET_KEYS = (
    "indicator", "year", "month", "trend", "relative", "value", "se", "tolerance", "source", "plausibility",
)  # fmt: skip
#: the longest ensemble name (the store keeps 200 characters; the experiment adds ``calibration:``)
MAX_NAME = 180


class CalibrationError(InputProblems):
    """A calibration file cannot be used. ``problems`` lists (file, key, value, message)."""

    subject = "calibration"


@dataclass(frozen=True)
class Prior:
    """The prior of one estimated parameter: uniform on [lo, hi], or a normal truncated to it."""

    path: str
    lo: float
    hi: float
    kind: str = "uniform"
    mean: float | None = None
    sd: float | None = None
    integer: bool = False

    def value(self, x: float) -> float | int:
        """The scenario value for a sampled ``x`` (whole-number parameters rounded)."""
        return round(float(x)) if self.integer else float(x)

    def describe(self) -> str:
        """``uniform(lo, hi)`` or ``normal(mean, sd) on [lo, hi]``."""
        if self.kind == "normal":
            return f"normal({self.mean:g}, {self.sd:g}) on [{self.lo:g}, {self.hi:g}]"
        return f"uniform({self.lo:g}, {self.hi:g})"


@dataclass(frozen=True)
class Target:
    """One observed quantity: an indicator's annual mean, a month's value or a trend, with its uncertainty.

    Attributes:
        indicator: the model's indicator.
        kind: ``level`` (annual mean of ``year``), ``month`` (value in ``month``) or ``trend``
            (change a year between the annual means of ``first`` and ``last``).
        value: the observed value.
        se: its standard error, or ``None``.
        tolerance: half-width of what is acceptable, or ``None`` (exactly one of the two is set).
        relative: a trend as a growth rate a year rather than a difference.
        source: where the value comes from.
    """

    indicator: str
    kind: str
    value: float
    se: float | None = None
    tolerance: float | None = None
    year: int | None = None
    month: str | None = None
    first: int | None = None
    last: int | None = None
    relative: bool = False
    source: str = ""

    @property
    def name(self) -> str:
        """A unique label: ``indicator@2022``, ``indicator@2022-06`` or ``indicator@2019-2022``."""
        if self.kind == "level":
            return f"{self.indicator}@{self.year}"
        if self.kind == "month":
            return f"{self.indicator}@{self.month}"
        return f"{self.indicator}@{self.first}-{self.last}" + ("%" if self.relative else "")

    @property
    def scale(self) -> float:
        """The uncertainty the distance divides by: the standard error or the tolerance."""
        return float(self.se if self.se is not None else self.tolerance)

    @property
    def uncertainty(self) -> str:
        """``se 0.4`` or ``± 0.5``."""
        return f"se {self.se:.4g}" if self.se is not None else f"± {self.tolerance:.4g}"

    def months_needed(self) -> list[str]:
        """The months (``YYYY``-prefixes for years) the run must cover."""
        if self.kind == "level":
            return [str(self.year)]
        if self.kind == "month":
            return [str(self.month)]
        return [str(self.first), str(self.last)]

    def to_dict(self) -> dict[str, Any]:
        """The target as stored with an ensemble."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {"name": self.name}


@dataclass(frozen=True)
class Method:
    """ABC-SMC settings (see ``METHOD``)."""

    population: int = 60
    generations: int = 4
    min_epsilon: float = 1.0
    max_simulations: int = 100_000
    quantile: float = 0.5
    screen_trajectories: int = 6
    screen_keep: int = 3


@dataclass(frozen=True)
class CalibrationSpec:
    """A validated calibration file.

    Attributes:
        file: the calibration file.
        name: the ensemble's name.
        base_file: the base scenario's file.
        base: the base scenario (horizon override applied; not scaled).
        priors: the estimated parameters, in file order.
        targets: the observations, in file order.
        scale: ``Scenario.scaled`` factor of every simulation (``None``: full size).
        reps: replications per parameter set.
        seed: seed of the proposals and the replications.
        method: the sampler's settings.
        description: free text.
    """

    file: Path
    name: str
    base_file: Path
    base: Scenario
    priors: tuple[Prior, ...]
    targets: tuple[Target, ...]
    scale: float | None
    reps: int
    seed: int
    method: Method = field(default_factory=Method)
    description: str = ""

    @property
    def experiment(self) -> str:
        """The store experiment whose runs are the calibration's simulations."""
        return f"calibration:{self.name}"

    def scenario(self, values: dict[str, float]) -> Scenario:
        """The scenario one parameter set gives: set on the base, then scaled."""
        chosen = {p.path: p.value(values[p.path]) for p in self.priors}
        scenario = self.base.replace(**chosen)
        return scenario.scaled(self.scale) if self.scale is not None else scenario

    def describe(self) -> dict[str, Any]:
        """The settings as stored with the ensemble (JSON-serialisable)."""
        return {
            "file": _shown(self.file),
            "name": self.name,
            "description": self.description,
            "base": _shown(self.base_file),
            "base_name": self.base.name,
            "base_hash": self.base.content_hash(),
            "horizon": [self.base.horizon.start, self.base.horizon.months],
            "scale": self.scale,
            "reps": self.reps,
            "seed": self.seed,
            "method": self.method.__dict__,
            "parameters": [p.__dict__ for p in self.priors],
            "targets": [t.to_dict() for t in self.targets],
        }


def _shown(path: Path) -> str:
    """A path as provenance records it: relative to the working folder when inside it (portable)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def schema_range(base: Scenario, path: str) -> tuple[float, float] | None:
    """The allowed range of a scenario key path from the schema (``P(..., ge=, le=)``), or None."""
    parts = path.split(".")
    if parts[0] == "levers":
        lever = LEVERS_BY_NAME.get(parts[1]) if len(parts) > 1 else None
        return (float(lever.lo), float(lever.hi)) if lever is not None else None
    model: Any = type(base)
    info = None
    for part in parts:
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        info = fields[part]
        model = info.annotation
    if info is None:
        return None
    lo = hi = None
    for meta in info.metadata:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    if lo is None or hi is None:
        return None
    return float(lo), float(hi)


def _check_method(raw: Any, bad) -> Method:
    if raw is NO_VALUE:
        return Method()
    if not isinstance(raw, dict):
        bad("method", raw, "must be a table of ABC-SMC settings: " + ", ".join(METHOD))
        return Method()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"method.{_toml_key(key)}"
        if key not in METHOD:
            bad(where, value, f"unknown key{_nearest(key, METHOD)}; allowed: {', '.join(METHOD)}")
            continue
        allowed = METHOD[key][1]
        ok = {
            "population": _is_int(value) and 5 <= value <= 100_000,
            "generations": _is_int(value) and 1 <= value <= 100,
            "min_epsilon": _is_number(value) and value >= 0,
            "max_simulations": _is_int(value) and value >= 1,
            "quantile": _is_number(value) and 0 < value < 1,
            "screen_trajectories": _is_int(value) and 2 <= value <= 1000,
            "screen_keep": _is_int(value) and value >= 1,
        }[key]
        if not ok:
            bad(where, value, f"must be {allowed}")
            continue
        values[key] = value
    return Method(**values)


def _check_priors(raw: Any, base: Scenario | None, scale: float | None, bad) -> list[Prior]:
    if raw is NO_VALUE or not isinstance(raw, dict) or not raw:
        bad(
            "parameters",
            raw,
            'must be a non-empty table of key path = { ... }, e.g. "behaviour.settlement.base" = {}',
        )
        return []
    ranges: dict[str, tuple[float, float]] = {}
    options: dict[str, dict] = {}
    dumped = base.model_dump(by_alias=True) if base is not None else {}
    for key, value in raw.items():
        where = f"parameters.{_toml_key(key)}"
        if not isinstance(value, dict):
            bad(where, value, "must be a table { prior, range, mean, sd } (all optional: {} is uniform over the "
                "schema's range)")  # fmt: skip
            continue
        unknown = [k for k in value if k not in PRIOR_KEYS]
        for k in unknown:
            bad(
                f"{where}.{k}",
                value[k],
                f"unknown key{_nearest(k, PRIOR_KEYS)}; allowed: {', '.join(PRIOR_KEYS)}",
            )
        if unknown:
            continue
        kind = value.get("prior", "uniform")
        if kind not in PRIORS:
            bad(
                f"{where}.prior",
                kind,
                f"unknown prior{_nearest(str(kind), PRIORS)}; allowed: {', '.join(PRIORS)}",
            )
            continue
        if "range" in value:
            r = value["range"]
            if not (isinstance(r, list) and len(r) == 2 and all(_is_number(x) for x in r) and r[0] < r[1]):
                bad(f"{where}.range", r, "must be [lo, hi]: two finite numbers, lo below hi")
                continue
            lo, hi = float(r[0]), float(r[1])
            if base is not None and (schema := schema_range(base, key)) is not None:
                if lo < schema[0] or hi > schema[1]:
                    bad(
                        f"{where}.range",
                        r,
                        f"outside the parameter's allowed range {schema[0]:g} to {schema[1]:g}",
                    )
                    continue
        elif base is not None:
            schema = schema_range(base, key)
            if schema is None and (why := _path_problem(dumped, _normalise(key).split("."))) is not None:
                bad(where, value, why)
                continue
            if schema is None:
                bad(where, value, "the schema gives this key path no range: give range = [lo, hi]")
                continue
            lo, hi = schema
        else:
            continue
        if kind == "normal":
            mean, sd = value.get("mean", NO_VALUE), value.get("sd", NO_VALUE)
            if not _is_number(mean) or not lo <= mean <= hi:
                bad(
                    f"{where}.mean",
                    mean,
                    f"a normal prior needs mean = a number within its range {lo:g} to {hi:g}",
                )
                continue
            if not _is_number(sd) or sd <= 0:
                bad(f"{where}.sd", sd, "a normal prior needs sd = a number above 0")
                continue
        elif "mean" in value or "sd" in value:
            bad(where, value, "mean and sd apply only to prior = 'normal'")
            continue
        ranges[key] = (lo, hi)
        options[key] = value
    checked = (
        _check_parameters(ranges, base, scale, "", lambda k, v, m: bad(k, v, m)) if base is not None else []
    )
    priors = []
    for p in checked:
        key = next(k for k in ranges if k == p.path or f"{k}.value" == p.path)
        opt = options[key]
        if p.categories is not None:
            bad(f"parameters.{_toml_key(key)}", opt, "a switch lever is off or on: it cannot be estimated")
            continue
        priors.append(Prior(p.path, p.lo, p.hi, opt.get("prior", "uniform"), opt.get("mean"), opt.get("sd"),
                            p.integer))  # fmt: skip
    return priors


def _plausibility_target(where: str, check: Any, bad) -> Target | None:
    from countysim import plausibility

    kinds = {"level": plausibility.LEVELS, "trend": plausibility.TRENDS}
    known = [f"{k}:{c.indicator}" for k, rows in kinds.items() for c in rows]
    if not isinstance(check, str) or check not in known:
        near = _nearest(check, known) if isinstance(check, str) else ""
        bad(f"{where}.plausibility", check, f"unknown check{near}; allowed: {', '.join(known)}")
        return None
    kind, indicator = check.split(":", 1)
    figures = plausibility.nbs_figures()
    row = next(c for c in kinds[kind] if c.indicator == indicator)
    source = f"countysim.plausibility {check} ({row.note or 'NBS monitoring figures'})"
    if kind == "level":
        ref = (
            float(row.reference)
            if plausibility._is_number(row.reference)
            else figures[f"{row.year}:{row.reference}"]
        )
        lo, hi = (row.lo, row.hi) if row.absolute else (ref * row.lo, ref * row.hi)
        return Target(
            indicator, "level", (lo + hi) / 2, tolerance=(hi - lo) / 2, year=row.year, source=source
        )
    years = row.last - row.first
    f0, f1 = figures[f"{row.first}:{row.reference}"], figures[f"{row.last}:{row.reference}"]
    national = (f1 / f0) ** (1 / years) - 1 if row.relative else (f1 - f0) / years
    lo, hi = (row.lo, row.hi) if row.absolute else sorted((national * row.lo, national * row.hi))
    return Target(indicator, "trend", (lo + hi) / 2, tolerance=(hi - lo) / 2, first=row.first, last=row.last,
                  relative=row.relative, source=source)  # fmt: skip


def _check_target(k: int, raw: Any, bad) -> Target | None:
    where = f"target[{k}]"
    if not isinstance(raw, dict):
        bad(
            where,
            raw,
            "must be a table: [[target]] with indicator, year | month | trend, value, se | tolerance",
        )
        return None
    unknown = [key for key in raw if key not in TARGET_KEYS]
    for key in unknown:
        bad(
            f"{where}.{key}",
            raw[key],
            f"unknown key{_nearest(key, TARGET_KEYS)}; allowed: {', '.join(TARGET_KEYS)}",
        )
    if unknown:
        return None
    if "plausibility" in raw:
        others = [key for key in raw if key != "plausibility"]
        if others:
            bad(f"{where}.{others[0]}", raw[others[0]], "a plausibility target takes everything from the check; "
                "give plausibility = ... alone")  # fmt: skip
            return None
        return _plausibility_target(where, raw["plausibility"], bad)
    problems = 0

    def wrong(key: str, value: Any, msg: str) -> None:
        nonlocal problems
        problems += 1
        bad(f"{where}.{key}", value, msg)

    indicator = raw.get("indicator", NO_VALUE)
    if not isinstance(indicator, str) or indicator not in NAMES:
        near = _nearest(indicator, NAMES) if isinstance(indicator, str) else ""
        wrong("indicator", indicator, f"unknown indicator{near}; allowed: `countysim indicators` lists them")
    when = [key for key in ("year", "month", "trend") if key in raw]
    kind = None
    if len(when) != 1:
        wrong("year", NO_VALUE, 'give exactly one of year = 2022, month = "2022-06" or trend = [2019, 2022]')
    else:
        kind = {"year": "level", "month": "month", "trend": "trend"}[when[0]]
        v = raw[when[0]]
        if kind == "level" and not (_is_int(v) and 1900 <= v <= 2200):
            wrong("year", v, "must be a year, a whole number such as 2022")
        if kind == "month" and not (isinstance(v, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v)):
            wrong("month", v, 'must be a month "YYYY-MM", e.g. "2022-06"')
        if kind == "trend" and not (
            isinstance(v, list) and len(v) == 2 and all(_is_int(x) for x in v) and v[0] < v[1]
        ):
            wrong("trend", v, "must be [first year, last year], the first before the last")
    relative = raw.get("relative", False)
    if not isinstance(relative, bool):
        wrong("relative", relative, "must be true or false")
    elif relative and kind != "trend":
        wrong("relative", relative, "applies only to a trend")
    value = raw.get("value", NO_VALUE)
    if not _is_number(value):
        wrong("value", value, "must be a finite number: the observed value")
    unc = [key for key in ("se", "tolerance") if key in raw]
    if len(unc) != 1:
        wrong("se", NO_VALUE, "give exactly one of se = (standard error) or tolerance = (half-width)")
    elif not (_is_number(raw[unc[0]]) and raw[unc[0]] > 0):
        wrong(unc[0], raw[unc[0]], "must be a number above 0")
    source = raw.get("source", "")
    if not isinstance(source, str):
        wrong("source", source, "must be a string: where the value comes from")
    if problems:
        return None
    when_value = raw[when[0]]
    return Target(
        indicator, kind, float(value),
        se=float(raw["se"]) if "se" in raw else None,
        tolerance=float(raw["tolerance"]) if "tolerance" in raw else None,
        year=when_value if kind == "level" else None,
        month=when_value if kind == "month" else None,
        first=when_value[0] if kind == "trend" else None,
        last=when_value[1] if kind == "trend" else None,
        relative=relative, source=source,
    )  # fmt: skip


def _covers(base: Scenario, target: Target) -> bool:
    from countysim.calendar import month_labels

    labels = month_labels(base.horizon.start, base.horizon.months)
    return all(any(m.startswith(need) for m in labels) for need in target.months_needed())


def load_calibration(
    path: str | Path, seed: int | None = None, name: str | None = None, months: int | None = None
) -> CalibrationSpec:
    """Read and validate a calibration file (nothing runs).

    Args:
        path: the calibration file (TOML; the module's docstring shows one).
        seed: overrides the file's ``seed``.
        name: overrides the file's ``name``.
        months: overrides the file's ``months``.

    Raises:
        CalibrationError: with every problem found, each naming file, key, value and what is allowed.
    """
    file = Path(path)
    shown = str(file)
    try:
        text, raw = _read(file, shown)
    except SweepError as exc:
        raise CalibrationError(
            [(f, k, v, m.replace("sweep file", "calibration file")) for f, k, v, m in exc.problems]
        ) from None
    del text
    problems: list[tuple[str, str, Any, str]] = []

    def bad(key: str, value: Any, msg: str) -> None:
        problems.append((shown, key, value, msg))

    for key in raw:
        if key not in KEYS:
            bad(key, raw[key], f"unknown key{_nearest(key, KEYS)}; allowed: {', '.join(KEYS)}")
    base: Scenario | None = None
    base_file = None
    if not isinstance(raw.get("base"), str) or not raw["base"].strip():
        bad("base", raw.get("base", NO_VALUE), "missing or not a string: give the scenario file to calibrate")
    else:
        base_file = (file.parent / raw["base"]).resolve()
        if not base_file.is_file():
            bad("base", raw["base"], f"no such scenario file (looked for {base_file})")
        else:
            try:
                base = load_scenario(base_file)
            except (ValueError, OSError, RecursionError) as exc:
                bad("base", raw["base"], f"the base scenario is invalid: {_reason(exc)}")
    chosen_name = name if name is not None else raw.get("name", file.stem)
    if (
        not isinstance(chosen_name, str)
        or not chosen_name.strip()
        or len(chosen_name) > MAX_NAME
        or not chosen_name.isprintable()
    ):
        bad(
            "--name" if name is not None else "name",
            chosen_name,
            f"must be a name of 1 to {MAX_NAME} characters on one line",
        )
    description = raw.get("description", "")
    if not isinstance(description, str):
        bad("description", description, "must be a string")
    scale = raw.get("scale")
    if scale is not None and not (_is_number(scale) and 0 < scale <= 100):
        bad("scale", scale, "must be a number in (0, 100] (1 = the base county's size)")
        scale = None
    reps = raw.get("reps", 1)
    if not (_is_int(reps) and 1 <= reps <= 1000):
        bad("reps", reps, "must be a whole number from 1 to 1000")
        reps = 1
    file_seed = raw.get("seed")
    if file_seed is not None and not (_is_int(file_seed) and 0 <= file_seed <= MAX_SEED):
        bad("seed", file_seed, f"must be a whole number from 0 to {MAX_SEED}")
        file_seed = None
    horizon_months = months if months is not None else raw.get("months")
    if horizon_months is not None:
        key = "--months" if months is not None else "months"
        if not (_is_int(horizon_months) and 1 <= horizon_months <= 360):
            bad(key, horizon_months, "must be a whole number from 1 to 360")
        elif base is not None:
            try:
                base = base.replace(**{"horizon.months": horizon_months})
            except ScenarioError as exc:
                bad(key, horizon_months, _reason(exc))
                base = None
    if base is not None and scale is not None:
        try:
            base.scaled(scale)
        except (ValueError, OverflowError) as exc:
            bad("scale", scale, f"the base scenario at this scale is invalid: {_reason(exc)}")
    method = _check_method(raw.get("method", NO_VALUE), bad)
    priors = _check_priors(raw.get("parameters", NO_VALUE), base, scale, bad)
    targets_raw = raw.get("target", NO_VALUE)
    targets: list[Target] = []
    if not isinstance(targets_raw, list) or not targets_raw:
        bad("target", targets_raw, "give at least one [[target]] table")
    else:
        for k, t in enumerate(targets_raw):
            target = _check_target(k, t, bad)
            if target is None:
                continue
            if base is not None and not _covers(base, target):
                bad(f"target[{k}]", target.name, f"outside the base scenario's horizon ({base.horizon.start} to "
                    f"{base.horizon.end})")  # fmt: skip
                continue
            if any(t2.name == target.name for t2 in targets):
                bad(f"target[{k}]", target.name, "the same quantity as an earlier target")
                continue
            targets.append(target)
    if problems:
        raise CalibrationError(problems)
    assert base is not None and base_file is not None
    seed_used = seed if seed is not None else file_seed if file_seed is not None else base.seed
    return CalibrationSpec(
        file=file, name=chosen_name, base_file=base_file, base=base, priors=tuple(priors),
        targets=tuple(targets), scale=None if scale is None else float(scale), reps=reps,
        seed=int(seed_used), method=method, description=description,
    )  # fmt: skip


def finite(x: float) -> bool:
    """Whether ``x`` is a finite number."""
    return isinstance(x, int | float) and math.isfinite(x)
