"""What every ``countysim`` command shares: the run options, errors, tables, executors.

Every command that runs the model accepts ``run``'s options (``--seed``, ``--months``, ``--db``,
``--output-dir``) with the same meaning; commands that run many runs also take ``--workers`` and
``--cluster`` (a Dask scheduler address, or ``COUNTYSIM_CLUSTER``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from countysim.scenario import Scenario, ScenarioError
from countysim.scenario import load as load_scenario

if TYPE_CHECKING:
    from countysim.experiments import RunSpec
    from countysim.results import RunResult

SeedOpt = Annotated[
    int | None, typer.Option("--seed", help="Root seed (default: the scenario's seed).", min=0)
]
MonthsOpt = Annotated[
    int | None,
    typer.Option("--months", help="Simulate this many months (default: the horizon).", min=1, max=360),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL of the results store (default: $COUNTYSIM_DB or sqlite:///results/countysim.db).",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--output-dir", help="Folder for the command's files: CSV, JSON, figures, report."),
]


WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers", help="Local worker processes (default: one per CPU this process may use).", min=1
    ),
]
ClusterOpt = Annotated[
    str | None,
    typer.Option(
        "--cluster", help="Dask scheduler address (default: $COUNTYSIM_CLUSTER; none: local processes)."
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
RepsOpt = Annotated[int, typer.Option("--reps", help="Replications per scenario (seeds S, S+1, ...).", min=1)]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` to standard error and return the exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def load(path: Path, months: int | None = None) -> Scenario:
    """Load a scenario (with ``--months`` applied) or exit with the scenario error."""
    try:
        scenario = load_scenario(path)
        if months is not None:
            scenario = scenario.replace(**{"horizon.months": months})
        return scenario
    except ScenarioError as exc:
        raise fail(str(exc)) from None


def open_store(db: str | None):
    """Connect to the results store before anything runs, or exit with its error."""
    from countysim.store import ResultsStore, StoreError

    try:
        return ResultsStore(db)
    except StoreError as exc:
        raise fail(str(exc)) from None


@contextmanager
def executor_for(workers: int | None, cluster: str | None) -> Iterator[Executor]:
    """The executor for many runs: a Dask cluster if an address is given, else local processes.

    The local pool's workers end with the driver (``countysim.experiments.runner.worker_start``)
    and are stopped at once when the command ends by an error or an interrupt.
    """
    address = cluster or os.environ.get("COUNTYSIM_CLUSTER")
    if address:
        try:
            from distributed import Client

            client = Client(address, timeout="10s")
        except Exception as exc:
            raise fail(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    from countysim.experiments.runner import default_executor, stop_workers

    pool = default_executor(workers)
    try:
        yield pool
    except BaseException:
        # an error or an interrupt ends the command: do not wait for the runs in flight
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool) -> None:
    """Print rows as aligned columns, or as a Markdown table."""
    if markdown:
        typer.echo("| " + " | ".join(header) + " |")
        typer.echo("|" + "---|" * len(header))
        for r in rows:
            typer.echo("| " + " | ".join(r) + " |")
        return
    widths = [min(max(len(str(x)) for x in col), 48) for col in zip(header, *rows, strict=True)]
    for r in (header, *rows):
        typer.echo("  ".join(str(x)[:48].ljust(w) for x, w in zip(r, widths, strict=True)).rstrip())


def run_and_reload(
    name: str,
    kind: str,
    specs: list[RunSpec],
    db: str | None,
    workers: int | None,
    cluster: str | None,
    quiet: bool,
    description: dict,
) -> dict[tuple[str, int], RunResult]:
    """Run the specs not yet stored, then reload every spec's stored result, keyed (hash, seed).

    Exits with status 1 (after storing the rest) when a run fails, and 2 on a store error.
    """
    from countysim.experiments import load_results, run_experiment
    from countysim.store import StoreError

    store = open_store(db)
    try:
        with executor_for(workers, cluster) as executor:
            _, failures = run_experiment(
                name, specs, store=store, executor=executor, kind=kind,
                description=description, progress=not quiet,
            )  # fmt: skip
        if failures:
            first = failures[0]
            raise fail(
                f"{len(failures)} run(s) of {name!r} failed (stored as failed); the first, "
                f"{first.spec.scenario.name} seed {first.spec.seed}:\n{first.error}",
                code=1,
            )
        wanted = {s.key for s in specs}
        stored = {(r.scenario_hash, r.seed): r for r in load_results(store, name)}
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    missing = wanted - set(stored)
    if missing:  # pragma: no cover - run_experiment stores every success
        raise fail(f"{len(missing)} run(s) of {name!r} are missing from the store", code=1)
    return stored
