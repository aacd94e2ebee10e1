"""Run many (scenario, seed) pairs on any ``concurrent.futures.Executor``; one writer stores them.

- **Keys.** A run is identified by (experiment, scenario hash, seed). Before submitting, the
  runner asks the store which keys are done and skips them, so an experiment killed at any point
  (``kill -9`` included) resumes where it stopped and loses no finished run.
- **Executors.** Anything with ``submit`` — the default local process pool, a Dask cluster's
  ``distributed.Client(address).get_executor()``, or ``InlineExecutor`` for debugging. A run
  depends only on its scenario and seed (``countysim.rng``), so results are identical on every
  executor and with any number of workers.
- **One writer.** Workers return results; the driver alone writes, in batches, each batch one
  transaction (``ResultsStore.save_runs``). A run that raised is recorded as failed with its
  traceback, and the others go on.
- **Progress.** A bar with runs done, rate and time left.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from countysim.results import RunResult
from countysim.scenario import Scenario


@dataclass(frozen=True)
class RunSpec:
    """One run to do: a scenario, a seed, a horizon, and facts to store with it."""

    scenario: Scenario
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        """(scenario hash, seed): the run's identity within an experiment."""
        return (self.scenario.content_hash(), int(self.seed))


@dataclass(frozen=True)
class Failure:
    """A run that raised."""

    spec: RunSpec
    error: str


def execute(spec: RunSpec) -> RunResult | Failure:
    """Run one spec in a worker; exceptions come back as a ``Failure``, never raised."""
    from countysim.model import run

    try:
        return run(spec.scenario, seed=spec.seed, meta=spec.meta)
    except Exception:
        return Failure(spec, traceback.format_exc())


class _Bar(tqdm):
    """The progress bar, without tqdm's monitor thread (it would make every later pool a forkserver one)."""

    monitor_interval = 0


class WorkersLost(RuntimeError):
    """A worker process died, so the pool cannot finish the experiment."""

    def __init__(self, finished: int, total: int, stored: bool) -> None:
        kept = (
            "they are stored: rerunning the experiment resumes after them" if stored else "not kept: no store"
        )
        super().__init__(
            f"a worker process died after {finished} of {total} runs had finished ({kept}). Workers start "
            "by importing the script that started them: in a script, put the code that runs experiments "
            'under `if __name__ == "__main__":`. Otherwise the machine may have run out of memory, or a '
            "worker was killed."
        )
        self.finished, self.total = finished, total


class InlineExecutor(Executor):
    """Runs each task at submission, in this process (debugging, tests, tiny experiments)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn`` now and return a finished future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's or a batch job's share)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def pool_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: a ``fork`` only of a driver with no other thread running.

    Forking is the fastest start (the workers share the imported model), but a process forked
    while another thread runs (a progress bar's monitor, a database driver, a Dask client) can
    inherit a lock that thread holds and hang; Python warns of it from 3.12 on. With other threads
    running, workers come from a ``forkserver`` (a clean process that imports the model once,
    a few seconds the first time), or are spawned where there is none (Windows). Workers that do
    not fork import the script that started them: scripts keep their experiments under
    ``if __name__ == "__main__":``.
    """
    methods = multiprocessing.get_all_start_methods()
    driver = multiprocessing.parent_process() is None  # not itself a worker importing a script
    if "fork" in methods and threading.active_count() == 1 and driver:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["countysim.experiments.runner"])
        return ctx
    return multiprocessing.get_context("spawn")


def default_executor(workers: int | None = None) -> Executor:
    """A local process pool: ``workers`` processes, or one per usable CPU (see ``pool_context``)."""
    return ProcessPoolExecutor(max_workers=workers or usable_cpus(), mp_context=pool_context())


def replicate(scenarios: Sequence[Scenario], reps: int, seed: int | None = None) -> list[RunSpec]:
    """Every scenario on the same ``reps`` seeds (common random numbers).

    Replication ``i`` of every scenario uses seed ``base + i``, where ``base`` is ``seed`` or the
    first scenario's seed.
    """
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    base = scenarios[0].seed if seed is None else int(seed)
    return [RunSpec(s, base + i, {"replicate": i}) for s in scenarios for i in range(reps)]


