"""What the Results page shows of the store: experiments, comparisons, sweeps, needs, single runs.

:func:`view` reads one experiment and prepares what the command line would print and draw for it:

==========================  ==================================================================
experiment kind             table, figure
==========================  ==================================================================
``sweep``                   sensitivity indices (``sweep_results`` + ``analyse_sweep``) and
                            the chart ``countysim sensitivity`` draws
``needs``                   the needs table's key items and ``plot_needs``
``run`` (``countysim run``)  the runs, and ``plot_run`` of the chosen one
anything else (``compare``,  the paired differences (``summarise``, the first scenario the
``assess``, the app's)      reference) and ``plot_comparison``
==========================  ==================================================================

Every view offers its tables as CSV. Nothing here writes to the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from countysim.app.figures import cli_png
from countysim.results import RunResult

#: most series drawn in a comparison figure
MAX_PANELS = 9


class BrowseError(RuntimeError):
    """The store cannot be read, or an experiment cannot be shown; the message says why."""


@dataclass
class View:
    """One experiment as the page shows it.

    Attributes:
        name: the experiment.
        kind: what made it.
        description: what was stored with it (design, settings).
        runs: its runs (id, scenario, seed, status, ...).
        table: the main table (differences, indices or needs), or ``None``.
        figure: PNG bytes of the command line's figure, or ``None``.
        notes: what the reader should know (failed runs, incomplete designs, ...).
        downloads: file name -> function returning the CSV text.
        run_ids: runs that can be drawn one by one (``run`` experiments).
        summary: the stored description's short facts (design, replications, months, scale...).
    """

    name: str
    kind: str
    description: dict
    runs: pd.DataFrame
    table: pd.DataFrame | None = None
    figure: bytes | None = None
    notes: list[str] = field(default_factory=list)
    downloads: dict[str, Callable[[], str]] = field(default_factory=dict)
    run_ids: list[int] = field(default_factory=list)
    summary: str = ""


#: facts of a stored description worth a line on the page, in this order
SHORT_KEYS = ("scenarios", "scenario", "baseline", "design", "points", "reps", "seeds", "seed", "months", "scale",
              "outcomes", "made_by")  # fmt: skip


def short_description(description: dict) -> str:
    """The description's short facts as ``key = value, ...`` (long lists and hashes left out)."""
    parts = []
    for key in SHORT_KEYS:
        value = description.get(key)
        if value is None:
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if len(text) <= 120:
            parts.append(f"{key} = {text}")
    return "; ".join(parts)


def _store(url: str | None):
    from countysim.store import ResultsStore, StoreError

    try:
        return ResultsStore(url)
    except StoreError as exc:
        raise BrowseError(str(exc)) from None


def experiments(url: str | None) -> pd.DataFrame:
    """The store's experiments (newest first): id, name, kind, created, runs, done, failed."""
    store = _store(url)
    try:
        frame = store.experiments()
    finally:
        store.close()
    if frame.empty:
        return frame
    frame["created_at"] = frame["created_at"].astype(str).str[:19]
    return frame.sort_values("id", ascending=False).reset_index(drop=True)


def _csv(frame: pd.DataFrame) -> Callable[[], str]:
    return lambda: frame.to_csv(index=False, float_format="%.10g")


def _panel_csv(url: str | None, name: str) -> Callable[[], str]:
    def make() -> str:
        store = _store(url)
        try:
            return store.panel(experiment=name).to_csv(index=False, float_format="%.10g")
        finally:
            store.close()

    return make


def group_runs(results: list[RunResult], order: list[str] | None = None) -> dict[str, list[RunResult]]:
    """Runs by scenario, in ``order`` (then by first appearance), each ordered by seed.

    A scenario name stored with runs of different contents (another horizon or scale under the
    same name) gets one group per content, labelled ``name [hash]``, so bands never mix them.
    """
    hashes: dict[str, list[str]] = {}
    for r in results:
        hashes.setdefault(r.scenario_name, [])
        if r.scenario_hash not in hashes[r.scenario_name]:
            hashes[r.scenario_name].append(r.scenario_hash)
    names = [n for n in (order or []) if n in hashes] + [n for n in hashes if n not in (order or [])]
    groups: dict[str, list[RunResult]] = {}
    for name in names:
        for h in hashes[name]:
            key = name if len(hashes[name]) == 1 else f"{name} [{h[:8]}]"
            runs = [r for r in results if r.scenario_name == name and r.scenario_hash == h]
            groups[key] = sorted(runs, key=lambda r: r.seed)
    return groups


