"""``countysim province run | compare | assess | report PROVINCE.toml``: every county in one experiment.

Each command runs what is not yet stored of the province's experiment ``province:<name>``
(every county under every package, ``--reps`` replications on seeds spawned from the province
seed), on local processes or a Dask cluster (``--cluster``), then rolls the counties up from the
store, a few at a time:

- ``run`` prints the province's headline indicators at the horizon for every package (mean and
  90 % interval across replications) and writes ``province_summary.csv``; with a provincial
  transfer pool, what it paid by the horizon, and each county's share in
  ``province_transfer_pool.csv``;
- ``compare`` the province-level paired difference of each package from the first, with how many
  times narrower common seeds made it, over all counties and the key assisted ones;
- ``assess`` the province targets of the file, with the probability of meeting each, and the
  counties ranked by their gap to their share of each target;
- ``report`` a province report (Chinese by default, ``--lang en``) with its tables as CSV (and
  Excel when ``openpyxl`` is installed).
"""

from __future__ import annotations

import dataclasses
import math
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from countysim.cli_common import (
    MAX_REPS,
    ClusterOpt,
    DbOpt,
    MonthsOpt,
    OutOpt,
    QuietOpt,
    SeedOpt,
    WorkersOpt,
    default_output_dir,
    executor_for,
    fail,
    open_store,
    table,
)
from countysim.formatting import number

province_app = typer.Typer(
    no_args_is_help=True,
    help="A province: every county under provincial packages in one experiment, rolled up to its targets.",
)

ProvinceArg = Annotated[Path, typer.Argument(help="Province file (TOML, provinces/*.toml).")]
RepsOpt = Annotated[
    int, typer.Option("--reps", help="Replications per county and package (seeds spawned from the province seed).",
                      min=1, max=MAX_REPS),
]  # fmt: skip
ScaleOpt = Annotated[
    float | None,
    typer.Option("--scale", help="Run every county at this fraction of its size (default: the file's, else 1).",
                 min=0.0001, max=100.0),
]  # fmt: skip
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the report: zh (default) or en.")]


def _load(path: Path, months: int | None, scale: float | None):
    """The province file with ``--months`` and ``--scale`` applied, every scenario checked, or exit 2."""
    from countysim.province.spec import ProvinceError, check_scenarios, load_province

    try:
        province = load_province(path)
        changes = {k: v for k, v in (("months", months), ("scale", scale)) if v is not None}
        if changes:
            province = dataclasses.replace(province, **changes)
            check_scenarios(province)
    except ProvinceError as exc:
        raise fail(str(exc)) from None
    return province


def _run_and_roll_up(province, reps: int, seed: int | None, db, workers, cluster, quiet: bool, **keep):
    """Run what is not stored, then roll the province up from the store; exit 1 if a run failed."""
    from countysim.province import roll_up, run_province
    from countysim.store import StoreError

    store = open_store(db)
    try:
        with executor_for(workers, cluster) as executor:
            done = run_province(province, reps, store=store, executor=executor, seed=seed, progress=not quiet)
        if done.failures:
            first = done.failures[0]
            raise fail(
                f"{len(done.failures)} run(s) of {province.experiment!r} failed (stored as failed); the first, "
                f"{first.spec.scenario.name} seed {first.spec.seed}:\n{first.error}",
                code=1,
            )
        rollup = roll_up(province, store, reps, seed, **keep)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if not quiet:
        typer.echo(f"{done.total} runs of {province.experiment!r}: {done.done} run now, {done.skipped} stored before; "
                   f"in {store.url}", err=True)  # fmt: skip
    return rollup


def _header(province, rollup) -> None:
    ka = len(province.key_assisted)
    typer.echo(
        f"\nprovince {province.name}: {len(province.counties)} counties ({ka} key assisted), packages "
        f"{', '.join(rollup.packages)}; {rollup.reps} replication(s) per county on seeds spawned from "
        f"{province.seed}; {rollup.months[0]} to {rollup.months[-1]}"
        + (f"; counties at scale {province.scale:g}" if province.scale else "")
    )


def _out(output_dir: Path | None, province) -> Path:
    out = output_dir or default_output_dir("province", province.name)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _cell(value: float, unit: str) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else number(value, unit)


def _pool(province, rollup, out: Path) -> None:
    """Print the provincial transfer pool paid by the horizon; write it by county (``province_transfer_pool.csv``)."""
    typer.echo(
        f"\nprovincial transfer pool shared by settled persons, paid to {rollup.months[-1]}: mean [90 % interval]"
    )
    s = rollup.pool_summary()
    rows = []
    for package in province.packages:
        pool = package.transfer_pool
        cells = [package.name, "none" if pool is None else number(pool.yuan_per_year, "yuan")]
        for group in ("all", "key_assisted", "unallocated"):
            r = s[(s["package"] == package.name) & (s["group"] == group)].iloc[0]
            cells.append(
                f"{_cell(r['mean'], 'yuan')} [{_cell(r['lo90'], 'yuan')}, {_cell(r['hi90'], 'yuan')}]"
            )
        rows.append(cells)
    table(["package", "yuan a year (full size)", "paid to counties", "to key assisted", "unallocated"], rows)
    path = out / "province_transfer_pool.csv"
    rollup.pool_county.to_csv(path, index=False, float_format="%.10g")
    typer.echo(f"wrote {path}")


