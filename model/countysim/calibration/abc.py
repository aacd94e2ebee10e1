"""ABC-SMC with pyabc, every simulation a stored run of the results store.

pyabc (Schälte et al. 2022, *Bioinformatics* 38:3020) runs the sequential Monte Carlo: priors,
perturbation kernels, importance weights, the ε schedule and its own SQL history. This module
gives it two things:

- **a model** (:class:`StoredModel`) whose simulations are runs of the experiment runner: a
  parameter set is set on the base scenario, scaled, and run on ``reps`` seeds derived from the
  calibration seed and the scenario's hash; the runs go to the results store like every
  experiment's, keyed by (experiment, scenario hash, seed, code fingerprint);
- **a sampler** (:class:`BatchSampler`) that evaluates proposals a batch at a time through
  ``run_experiment`` (the local process pool or a Dask cluster) instead of one by one.

**Deterministic proposals.** pyabc proposes with numpy's global generator. The sampler seeds it
from (calibration seed, call number) before each generation, and draws a batch in two passes:
first it lets pyabc propose the batch with the model only noting each parameter set, runs the
noted sets together, then rewinds the generator and lets pyabc propose the same batch again,
this time answered from the finished runs. So the particles, their order and the accepted
population are those a one-at-a-time sampler would give, whatever the executor and workers.

**Resuming.** A calibration killed at any point (``kill -9`` included) is simply run again: the
same seed proposes the same particles generation by generation, their runs are found stored and
only the missing ones run. pyabc's history is working storage, made afresh each time; the
posterior ensemble is written to the store at the end.
"""

from __future__ import annotations

import logging
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.model import ModelResult
from pyabc.sampler import Sampler

from countysim.calibration.spec import CalibrationSpec, Target
from countysim.calibration.statistics import distance, statistics
from countysim.experiments.runner import Failure, RunSpec, run_experiment
from countysim.results import RunResult

#: stream number that separates the proposal seeds from every other use of the calibration seed
PROPOSAL_STREAM = 0x43414C49  # "CALI"
#: stream number of the replication seeds
SEED_STREAM = 0x5345454E  # "SEEN"
#: the largest first batch, in multiples of the population
MAX_BATCH_FACTOR = 10


def replication_seeds(seed: int, scenario_hash: str, reps: int) -> list[int]:
    """The ``reps`` seeds of one parameter set: drawn from (calibration seed, scenario hash).

    Seeds differ between parameter sets (their noise is independent, as the data's is of the
    model's) and are the same on every rerun (the runs are found stored).
    """
    sequence = np.random.SeedSequence([SEED_STREAM, int(seed), int(scenario_hash[:15], 16)])
    return [int(s >> np.uint64(1)) for s in sequence.generate_state(reps, np.uint64)]


