"""Runs launched from the app: the package against its baseline on common seeds, in the background.

The app goes through the same runner and store as ``countysim compare``: :func:`prepare` makes
the two scenarios at the chosen scale and horizon and ``replicate`` gives both the same seeds;
:func:`run_comparison` hands them to ``run_experiment`` with a ``ResultsStore``, so every finished
run is stored (a repeated run is read back, an interrupted one resumes), then reads the runs back
from the store and summarises them with the comparison's, needs' and assessment's own functions.
Same scenario, seed and code give the same numbers as ``countysim compare``.

:class:`Workers` keeps one local process pool for the whole server, started and warmed when the
app starts, so a visitor's first run does not wait for workers to import the model. The page
never waits on a run: it runs in a thread of its own and reports through :class:`Progress`.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from countysim.results import RunResult
from countysim.scenario import Scenario

#: the targets file assessed by default (the notice's targets, scaled to one county)
TARGETS_FILE = Path(__file__).resolve().parents[3] / "targets" / "notice_2023.toml"


class AppRunError(RuntimeError):
    """A run from the app could not be done; the message says why (never a traceback)."""


@dataclass(frozen=True)
class RunSettings:
    """How to run a package: the county's scale, the months, the replications, the first seed."""

    scale: float = 0.05
    months: int = 36
    reps: int = 3
    seed: int | None = None

    def check(self) -> None:
        """Raise ``AppRunError`` naming a setting outside what is allowed."""
        if not (math.isfinite(self.scale) and 0 < self.scale <= 1):
            raise AppRunError(f"scale = {self.scale!r}: allowed more than 0 and at most 1 (the whole county)")
        if not 1 <= int(self.months) <= 360:
            raise AppRunError(f"months = {self.months!r}: allowed 1 to 360")
        if not 1 <= int(self.reps) <= 100:
            raise AppRunError(f"replications = {self.reps!r}: allowed 1 to 100")
        if self.seed is not None and not 0 <= int(self.seed) <= 2**63 - 1:
            raise AppRunError(f"seed = {self.seed!r}: allowed 0 to {2**63 - 1}")


def sized(scenario: Scenario, settings: RunSettings) -> Scenario:
    """``scenario`` over ``settings.months`` months at ``settings.scale`` times its size.

    Raises:
        ScenarioError: if the shorter horizon leaves a lever's start outside it.
    """
    out = scenario.replace(**{"horizon.months": int(settings.months)})
    return out if settings.scale == 1 else out.scaled(settings.scale)


@dataclass(frozen=True)
class Prepared:
    """The two scenarios as run, their run specs and the store experiment."""

    baseline: Scenario
    package: Scenario
    specs: list
    experiment: str
    description: dict
    settings: RunSettings


def prepare(package: Scenario, baseline: Scenario, settings: RunSettings) -> Prepared:
    """The baseline and the package sized by ``settings``, on the same seeds.

    The experiment is named after both scenarios and the run package's content hash, so the
    same package run again with the same settings resumes (stored runs are read back) and runs
    at another scale or horizon never mix with it.

    Raises:
        AppRunError: for bad settings or two scenarios of the same name.
        ScenarioError: if a scenario does not validate at these settings.
    """
    from countysim.experiments import replicate

    settings.check()
    if package.name == baseline.name:
        raise AppRunError(
            f"the package and its baseline are both named {package.name!r}; give the package its own name"
        )
    base_s, pkg_s = sized(baseline, settings), sized(package, settings)
    specs = replicate([base_s, pkg_s], int(settings.reps), settings.seed)
    seeds = sorted({s.seed for s in specs})
    name = f"app:{base_s.name}+{pkg_s.name}:{pkg_s.content_hash()[:10]}"
    description = {
        "scenarios": [base_s.name, pkg_s.name], "reps": int(settings.reps), "seeds": [seeds[0], seeds[-1]],
        "months": int(settings.months), "scale": float(settings.scale), "made_by": "countysim app",
    }  # fmt: skip
    return Prepared(base_s, pkg_s, specs, name, description, settings)


