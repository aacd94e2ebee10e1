"""Sweep files: a design over scenario parameters, validated, turned into runs.

A sweep file is a small TOML file next to the scenarios::

    base = "../full_action.toml"        # relative to the sweep file
    name = "training-settlement"        # experiment name in the store (default: the file's stem)
    design = "sobol"                    # grid | lhs | sobol | morris
    points = 64                         # see designs.POINTS_MEANING
    reps = 2                            # replications per point: seeds seed .. seed + reps - 1
    seed = 1                            # design and replication seed (default: the base's seed)
    months = 48                         # optional horizon override
    scale = 0.1                         # optional Scenario.scaled factor (a smaller county)
    levels = 4                          # optional, Morris only: grid levels
    outcomes = ["settled_persons_cum", "public_school_share"]
    [parameters]
    "levers.s1_training_places_per_year.value" = [5000, 30000]
    "behaviour.settlement.base" = [-8.0, -5.0]

A parameter is any numeric scenario key path; ``levers.<name>`` means ``levers.<name>.value``
(a lever's start and ramp in the base are kept). Ranges are in the base county's units: each
point's parameters are set first, then the whole scenario is scaled by ``scale``, so a scaled
sweep is the same sweep on a smaller county. Parameters whose scenario value is a whole number
are rounded.

Every problem is reported at once, each naming the sweep file, the key, the value and what is
allowed (``SweepError``), before anything runs: the range of every parameter is checked by
building the base scenario at both ends, and every point's scenario is built and validated.

The experiment's stored spec (``run_experiment``'s ``description``) holds the whole design —
sample matrix, parameter names, bounds, replication seeds, outcomes and each point's scenario
hash — so that ``countysim sensitivity`` works from the store alone.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from countysim.experiments.designs import DESIGNS, Design, make_design, n_points
from countysim.experiments.runner import RunSpec
from countysim.indicators import NAMES
from countysim.scenario import NO_VALUE, InputProblems, Scenario, ScenarioError, describe_problem
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
#: scenario keys that are not model parameters (they do not change the scenario's hash)
NOT_PARAMETERS = ("seed", "name", "description")
#: a guard against designs nobody means to run
MAX_RUNS = 1_000_000
#: version of the stored spec's layout
SPEC_VERSION = 1


class SweepError(InputProblems):
    """A sweep file cannot be used. ``problems`` lists (file, key, value, message)."""

    subject = "sweep"


@dataclass(frozen=True)
class Parameter:
    """One swept scenario key path and its range."""

    path: str
    lo: float
    hi: float
    integer: bool = False

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
            scenario = self.base.replace(**params, name=f"{self.name}#p{i}")
            return scenario if self.scale is None else scenario.scaled(self.scale)
        except (ScenarioError, ValueError) as exc:
            raise SweepError(
                [(str(self.file), f"parameters (design point {i})", params, _reason(exc))]
            ) from None

    @cached_property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every point's scenario, in design order."""
        return tuple(self.scenario(i) for i in range(self.design.n))

    def specs(self) -> list[RunSpec]:
        """Every run: each point on each replication seed, meta ``{point, params, replicate}``."""
        return [
            RunSpec(scenario, seed, {"point": i, "params": self.params(i), "replicate": r})
            for i, scenario in enumerate(self.scenarios)
            for r, seed in enumerate(self.seeds)
        ]

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
            "point_hashes": [s.content_hash() for s in self.scenarios],
        }


# ----------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------
def _reason(exc: Exception) -> str:
    """A scenario error's problems without the file prefix, on one line each."""
    if isinstance(exc, ScenarioError):
        return "; ".join(describe_problem(key, value, msg) for _file, key, value, msg in exc.problems)
    return str(exc)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


def _lookup(data: Any, keys: list[str]) -> Any:
    for k in keys:
        if not isinstance(data, dict) or k not in data:
            return NO_VALUE
        data = data[k]
    return data


def _normalise(path: str) -> str:
    parts = path.split(".")
    return f"{path}.value" if len(parts) == 2 and parts[0] == "levers" else path