class StoredModel(pyabc.Model):
    """A pyabc model answered from runs of the experiment runner (see the module's docstring).

    While ``proposing`` it notes each parameter set and rejects it unseen; otherwise it returns
    the target statistics of the set's runs, which :meth:`evaluate` made beforehand.
    """

    def __init__(
        self,
        spec: CalibrationSpec,
        store=None,
        executor: Executor | None = None,
        progress: bool = False,
    ) -> None:
        super().__init__(name=spec.name)
        self.spec = spec
        self.store = store
        self.executor = executor
        self.progress = progress
        self.names = [f"p{k}" for k in range(len(spec.priors))]
        self.proposing = False
        self.pending: list[tuple[float, ...]] = []
        self.cache: dict[tuple[float, ...], dict[str, float]] = {}
        self.n_simulations = 0  # runs asked for (replications included)
        self.n_run = 0  # of them, run now
        self.n_failed = 0
        self.failures: list[Failure] = []

    def key(self, pars: dict) -> tuple[float, ...]:
        """The parameter set as a hashable tuple, in prior order."""
        return tuple(float(pars[n]) for n in self.names)

    def values(self, key: tuple[float, ...]) -> dict[str, float]:
        """The parameter set by scenario key path (whole-number parameters rounded)."""
        return {p.path: p.value(x) for p, x in zip(self.spec.priors, key, strict=True)}

    def _placeholder(self) -> dict[str, float]:
        return {t.name: math.nan for t in self.spec.targets}

    def summary_statistics(self, t: int, pars: dict, sum_stat_calculator: Callable) -> ModelResult:
        """The statistics of a parameter set (noted, with NaN statistics, while proposing)."""
        if self.proposing:
            self.pending.append(self.key(pars))
            return ModelResult(sum_stat=self._placeholder())
        return super().summary_statistics(t, pars, sum_stat_calculator)

    def accept(self, t, pars, sum_stat_calculator, distance_calculator, eps_calculator, acceptor, x_0):
        """The acceptance step of pyabc (while proposing: note the set, reject it unseen)."""
        if self.proposing:
            self.pending.append(self.key(pars))
            return ModelResult(sum_stat=self._placeholder(), distance=math.inf, accepted=False)
        return super().accept(
            t, pars, sum_stat_calculator, distance_calculator, eps_calculator, acceptor, x_0
        )

    def sample(self, pars: dict) -> dict[str, float]:
        """The target statistics of a parameter set's runs (evaluated by :meth:`evaluate`)."""
        return self.cache[self.key(pars)]

    def evaluate(self, keys: list[tuple[float, ...]], generation: int) -> None:
        """Run (or find stored) every parameter set of ``keys`` and keep its statistics."""
        todo = [k for k in dict.fromkeys(keys) if k not in self.cache]
        if not todo:
            return
        specs: list[RunSpec] = []
        by_set: dict[tuple[float, ...], list[tuple[str, int]]] = {}
        for k in todo:
            scenario = self.spec.scenario(self.values(k))
            h = scenario.content_hash()
            seeds = replication_seeds(self.spec.seed, h, self.spec.reps)
            by_set[k] = [(h, s) for s in seeds]
            specs += [RunSpec(scenario, s, {"calibration": self.spec.name, "generation": generation,
                                            "replicate": j}) for j, s in enumerate(seeds)]  # fmt: skip
        done, failures = run_experiment(
            self.spec.experiment, specs, store=self.store, executor=self.executor, kind="calibration",
            description=self.spec.describe(), progress=self.progress,
        )  # fmt: skip
        self.n_simulations += len(specs)
        self.n_run += len(done) + len(failures)
        self.n_failed += len(failures)
        self.failures += failures
        runs: dict[tuple[str, int], RunResult] = {(r.scenario_hash, int(r.seed)): r for r in done}
        missing = {key for keys_ in by_set.values() for key in keys_} - set(runs)
        if missing and self.store is not None:
            runs.update(stored_runs(self.store, self.spec.experiment, self.spec.targets, missing))
        for k, keys_ in by_set.items():
            results = [runs[key] for key in keys_ if key in runs]
            # a failed run (stored with its traceback) leaves its set without statistics: rejected
            self.cache[k] = (
                statistics(results, self.spec.targets) if len(results) == len(keys_) else self._placeholder()
            )


def stored_runs(
    store, experiment: str, targets: Sequence[Target], keys: set[tuple[str, int]]
) -> dict[tuple[str, int], RunResult]:
    """The stored runs of ``keys`` with the indicators the targets need (made by the store's code)."""
    runs = store.runs(experiment)
    runs = runs[runs["status"] == "done"]
    ids = {
        (h, int(s)): int(i)
        for h, s, i in zip(runs["scenario_hash"], runs["seed"], runs["run_id"], strict=True)
    }
    wanted = {ids[k]: k for k in keys if k in ids}
    if not wanted:
        return {}
    indicators = sorted({t.indicator for t in targets})
    out: dict[tuple[str, int], RunResult] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):  # bounded IN lists
        panel = store.panel(run_ids=ordered[start : start + 500], indicators=indicators)
        for run_id, rows in panel.groupby("run_id", sort=False):
            h, s = wanted[int(run_id)]
            out[(h, s)] = RunResult(
                scenario_name=str(rows["scenario_name"].iloc[0]), scenario_hash=h, seed=s,
                months=tuple(rows["month"]), indicators=tuple(indicators),
                values=rows[indicators].to_numpy(dtype=np.float64), persons=0, wall_seconds=0.0,
                code_version="", scenario_json="", meta={"run_id": int(run_id)},
            )  # fmt: skip
    return out