def view(url: str | None, name: str, run_id: int | None = None) -> View:
    """Read experiment ``name`` and prepare its table, figure and downloads.

    Args:
        url: the results store.
        name: the experiment.
        run_id: for ``run`` experiments, the run to draw (default: the latest).

    Raises:
        BrowseError: if the store cannot be read or holds no such experiment.
    """
    from countysim.store import StoreError

    store = _store(url)
    try:
        listing = store.experiments()
        row = listing[listing["name"] == name]
        if row.empty:
            raise BrowseError(
                f"no experiment named {name!r} in the results store at {store.url}; it holds: "
                f"{', '.join(listing['name']) or '(none)'}"
            )
        kind = str(row["kind"].iloc[0])
        description = store.experiment_spec(name) or {}
        runs = store.runs(name).drop(columns=["error"], errors="ignore")
        out = View(name, kind, description, runs, summary=short_description(description))
        out.downloads["runs.csv"] = _csv(runs)
        failed = int((runs["status"] == "failed").sum())
        if failed:
            out.notes.append(f"{failed} run(s) failed and are left out (see `countysim results runs {name}`)")
        if kind == "sweep":
            _sweep(store, out)
        else:
            _runs_view(store, out, run_id, url)
    except StoreError as exc:
        raise BrowseError(str(exc)) from None
    finally:
        store.close()
    return out


def _sweep(store, out: View) -> None:
    from countysim.experiments.sensitivity import IncompleteDesign, analyse_sweep
    from countysim.experiments.sweep import SweepError, sweep_results
    from countysim.report.figures import plot_sensitivity

    try:
        spec, rows = sweep_results(store, out.name)
    except SweepError as exc:
        out.notes.append(str(exc))
        return
    out.downloads["design.csv"] = _csv(rows)
    try:
        report = analyse_sweep(spec, rows, list(spec["outcomes"]))
    except IncompleteDesign as exc:
        out.notes.append(f"no sensitivity indices yet: {exc}")
        return
    out.table = report.table
    out.notes.extend(report.notes)
    out.notes.insert(0, f"{spec['design']} design, {len(rows) // len(spec['seeds'])} points, "
                        f"{report.runs_used} of {report.runs_expected} runs; method {report.method}")  # fmt: skip
    out.figure = cli_png(lambda path: plot_sensitivity(report, path))
    out.downloads["sensitivity.csv"] = _csv(report.table)


def _runs_view(store, out: View, run_id: int | None, url: str | None) -> None:
    from countysim.experiments import load_results
    from countysim.experiments.compare import COMPARE_SERIES, bands, summarise
    from countysim.report.figures import plot_comparison

    results = load_results(store, out.name)
    if not results:
        out.notes.append("no finished run in this experiment yet")
        return
    out.downloads["panel.csv"] = _panel_csv(url, out.name)
    if out.kind in ("run", "runs"):
        _single_runs(out, results, run_id)
        return
    if out.kind == "needs":
        _needs(out, results)
        return
    groups = group_runs(results, list(out.description.get("scenarios") or []))
    try:
        out.table = summarise(groups)
    except ValueError as exc:
        out.notes.append(f"no paired differences: {exc}")
    else:
        out.downloads["comparison.csv"] = _csv(out.table)
    try:
        out.figure = cli_png(lambda path: plot_comparison(bands(groups, COMPARE_SERIES[:MAX_PANELS]), path))
    except ValueError as exc:
        out.notes.append(f"no figure: {exc}")


def _single_runs(out: View, results: list[RunResult], run_id: int | None) -> None:
    from countysim.report.figures import plot_run

    by_id = {int(r.meta["run_id"]): r for r in results}
    out.run_ids = sorted(by_id, reverse=True)
    chosen = by_id.get(int(run_id)) if run_id is not None else None
    chosen = chosen or by_id[out.run_ids[0]]
    final = pd.DataFrame({"indicator": list(chosen.indicators), "final": chosen.values[-1]})
    out.table = final
    out.notes.insert(0, f"run {chosen.meta['run_id']}: {chosen.scenario_name}, seed {chosen.seed}, "
                        f"{chosen.months[0]} to {chosen.months[-1]}")  # fmt: skip
    out.figure = cli_png(lambda path: plot_run(chosen, path))


def _needs(out: View, results: list[RunResult]) -> None:
    from countysim.report.figures import plot_needs
    from countysim.resources import KEY_ITEMS, needs_table

    groups = group_runs(results, [out.description.get("scenario", "")])
    name, runs = next(iter(groups.items()))
    table = needs_table(runs)
    out.downloads["needs.csv"] = _csv(table)
    out.table = table[table["item"].isin(KEY_ITEMS)].reset_index(drop=True)
    out.figure = cli_png(
        lambda path: plot_needs(table, path, f"{name}: resource needs ({len(runs)} replications)")
    )