def load_sweep(
    path: str | Path, seed: int | None = None, months: int | None = None, name: str | None = None
) -> Sweep:
    """Read, validate and expand a sweep file.

    Args:
        path: the sweep file (TOML).
        seed: overrides the file's ``seed``.
        months: overrides the file's ``months``.
        name: overrides the file's ``name``.

    Raises:
        SweepError: with every problem found, each naming file, key, value and what is allowed.
    """
    file = Path(path)
    shown = str(file)
    if not file.is_file():
        raise SweepError([(shown, "(file)", NO_VALUE, "no such sweep file")])
    text = file.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepError([(shown, "(syntax)", NO_VALUE, f"not valid TOML: {exc}")]) from None
    problems: list[tuple[str, str, Any, str]] = []

    def bad(key: str, value: Any, msg: str) -> None:
        problems.append((shown, key, value, msg))

    for key in raw:
        if key not in KEYS:
            bad(key, raw[key], f"unknown key; allowed: {', '.join(KEYS)}")

    def whole(key: str, default: Any, lo: int, hi: int | None = None) -> Any:
        v = raw.get(key, default)
        if v is None:
            return None
        if not _is_int(v) or v < lo or (hi is not None and v > hi):
            bad(key, v, f"must be a whole number from {lo}" + ("" if hi is None else f" to {hi}"))
            return None
        return v

    design_kind = raw.get("design", NO_VALUE)
    if design_kind is NO_VALUE:
        bad("design", NO_VALUE, f"missing; give one of {', '.join(DESIGNS)}")
        design_kind = None
    elif design_kind not in DESIGNS:
        bad("design", design_kind, f"unknown design; allowed: {', '.join(DESIGNS)}")
        design_kind = None
    if "points" not in raw:
        bad("points", NO_VALUE, "missing; give a whole number from 1")
    points = whole("points", None, 1)
    reps = whole("reps", 1, 1)
    file_seed = whole("seed", None, 0, 2**63 - 1)
    months_used = months if months is not None else whole("months", None, 1, 360)
    levels = whole("levels", 4, 2, 100)
    if "levels" in raw and design_kind not in (None, "morris"):
        bad("levels", raw["levels"], "applies only to design = 'morris'")

    scale = raw.get("scale")
    if scale is not None and not (_is_number(scale) and 0 < scale <= 100):
        bad("scale", scale, "must be a number in (0, 100] (1 = the base county's size)")
        scale = None
    elif scale is not None:
        scale = float(scale)

    exp_name = name if name is not None else raw.get("name", file.stem)
    if not isinstance(exp_name, str) or not exp_name.strip() or len(exp_name) > 200:
        bad("name", exp_name, "must be a non-empty string of at most 200 characters")
    if "description" in raw and not isinstance(raw["description"], str):
        bad("description", raw["description"], "must be a string")

    outcomes = raw.get("outcomes", NO_VALUE)
    if outcomes is NO_VALUE:
        bad("outcomes", NO_VALUE, "missing; give a list of indicator names (`countysim indicators`)")
        outcomes = []
    elif not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) for o in outcomes):
        bad("outcomes", outcomes, "must be a non-empty list of indicator names (`countysim indicators`)")
        outcomes = []
    else:
        for o in outcomes:
            if o not in NAMES:
                bad("outcomes", o, f"unknown indicator; allowed: {', '.join(NAMES)}")
        if len(set(outcomes)) != len(outcomes):
            bad("outcomes", outcomes, "an indicator is listed twice")

    # the base scenario
    base = None
    base_file = None
    base_name = raw.get("base", NO_VALUE)
    if base_name is NO_VALUE:
        bad("base", NO_VALUE, "missing; give the scenario file to vary, relative to the sweep file")
    elif not isinstance(base_name, str):
        bad("base", base_name, "must be a file name, relative to the sweep file")
    else:
        base_file = (file.parent / base_name).resolve()
        if not base_file.is_file():
            bad("base", base_name, f"no such scenario file (looked for {base_file})")
        else:
            try:
                base = load_scenario(base_file)
            except ScenarioError as exc:
                bad("base", base_name, f"the base scenario is invalid: {_reason(exc)}")
    if base is not None and months_used is not None:
        try:
            base = base.replace(**{"horizon.months": months_used})
        except ScenarioError as exc:
            bad("months", months_used, _reason(exc))
            base = None

    # parameters: paths and ranges, probed on the base scenario
    parameters: list[Parameter] = []
    table = raw.get("parameters", NO_VALUE)
    if table is NO_VALUE or not isinstance(table, dict) or not table:
        bad(
            "parameters",
            table,
            'must be a non-empty table of scenario key path = [lo, hi], e.g. "behaviour.settlement.base" = [-8, -5]',
        )
        table = {}
    dumped = base.model_dump(by_alias=True) if base is not None else {}
    seen: dict[str, str] = {}
    for key, rng in table.items():
        where = f'parameters."{key}"' if "." in key else f"parameters.{key}"
        path = _normalise(key)
        if path in seen:
            bad(where, rng, f"the same parameter as {seen[path]!r}")
            continue
        seen[path] = key
        if key.split(".")[0] in NOT_PARAMETERS or key == "source_file":
            bad(where, rng, f"not a model parameter (the sweep sets {', '.join(NOT_PARAMETERS)} itself)")
            continue
        if not (isinstance(rng, list) and len(rng) == 2 and all(_is_number(x) for x in rng)):
            bad(where, rng, "must be a range [lo, hi] of two numbers")
            continue
        lo, hi = rng
        if not lo < hi:
            bad(where, rng, "the lower bound must be below the upper bound")
            continue
        if base is None:
            continue
        current = _lookup(dumped, path.split("."))
        if isinstance(current, dict | list | str | bool):
            bad(where, rng, "not a numeric parameter: give a key path down to a number (`countysim params`)")
            continue
        ok = True
        for which, bound in (("lower", lo), ("upper", hi)):
            try:
                probe = base.replace(**{path: bound})
                if scale is not None:
                    probe.scaled(scale)
            except (ScenarioError, ValueError) as exc:
                bad(where, rng, f"{which} bound not allowed: {_reason(exc)}")
                ok = False
                break
        if ok:
            parameters.append(Parameter(path, float(lo), float(hi), integer=_is_int(current)))

    if design_kind is not None and points is not None and table:
        total = n_points(design_kind, points, len(table)) * (reps or 1)
        if total > MAX_RUNS:
            bad("points", points, f"the design has {total:,} runs; at most {MAX_RUNS:,} are allowed")
    if problems:
        raise SweepError(problems)
    assert base is not None and base_file is not None and design_kind is not None and points is not None

    seed_used = seed if seed is not None else file_seed if file_seed is not None else base.seed
    notes = []
    if design_kind == "sobol" and points & (points - 1):
        notes.append(
            f"points = {points}: Sobol' sequences converge best when N is a power of 2 "
            f"(e.g. {1 << points.bit_length()})"
        )
    design = make_design(
        design_kind,
        [p.path for p in parameters],
        [(p.lo, p.hi) for p in parameters],
        points,
        seed_used,
        levels or 4,
    )
    sweep = Sweep(
        file=file,
        name=str(exp_name),
        base_file=base_file,
        base=base,
        parameters=tuple(parameters),
        design=design,
        reps=int(reps or 1),
        seed=int(seed_used),
        scale=scale,
        outcomes=tuple(outcomes),
        notes=tuple(notes),
        text=text,
    )
    sweep.scenarios  # noqa: B018 - build every point now, so a bad one fails before any run
    return sweep


