"""The ``countysim`` command.

Every command that reads a scenario reports a bad file as one clear error (file, key path,
value, what is allowed) and exits with status 2 before running or writing anything.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from countysim import indicators as ind
from countysim.build.microdata import MicrodataError
from countysim.cli_common import DbOpt, MonthsOpt, OutOpt, SeedOpt, fail, load, table
from countysim.policy.levers import LEVERS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Agent-based simulation of county migrant-worker citizenization (人社部發〔2023〕8號).",
)

#: indicators shown in the summary table printed after a run
SUMMARY_ROWS = ind.HEADLINE


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run one scenario, print a summary, store the run and write its files."""
    from countysim.model import run as run_model
    from countysim.outputs import write_run_outputs
    from countysim.store import ResultsStore, StoreError

    spec = load(scenario, months)
    try:
        store = ResultsStore(db)  # connect before running: a bad URL costs nothing
    except StoreError as exc:
        raise fail(str(exc)) from None
    seed_used = spec.seed if seed is None else seed
    out = output_dir or Path("results") / f"{spec.name}-seed{seed_used}"
    bar = tqdm(total=spec.horizon.months, unit="month", desc=spec.name, disable=quiet, file=sys.stderr)

    def tick(done: int, total: int) -> None:
        bar.update(done - bar.n)

    try:
        result = run_model(spec, seed=seed_used, progress=tick)
    except MicrodataError as exc:
        raise fail(str(exc)) from None
    finally:
        bar.close()
    try:
        run_id = store.save_run(result, experiment="runs")
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    paths = write_run_outputs(result, out)
    _print_summary(result)
    typer.echo(
        f"\n{len(result.months)} months, {result.persons:,} persons, {result.wall_seconds:.1f} s"
        f"\nstored as run {run_id} in {store.url}"
        f"\nwrote {paths['indicators']}, {paths['summary']}, {paths['figure']}"
    )


def _print_summary(result) -> None:
    first, last = result.months[0], result.months[-1]
    width = max(len(n) for n in SUMMARY_ROWS)
    typer.echo(f"\n{result.scenario_name} (seed {result.seed}, scenario {result.scenario_hash})")
    typer.echo(f"{'indicator':<{width}}  {first:>12}  {last:>12}  unit")
    for name in SUMMARY_ROWS:
        s = result.series(name)
        unit = ind.CATALOGUE_BY_NAME[name].unit
        typer.echo(f"{name:<{width}}  {_fmt(s[0], unit):>12}  {_fmt(s[-1], unit):>12}  {unit}")


def _fmt(x: float, unit: str) -> str:
    """Shares with three decimals, counts and money as whole numbers."""
    return f"{x:.3f}" if unit == "share" else f"{x:,.0f}"


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")]) -> None:
    """Check a scenario file without running it."""
    spec = load(scenario)
    changed = ", ".join(spec.levers) or "none (status quo)"
    typer.echo(
        f"{scenario}: valid — scenario {spec.name!r}, {spec.horizon.start} + {spec.horizon.months} months, "
        f"seed {spec.seed}, hash {spec.content_hash()}\nlevers set: {changed}"
    )


@app.command()
def levers(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    clauses: Annotated[
        bool, typer.Option("--clauses", help="Print the clause table: each clause's levers and indicators.")
    ] = False,
) -> None:
    """Print every policy lever: clause, unit, status quo, action value, range, indicators."""
    if clauses:
        from countysim.policy.clauses import coverage

        rows = [(r["clause"], r["title"], ", ".join(r["levers"]) or "(through indicators)", ", ".join(r["indicators"]))
                for r in coverage()]  # fmt: skip
        table(("clause", "title", "levers", "indicators"), rows, markdown=True)
        return
    header = ("clause", "lever", "unit", "status quo", "action", "range", "phase", "indicators")
    rows = [
        (
            lv.clause,
            lv.name,
            lv.unit,
            f"{lv.status_quo:g}",
            f"{lv.action:g}",
            f"{lv.lo:g} to {lv.hi:g}",
            lv.phase,
            ", ".join(lv.indicators),
        )
        for lv in LEVERS
    ]
    if markdown:  # the reference page also explains each lever
        header = (*header, "mechanism", "source or assumption")
        rows = [(*r, lv.mechanism, lv.source) for r, lv in zip(rows, LEVERS, strict=True)]
    table(header, rows, markdown)


@app.command("indicators")
def indicators_cmd(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
) -> None:
    """Print the indicator catalogue: name, unit, clause, definition."""
    rows = [(i.name, i.unit, i.clause, i.definition) for i in ind.CATALOGUE]
    table(("indicator", "unit", "clause", "definition"), rows, markdown)


def main() -> None:
    """The ``countysim`` console command: ``app`` with signals and experiment errors handled.

    SIGTERM stops a command as Ctrl-C does: an experiment stores the runs finished so far and
    stops its workers. The command then prints one line (``interrupted (SIGTERM): 37 of 120 runs
    stored; rerun the same command to resume``) and exits with 128 + the signal's number: 130
    for SIGINT, 143 for SIGTERM. An experiment stopped by a lost worker or by workers running
    other code exits 1 with that error's advice, the runs finished before it stored.
    """
    import signal

    caught: list[signal.Signals] = []

    def interrupt(signum: int, _frame: object) -> None:
        caught.append(signal.Signals(signum))
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, interrupt)
    try:
        app()
    except SystemExit as exc:
        if caught and exc.code == 130:  # Typer's exit for a KeyboardInterrupt outside an experiment
            typer.echo(f"interrupted ({caught[0].name})", err=True)
            raise SystemExit(128 + caught[0]) from None
        raise
    except BaseException as exc:
        # only an experiment raises these, so the runner is imported by then
        from countysim.experiments.runner import Interrupted, OtherCode, WorkersLost

        if isinstance(exc, Interrupted):
            sig = caught[0] if caught else signal.SIGINT
            typer.echo(
                f"interrupted ({sig.name}): {exc.stored} of {exc.total} runs stored; "
                "rerun the same command to resume",
                err=True,
            )
            raise SystemExit(128 + sig) from None
        if isinstance(exc, WorkersLost | OtherCode):
            typer.echo(f"error: {exc}", err=True)
            raise SystemExit(1) from None
        raise


@app.command()
def plausibility(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    seed: SeedOpt = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
) -> None:
    """Compare a scenario's first year with the national monitoring figures (exit 1 if outside)."""
    from countysim.model import run as run_model
    from countysim.plausibility import compare

    spec = load(scenario, 12)
    checks = compare(run_model(spec, seed=seed))
    rows = [
        (
            r.indicator,
            f"{r.model:.4g}",
            r.reference,
            f"{r.low:.4g}-{r.high:.4g}",
            "yes" if r.within else "NO",
            r.note,
        )
        for r in checks.itertuples()
    ]
    table(("indicator", "model (2023 mean)", "NBS reference", "allowed", "within", "note"), rows, markdown)
    if not checks["within"].all():
        raise typer.Exit(1)


@app.command()
def params(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
) -> None:
    """Print every scenario parameter: key path, default, unit, allowed range, source."""
    from countysim.scenario import parameter_table

    rows = [(r["key"], r["default"], r["unit"], r["range"], r["source"]) for r in parameter_table()]
    table(("key", "default", "unit", "range", "source or assumption"), rows, markdown)


def _register_commands() -> None:
    """Commands of the experiment, planning and report modules (each ``register(app)``)."""
    import importlib
    import pkgutil

    import countysim.commands as commands

    for info in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"countysim.commands.{info.name}").register(app)


_register_commands()