@province_app.command("run")
def run_cmd(
    province_file: ProvinceArg,
    reps: RepsOpt = 5,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    scale: ScaleOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run every county under every package; print the province's headline indicators at the horizon."""
    from countysim.indicators import CATALOGUE_BY_NAME, HEADLINE

    province = _load(province_file, months, scale)
    rollup = _run_and_roll_up(province, reps, seed, db, workers, cluster, quiet, with_needs=False)
    summary = rollup.summary(list(HEADLINE))
    _header(province, rollup)
    typer.echo("province values at the horizon: mean [90 % interval across replications]")
    rows = []
    for name in HEADLINE:
        unit = CATALOGUE_BY_NAME[name].unit
        part = summary[summary["indicator"] == name].set_index("package")
        row = [name, unit.split(" (")[0]]
        for p in rollup.packages:
            m, lo, hi = (float(part.loc[p, c]) for c in ("mean", "lo90", "hi90"))
            row.append(f"{_cell(m, unit)} [{_cell(lo, unit)}, {_cell(hi, unit)}]")
        rows.append(row)
    table(["indicator", "unit", *rollup.packages], rows)
    out = _out(output_dir, province)
    path = out / "province_summary.csv"
    rollup.summary(list(CATALOGUE_BY_NAME)).to_csv(path, index=False, float_format="%.10g")
    typer.echo(f"wrote {path}")
    if rollup.pool_totals:
        _pool(province, rollup, out)


@province_app.command("compare")
def compare_cmd(
    province_file: ProvinceArg,
    reps: RepsOpt = 5,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    scale: ScaleOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Each package's province-level paired difference from the first package (common random numbers)."""
    from countysim.experiments.compare import COMPARE_INDICATORS, verdict
    from countysim.indicators import CATALOGUE_BY_NAME
    from countysim.province.assess import compare_packages

    province = _load(province_file, months, scale)
    if len(province.packages) < 2:
        raise fail(f"{province_file}: compare needs at least two [[package]] tables; the file has one")
    rollup = _run_and_roll_up(province, reps, seed, db, workers, cluster, quiet, with_needs=False)
    _header(province, rollup)
    out = _out(output_dir, province)
    base = rollup.packages[0]
    frames = []
    for group in ("all", "key_assisted"):
        if group == "key_assisted" and not province.key_assisted:
            continue
        frame = compare_packages(rollup, list(COMPARE_INDICATORS), group)
        frame.insert(0, "counties", group)
        frames.append(frame)
        typer.echo(f"\n{'all counties' if group == 'all' else 'key assisted counties'}: paired difference "
                   f"from {base} at the horizon [90 % interval]; 'pairing': how many times narrower common "
                   "seeds made it")  # fmt: skip
        header = ["indicator", "unit", base]
        for p in rollup.packages[1:]:
            header += [p, f"{p} − {base}", "reading", "pairing"]
        rows = []
        for name in COMPARE_INDICATORS:
            unit = CATALOGUE_BY_NAME[name].unit
            part = frame[frame["indicator"] == name].set_index("package")
            row = [name, unit.split(" (")[0], _cell(float(part.loc[base, "mean"]), unit)]
            for p in rollup.packages[1:]:
                d, lo, hi, g = (float(part.loc[p, c]) for c in ("diff", "lo90", "hi90", "pairing_gain"))
                span = (
                    ""
                    if math.isnan(lo)
                    else f" [{number(lo, unit, sign=True)}, {number(hi, unit, sign=True)}]"
                )
                pairing = "" if math.isnan(g) else ("exact" if math.isinf(g) else f"×{g:.1f}")
                row += [_cell(float(part.loc[p, "mean"]), unit), f"{number(d, unit, sign=True)}{span}",
                        verdict(name, lo, hi), pairing]  # fmt: skip
            rows.append(row)
        table(header, rows)
    import pandas as pd

    path = out / "province_comparison.csv"
    pd.concat(frames, ignore_index=True).to_csv(path, index=False, float_format="%.10g")
    typer.echo(f"\nwrote {path}")


def _assessment(province, rollup, package: str | None, baseline: str | None):
    from countysim.province.assess import assess_province, county_gaps

    chosen = package or rollup.packages[-1]
    base = (
        baseline if baseline is not None else (rollup.packages[0] if chosen != rollup.packages[0] else None)
    )
    for name, what in ((chosen, "--package"), (base, "--baseline")):
        if name is not None and name not in rollup.packages:
            raise fail(f"{what} {name!r}: no such package in {province.source_file}; packages: "
                       f"{', '.join(rollup.packages)}")  # fmt: skip
    return (
        chosen,
        base,
        assess_province(province, rollup, chosen, base),
        county_gaps(province, rollup, chosen),
    )


PackageOpt = Annotated[str | None, typer.Option("--package", help="Package assessed (default: the last).")]
BaselineOpt = Annotated[
    str | None, typer.Option("--baseline", help="Package it is compared with (default: the first).")
]


@province_app.command("assess")
def assess_cmd(
    province_file: ProvinceArg,
    package: PackageOpt = None,
    baseline: BaselineOpt = None,
    reps: RepsOpt = 5,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    scale: ScaleOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The province targets with the probability of meeting each; counties ranked by their gap."""
    province = _load(province_file, months, scale)
    if not province.targets:
        raise fail(f"{province_file}: no [[target]] tables to assess")
    _check_target_months(province)
    rollup = _run_and_roll_up(province, reps, seed, db, workers, cluster, quiet, with_needs=False,
                              **_keep(province))  # fmt: skip
    chosen, base, assessed, gaps = _assessment(province, rollup, package, baseline)
    _header(province, rollup)
    typer.echo(
        f"targets of {province.source_file} under {chosen}" + (f" (effect against {base})" if base else "")
    )
    rows = []
    for r in assessed.itertuples():
        unit = r.unit
        row = [r.id, r.counties, f"{r.indicator} {r.op} {number(r.value, unit)} at {r.at}", _cell(r.mean, unit),
               f"{_cell(r.lo90, unit)} – {_cell(r.hi90, unit)}", f"{r.probability:.2f}", r.verdict,
               number(r.gap, unit, sign=True)]  # fmt: skip
        if base:
            row.append(f"{number(r.effect, unit, sign=True)}")
        rows.append(row)
    header = ["target", "counties", "target", "mean", "90 % interval", "P(meet)", "verdict", "gap"]
    table(header + (["effect"] if base else []), rows)
    if not gaps.empty:
        typer.echo("\ncounties farthest behind their share of each target (rank 1: farthest)")
        worst = gaps[gaps["rank"] <= 5]
        table(["target", "rank", "county", "key assisted", "county's share", "mean", "gap"],
              [[g.target, g.rank, g.county, "yes" if g.key_assisted else "no", number(g.county_target),
                number(g.mean), number(g.gap, sign=True)] for g in worst.itertuples()])  # fmt: skip
    out = _out(output_dir, province)
    assessed.to_csv(out / "province_assessment.csv", index=False, float_format="%.10g")
    gaps.to_csv(out / "county_gaps.csv", index=False, float_format="%.10g")
    typer.echo(f"\nwrote {out / 'province_assessment.csv'}, {out / 'county_gaps.csv'}")


def _keep(province) -> dict:
    from countysim.report.province import HEADLINE_SERIES, KEPT_INDICATORS

    return {
        "keep_months": [pt.target.at for pt in province.targets],
        "keep_indicators": list(
            dict.fromkeys([*KEPT_INDICATORS, *(pt.target.indicator for pt in province.targets)])
        ),
        "series": list(HEADLINE_SERIES),
    }


def _check_target_months(province) -> None:
    from countysim.assessment import TargetsError, check_horizon
    from countysim.calendar import month_labels

    s = province.county_scenario(province.counties[0], province.packages[0])
    try:
        check_horizon([pt.target for pt in province.targets], month_labels(s.horizon.start, s.horizon.months),
                      f"province {province.name!r}")  # fmt: skip
    except TargetsError as exc:
        raise fail(str(exc)) from None


@province_app.command("report")
def report_cmd(
    province_file: ProvinceArg,
    package: PackageOpt = None,
    baseline: BaselineOpt = None,
    lang: LangOpt = "zh",
    reps: RepsOpt = 5,
    seed: SeedOpt = None,
    months: MonthsOpt = None,
    scale: ScaleOpt = None,
    db: DbOpt = None,
    output_dir: OutOpt = None,
    workers: WorkersOpt = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the province report (report.html, report.md, figures, and every table as CSV / Excel)."""
    from countysim.app.labels import label
    from countysim.report.province import LANGS, ProvinceReport, write_report

    if lang not in LANGS:
        raise fail(f"--lang {lang!r}: allowed {', '.join(LANGS)}")
    province = _load(province_file, months, scale)
    if province.targets:
        _check_target_months(province)
    rollup = _run_and_roll_up(province, reps, seed, db, workers, cluster, quiet, **_keep(province))
    chosen, base, assessed, gaps = (
        _assessment(province, rollup, package, baseline) if province.targets else (package or rollup.packages[-1],
                                                                                   None, None, None)
    )  # fmt: skip
    data = ProvinceReport(
        province=province, rollup=rollup, package=chosen, baseline=base, assessment=assessed, gaps=gaps,
        command="countysim " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    )  # fmt: skip
    out = _out(output_dir, province)
    written = write_report(data, out, lang, label=label)
    typer.echo(f"wrote {', '.join(str(p) for p in written.files)}")
    if written.note:
        typer.echo(written.note, err=True)


def register(app: typer.Typer) -> None:
    """Add the ``province`` group to the ``countysim`` command."""
    app.add_typer(province_app, name="province")
