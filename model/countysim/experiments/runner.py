"""Run many (scenario, seed) pairs on any ``concurrent.futures.Executor``; one writer stores them.

- **Keys.** A run is identified by (experiment, scenario hash, seed) and the code that made it
  (``countysim.version.code_fingerprint``). Before submitting, the runner asks the store which
  keys this code has done and skips them, so an experiment killed at any point (``kill -9``
  included) resumes where it stopped and loses no finished run. Runs stored by other code are
  run again, with a note saying how many and why; they stay in the store.
- **Executors.** Anything with ``submit`` — the default local process pool, a Dask cluster's
  ``distributed.Client(address).get_executor()``, or ``InlineExecutor`` for debugging. A run
  depends only on its scenario and seed (``countysim.rng``), so results are identical on every
  executor and with any number of workers.
- **One writer.** Workers return results; the driver alone writes, in batches, each batch one
  transaction (``ResultsStore.save_runs``). A run that raised is recorded as failed with its
  traceback, and the others go on.
- **Progress.** A bar with runs done, rate and time left.
- **Stopping.** Ctrl-C (and SIGTERM, which ``countysim`` turns into the same) stores the runs
  finished so far, stops the local pool's workers and raises ``Interrupted``. The local pool's
  workers end by themselves when the driver dies (even by ``kill -9``), so none lives on holding
  its terminal or pipes.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from tqdm import tqdm

from countysim.results import RunResult
from countysim.scenario import Scenario
from countysim.version import code_fingerprint


class Posterior(Protocol):
    """What replications draw behavioural parameters from (``countysim.calibration.Ensemble``)."""

    name: str

    def draws(self, seed: int, reps: int) -> list[int]:
        """The parameter set of each replication."""
        ...

    def parameter_set(self, i: int) -> dict[str, float | int]:
        """Parameter set ``i`` by scenario key path."""
        ...


#: seconds between a worker's checks that its driver still lives
WATCH_SECONDS = 0.5
#: Linux prctl option: the signal a process gets when its parent dies
_PR_SET_PDEATHSIG = 1


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
    """A run that raised, and the fingerprint of the code that ran it."""

    spec: RunSpec
    error: str
    code_fingerprint: str = ""


def execute(spec: RunSpec) -> RunResult | Failure:
    """Run one spec in a worker; exceptions come back as a ``Failure``, never raised."""
    from countysim.model import run

    try:
        return run(spec.scenario, seed=spec.seed, meta=spec.meta)
    except Exception:
        return Failure(spec, traceback.format_exc(), code_fingerprint())


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


class OtherCode(RuntimeError):
    """A worker ran other code than the driver, so its runs would never count as this code's."""

    def __init__(self, worker: str, driver: str, stored: int) -> None:
        super().__init__(
            f"a worker ran countysim code with fingerprint {worker or 'unknown'}, but this process runs "
            f"{driver}: install the same countysim on every worker (a Dask cluster), and do not change the "
            f"package while an experiment runs. {stored} runs of this code are stored; the worker's run is "
            "stored under its own fingerprint."
        )
        self.worker, self.driver = worker, driver


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM stopped an experiment; the runs finished before it are stored.

    A ``BaseException``, as ``KeyboardInterrupt`` is, so that no ``except Exception`` takes it
    for a failed run.

    Attributes:
        experiment: the experiment's name.
        stored: runs of the experiment now stored as done by this code (``kept`` is True), or
            finished in memory (no store).
        total: distinct runs the experiment asked for.
        kept: whether a store holds them.
    """

    def __init__(self, experiment: str, stored: int, total: int, kept: bool) -> None:
        where = "stored; running it again resumes after them" if kept else "finished (no store: not kept)"
        super().__init__(f"{stored} of {total} runs of experiment {experiment!r} {where}")
        self.experiment, self.stored, self.total, self.kept = experiment, stored, total, kept


class InlineExecutor(Executor):
    """Runs each task at submission, in this process (debugging, tests, tiny experiments)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn`` now and return a finished future (Ctrl-C is raised, not kept in it)."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
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