# ----------------------------------------------------------------------------------------
# Reading a sweep back from the store
# ----------------------------------------------------------------------------------------
def stored_description(store, name: str) -> dict[str, Any] | None:
    """The spec JSON stored with experiment ``name`` (``None`` if it has none).

    Raises:
        StoreError: if the store holds no experiment of that name (listing those it holds).
    """
    reader = getattr(store, "experiment_spec", None)
    if callable(reader):  # the store's own accessor, where it has one
        return reader(name)
    from sqlalchemy import select

    from countysim.store.schema import Experiment

    store._experiment_id(name)  # raises StoreError naming the experiments there are
    with store._engine.connect() as conn:
        text = conn.execute(select(Experiment.spec_json).where(Experiment.name == name)).scalar()
    return None if text is None else json.loads(text)


def check_resumable(store, sweep: Sweep) -> None:
    """Refuse to add this sweep's runs to a stored experiment with another design.

    Raises:
        SweepError: if experiment ``sweep.name`` exists with a different kind or design.
    """
    if sweep.name not in set(store.experiments()["name"]):
        return
    stored = stored_description(store, sweep.name) or {}
    new = sweep.description()
    same = ("design", "names", "bounds", "seeds", "point_hashes", "samples")
    if stored.get("spec_version") is None or any(stored.get(k) != new[k] for k in same):
        made = (
            f"design {stored.get('design')!r} of {stored.get('names')} with seeds {stored.get('seeds')}"
            if stored.get("spec_version") is not None
            else "not by a sweep"
        )
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
    """One row per (point, replicate) of a stored sweep spec: point, replicate, seed, hash, params."""
    design = Design.from_dict(spec)
    integer = spec.get("integer", [False] * len(design.names))
    params = {
        name: (np.round(design.samples[:, j]).astype(np.int64) if integer[j] else design.samples[:, j])
        for j, name in enumerate(design.names)
    }
    seeds = list(spec["seeds"])
    n, reps = design.n, len(seeds)
    frame = pd.DataFrame(
        {
            "point": np.repeat(np.arange(n), reps),
            "replicate": np.tile(np.arange(reps), n),
            "seed": np.tile(np.asarray(seeds, dtype=np.int64), n),
            "scenario_hash": np.repeat(np.asarray(spec["point_hashes"], dtype=object), reps),
        }
    )
    for name, values in params.items():
        frame[name] = np.repeat(values, reps)
    return frame


