"""``countysim report``: the document a county hands in — HTML, Markdown, Excel and (``--pdf``) an A4 PDF.

``countysim report BASELINE.toml PKG1.toml PKG2.toml`` compares packages with a baseline on the
same seeds; ``countysim report PKG.toml --baseline BASELINE.toml`` is the same with one package;
``countysim report SCENARIO.toml`` reports one scenario alone. Simplified Chinese by default,
English with ``--lang en``.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    ClusterOpt,
    DbOpt,
    LangOpt,
    MonthsOpt,
    OutOpt,
    PosteriorOpt,
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
    resolve_posterior,
    run_and_reload,
    uncertainty_line,
)


def report(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario files (TOML): the baseline first, then the packages (or one scenario)."
        ),
    ],
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="The baseline; then every SCENARIO is a package compared with it.",
            parser=path_option,
        ),
    ] = None,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Assess against this targets file.", parser=path_option)
    ] = None,
    lang: LangOpt = "zh",
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print report.pdf (A4) with headless Chromium.")
    ] = False,
    reps: RepsOpt = 10,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
    posterior: PosteriorOpt = None,
    scale: ScaleOpt = None,
) -> None:
    """Write report.html (self-contained), report.md, report.xlsx (and report.pdf with --pdf).

    Page 1 is a summary: headline indicators with intervals, extra resources and budget against
    the baseline year by year, targets met and missed, caveats. Then the county baseline, each
    package's levers, key indicators, resource needs as increments, the assessment, assumptions
    and sources, and an appendix of full tables.
    """
    from countysim.assessment import TargetsError, assess, check_horizon, load_targets
    from countysim.calendar import month_labels
    from countysim.experiments import replicate
    from countysim.experiments.compare import check_horizons
    from countysim.report.document import PackageRuns, ReportData, render
    from countysim.report.pdf import PdfError, print_pdf, require_chromium

    paths = [baseline, *scenarios] if baseline is not None else list(scenarios)
    specs_in = [load(p, months, scale) for p in paths]
    base, packages = specs_in[0], specs_in[1:]
    names = [s.name for s in specs_in]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise fail(
            f"scenario name(s) {', '.join(map(repr, dup))} repeat; give each scenario its own `name =`"
        )
    try:
        check_horizons(specs_in)
    except ValueError as exc:
        raise fail(str(exc)) from None
    goals = None
    if targets is not None:  # checked before anything runs
        try:
            goals = load_targets(targets)
            labels = month_labels(base.horizon.start, base.horizon.months)
            check_horizon(goals, labels, f"scenario {base.name!r} ({paths[0]})")
        except TargetsError as exc:
            raise fail(str(exc)) from None
    if pdf:  # before anything runs
        try:
            require_chromium()
        except PdfError as exc:
            raise fail(str(exc)) from None
    check_seeds(base.seed if seed is None else seed, reps)
    ensemble = resolve_posterior(posterior, db, specs_in)
    specs = replicate(specs_in, reps, seed, ensemble)
    experiment = "report:" + "+".join(names)
    stored = run_and_reload(
        experiment[:200], "report", specs, db, workers, cluster, quiet,
        {"scenarios": names, "reps": reps, "seed": specs[0].seed}
        | ({"posterior": ensemble.name} if ensemble is not None else {}),
    )  # fmt: skip
    # replicate lists each scenario's replications in turn (with a posterior, its runs' scenarios
    # carry the parameter sets, so they are found by position)
    runs = {s.name: [stored[k.key] for k in specs[j * reps : (j + 1) * reps]] for j, s in enumerate(specs_in)}
    try:
        base_assessment = assess(runs[base.name], goals) if goals is not None else None
        arms = [
            PackageRuns(
                p, runs[p.name], assess(runs[p.name], goals, runs[base.name]) if goals is not None else None
            )
            for p in packages
        ]
    except TargetsError as exc:
        raise fail(str(exc)) from None
    data = ReportData(
        baseline=base,
        baseline_results=runs[base.name],
        packages=arms,
        baseline_assessment=base_assessment,
        targets_file=str(targets) if targets is not None else "",
        command="countysim " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        lang=lang,
        posterior=ensemble.name if ensemble is not None else "",
    )
    out = output_dir or default_output_dir("report", *names)
    written = render(data, out)
    typer.echo(f"wrote {written['html']}, {written['md']}, {written['xlsx']} ({reps} replications of "
               f"{len(specs_in)} scenario(s); {uncertainty_line(ensemble)})")  # fmt: skip
    if pdf:
        try:
            pages = print_pdf(written["html"], out / "report.pdf")
        except PdfError as exc:
            raise fail(str(exc), code=1) from None
        typer.echo(f"wrote {out / 'report.pdf'}: {pages} pages, A4")


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``countysim`` command."""
    app.command("report")(report)
