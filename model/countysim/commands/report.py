"""``countysim report``: a self-contained HTML (and Markdown) report of a scenario or a comparison."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    ClusterOpt,
    DbOpt,
    MonthsOpt,
    OutOpt,
    QuietOpt,
    RepsOpt,
    ScaleOpt,
    SeedOpt,
    WorkersOpt,
    check_seeds,
    default_output_dir,
    fail,
    load,
    path_option,
    run_and_reload,
)


def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Compare with this scenario (same seeds).", parser=path_option),
    ] = None,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Assess against this targets file.", parser=path_option)
    ] = None,
    reps: RepsOpt = 10,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
    scale: ScaleOpt = None,
) -> None:
    """Write report.html (self-contained) and report.md for a scenario or a comparison.

    Sections: county baseline numbers, package and schedule, key indicators with bands, resource
    needs, assessment against targets, assumptions and sources, and how to reproduce it.
    """
    from countysim.assessment import TargetsError, assess, check_horizon, load_targets
    from countysim.calendar import month_labels
    from countysim.experiments import replicate
    from countysim.report.document import ReportData, render
    from countysim.resources import needs_table

    spec = load(scenario, months, scale)
    base = load(baseline, months, scale) if baseline is not None else None
    goals = None
    if targets is not None:  # checked before anything runs
        try:
            goals = load_targets(targets)
            for s, path in ((spec, scenario), (base, baseline)):
                if s is not None:
                    labels = month_labels(s.horizon.start, s.horizon.months)
                    check_horizon(goals, labels, f"scenario {s.name!r} ({path})")
        except TargetsError as exc:
            raise fail(str(exc)) from None
    scenarios = [spec] if base is None else [spec, base]
    check_seeds(spec.seed if seed is None else seed, reps)
    specs = replicate(scenarios, reps, seed)
    name = f"report:{spec.name}" + (f"+{base.name}" if base else "")
    stored = run_and_reload(
        name, "report", specs, db, workers, cluster, quiet,
        {"scenarios": [s.name for s in scenarios], "reps": reps, "seed": specs[0].seed},
    )  # fmt: skip
    results = [stored[s.key] for s in specs if s.scenario is spec]
    base_results = [stored[s.key] for s in specs if base is not None and s.scenario is base]
    assessment = assess(results, goals, base_results or None) if goals is not None else None
    data = ReportData(
        scenario=spec,
        results=results,
        baseline=base,
        baseline_results=base_results,
        needs=needs_table(results),
        assessment=assessment,
        command="countysim " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    )
    out = output_dir or default_output_dir("report", spec.name)
    html_path, md_path = render(data, out)
    typer.echo(f"wrote {html_path} and {md_path} ({len(results)} replications)")


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``countysim`` command."""
    app.command("report")(report)