def sweep_results(store, name: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """A stored sweep's spec and its runs: one row per (point, replicate).

    Columns: ``point, replicate, seed, <parameters>, status`` (``done``, ``failed`` or
    ``missing``), then the final value of every indicator of the catalogue (and any other stored
    one), NaN unless the run is done.

    Raises:
        StoreError: if the experiment is unknown.
        SweepError: if it was not made by a sweep.
    """
    spec = stored_description(store, name)
    if not spec or spec.get("spec_version") is None or "point_hashes" not in spec:
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
    status = {
        (h, int(s)): st for h, s, st in zip(runs["scenario_hash"], runs["seed"], runs["status"], strict=True)
    }
    keys = list(zip(rows["scenario_hash"], rows["seed"].astype(int), strict=True))
    rows["status"] = [status.get(k, "missing") for k in keys]
    finals = store.summaries(experiment=name)
    indicators = [c for c in finals.columns if c not in ("run_id", "scenario_name", "scenario_hash", "seed")]
    finals = finals.assign(seed=finals["seed"].astype(np.int64)).drop(columns=["run_id", "scenario_name"])
    merged = rows.merge(finals, on=["scenario_hash", "seed"], how="left")
    merged.loc[merged["status"] != "done", indicators] = np.nan
    # every catalogue indicator has a column, even before any run is done
    ordered = [*NAMES, *sorted(n for n in indicators if n not in NAMES)]
    return spec, merged.reindex(columns=["point", "replicate", "seed", *spec["names"], "status", *ordered])


def run_sweep(path: str | Path, store=None, executor=None, seed: int | None = None, months: int | None = None,
              progress: bool = False):  # fmt: skip
    """Run a sweep file from Python: the same as ``countysim sweep``, on any executor.

    Returns the runs done now and the failures (stored runs are skipped when ``store`` is given).
    """
    from countysim.experiments.runner import run_experiment

    sw = load_sweep(path, seed=seed, months=months)
    if store is not None:
        check_resumable(store, sw)
    return run_experiment(
        sw.name, sw.specs(), store=store, executor=executor, kind="sweep", description=sw.description(),
        progress=progress,
    )  # fmt: skip