def default_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """A local process pool: ``workers`` processes, or one per usable CPU (see ``pool_context``).

    Its workers end when the driver dies (``worker_start``).
    """
    return ProcessPoolExecutor(
        max_workers=workers or usable_cpus(),
        mp_context=pool_context(),
        initializer=worker_start,
        initargs=(os.getpid(),),
    )


def worker_start(driver: int) -> None:
    """Set up a local pool's worker: it leaves signals to the driver and dies with it.

    - Ctrl-C in a terminal reaches the whole process group: workers ignore it, and the driver
      stores what finished and stops them. SIGTERM ends a worker at once (a forked worker would
      otherwise inherit the driver's handler).
    - On Linux the kernel kills the worker when its parent dies (``PR_SET_PDEATHSIG``); a
      worker started by a forkserver has the forkserver for parent, which itself exits when the
      driver does. (The kernel goes by the parent's thread that started the worker: a forked
      pool comes only from a driver with one thread, ``pool_context``, so that is its main
      thread.) On POSIX, a thread checks twice a second that the parent is the same and the
      driver lives, and ends the worker if not: a ``kill -9`` of the driver leaves no worker
      running on, holding the terminal or the caller's pipes.

    Args:
        driver: process id of the driver that made the pool.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if not _driver_lives(parent, driver):  # it died before the kernel was told to tell us
        os._exit(1)
    threading.Thread(target=_watch_driver, args=(parent, driver), name="watch-driver", daemon=True).start()


def _driver_lives(parent: int, driver: int) -> bool:
    if os.getppid() != parent:  # the parent died: the worker was handed to another process
        return False
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(driver, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        pass
    return True


def _watch_driver(parent: int, driver: int) -> None:
    while _driver_lives(parent, driver):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def stop_workers(pool: ProcessPoolExecutor, timeout: float = 5.0) -> None:
    """End a local pool's worker processes now, runs in flight included; the pool is then broken."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(deadline - time.monotonic(), 0.0))
            if process.is_alive():
                process.kill()