@dataclass
class Progress:
    """What a running comparison has done so far (read by the page, written by the run's thread)."""

    total: int = 0
    done: int = 0
    stage: str = "waiting"
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tick(self) -> None:
        """One more run finished."""
        with self._lock:
            self.done += 1

    def snapshot(self) -> tuple[int, int, str, float]:
        """(runs done, runs in all, stage, seconds since the start)."""
        with self._lock:
            return self.done, self.total, self.stage, time.monotonic() - self.started


class _Counted(Executor):
    """An executor that counts finished tasks into a ``Progress``; the work goes to ``inner``."""

    def __init__(self, inner: Executor, progress: Progress) -> None:
        self._inner, self._progress = inner, progress

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Submit to the inner executor; count the task when it finishes."""
        future = self._inner.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda _: self._progress.tick())
        return future


@dataclass
class Outcome:
    """A finished comparison, as the page shows it.

    Attributes:
        experiment: the store experiment holding the runs.
        baseline: the baseline as run (sized).
        package: the package as run (sized).
        results: runs by scenario name, the baseline first, ordered by seed.
        seeds: the common seeds.
        summary: ``countysim.experiments.compare.summarise`` at the horizon.
        needs: ``countysim.resources.needs_table`` of each scenario.
        assessment: ``countysim.assessment.assess`` of the package (with the baseline) against
            the targets the horizon covers, or ``None`` when it covers none.
        targets_note: which targets lie outside the horizon (empty when all are covered).
        ran: runs done now (the others were read back from the store).
        seconds: wall seconds from start to summary.
        settings: the run settings.
    """

    experiment: str
    baseline: Scenario
    package: Scenario
    results: dict[str, list[RunResult]]
    seeds: tuple[int, ...]
    summary: pd.DataFrame
    needs: dict[str, pd.DataFrame]
    assessment: pd.DataFrame | None
    targets_note: str
    ran: int
    seconds: float
    settings: RunSettings


def assess_covered(
    results: Sequence[RunResult], baseline: Sequence[RunResult], targets_file: Path | None
) -> tuple[pd.DataFrame | None, str]:
    """Assess the targets whose month the runs cover; say which ones they do not.

    Returns:
        The assessment table (``None`` if no target is covered or there is no targets file)
        and a note naming the targets outside the horizon.
    """
    from countysim.assessment import assess, load_targets

    if targets_file is None:
        return None, "no targets file"
    targets = load_targets(targets_file)
    months = set(results[0].months)
    covered = [t for t in targets if t.at in months]
    outside = [t for t in targets if t.at not in months]
    note = ""
    if outside:
        horizon = f"{results[0].months[0]} to {results[0].months[-1]}"
        listed = ", ".join(f"{t.id} (at {t.at})" for t in outside)
        note = (
            f"{len(outside)} of {len(targets)} targets of {targets_file.name} lie outside the horizon "
            f"{horizon} and are not assessed: {listed}; run more months to assess them"
        )
    if not covered:
        return None, note
    return assess(results, covered, baseline), note


def run_comparison(
    prepared: Prepared,
    store_url: str | None,
    executor: Executor,
    progress: Progress | None = None,
    targets_file: Path | None = TARGETS_FILE,
    workers: Workers | None = None,
) -> Outcome:
    """Run (or read back) the baseline and the package on common seeds; summarise them.

    Args:
        prepared: from :func:`prepare`.
        store_url: the results store (``None``: ``$COUNTYSIM_DB`` or the default file).
        executor: where runs execute (the app's process pool).
        progress: filled in as runs finish.
        targets_file: the targets to assess (``None``: none).
        workers: the pool ``executor`` belongs to, restarted if a worker dies.

    Raises:
        AppRunError: if the store cannot be opened or written, or a run failed (its error's
            last line).
    """
    from countysim.experiments import WorkersLost, load_results, run_experiment
    from countysim.experiments.compare import COMPARE_INDICATORS, summarise
    from countysim.resources import needs_table
    from countysim.store import ResultsStore, StoreError

    progress = progress or Progress()
    t0 = time.monotonic()
    progress.stage = "opening the results store"
    try:
        store = ResultsStore(store_url)
    except StoreError as exc:
        raise AppRunError(str(exc)) from None
    try:
        done = store.done_keys(store.experiment(prepared.experiment, "compare", prepared.description))
        todo = {s.key for s in prepared.specs} - done
        progress.total = len(todo)
        progress.stage = (
            f"running {len(todo)} of {len(prepared.specs)} runs" if todo else "reading stored runs"
        )
        try:
            ran, failures = run_experiment(
                prepared.experiment, prepared.specs, store=store, executor=_Counted(executor, progress),
                kind="compare", description=prepared.description, progress=False,
            )  # fmt: skip
        except WorkersLost as exc:
            if workers is not None:
                workers.restart()
            raise AppRunError(f"{exc} The app starts new workers for the next run.") from None
        if failures:
            first = failures[0]
            last = first.error.strip().splitlines()[-1] if first.error.strip() else "unknown error"
            raise AppRunError(
                f"{len(failures)} run(s) failed (stored as failed); the first, {first.spec.scenario.name} "
                f"seed {first.spec.seed}: {last}"
            )
        progress.stage = "summarising"
        stored = {(r.scenario_hash, int(r.seed)): r for r in load_results(store, prepared.experiment)}
    except StoreError as exc:
        raise AppRunError(str(exc)) from None
    finally:
        store.close()
    seeds = tuple(sorted({s.seed for s in prepared.specs}))
    results: dict[str, list[RunResult]] = {}
    for scenario in (prepared.baseline, prepared.package):
        h = scenario.content_hash()
        missing = [s for s in seeds if (h, s) not in stored]
        if missing:
            raise AppRunError(f"runs of {scenario.name!r} with seeds {missing} are missing from the store")
        results[scenario.name] = [stored[(h, s)] for s in seeds]
    base_runs, pkg_runs = results[prepared.baseline.name], results[prepared.package.name]
    summary = summarise(results, COMPARE_INDICATORS)
    needs = {name: needs_table(runs) for name, runs in results.items()}
    assessment, note = assess_covered(pkg_runs, base_runs, targets_file)
    progress.stage = "done"
    return Outcome(
        experiment=prepared.experiment, baseline=prepared.baseline, package=prepared.package,
        results=results, seeds=seeds, summary=summary, needs=needs, assessment=assessment,
        targets_note=note, ran=len(ran), seconds=time.monotonic() - t0, settings=prepared.settings,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------
# The server's worker processes
# ----------------------------------------------------------------------------------------
def _warm_up(months: int = 2) -> int:
    """Import the model and run a tiny county in a worker, so later runs start at once."""
    import os

    from countysim.model import run
    from countysim.scenario import Scenario as _Scenario

    small = _Scenario().replace(**{"horizon.months": months}).scaled(0.005)
    run(small, seed=1)
    return os.getpid()


def _worker_init(server_pid: int) -> None:
    """In each worker: leave Ctrl-C to the server, yield the CPU to it, end when it is gone.

    Workers come from a forkserver, so their parent is not the server: a watch thread checks
    every second that the server still exists and ends the worker when it does not, however the
    server ended (a ``kill -9`` included).
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except OSError:  # pragma: no cover - no permission to signal: it exists
                pass

    if os.name == "posix":
        os.nice(5)  # the page's own thread comes first when runs keep every core busy
        threading.Thread(target=watch, daemon=True, name="countysim-app-watch").start()


class Workers:
    """The app's local process pool: one for the whole server, started once and kept warm.

    Workers start from a forkserver that has imported the model once (spawned where there is
    none): a web server runs many threads, and forking a threaded process can hang the child.
    They ignore Ctrl-C (the server stops them) and end when the server process ends, however it
    ends.
    """

    def __init__(self, workers: int | None = None) -> None:
        self._n = workers
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    def executor(self) -> Executor:
        """The pool, started (and warmed) on first use."""
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                if "forkserver" in multiprocessing.get_all_start_methods():
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload(["countysim.model", "countysim.experiments.runner"])
                else:  # pragma: no cover - Windows
                    context = multiprocessing.get_context("spawn")
                n = self._n or _usable_cpus()
                self._pool = ProcessPoolExecutor(
                    max_workers=n, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
                )
                for _ in range(n):
                    self._pool.submit(_warm_up)
            return self._pool

    def restart(self) -> None:
        """Drop the pool (after a worker died); the next run starts a new one."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the workers (when the server stops)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _usable_cpus() -> int:
    from countysim.experiments.runner import usable_cpus

    return usable_cpus()