class BatchSampler(Sampler):
    """A pyabc sampler that evaluates a generation's proposals in batches through the runner.

    See the module's docstring: proposals are drawn twice from the same state of numpy's
    generator, so that the batch's sets can be run together and the accepted population is the
    one a one-at-a-time sampler would give.
    """

    def __init__(self, model: StoredModel, seed: int, report: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.model = model
        self.seed = int(seed)
        self.calls = 0
        self.report = report
        self.generations: list[dict] = []

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        """Draw the generation's proposals from (seed, call), in batches run through the runner."""
        self.calls += 1
        # pyabc proposes with numpy's global generator: seeding it is what makes proposals reproducible
        state = np.random.SeedSequence([PROPOSAL_STREAM, self.seed, self.calls]).generate_state(1)[0]
        np.random.seed(state)  # noqa: NPY002
        sample = self._create_empty_sample()
        evaluations = 0
        batch = n
        while sample.n_accepted < n and evaluations < max_eval:
            batch = int(min(batch, max_eval - evaluations)) if math.isfinite(max_eval) else int(batch)
            before = np.random.get_state()  # noqa: NPY002
            self.model.proposing, self.model.pending = True, []
            try:
                for _ in range(batch):
                    simulate_one()
            finally:
                self.model.proposing = False
            after = np.random.get_state()  # noqa: NPY002
            self.model.evaluate(self.model.pending, t)
            np.random.set_state(before)  # noqa: NPY002
            accepted_before = sample.n_accepted
            used = 0
            for _ in range(batch):
                sample.append(simulate_one())
                used += 1
                if sample.n_accepted >= n:
                    break
            np.random.set_state(after)  # noqa: NPY002
            evaluations += used
            accepted = sample.n_accepted - accepted_before
            still = n - sample.n_accepted
            rate = max(accepted / batch, 1 / (2 * batch))
            batch = max(min(math.ceil(1.2 * still / rate), MAX_BATCH_FACTOR * n), 1)
        self.nr_evaluations_ = evaluations
        if sample.n_accepted < n:
            sample.ok = False
        self.generations.append(
            {"generation": t, "n_evaluations": evaluations, "n_accepted": sample.n_accepted}
        )
        if self.report is not None:
            self.report(
                f"generation {t}: {sample.n_accepted} accepted of {evaluations} evaluated "
                f"({self.model.n_run} simulations run so far, {self.model.n_simulations - self.model.n_run} found stored)"
            )
        return sample


@dataclass
class AbcRun:
    """What :func:`run_abc` returns: the last population, the generations, the counts."""

    particles: pd.DataFrame
    generations: pd.DataFrame
    n_simulations: int
    n_run: int
    n_failed: int
    wall_seconds: float
    failures: list[Failure]


def _prior(spec: CalibrationSpec) -> pyabc.Distribution:
    rvs = {}
    for k, p in enumerate(spec.priors):
        if p.kind == "normal":
            a, b = (p.lo - p.mean) / p.sd, (p.hi - p.mean) / p.sd
            rvs[f"p{k}"] = pyabc.RV("truncnorm", a, b, loc=p.mean, scale=p.sd)
        else:
            rvs[f"p{k}"] = pyabc.RV("uniform", p.lo, p.hi - p.lo)
    return pyabc.Distribution(**rvs)


def run_abc(
    spec: CalibrationSpec,
    store=None,
    executor: Executor | None = None,
    progress: bool = False,
) -> AbcRun:
    """Run ABC-SMC for a calibration (see the module's docstring); the ensemble is not stored here."""
    for name in ("ABC", "pyabc", "Epsilon", "Distance", "Acceptor", "Sampler"):
        logging.getLogger(name).setLevel(logging.WARNING)
        logging.getLogger(f"ABC.{name}").setLevel(logging.WARNING)
    started = time.monotonic()
    model = StoredModel(spec, store=store, executor=executor, progress=progress)
    report = (lambda line: print(line, file=sys.stderr)) if progress else None
    sampler = BatchSampler(model, spec.seed, report)
    observed = {t.name: t.value for t in spec.targets}
    scales = {t.name: t.scale for t in spec.targets}
    method = spec.method
    abc = pyabc.ABCSMC(
        model,
        _prior(spec),
        lambda x, x0: distance(x, x0, scales),
        population_size=method.population,
        sampler=sampler,
        # the first generation is the prior; each later one keeps the best ``quantile`` of the last
        eps=pyabc.QuantileEpsilon(initial_epsilon=math.inf, alpha=method.quantile),
    )
    with tempfile.TemporaryDirectory(prefix="countysim-abc-") as folder:
        abc.new("sqlite:///" + str(Path(folder) / "pyabc.db"), observed)
        history = abc.run(
            minimum_epsilon=method.min_epsilon,
            max_nr_populations=method.generations,
            max_total_nr_simulations=method.max_simulations,
        )
        population = history.get_population(t=history.max_t)
        pops = history.get_all_populations()
        epsilons = {int(r.t): float(r.epsilon) for r in pops.itertuples() if r.t >= 0}
    rows = []
    for particle in population.particles:
        key = model.key(particle.parameter)
        rows.append({"weight": float(particle.weight), "parameters": model.values(key),
                     "statistics": dict(model.cache.get(key, particle.sum_stat))})  # fmt: skip
    particles = pd.DataFrame(rows)
    particles["weight"] = particles["weight"] / particles["weight"].sum()
    generations = pd.DataFrame(sampler.generations[-len(epsilons) :] if epsilons else sampler.generations)
    generations["generation"] = range(len(generations))
    generations["epsilon"] = [epsilons.get(g, math.nan) for g in generations["generation"]]
    return AbcRun(
        particles=particles,
        generations=generations[["generation", "epsilon", "n_evaluations", "n_accepted"]],
        n_simulations=model.n_simulations,
        n_run=model.n_run,
        n_failed=model.n_failed,
        wall_seconds=time.monotonic() - started,
        failures=model.failures,
    )
