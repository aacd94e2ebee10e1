"""The ``countysim`` command.

Every command that reads a scenario reports a bad file as one clear error (file, key path,
value, what is allowed) and exits with status 2 before running or writing anything.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from countysim import indicators as ind
from countysim.cli_common import (
    MAX_REPS,
    DbOpt,
    LangOpt,
    MonthsOpt,
    OutOpt,
    ScaleOpt,
    SeedOpt,
    check_seeds,
    default_output_dir,
    fail,
    load,
    table,
)
from countysim.formatting import number
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
    scale: ScaleOpt = None,
) -> None:
    """Run one scenario, print a summary, store the run and write its files."""
    from countysim.build.microdata import MicrodataError
    from countysim.model import run as run_model
    from countysim.outputs import write_run_outputs
    from countysim.store import ResultsStore, StoreError

    spec = load(scenario, months, scale)
    try:
        store = ResultsStore(db)  # connect before running: a bad URL costs nothing
    except StoreError as exc:
        raise fail(str(exc)) from None
    seed_used = spec.seed if seed is None else seed
    out = output_dir or default_output_dir(None, spec.name, seed=seed_used)
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
    typer.echo(f"\n{result.scenario_name} (seed {result.seed}, scenario {result.scenario_hash})")
    rows = []
    for name in SUMMARY_ROWS:
        s = result.series(name)
        unit = ind.CATALOGUE_BY_NAME[name].unit
        rows.append((name, number(s[0], unit), number(s[-1], unit), unit))
    table(("indicator", first, last, "unit"), rows)


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")]) -> None:
    """Check a scenario file without running it: every problem at once, and its microdata file.

    Exits with status 2 and every problem found (file, key path or row, value, what is allowed).
    """
    from countysim.build.microdata import MicrodataError, read_microdata

    spec = load(scenario)
    micro = ""
    if spec.population.source == "microdata":
        try:
            table = read_microdata(spec.population.path)
        except MicrodataError as exc:
            named_by = spec.provenance("population.path") or str(scenario)
            raise fail(
                f"invalid microdata (population.path, set in {named_by}):\n{textwrap.indent(str(exc), '  ')}"
            ) from None
        micro = f"\nmicrodata: {table.path}: {table.n:,} persons in {table.n_households:,} households"
    changed = ", ".join(spec.levers) or "none (status quo)"
    typer.echo(
        f"{scenario}: valid — scenario {spec.name!r}, {spec.horizon.start} + {spec.horizon.months} months, "
        f"seed {spec.seed}, hash {spec.content_hash()}\nlevers set: {changed}{micro}"
    )


@app.command()
def levers(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    clauses: Annotated[
        bool, typer.Option("--clauses", help="Print the clause table: each clause's levers and indicators.")
    ] = False,
    lang: LangOpt = "en",
) -> None:
    """Print every policy lever: clause, name, kind, unit, status quo, action value, range, indicators."""
    from countysim.labels import label, unit_zh

    if clauses:
        from countysim.policy.clauses import coverage

        rows = [(r["clause"], r["title"], ", ".join(r["levers"]) or "(through indicators)", ", ".join(r["indicators"]))
                for r in coverage()]  # fmt: skip
        table(("clause", "title", "levers", "indicators"), rows, markdown=True)
        return
    zh = lang == "zh"  # English: the names are the labels; Chinese: a column of Chinese names
    header = (
        "clause",
        "lever",
        *(("名称",) if zh else ()),
        "kind",
        "scales",
        "unit",
        "status quo",
        "action",
        "range",
        "phase",
        "indicators",
    )
    rows = [
        (
            lv.clause,
            lv.name,
            *((label(lv.name, lang, "lever"),) if zh else ()),
            lv.kind,
            ("是" if zh else "yes") if lv.scales else ("否" if zh else "no"),
            (unit_zh(lv.name, "lever") or lv.unit) if zh else lv.unit,
            number(lv.status_quo),
            number(lv.action),
            f"{number(lv.lo)} to {number(lv.hi)}",
            lv.phase,
            ", ".join(lv.indicators),
        )
        for lv in LEVERS
    ]
    if markdown:  # the reference page also explains each lever
        header = (*header, "mechanism", "source or assumption")
        rows = [(*r, lv.mechanism, lv.source) for r, lv in zip(rows, LEVERS, strict=True)]
    table(
        header,
        rows,
        markdown,
        wrap=("label", "名称", "unit", "indicators", "mechanism", "source or assumption"),
    )


@app.command("indicators")
def indicators_cmd(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    lang: LangOpt = "en",
) -> None:
    """Print the indicator catalogue: name, label, unit, clause, definition."""
    from countysim.labels import label, unit_zh

    zh = lang == "zh"
    if not zh:  # the names are the labels
        rows = [(i.name, i.unit, i.clause, i.definition) for i in ind.CATALOGUE]
        table(("indicator", "unit", "clause", "definition"), rows, markdown, wrap=("unit", "definition"))
        return
    rows = [(i.name, label(i.name, lang, "indicator"), unit_zh(i.name, "indicator") or i.unit, i.clause, i.definition)
            for i in ind.CATALOGUE]  # fmt: skip
    table(("indicator", "名称", "单位", "clause", "definition"), rows, markdown, wrap=("名称", "definition"))


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
    reps: Annotated[
        int, typer.Option("--reps", help="Replications (seeds S, S+1, ...) averaged.", min=1, max=MAX_REPS)
    ] = 1,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    scale: ScaleOpt = None,
) -> None:
    """Compare a scenario with the national monitoring figures: levels, and 2019-2022 trends (exit 1 if outside).

    A run starting in 2019 or earlier (``scenarios/validation/from_2019.toml``) is simulated to the
    end of 2022 and checked against the levels of each reference year and the trends between
    them; a later one is simulated for its first year (whatever its horizon) and checked against
    the levels.
    """
    from countysim.calendar import parse_month
    from countysim.model import run as run_model
    from countysim.plausibility import TABLE_HEADER, compare, table_rows
    from countysim.scenario import ScenarioError

    spec = load(scenario, scale=scale)
    start = spec.horizon.start_absolute
    end_2022 = parse_month("2022-12")
    months = end_2022 - start + 1 if start <= end_2022 - 11 else 12
    try:
        spec = spec.replace(**{"horizon.months": months})
    except ScenarioError as exc:  # a lever starting after the checked months
        raise fail(str(exc)) from None
    root = spec.seed if seed is None else seed
    check_seeds(root, reps)
    checks = compare([run_model(spec, seed=root + k) for k in range(reps)])
    table(TABLE_HEADER, table_rows(checks), markdown)
    if not checks["within"].all():
        raise typer.Exit(1)


@app.command()
def params(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    lang: LangOpt = "en",
) -> None:
    """Print every scenario parameter: key path, default, unit, allowed range, source.

    The parameters' own words (units, sources) are in English; ``--lang zh`` gives Chinese headings.
    """
    from countysim.scenario import parameter_table

    rows = [(r["key"], r["default"], r["unit"], r["range"], r["source"]) for r in parameter_table()]
    header = (
        ("参数", "默认值", "单位", "取值范围", "来源或假设")
        if lang == "zh"
        else ("key", "default", "unit", "range", "source or assumption")
    )
    table(header, rows, markdown, wrap=(header[1], header[2], header[4]))


def _register_commands() -> None:
    """Commands of the experiment, planning and report modules (each ``register(app)``)."""
    import importlib
    import pkgutil

    import countysim.commands as commands

    for info in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"countysim.commands.{info.name}").register(app)


_register_commands()
