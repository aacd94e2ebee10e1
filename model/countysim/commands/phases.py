"""``countysim phases``: the month as data — the phases in order, and the time each one takes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import MonthsOpt, SeedOpt, load, table


def phases(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print as a Markdown table.")] = False,
    time: Annotated[
        Path | None,
        typer.Option("--time", help="Run this scenario and print the wall seconds spent in each phase."),
    ] = None,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
) -> None:
    """Print the phases of the month in order: what each does, its clauses, random streams and indicators."""
    from countysim.phases import PHASES, plan

    if time is not None:
        _time(time, seed, months)
        return
    rows = [
        (
            str(r["order"]),
            str(r["phase"]),
            str(r["doc"]),
            str(r["parameters"]),
            ", ".join(r["clauses"]),  # type: ignore[arg-type]
            ", ".join([*r["streams"], *(f"{t} (trait)" for t in r["traits"])]),  # type: ignore[misc]
            ", ".join(r["indicators"]),  # type: ignore[arg-type]
        )
        for r in plan(PHASES)
    ]
    header = ("#", "phase", "what it does", "parameters", "clauses", "random streams", "indicators")
    table(header, rows, markdown)


def _time(path: Path, seed: int | None, months: int | None) -> None:
    from countysim.model import run

    spec = load(path, months)
    result = run(spec, seed=seed, phase_seconds=True)
    seconds: dict[str, float] = result.meta["phase_seconds"]
    total = sum(seconds.values())
    person_months = result.persons * len(result.months)
    rows = [
        (name, f"{s:.3f}", f"{100 * s / total:.1f} %", f"{1e9 * s / person_months:.1f}")
        for name, s in seconds.items()
    ]
    rows.append(("all phases and record", f"{total:.3f}", "100.0 %", f"{1e9 * total / person_months:.1f}"))
    typer.echo(
        f"{spec.name}: {result.persons:,} persons, {len(result.months)} months "
        f"({result.wall_seconds:.2f} s with the build)"
    )
    table(("phase", "seconds", "share", "ns per person-month"), rows, markdown=False)


def register(app: typer.Typer) -> None:
    """Add ``phases`` to the ``countysim`` command."""
    app.command("phases")(phases)
