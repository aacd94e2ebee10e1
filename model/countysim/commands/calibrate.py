"""``countysim calibrate`` (ABC-SMC against observed targets) and ``countysim calibration list|show``.

``calibrate FILE`` checks the calibration file whole, optionally screens its parameters
(``--screen``), runs ABC-SMC with every simulation stored as a run of the experiment
``calibration:<name>`` (a rerun, after any interruption, finds them and goes on), stores the
posterior ensemble under ``<name>`` and writes it as ``ensemble.csv`` (the format of the shipped
``calibrations/*.csv``) with its diagnostics. ``calibration show`` prints and plots an ensemble
of the store or an ensemble file: each parameter's prior and posterior, each target against the
ensemble's predictive interval, and the sampler's ε and acceptance by generation.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    MAX_SEED,
    ClusterOpt,
    DbOpt,
    OutOpt,
    QuietOpt,
    WorkersOpt,
    check_name,
    default_output_dir,
    executor_for,
    fail,
    open_store,
    table,
)
from countysim.formatting import number

calibration_app = typer.Typer(
    help="Posterior ensembles of calibrations: list them, show one.", no_args_is_help=True
)


def _print(ensemble, markdown: bool = False) -> None:
    from countysim.calibration import posterior_table, predictive_table

    prov = ensemble.provenance
    posterior = posterior_table(ensemble)
    typer.echo(
        f"\nposterior ensemble {ensemble.name!r}: {len(ensemble)} parameter sets (effective "
        f"{ensemble.effective_size():.0f}), base {prov.get('base_name', '?')} "
        f"(scenario {str(prov.get('base_hash', '?'))[:16]}), scale {prov.get('scale')}, "
        f"{prov.get('reps')} replication(s) per set, seed {prov.get('seed')}; "
        f"{prov.get('n_simulations', '?')} simulations, code {str(prov.get('code_fingerprint', '?'))[:16]}\n"
    )
    typer.echo(
        "parameters: prior and 90 % posterior interval ('shrinkage': 1 − posterior width / prior width)"
    )
    table(
        ("parameter", "prior", "posterior mean", "90 % interval", "shrinkage"),
        [(r.parameter, r.prior, number(r.mean), f"{number(r.lo)} to {number(r.hi)}",
          "" if math.isnan(r.shrinkage) else f"{r.shrinkage + 0.0:.2f}".replace("-0.00", "0.00")) for r in posterior.itertuples()],
        markdown=markdown,
    )  # fmt: skip
    predictive = predictive_table(ensemble)
    if not predictive.empty:
        covered = int(predictive["covered"].sum())
        typer.echo(
            f"\ntargets against the ensemble's 90 % predictive interval (the model's value at each set, with "
            f"the target's own uncertainty): {covered} of {len(predictive)} covered"
        )
        table(
            ("target", "observed", "uncertainty", "model mean", "model 90 %", "predictive 90 %", "covered",
             "source"),
            [(r.target, number(r.observed), r.uncertainty, number(r.model_mean),
              f"{number(r.model_lo)} to {number(r.model_hi)}", f"{number(r.lo)} to {number(r.hi)}",
              "yes" if r.covered else "NO", r.source) for r in predictive.itertuples()],
            markdown=markdown,
        )  # fmt: skip
    generations = prov.get("generations") or []
    if generations:
        typer.echo("\nsampler (ABC-SMC, pyabc): ε and acceptance by generation")
        table(
            ("generation", "ε", "evaluated", "accepted", "acceptance rate"),
            [(g["generation"], "∞" if g.get("epsilon") is None else f"{g['epsilon']:.3g}", g["n_evaluations"],
              g["n_accepted"], f"{g['n_accepted'] / max(g['n_evaluations'], 1):.2f}") for g in generations],
            markdown=markdown,
        )  # fmt: skip
    screening = prov.get("screening")
    if screening:
        typer.echo("\nscreening (Morris): how many target uncertainties each parameter moves its targets")
        table(
            ("parameter", "importance", "kept"),
            [(s["parameter"], f"{s['importance']:.3g}",
              "yes" if any(p["path"] == s["parameter"] for p in prov.get("parameters", [])) else "")
             for s in sorted(screening, key=lambda s: -s["importance"])],
            markdown=markdown,
        )  # fmt: skip


def _figure(ensemble, path: Path) -> Path:
    import pandas as pd

    from countysim.calibration import posterior_table, predictive_table
    from countysim.report.calibration import plot_calibration

    generations = pd.DataFrame(
        ensemble.provenance.get("generations") or [],
        columns=["generation", "epsilon", "n_evaluations", "n_accepted"],
    ).fillna({"epsilon": math.inf})
    return plot_calibration(
        ensemble.parameters, ensemble.weights, posterior_table(ensemble), predictive_table(ensemble),
        generations, path, f"calibration {ensemble.name}",
    )  # fmt: skip


def calibrate(
    calibration_file: Annotated[
        Path, typer.Argument(help="Calibration file (TOML): base scenario, parameters, targets, method.")
    ],
    screen: Annotated[
        bool,
        typer.Option(
            "--screen", help="Screen the parameters first (Morris) and estimate only those that matter."
        ),
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Seed of the proposals and replications (default: the file's).",
            min=0,
            max=MAX_SEED,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="The ensemble's name (default: the file's name).", callback=check_name),
    ] = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Calibrate behavioural parameters to observed targets (ABC-SMC); store the posterior ensemble.

    Rerunning resumes: simulations already stored are not run again. Writes ensemble.csv and calibration.png.
    """
    from countysim.calibration import CalibrationError, calibrate, load_calibration
    from countysim.store import StoreError

    try:
        spec = load_calibration(calibration_file, seed=seed, name=name)
    except CalibrationError as exc:
        raise fail(str(exc)) from None
    store = open_store(db)
    try:
        with executor_for(workers, cluster) as executor:
            result = calibrate(spec, store=store, executor=executor, screen_first=screen, progress=not quiet)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    out = output_dir or default_output_dir("calibration", spec.name)
    out.mkdir(parents=True, exist_ok=True)
    csv = result.ensemble.to_csv(out / "ensemble.csv")
    png = _figure(result.ensemble, out / "calibration.png")
    _print(result.ensemble)
    typer.echo(
        f"\n{result.n_simulations} simulations ({result.n_run} run now, {result.n_simulations - result.n_run} "
        f"found stored, {result.n_failed} failed), {result.wall_seconds:.0f} s"
        f"\nstored as calibration {spec.name!r} (runs: experiment {spec.experiment!r}) in {store.url}"
        f"\nwrote {csv}, {png}"
    )


