"""``countysim compare``: scenarios on common random numbers.

``compare A.toml B.toml ... --reps R`` runs every scenario on seeds S..S+R-1 through the
experiment runner (local processes, or a Dask cluster with ``--cluster``), stores the runs under
the experiment ``compare:A+B+...`` (a rerun skips what is stored), prints for each indicator every
scenario's mean at the horizon and each scenario's paired difference against the first with its
90 % interval, and writes ``comparison.csv`` and ``comparison.png``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    ClusterOpt,
    DbOpt,
    MonthsOpt,
    OutOpt,
    PosteriorOpt,
    RepsOpt,
    ScaleOpt,
    SeedOpt,
    WorkersOpt,
    check_name,
    check_seeds,
    default_output_dir,
    executor_for,
    fail,
    load,
    open_store,
    resolve_posterior,
    table,
    uncertainty_line,
)
from countysim.formatting import number


def _print_table(comparison, indicators: tuple[str, ...], quiet: bool) -> None:
    from countysim.experiments.compare import verdict
    from countysim.indicators import CATALOGUE_BY_NAME

    names = list(comparison.results)
    base = names[0]
    summary = comparison.summary
    first = comparison.results[base][0]
    seeds = comparison.seeds
    reps = len(seeds)
    typer.echo(
        f"\n{' vs '.join(names)} — {reps} replication{'s' * (reps != 1)} on common seeds "
        f"{seeds[0]}..{seeds[-1]}, at the horizon {first.months[-1]} ({len(first.months)} months)"
    )
    typer.echo(
        f"means, and each scenario's paired difference from {base} with its 90 % interval; "
        "'pairing': how many times narrower common seeds made the interval than independent seeds"
    )
    header = ["indicator", "unit", *names]
    for other in names[1:]:
        header += [f"{other} − {base} [90 % interval]", "reading", "pairing"]
    rows = []
    for indicator in indicators:
        unit = CATALOGUE_BY_NAME[indicator].unit
        part = summary[summary["indicator"] == indicator].set_index("scenario")
        row = [indicator, unit.split(" (")[0]]
        row += [number(float(part.loc[n, "mean"]), unit) for n in names]
        for other in names[1:]:
            d, lo, hi, gain = (float(part.loc[other, c]) for c in ("diff", "lo90", "hi90", "pairing_gain"))
            span = (
                f"[{number(lo, unit, sign=True)}, {number(hi, unit, sign=True)}]"
                if not math.isnan(lo)
                else ""
            )
            pairing = "" if math.isnan(gain) else ("exact" if math.isinf(gain) else f"×{gain:.1f}")
            row += [f"{number(d, unit, sign=True)} {span}".strip(), verdict(indicator, lo, hi), pairing]
        rows.append(tuple(row))
    table(tuple(header), rows, markdown=False)
    n_min = int(summary.loc[summary["scenario"] != base, "n"].min())
    if n_min < 2:
        typer.echo(
            "note: with 1 replication there is no interval (n/a): the spread of a paired difference "
            "needs at least 2 seeds; use --reps 2 or more"
        )


def compare_cmd(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario files (TOML): the reference first, then the others.")
    ],
    reps: RepsOpt,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    indicators: Annotated[
        str | None,
        typer.Option("--indicators", help="Comma-separated indicators to report (default: the key ones)."),
    ] = None,
    experiment: Annotated[
        str | None,
        typer.Option(
            "--experiment",
            help="Experiment name in the store (default: compare:A+B+...).",
            callback=check_name,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    posterior: PosteriorOpt = None,
    scale: ScaleOpt = None,
) -> None:
    """Run scenarios on common seeds; print and write each one's paired difference from the first."""
    from countysim.experiments import compare as cmp
    from countysim.store import StoreError

    specs = [load(p, months, scale) for p in scenarios]
    if len(specs) < 2:
        raise fail("compare needs at least two scenario files: the reference first, then the others")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise fail(
            f"scenario name(s) {', '.join(map(repr, dup))} repeat; give each compared scenario its own "
            "`name =` in its file"
        )
    try:
        cmp.check_horizons(specs)
    except ValueError as exc:
        raise fail(str(exc)) from None
    chosen = cmp.COMPARE_INDICATORS
    if indicators is not None:
        try:
            chosen = cmp.check_indicators([n.strip() for n in indicators.split(",") if n.strip()])
        except ValueError as exc:
            raise fail(f"--indicators: {exc}") from None
    check_seeds(specs[0].seed if seed is None else seed, reps)
    ensemble = resolve_posterior(posterior, db, specs)
    out = output_dir or default_output_dir("compare", *names)
    store = open_store(db)  # a bad URL fails here, before anything runs
    try:
        with executor_for(workers, cluster) as executor:
            try:
                result = cmp.compare(
                    specs,
                    reps,
                    seed=seed,
                    executor=executor,
                    store=store,
                    indicators=chosen,
                    experiment=experiment,
                    progress=not quiet,
                    posterior=ensemble,
                )
            except StoreError as exc:
                raise fail(str(exc)) from None
            except ValueError as exc:
                raise fail(f"comparison failed: {exc}", code=1) from None
    finally:
        store.close()
    out.mkdir(parents=True, exist_ok=True)
    csv = result.to_csv(out / "comparison.csv")
    panels = chosen if indicators is not None else cmp.COMPARE_SERIES
    png = result.plot(out / "comparison.png", panels[:12])
    _print_table(result, chosen, quiet)
    typer.echo(uncertainty_line(ensemble))
    typer.echo(f"\nstored as experiment {result.experiment!r} in {store.url}\nwrote {csv}, {png}")
    if result.failures:
        typer.echo(f"\n{len(result.failures)} run(s) failed and are left out:", err=True)
        for f in result.failures:
            last = f.error.strip().splitlines()[-1] if f.error.strip() else "unknown error"
            typer.echo(f"  {f.spec.scenario.name} seed {f.spec.seed}: {last}", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the ``countysim`` command."""
    app.command("compare")(compare_cmd)
