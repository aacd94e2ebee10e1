"""Calibration to data: ABC-SMC over behavioural parameters, and the posterior ensembles it leaves.

- :func:`load_calibration` reads and checks a calibration file (``spec``);
- :func:`calibrate` runs it: optionally a Morris screening (:func:`screen`) that keeps the
  parameters moving the targets most, then ABC-SMC with pyabc (``abc``) whose every simulation
  is a stored run of the results store, so that a calibration killed at any point resumes; the
  posterior ensemble is stored under the calibration's name;
- :func:`load_ensemble` gives an ensemble (by store name, or from a ``calibrations/*.csv``
  file) whose parameter sets replications draw from (``ensemble``).

Why ABC-SMC with pyabc: the model has no likelihood, its runs are noisy and cost about a second
at the scale a calibration uses, and the targets are a dozen summary statistics with stated
uncertainties. ABC-SMC needs only simulations, gives a weighted sample of the posterior (what
replications draw from), and pyabc is maintained, documented and tested, with adaptive ε and
kernels. History matching with emulators would need fewer runs at full scale, but adds a
Gaussian-process emulator per target to fit and check, and still ends in ABC.
"""

from __future__ import annotations

import math
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from countysim.calibration.ensemble import (
    SHIPPED,
    Ensemble,
    EnsembleError,
    from_particles,
    load_ensemble,
    posterior_table,
    predictive_table,
)
from countysim.calibration.spec import CalibrationError, CalibrationSpec, Prior, Target, load_calibration
from countysim.calibration.statistics import statistics
from countysim.experiments.runner import RunSpec, run_experiment
from countysim.version import code_fingerprint


@dataclass
class Screening:
    """What :func:`screen` found: each parameter's standardised Morris effect, and the ones kept.

    ``effects`` has one row per parameter: ``parameter``, one column per target (``mu_star``
    over the target's uncertainty: how many standard errors or tolerances moving the parameter
    across its prior range moves the target), and ``importance`` (their largest).
    """

    effects: pd.DataFrame
    kept: tuple[str, ...]
    n_simulations: int


@dataclass
class CalibrationResult:
    """What :func:`calibrate` returns.

    Attributes:
        ensemble: the posterior ensemble (also stored under its name, when a store is given).
        generations: ``generation, epsilon, n_evaluations, n_accepted``.
        n_simulations: runs the calibration asked for (screening and replications included).
        n_run: of them, run now (the rest were found stored).
        n_failed: runs that raised (their parameter sets were rejected).
        wall_seconds: wall time of this invocation.
        screening: the screening, with ``screen=True``.
    """

    ensemble: Ensemble
    generations: pd.DataFrame
    n_simulations: int
    n_run: int
    n_failed: int
    wall_seconds: float
    screening: Screening | None = None
    failures: list = field(default_factory=list)


def screen(
    spec: CalibrationSpec, store=None, executor: Executor | None = None, progress: bool = False
) -> tuple[Screening, int]:
    """Morris screening of the priors' ranges against the targets (the sweep machinery's design).

    Each parameter's ``mu_star`` for each target (``experiments.sensitivity.morris_indices``)
    is divided by the target's uncertainty; a parameter's importance is the largest of these,
    and the ``method.screen_keep`` most important are kept.

    Returns:
        The screening, and how many of its runs ran now (the rest were stored).
    """
    from countysim.experiments.designs import make_design
    from countysim.experiments.sensitivity import morris_indices

    design = make_design(
        "morris", [p.path for p in spec.priors], [(p.lo, p.hi) for p in spec.priors],
        spec.method.screen_trajectories, spec.seed, 4,
    )  # fmt: skip
    specs: list[RunSpec] = []
    keys: list[list[tuple[str, int]]] = []
    for i in range(design.n):
        values = {p.path: float(x) for p, x in zip(spec.priors, design.samples[i], strict=True)}
        scenario = spec.scenario(values)
        seeds = [spec.seed + j for j in range(spec.reps)]  # common seeds: effects of the parameters alone
        keys.append([(scenario.content_hash(), s) for s in seeds])
        specs += [RunSpec(scenario, s, {"screen": i, "replicate": j}) for j, s in enumerate(seeds)]
    name = f"calibration-screen:{spec.name}"
    done, failures = run_experiment(
        name, specs, store=store, executor=executor, kind="calibration-screen",
        description={"calibration": spec.describe(), "design": "morris",
                     "trajectories": spec.method.screen_trajectories},
        progress=progress,
    )  # fmt: skip
    if failures:
        raise RuntimeError(f"{len(failures)} screening run(s) failed; the first:\n{failures[0].error}")
    runs = {(r.scenario_hash, int(r.seed)): r for r in done}
    missing = {k for ks in keys for k in ks} - set(runs)
    if missing and store is not None:
        from countysim.calibration.abc import stored_runs

        runs.update(stored_runs(store, name, spec.targets, missing))
    y = np.array(
        [[statistics([runs[k] for k in ks], spec.targets)[t.name] for t in spec.targets] for ks in keys]
    )
    effects = pd.DataFrame({"parameter": [p.path for p in spec.priors]})
    for j, t in enumerate(spec.targets):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            idx = morris_indices(design, y[:, j], seed=spec.seed)
        effects[t.name] = idx["mu_star"].to_numpy(dtype=float) / t.scale
    effects["importance"] = effects[[t.name for t in spec.targets]].max(axis=1)
    ranked = effects.sort_values("importance", ascending=False, kind="stable")
    kept = tuple(ranked["parameter"].head(spec.method.screen_keep))
    return Screening(effects, kept, len(specs)), len(done)


