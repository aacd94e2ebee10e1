"""Planning and assessment commands: ``countysim needs`` and ``countysim assess``.

Both run a scenario's replications through the experiment runner (stored, resumable: a second
call with the same scenario, seeds and horizon re-uses the stored runs), then post-process the
stored panels: :mod:`countysim.resources` for needs, :mod:`countysim.assessment` for targets.
Everything a command can check (scenario, norms, targets, the horizon, the store's URL) is
checked before any run starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    ClusterOpt,
    DbOpt,
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
    table,
    uncertainty_line,
)
from countysim.formatting import number


def needs(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    reps: RepsOpt = 10,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    norm: Annotated[
        list[str] | None,
        typer.Option(
            "--norm",
            help="Override a planning norm (countysim/data/norms.csv), as name=value (repeatable), "
            "e.g. --norm primary_class_size_standard=40.",
        ),
    ] = None,
    quiet: QuietOpt = False,
    posterior: PosteriorOpt = None,
    scale: ScaleOpt = None,
) -> None:
    """Resource needs year by year: seats, classes, teachers, housing, training places, money.

    Prints key items (means); needs.csv holds every item with its 90 % interval, unit and norm.
    """
    from countysim.experiments import replicate
    from countysim.report.figures import plot_needs
    from countysim.resources import KEY_ITEMS, NormError, needs_table, parse_norm_options

    spec = load(scenario, months, scale)
    try:
        overrides = parse_norm_options(norm or [])
    except NormError as exc:
        raise fail(str(exc)) from None
    out = output_dir or default_output_dir("needs", spec.name)
    check_seeds(spec.seed if seed is None else seed, reps)
    ensemble = resolve_posterior(posterior, db, [spec])
    specs = replicate([spec], reps, seed, ensemble)
    stored = run_and_reload(
        f"needs:{spec.name}", "needs", specs, db, workers, cluster, quiet,
        {"scenario": spec.name, "reps": reps, "seed": specs[0].seed, "months": spec.horizon.months}
        | ({"posterior": ensemble.name} if ensemble is not None else {}),
    )  # fmt: skip
    results = [stored[s.key] for s in specs]
    frame = needs_table(results, overrides)

    out.mkdir(parents=True, exist_ok=True)
    csv_path, fig_path = out / "needs.csv", out / "needs.png"
    frame.to_csv(csv_path, index=False, float_format="%.10g")
    plot_needs(frame, fig_path, f"{spec.name}: resource needs ({reps} replications)")

    years = sorted(frame["year"].unique())
    means = frame.pivot(index="item", columns="year", values="mean")
    units = frame.drop_duplicates("item").set_index("item")["unit"]
    rows = []
    for item in KEY_ITEMS:
        if item in means.index:
            rows.append((item, *(number(means.at[item, y], units[item]) for y in years), units[item]))
    typer.echo(f"\n{spec.name}: resource needs by year (mean of {reps} replications, seeds "
               f"{specs[0].seed}-{specs[-1].seed})\n")  # fmt: skip
    table(("item", *map(str, years), "unit"), rows)
    if overrides:
        typer.echo("\nnorms overridden: " + ", ".join(f"{k}={v:g}" for k, v in overrides.items()))
    typer.echo(f"\n90 % intervals, every item, units and norms: {csv_path}; {uncertainty_line(ensemble)}")
    typer.echo(f"wrote {csv_path}, {fig_path}")


def assess(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    targets: Annotated[
        Path,
        typer.Option("--targets", help="Targets file (TOML; see targets/README.md).", parser=path_option),
    ],
    reps: RepsOpt = 10,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", help="Baseline scenario to compare with (same seeds).", parser=path_option
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 when any target's verdict is not 'met'.")
    ] = False,
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
    """Assess a scenario against targets: probability of meeting each, with a 90 % interval.

    Verdicts: met (P ≥ 0.9), likely (≥ 0.5), unlikely (> 0.1), missed. A baseline runs on the same seeds.
    """
    from countysim import assessment
    from countysim.calendar import month_labels
    from countysim.experiments import replicate

    try:
        goals = assessment.load_targets(targets)
    except assessment.TargetsError as exc:
        raise fail(str(exc)) from None
    spec = load(scenario, months, scale)
    base = load(baseline, months, scale) if baseline is not None else None
    try:
        for s, path in ((spec, scenario), (base, baseline)):
            if s is not None:
                labels = month_labels(s.horizon.start, s.horizon.months)
                assessment.check_horizon(goals, labels, f"scenario {s.name!r} ({path})")
    except assessment.TargetsError as exc:
        raise fail(str(exc)) from None
    out = output_dir or default_output_dir("assess", spec.name)
    root = spec.seed if seed is None else seed
    check_seeds(root, reps)
    ensemble = resolve_posterior(posterior, db, [s for s in (spec, base) if s is not None])
    specs = replicate([spec], reps, root, ensemble)
    base_specs = replicate([base], reps, root, ensemble) if base is not None else []
    stored = run_and_reload(
        f"assess:{spec.name}", "assess", specs + base_specs, db, workers, cluster, quiet,
        {"scenario": spec.name, "baseline": base.name if base else None, "reps": reps, "seed": root,
         "targets": str(targets)} | ({"posterior": ensemble.name} if ensemble is not None else {}),
    )  # fmt: skip
    results = [stored[s.key] for s in specs]
    base_results = [stored[s.key] for s in base_specs] if base is not None else None
    frame = assessment.assess(results, goals, base_results)

    out.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = out / "assessment.csv", out / "assessment.md"
    frame.to_csv(csv_path, index=False, float_format="%.10g")
    title = f"# Assessment: {spec.name} against {targets.name}\n\n{reps} replications, seeds {root}-{root + reps - 1}"
    title += f"; baseline scenario {base.name!r} on the same seeds" if base is not None else ""
    md_path.write_text(title + "\n\n" + assessment.to_markdown(frame), encoding="utf-8")

    header = ["id", "clause", "target", "mean", "90% interval", "P(meet)", "verdict", "gap"]
    if base is not None:
        header += ["baseline", "P(meet) base", "verdict base"]
    rows = []
    na = assessment.NOT_APPLICABLE
    for r in frame.itertuples():
        if r.verdict == na:
            rows.append((r.id, r.clause, assessment.target_text(r), "–", "–", "–", na, "–")
                        + (("–", "–", na) if base is not None else ()))  # fmt: skip
            continue
        row = [r.id, r.clause, assessment.target_text(r), number(r.mean),
               f"{number(r.lo90)}-{number(r.hi90)}", f"{r.probability:.2f}", r.verdict,
               number(r.gap)]  # fmt: skip
        if base is not None:
            row += [number(r.baseline_mean), f"{r.baseline_probability:.2f}", r.baseline_verdict]
        rows.append(tuple(row))
    typer.echo(f"\n{spec.name} against {targets} ({reps} replications)\n")
    table(header, rows)
    for r in frame[frame["verdict"] == na].itertuples():
        typer.echo(f"{r.id}: no verdict: {r.note}")
    counts = frame["verdict"].value_counts()
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v, *_ in assessment.VERDICTS)
    summary += f", {counts.get(na, 0)} not applicable" if counts.get(na, 0) else ""
    typer.echo(f"\n{len(frame)} targets: {summary}; {uncertainty_line(ensemble)}")
    judged = frame["verdict"] != na
    errors = [
        f"{r.id} {r.probability:.2f} ± {r.probability_mc_se:.2f} (±0.05 needs {r.reps_for_0_05:.0f} replications)"
        for r in frame[judged].itertuples()
    ]
    typer.echo("P(meet) and its Monte-Carlo error: " + ", ".join(errors))
    typer.echo(f"wrote {csv_path}, {md_path}")
    if strict and (judged & (frame["verdict"] != "met")).any():
        not_met = ", ".join(frame.loc[judged & (frame["verdict"] != "met"), "id"])
        typer.echo(f"--strict: not met: {not_met}", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``needs`` and ``assess`` to the ``countysim`` command."""
    app.command("needs")(needs)
    app.command("assess")(assess)
