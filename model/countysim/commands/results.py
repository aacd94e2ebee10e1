"""``countysim results list | runs | export``: read the results store."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import DbOpt, fail, open_store, table

results_app = typer.Typer(
    no_args_is_help=True, help="Read the results store: experiments, runs, and exports to CSV/Parquet."
)


def _open(db: str | None):
    return open_store(db)


def _cell(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x)


@results_app.command("list")
def results_list(db: DbOpt = None) -> None:
    """List the experiments in the store with their run counts."""
    store = _open(db)
    try:
        frame = store.experiments()
    finally:
        store.close()
    if frame.empty:
        typer.echo(f"no experiments in {store.url}")
        return
    rows = [
        (str(r.id), r.name, r.kind, str(r.created_at)[:19], str(r.n_runs), str(r.n_done), str(r.n_failed))
        for r in frame.itertuples()
    ]
    table(("id", "experiment", "kind", "created", "runs", "done", "failed"), rows, markdown=False)


@results_app.command("runs")
def results_runs(
    experiment: Annotated[str | None, typer.Argument(help="Only this experiment.")] = None,
    db: DbOpt = None,
) -> None:
    """List the runs in the store (status, seed, wall seconds, error)."""
    from countysim.store import StoreError

    store = _open(db)
    try:
        frame = store.runs(experiment)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if frame.empty:
        typer.echo("no runs")
        return
    rows = []
    for r in frame.itertuples():
        error = (r.error or "").strip().splitlines()
        rows.append(
            (
                str(r.run_id),
                r.experiment,
                str(r.scenario_name),
                str(r.scenario_hash),
                str(r.seed),
                r.status,
                _cell(r.wall_seconds),
                str(r.finished_at)[:19] if r.finished_at is not None else "",
                error[-1] if error else "",
            )
        )
    header = ("run", "experiment", "scenario", "hash", "seed", "status", "wall_s", "finished", "error")
    table(header, rows, markdown=False)


@results_app.command("export")
def results_export(
    table_name: Annotated[
        str, typer.Argument(metavar="TABLE", help="experiments, runs, panel or summaries.")
    ],
    path: Annotated[Path, typer.Argument(help="Output file: .csv or .parquet.")],
    experiment: Annotated[str | None, typer.Option("--experiment", help="Only this experiment.")] = None,
    db: DbOpt = None,
) -> None:
    """Export a table of the store to CSV or Parquet (by the file's suffix)."""
    from countysim.store import StoreError

    store = _open(db)
    try:
        written = store.export(table_name, path, experiment=experiment)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add the ``results`` group to the ``countysim`` command."""
    app.add_typer(results_app, name="results")