def calibrate(
    calibration: str | Path | CalibrationSpec,
    store=None,
    executor: Executor | None = None,
    *,
    screen_first: bool = False,
    seed: int | None = None,
    name: str | None = None,
    progress: bool = False,
) -> CalibrationResult:
    """Run a calibration: optionally screen, then ABC-SMC; store the posterior ensemble.

    Args:
        calibration: a calibration file, or one loaded by :func:`load_calibration`.
        store: a ``ResultsStore``: every simulation is stored there (a rerun finds them and
            resumes), and so is the ensemble, under the calibration's name. ``None`` keeps
            everything in memory.
        executor: any ``concurrent.futures.Executor`` (default: a local process pool, one per CPU).
        screen_first: run a Morris screening first and estimate only the parameters it keeps
            (the others stay at the base scenario's values).
        seed: overrides the file's seed.
        name: overrides the file's name.
        progress: progress bars and a line per generation on standard error.

    Raises:
        CalibrationError: for a calibration file with problems (nothing runs).
        StoreError: if the store fails (the simulations finished before are stored).
    """
    import time

    from countysim.calibration.abc import run_abc

    spec = (
        calibration
        if isinstance(calibration, CalibrationSpec)
        else load_calibration(calibration, seed=seed, name=name)
    )
    if isinstance(calibration, CalibrationSpec) and (seed is not None or name is not None):
        spec = replace(spec, seed=spec.seed if seed is None else int(seed), name=name or spec.name)
    if executor is None:  # one pool for every batch, not one each
        from countysim.experiments.runner import default_executor

        with default_executor() as pool:
            return calibrate(spec, store, pool, screen_first=screen_first, progress=progress)
    started = time.monotonic()
    screening = None
    n_screen = n_screen_run = 0
    if screen_first:
        screening, n_screen_run = screen(spec, store, executor, progress)
        n_screen = screening.n_simulations
        spec = replace(spec, priors=tuple(p for p in spec.priors if p.path in screening.kept))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pyabc compares ε = inf of the first generation
        abc = run_abc(spec, store=store, executor=executor, progress=progress)
    wall = time.monotonic() - started
    provenance = spec.describe() | {
        "code_fingerprint": store.fingerprint if store is not None else code_fingerprint(),
        "n_simulations": abc.n_simulations + n_screen,
        "wall_seconds": wall,
        # the local pool's processes, for the cost in core-hours (None: another executor)
        "workers": getattr(executor, "_max_workers", None),
        "generations": abc.generations.replace({math.inf: None}).to_dict("records"),
    }
    if screening is not None:
        provenance["screening"] = screening.effects.to_dict("records")
    ensemble = from_particles(spec.name, abc.particles, provenance)
    if store is not None:
        store.save_calibration(
            spec.name, spec.experiment, {k: v for k, v in provenance.items() if k != "generations"},
            abc.particles, abc.generations, abc.n_simulations + n_screen, wall,
        )  # fmt: skip
    return CalibrationResult(
        ensemble=ensemble, generations=abc.generations, n_simulations=abc.n_simulations + n_screen,
        n_run=abc.n_run + n_screen_run, n_failed=abc.n_failed, wall_seconds=wall, screening=screening,
        failures=abc.failures,
    )  # fmt: skip


__all__ = [
    "SHIPPED",
    "CalibrationError",
    "CalibrationResult",
    "CalibrationSpec",
    "Ensemble",
    "EnsembleError",
    "Prior",
    "Screening",
    "Target",
    "calibrate",
    "load_calibration",
    "load_ensemble",
    "posterior_table",
    "predictive_table",
    "screen",
]