def list_cmd(db: DbOpt = None) -> None:
    """List the posterior ensembles in the store."""
    from countysim.store import StoreError

    store = open_store(db)
    try:
        frame = store.calibrations()
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if frame.empty:
        typer.echo(f"no calibrations in {store.url}; run countysim calibrate FILE")
        return
    table(
        ("name", "created", "parameter sets", "generations", "simulations", "wall s", "code"),
        [(r.name, str(r.created_at)[:19], r.n_particles, r.n_generations, r.n_simulations,
          number(r.wall_seconds), str(r.code_fingerprint)[:16]) for r in frame.itertuples()],
    )  # fmt: skip


def show(
    name: Annotated[str, typer.Argument(help="An ensemble's name in the store, or an ensemble file (.csv).")],
    db: DbOpt = None,
    output_dir: OutOpt = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print Markdown tables (for the docs).")
    ] = False,
) -> None:
    """Print and plot an ensemble: priors and posteriors, targets against predictive intervals, ε."""
    from countysim.calibration import EnsembleError, load_ensemble
    from countysim.store import StoreError

    try:
        if Path(name).suffix.lower() == ".csv" or Path(name).is_file():
            ensemble = load_ensemble(name)
        else:
            store = open_store(db)
            try:
                ensemble = load_ensemble(name, store)
            finally:
                store.close()
    except (EnsembleError, StoreError) as exc:
        raise fail(str(exc)) from None
    _print(ensemble, markdown=markdown)
    if markdown:
        return
    out = output_dir or default_output_dir("calibration", ensemble.name)
    out.mkdir(parents=True, exist_ok=True)
    png = _figure(ensemble, out / "calibration.png")
    typer.echo(f"\nwrote {png}")


calibration_app.command("list")(list_cmd)
calibration_app.command("show")(show)


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` and ``calibration list|show`` to the ``countysim`` command."""
    app.command("calibrate")(calibrate)
    app.add_typer(calibration_app, name="calibration")
