"""``countysim sweep`` (a design over scenario parameters) and ``countysim sensitivity`` (its indices)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    MAX_SEED,
    ClusterOpt,
    DbOpt,
    MonthsOpt,
    QuietOpt,
    WorkersOpt,
    check_name,
    default_output_dir,
    executor_for,
    fail,
    open_store,
    output_dir_option,
    table,
)
from countysim.formatting import number

SweepOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        help="Folder for sweep_outcomes.csv (default: results/sweep-<name>/).",
        parser=output_dir_option,
    ),
]
SensOutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        help="Folder for sensitivity.csv and .png (default: results/sweep-<experiment>/).",
        parser=output_dir_option,
    ),
]


def _outcomes(values: list[str] | None) -> list[str] | None:
    if values and any(not v.strip() for v in values):
        raise typer.BadParameter("empty; give an indicator name (countysim indicators)")
    return values


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep file (TOML): base scenario, design, parameters.")],
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Design and first replication seed (default: the sweep's).", min=0, max=MAX_SEED
        ),
    ] = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: SweepOutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Experiment name in the store (default: the sweep's name).",
            callback=check_name,
        ),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Run a parameter sweep (grid, LHS, Sobol' or Morris design) and write sweep_outcomes.csv.

    Re-running resumes: stored runs are skipped, failed ones retried. Exit 1: some runs failed.
    """
    from countysim.experiments.sweep import SweepError, check_resumable, execute, load_sweep, sweep_results
    from countysim.store import StoreError

    try:
        sw = load_sweep(sweep_file, seed=seed, months=months, name=name)
    except SweepError as exc:
        raise fail(str(exc)) from None
    for note in sw.notes:
        typer.echo(f"note: {note}", err=True)
    store = open_store(db)
    try:
        check_resumable(store, sw)
        with executor_for(workers, cluster) as executor:
            done = execute(sw, store=store, executor=executor, progress=not quiet)
        _, rows = sweep_results(store, sw.name)
    except SweepError as exc:
        raise fail(str(exc)) from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()

    out = output_dir or default_output_dir("sweep", sw.name)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "sweep_outcomes.csv"
    rows[["point", "replicate", "seed", *sw.names, "status", *sw.outcomes]].to_csv(path, index=False)
    distinct = "" if done.distinct == sw.runs else f" ({done.distinct} distinct)"
    typer.echo(
        f"sweep {sw.name!r}: {sw.design.kind} design, {sw.design.n} points × {sw.reps} replications "
        f"= {sw.runs} runs{distinct}, {sw.months} months"
        + ("" if sw.scale is None else f", scale {sw.scale:g}")
        + f"\n{done.done} done now, {done.skipped} skipped as stored, {len(done.failures)} failed"
        f"\nstored as experiment {sw.name!r} in {store.url}\nwrote {path}"
    )
    if done.failures:
        first = done.failures[0].error.strip().splitlines()[-1]
        typer.echo(
            f"{len(done.failures)} runs failed (first: {first}); run the sweep again to retry them", err=True
        )
        raise typer.Exit(1)


def sensitivity(
    experiment: Annotated[str, typer.Argument(help="Name of a sweep experiment in the store.")],
    db: DbOpt = None,
    output_dir: SensOutOpt = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            help="Analyse this indicator (repeatable; default: the sweep's outcomes).",
            callback=_outcomes,
        ),
    ] = None,
) -> None:
    """Sensitivity indices of a stored sweep: Sobol' (S1, ST), Morris (mu*, sigma) or regression.

    Writes sensitivity.csv and sensitivity.png. Exit 2: design points without a finished run.
    """
    from countysim.experiments.sensitivity import IncompleteDesign, analyse_sweep
    from countysim.experiments.sweep import SweepError, sweep_results
    from countysim.report.figures import plot_sensitivity
    from countysim.store import StoreError

    store = open_store(db)
    try:
        spec, rows = sweep_results(store, experiment)
    except (StoreError, SweepError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    outcomes = list(outcome or spec["outcomes"])
    known = list(rows.columns[rows.columns.get_loc("status") + 1 :])  # every indicator
    if unknown := [o for o in outcomes if o not in known]:
        raise fail(f"--outcome {', '.join(unknown)}: unknown indicator; allowed: {', '.join(known)}")
    try:
        report = analyse_sweep(spec, rows, outcomes)
    except IncompleteDesign as exc:
        raise fail(f"experiment {experiment!r}: {exc}") from None

    out = output_dir or default_output_dir("sweep", experiment)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "sensitivity.csv"
    report.table.to_csv(csv, index=False)
    png = plot_sensitivity(report, out / "sensitivity.png")
    cols = [c for c in report.table.columns if c not in ("outcome", "parameter")]
    header = ("outcome", "parameter", *cols)
    body = [(r["outcome"], r["parameter"], *(number(r[c]) for c in cols)) for _, r in report.table.iterrows()]
    typer.echo(
        f"{experiment}: {spec['design']} design, {len(rows) // len(spec['seeds'])} points, "
        f"{report.runs_used} of {report.runs_expected} runs; method {report.method}\n"
    )
    table(header, body, markdown=False)
    for note in report.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"wrote {csv}, {png}")


def register(app: typer.Typer) -> None:
    """Add ``sweep`` and ``sensitivity`` to the ``countysim`` command."""
    app.command("sweep")(sweep)
    app.command("sensitivity")(sensitivity)
