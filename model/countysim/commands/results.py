"""``countysim results list | runs | export``: read the results store.

Tables are printed whole: a column is never cut short, and the table is as wide as its widest
row needs (a terminal narrower than that wraps the lines).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from countysim.cli_common import DbOpt, fail, open_store

results_app = typer.Typer(
    no_args_is_help=True, help="Read the results store: experiments, runs, and exports to CSV/Parquet."
)


def _open(db: str | None):
    return open_store(db)


def _text(x: Any) -> str:
    """A cell: empty for a missing value (None, or NaN as pandas reads a NULL), else ``str``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def _cell(x: Any) -> str:
    if isinstance(x, float) and not math.isnan(x):
        return f"{x:.2f}"
    return _text(x)


def _last_line(text: Any) -> str:
    lines = _text(text).strip().splitlines()
    return lines[-1].strip() if lines else ""


def _short(fingerprint: Any) -> str:
    text = _text(fingerprint)
    return text[:8] if text else "unknown"


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` as a table on standard output, every cell in full.

    Cells are plain text (no markup, so an error message's brackets print as they are). The
    table takes the width its widest row needs, even when that is wider than the terminal.
    """
    from rich import box
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for name in header:
        table.add_column(name, no_wrap=True, overflow="ignore")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    options = {"highlight": False, "markup": False, "emoji": False}
    probe = Console(**options)
    needed = Measurement.get(probe, probe.options.update(width=1_000_000), table).maximum
    Console(width=max(needed, probe.width), **options).print(table, crop=False)


@results_app.command("list")
def results_list(db: DbOpt = None) -> None:
    """List the experiments in the store with the counts of this code's runs."""
    from countysim.store import StoreError

    store = _open(db)
    try:
        frame = store.experiments()
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if frame.empty:
        typer.echo(f"no experiments in {store.url}")
        return
    rows = [
        (str(r.id), r.name, r.kind, _text(r.created_at)[:19], str(r.n_runs), str(r.n_done), str(r.n_failed))
        for r in frame.itertuples()
    ]
    print_table(("id", "experiment", "kind", "created", "runs", "done", "failed"), rows)
    if other := int(frame["n_other_code"].sum()):
        typer.echo(
            f"\nruns, done and failed count the runs of this code (fingerprint {store.fingerprint[:8]}); "
            f"{_runs(other)} made by other code kept but not reused (countysim results runs lists them)"
        )


@results_app.command("runs")
def results_runs(
    experiment: Annotated[str | None, typer.Argument(help="Only this experiment.")] = None,
    db: DbOpt = None,
) -> None:
    """List the runs in the store: status, seed, wall seconds, the code that made each, error.

    Runs made by other code than this one are listed too; they are kept, never reused.
    """
    from countysim.store import StoreError

    store = _open(db)
    try:
        frame = store.runs(experiment, all_code=True)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if frame.empty:
        typer.echo("no runs")
        return
    rows = [
        (
            str(r.run_id),
            r.experiment,
            _text(r.scenario_name),
            _text(r.scenario_hash),
            str(r.seed),
            r.status,
            _cell(r.wall_seconds),
            _text(r.finished_at)[:19],
            _short(r.code_fingerprint),
            _text(r.git_commit),
            _last_line(r.error),
        )
        for r in frame.itertuples()
    ]
    header = (
        "run",
        "experiment",
        "scenario",
        "hash",
        "seed",
        "status",
        "wall_s",
        "finished",
        "code",
        "commit",
    )
    print_table((*header, "error"), rows)
    other = int((frame["code_fingerprint"] != store.fingerprint).sum())
    note = f"\ncode: fingerprint of the code that made the run; this code is {store.fingerprint[:8]}"
    if other:
        note += f"; {_runs(other)} made by other code kept but not reused"
    typer.echo(note)


@results_app.command("export")
def results_export(
    table_name: Annotated[
        str, typer.Argument(metavar="TABLE", help="experiments, runs, panel or summaries.")
    ],
    path: Annotated[Path, typer.Argument(help="Output file: .csv or .parquet.")],
    experiment: Annotated[str | None, typer.Option("--experiment", help="Only this experiment.")] = None,
    all_code: Annotated[
        bool, typer.Option("--all-code", help="Also the runs made by other code than this one.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Export a table of the store to CSV or Parquet (by the file's suffix); this code's runs only."""
    from countysim.store import StoreError

    store = _open(db)
    try:
        written = store.export(table_name, path, experiment=experiment, all_code=all_code)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add the ``results`` group to the ``countysim`` command."""
    app.add_typer(results_app, name="results")