def run_experiment(
    name: str,
    specs: Iterable[RunSpec],
    store=None,
    executor: Executor | None = None,
    kind: str = "experiment",
    description: dict | None = None,
    batch_size: int = 16,
    batch_seconds: float = 5.0,
    progress: bool = True,
) -> tuple[list[RunResult], list[Failure]]:
    """Run every spec not already done, storing results as they arrive.

    Args:
        name: experiment name in the store (re-using it resumes the experiment).
        specs: the runs.
        store: a ``ResultsStore``; ``None`` keeps results in memory only.
        executor: where runs execute (default: a local process pool, shut down afterwards).
        kind: experiment kind stored with it (``compare``, ``sweep``, ...).
        description: JSON-serialisable facts stored with the experiment (the design, ...).
        batch_size: results per store transaction.
        batch_seconds: also write a batch when this long has passed since the last.
        progress: show a progress bar.

    Returns:
        The results of the runs done now (not those skipped as stored) and the failures.
    """
    specs = list(specs)
    seen: set[tuple[str, int]] = set()
    todo = [s for s in specs if not (s.key in seen or seen.add(s.key))]  # one run per key
    exp_id = None
    if store is not None:
        exp_id = store.experiment(name, kind=kind, spec=description)
        done = store.done_keys(exp_id)
        todo = [s for s in todo if s.key not in done]
    own = executor is None and len(todo) > 0
    pool = default_executor() if own else executor
    results: list[RunResult] = []
    failures: list[Failure] = []
    pending: list[RunResult] = []
    last_write = time.monotonic()

    def flush() -> None:
        nonlocal last_write
        if store is not None and pending:
            store.save_runs(exp_id, pending)
        pending.clear()
        last_write = time.monotonic()

    bar = _Bar(total=len(todo), unit="run", desc=name, disable=not progress or not todo, smoothing=0.1)
    try:
        futures = [pool.submit(execute, s) for s in todo]
        for future in as_completed(futures):
            try:
                out = future.result()
            except BrokenProcessPool as exc:
                raise WorkersLost(len(results) + len(failures), len(todo), store is not None) from exc
            if isinstance(out, Failure):
                failures.append(out)
                if store is not None:
                    s = out.spec
                    store.save_failure(
                        exp_id, s.scenario.name, s.key[0], s.key[1], out.error, s.scenario.to_json()
                    )
            else:
                results.append(out)
                pending.append(out)
            if len(pending) >= batch_size or time.monotonic() - last_write > batch_seconds:
                flush()
            bar.update(1)
        flush()
    except BaseException:
        # whatever stopped the loop (a dead worker, Ctrl-C), the runs that finished are kept
        with contextlib.suppress(Exception):
            flush()
        raise
    finally:
        bar.close()
        if own:
            pool.shutdown(cancel_futures=True)
    return results, failures


def load_results(store, experiment: str) -> list[RunResult]:
    """Every finished run of an experiment, rebuilt from the store (catalogue order kept)."""
    from countysim.indicators import NAMES

    runs = store.runs(experiment)
    runs = runs[runs["status"] == "done"]
    if runs.empty:
        return []
    panel = store.panel(run_ids=[int(r) for r in runs["run_id"]])
    stored = [
        c for c in panel.columns if c not in ("run_id", "scenario_name", "scenario_hash", "seed", "month")
    ]
    order = [n for n in NAMES if n in stored] + sorted(n for n in stored if n not in NAMES)
    out = []
    for run in runs.itertuples():
        rows = panel[panel["run_id"] == run.run_id]
        out.append(
            RunResult(
                scenario_name=run.scenario_name,
                scenario_hash=run.scenario_hash,
                seed=int(run.seed),
                months=tuple(rows["month"]),
                indicators=tuple(order),
                values=rows[order].to_numpy(dtype=np.float64),
                persons=int(run.persons or 0),
                wall_seconds=float(run.wall_seconds or 0.0),
                code_version=str(run.code_version),
                scenario_json="",
                meta={"run_id": int(run.run_id)},
            )
        )
    return out