def replicate(
    scenarios: Sequence[Scenario], reps: int, seed: int | None = None, posterior: Posterior | None = None
) -> list[RunSpec]:
    """Every scenario on the same ``reps`` seeds (common random numbers), optionally over a posterior.

    Replication ``i`` of every scenario uses seed ``base + i``, where ``base`` is ``seed`` or the
    first scenario's seed. With a ``posterior`` ensemble (``countysim.calibration.Ensemble``),
    replication ``i`` of every scenario also sets the behavioural parameters of the ensemble's
    set ``posterior.draws(base, reps)[i]``: the same (parameter set, seed) pair for every
    scenario, so that differences between scenarios still pair. Without one the specs are
    exactly those of before (the runs' keys and results do not change).
    """
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    base = scenarios[0].seed if seed is None else int(seed)
    if posterior is None:
        return [RunSpec(s, base + i, {"replicate": i}) for s in scenarios for i in range(reps)]
    draws = posterior.draws(base, reps)
    specs = []
    for s in scenarios:
        varied: dict[int, Scenario] = {}
        for i, k in enumerate(draws):
            if k not in varied:
                varied[k] = s.replace(**posterior.parameter_set(k))
            meta = {"replicate": i, "parameter_set": k, "posterior": posterior.name}
            specs.append(RunSpec(varied[k], base + i, meta))
    return specs


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
    """Run every spec not already done by this code, storing results as they arrive.

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

    Raises:
        StoreError: before anything runs, if the experiment's or a scenario's name is too long
            for the store; later, if the store fails.
        WorkersLost: a worker process died (the runs finished before are stored).
        OtherCode: a worker ran other code than this process (the same).
        Interrupted: Ctrl-C (or SIGTERM through ``countysim``) stopped it: the runs finished
            before are stored and the local pool's workers stopped.
    """
    specs = list(specs)
    seen: set[tuple[str, int]] = set()
    todo = [s for s in specs if not (s.key in seen or seen.add(s.key))]  # one run per key
    total = len(todo)
    this_code = code_fingerprint() if store is None else store.fingerprint
    exp_id = None
    stored = 0  # runs of the experiment stored as done by this code
    if store is not None:
        store.check_names(name, (s.scenario.name for s in todo))
        exp_id = store.experiment(name, kind=kind, spec=description)
        done = store.done_keys(exp_id)
        stale = store.stale_keys(exp_id)
        stored = sum(s.key in done for s in todo)
        todo = [s for s in todo if s.key not in done]
        _note_other_code(name, [stale[s.key] for s in todo if s.key in stale], this_code)
    own = executor is None and len(todo) > 0
    pool = default_executor() if own else executor
    results: list[RunResult] = []
    failures: list[Failure] = []
    pending: list[RunResult] = []
    futures: list[Future] = []
    last_write = time.monotonic()

    def flush() -> None:
        nonlocal last_write, stored
        if store is not None and pending:
            store.save_runs(exp_id, pending)
            stored += sum(r.code_fingerprint == this_code for r in pending)
        pending.clear()
        last_write = time.monotonic()

    def keep(out: RunResult | Failure) -> None:
        if isinstance(out, Failure):
            failures.append(out)
            if store is not None:
                s = out.spec
                store.save_failure(
                    exp_id, s.scenario.name, s.key[0], s.key[1], out.error, s.scenario.to_json(),
                    code_fingerprint=out.code_fingerprint,
                )  # fmt: skip
        else:
            results.append(out)
            pending.append(out)

    def take(future: Future) -> None:
        taken.add(future)
        try:
            out = future.result()
        except BrokenProcessPool as exc:
            raise WorkersLost(len(results) + len(failures), len(todo), store is not None) from exc
        keep(out)
        if out.code_fingerprint != this_code:
            flush()
            raise OtherCode(out.code_fingerprint, this_code, stored)
        if len(pending) >= batch_size or time.monotonic() - last_write > batch_seconds:
            flush()
        bar.update(1)

    taken: set[Future] = set()
    bar = _Bar(total=len(todo), unit="run", desc=name, disable=not progress or not todo, smoothing=0.1)
    try:
        for spec in todo:
            futures.append(future := pool.submit(execute, spec))
            if future.done():  # an executor that runs at submission (InlineExecutor): store as it goes
                take(future)
        for future in as_completed([f for f in futures if f not in taken]):
            take(future)
        flush()
    except KeyboardInterrupt:
        # runs that finished while the loop was stopped are kept too
        for future in futures:
            if future not in taken and future.done() and not future.cancelled() and not future.exception():
                with contextlib.suppress(Exception):
                    keep(future.result())
            future.cancel()
        with contextlib.suppress(Exception):
            flush()
        if isinstance(pool, ProcessPoolExecutor):
            stop_workers(pool)
        raise Interrupted(
            name, stored if store is not None else len(results), total, store is not None
        ) from None
    except BaseException:
        # whatever else stopped the loop (a dead worker, a store error), the runs that finished are kept
        with contextlib.suppress(Exception):
            flush()
        if own:  # and the pool made here does not run on to no purpose
            for future in futures:
                future.cancel()
            stop_workers(pool)
        raise
    finally:
        bar.close()
        if own:
            pool.shutdown(cancel_futures=True)
    return results, failures


def _note_other_code(name: str, stale: list[set[str]], this_code: str) -> None:
    """Say on standard error how many stored runs are run again because other code made them."""
    if not stale:
        return
    codes = sorted({fp[:8] if fp else "unknown" for fps in stale for fp in fps})
    print(
        f"note: {len(stale)} stored runs of experiment {name!r} were made by other code (fingerprint "
        f"{', '.join(codes)}) and are run again with this code ({this_code[:8]}); the stored ones are kept",
        file=sys.stderr,
    )


def load_results(store, experiment: str) -> list[RunResult]:
    """Every run of an experiment finished by the store's code, rebuilt (catalogue order kept).

    Only runs made by the code the store was opened for (``store.fingerprint``, by default this
    package) come back: runs of other code stay in the store (``store.runs(experiment,
    all_code=True)`` lists them) but are never mixed with this code's.
    """
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
                code_fingerprint=str(run.code_fingerprint),
            )
        )
    return out
