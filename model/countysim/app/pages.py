"""The app's pages (Solara components) and routes.

``countysim app`` serves this module: ``routes`` lists the three pages and ``Layout`` puts them
under one app bar with the page links and the language switch. The pages keep no rules of their
own: building and checking the package is ``package``, running it is ``runs``, reading the store
is ``browse``, formatting is ``tables``.

State lives in reactive variables, one value per visitor (Solara scopes them by browser
session), so two planners do not see each other's packages.
"""

from __future__ import annotations

import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import solara
import solara.lab

from countysim.app import tables
from countysim.app.browse import BrowseError
from countysim.app.config import current
from countysim.app.explorer import ExplorerPage
from countysim.app.figures import HEADLINE_SERIES, headline_png
from countysim.app.labels import label
from countysim.app.package import (
    PILLARS,
    Package,
    SaveError,
    base_value,
    baseline_of,
    list_scenarios,
    parse_number,
    save_package,
    slider_step,
)
from countysim.app.runs import AppRunError, Outcome, Progress, RunSettings, prepare, run_comparison
from countysim.policy.levers import Lever
from countysim.scenario import ScenarioError

log = logging.getLogger("countysim.app")

#: the visitor's language
LANG = solara.reactive("en")
#: the scenario file the package starts from
COUNTY = solara.reactive("")
#: the package being edited
PACKAGE: solara.Reactive[Package | None] = solara.reactive(None)
#: lever name -> why the last value typed for it was refused
LEVER_ERRORS: solara.Reactive[dict[str, str]] = solara.reactive({})
#: how to run
SETTINGS = solara.reactive(RunSettings())
#: why the last run could not start or finish
RUN_ERROR = solara.reactive("")
#: the running comparison's progress: (runs done, runs in all, stage, seconds)
PROGRESS: solara.Reactive[tuple | None] = solara.reactive(None)
#: the last save: (kind, message), kind "success" or "error"
SAVED = solara.reactive(("", ""))
#: which scenario's needs are shown
NEEDS_OF = solara.reactive("package")


@dataclass
class Shown:
    """A finished run as the page shows it: the outcome, its headline figure, the package it ran."""

    outcome: Outcome
    figure: bytes
    package: Package | None = None
    settings: RunSettings | None = None


def _message(exc: BaseException) -> str:
    """What the visitor reads for an error: the message, never a traceback."""
    if isinstance(exc, ScenarioError | AppRunError | SaveError | BrowseError | ValueError):
        return str(exc)
    log.error("unexpected error in the app:\n%s", "".join(traceback.format_exception(exc)))
    return f"unexpected error ({type(exc).__name__}): {exc}; the server's log has the details"


def compute(package: Package, settings: RunSettings, progress: Progress) -> Shown:
    """Run the package against its baseline and draw the headline figure (no user interface here)."""
    cfg = current()
    prepared = prepare(package.scenario(), baseline_of(package.base), settings)
    outcome = run_comparison(
        prepared, cfg.db_url, cfg.pool().executor(), progress, cfg.targets_file, cfg.pool()
    )
    progress.stage = "drawing"
    return Shown(outcome, headline_png(outcome.results, HEADLINE_SERIES), package, settings)


#: threads that run the comparisons (the page's own threads only wait and report)
_DRIVERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="countysim-app-run")


@solara.lab.task(prefer_threaded=True)
def run_task(package: Package, settings: RunSettings) -> Shown:
    """Run a comparison on a driver thread; report its progress twice a second until it ends."""
    progress = Progress()
    future = _DRIVERS.submit(compute, package, settings, progress)
    while True:
        try:
            return future.result(timeout=0.5)
        except FutureTimeout:
            done, total, stage, seconds = progress.snapshot()
            PROGRESS.set((done, total, stage, round(seconds, 1)))


# ----------------------------------------------------------------------------------------
# Layout
# ----------------------------------------------------------------------------------------
PAGE_KEYS = {"/": "page_package", "results": "page_results", "explorer": "page_explorer"}


@solara.component
def Layout(children: list | None = None) -> None:
    """One app bar: the title, the page tabs and the language switch; the page below."""
    lang = LANG.value
    route, routes = solara.use_route()
    index = routes.index(route) if route in routes else 0
    solara.Style(tables.CSS)
    with solara.AppLayout(children=list(children or []), title=label("app_title", lang), navigation=True):
        with solara.AppBar():
            with solara.lab.Tabs(value=index, align="center"):
                for r in routes:
                    solara.lab.Tab(label(PAGE_KEYS.get(r.path, r.path), lang), path_or_route=r)
            solara.Button(label("language", lang), text=True, classes=["cs-lang"],
                          on_click=lambda: LANG.set("zh" if lang == "en" else "en"))  # fmt: skip


def _table(header, rows) -> None:
    with solara.Div(classes=["cs-scroll"]):
        solara.HTML(tag="div", unsafe_innerHTML=tables.html_table(header, rows))


def _heading(text: str, level: int = 3) -> None:
    solara.v.Html(tag=f"h{level}", children=[text], style_="margin: 12px 0 6px 0;")


# ----------------------------------------------------------------------------------------
# Try a package
# ----------------------------------------------------------------------------------------
def _fmt_value(value: float, lever: Lever) -> str:
    if lever.kind in ("count", "yuan", "switch") and float(value).is_integer():
        return f"{int(value)}"
    return f"{value:g}"


def try_value(name: str, value: float) -> bool:
    """Apply a lever value if the package still validates; otherwise record why it was refused."""
    pkg = PACKAGE.value
    candidate = pkg.with_value(name, value)
    try:
        candidate.scenario()
    except ScenarioError as exc:
        LEVER_ERRORS.set({**LEVER_ERRORS.value, name: str(exc)})
        return False
    LEVER_ERRORS.set({k: v for k, v in LEVER_ERRORS.value.items() if k != name})
    PACKAGE.set(candidate)
    return True


def typed_value(lever: Lever, text: str) -> bool:
    """A value typed into a lever's box: parsed (never evaluated), then checked as ``validate`` does."""
    try:
        value = parse_number(text, lever)
    except ScenarioError as exc:
        LEVER_ERRORS.set({**LEVER_ERRORS.value, lever.name: str(exc)})
        return False
    return try_value(lever.name, value)


@solara.component
def LeverControl(lever: Lever, value: float, base: float, error: str, lang: str) -> None:
    """One lever: its name, clause, unit and range; a switch or a slider with a box for exact values."""
    changed = value != base
    with solara.Div(classes=["cs-lever"]):
        with solara.Row(style={"align-items": "center", "gap": "8px"}):
            solara.Text(label(lever.name, lang), classes=["cs-lever-title"])
            if changed:
                solara.Text(f"({label('changed', lang)})", classes=["cs-changed"])
                solara.Button(label("reset_lever", lang), text=True, small=True,
                              on_click=lambda: (PACKAGE.set(PACKAGE.value.without(lever.name)),
                                                LEVER_ERRORS.set({k: v for k, v in LEVER_ERRORS.value.items()
                                                                  if k != lever.name})))  # fmt: skip
        solara.v.Html(tag="div", class_="cs-lever-meta", children=[
            f"{lever.clause} · {lever.unit} · {label('status_quo', lang)} {_fmt_value(lever.status_quo, lever)}, "
            f"{label('action', lang)} {_fmt_value(lever.action, lever)}, "
            f"range {_fmt_value(lever.lo, lever)} to {_fmt_value(lever.hi, lever)}"])  # fmt: skip
        solara.v.Html(tag="div", class_="cs-lever-meta", children=[lever.mechanism])
        if lever.kind == "switch":
            solara.Switch(label="on" if value else "off", value=bool(value),
                          on_value=lambda on: try_value(lever.name, 1 if on else 0))  # fmt: skip
        else:
            with solara.Row(style={"align-items": "center"}):
                with solara.Div(style={"flex": "1 1 auto"}, classes=[f"cs-slider-{lever.name}"]):
                    solara.SliderFloat(
                        label="", value=float(value), min=lever.lo, max=lever.hi, step=slider_step(lever),
                        on_value=lambda v: try_value(lever.name, parse_number(f"{v:.10g}", lever)),
                        thumb_label=False,
                    )  # fmt: skip
                with solara.Div(style={"width": "130px"}):
                    solara.InputText(
                        label="value", value=_fmt_value(value, lever),
                        on_value=lambda text: typed_value(lever, text), dense=True,
                        classes=[f"cs-input-{lever.name}"],
                    )  # fmt: skip
        if error:
            solara.Error(error, classes=["cs-lever-error"])


@solara.component
def PillarPanel(code: str, pkg: Package, lang: str) -> None:
    """A pillar: its switch (every lever at its action value, or at the status quo) and its levers."""
    pillar = next(p for p in PILLARS if p.code == code)
    errors = LEVER_ERRORS.value
    open_, set_open = solara.use_state(False)
    n_changed = sum(1 for lv in pillar.levers if pkg.value(lv.name) != lv.status_quo)

    def switch(on: bool) -> None:
        PACKAGE.set(PACKAGE.value.with_pillar(code, on))
        LEVER_ERRORS.set(
            {k: v for k, v in LEVER_ERRORS.value.items() if k not in {lv.name for lv in pillar.levers}}
        )

    with solara.Card(margin=0, style={"margin-bottom": "8px"}):
        with solara.Row(style={"align-items": "center"}):
            solara.Switch(label=label(code, lang), value=pkg.pillar_on(code), on_value=switch,
                          classes=[f"cs-pillar-{code}"])  # fmt: skip
            solara.Text(label("levers_away", lang, n=n_changed, total=len(pillar.levers)),
                        classes=["cs-note"])  # fmt: skip
        # the levers are drawn only while their panel is open: a change re-renders far fewer widgets
        with solara.v.ExpansionPanels(v_model=0 if open_ else None, on_v_model=lambda m: set_open(m == 0),
                                      class_=f"cs-levers-{code}"):  # fmt: skip
            with solara.v.ExpansionPanel():
                solara.v.ExpansionPanelHeader(
                    children=[
                        label("levers_in", lang, n=len(pillar.levers), clauses=", ".join(pillar.clauses))
                    ]
                )
                with solara.v.ExpansionPanelContent():
                    if open_:
                        for lever in pillar.levers:
                            LeverControl(lever, pkg.value(lever.name), base_value(pkg.base, lever.name),
                                         errors.get(lever.name, ""), lang)  # fmt: skip


@solara.component
def RunSettingsCard(pkg: Package, lang: str) -> None:
    """Scale, months, replications, first seed; when changed levers start and how capacities ramp."""
    s = SETTINGS.value
    horizon = pkg.base.horizon
    seed_error = solara.use_reactive("")

    def set_seed(text: str) -> None:
        text = (text or "").strip()
        if not text:
            SETTINGS.set(RunSettings(s.scale, s.months, s.reps, None))
            seed_error.set("")
            return
        if not text.isdigit() or int(text) > 2**63 - 1:
            seed_error.set(
                f"seed = {text!r}: allowed a whole number from 0 to {2**63 - 1} (empty: the scenario's)"
            )
            return
        seed_error.set("")
        SETTINGS.set(RunSettings(s.scale, s.months, s.reps, int(text)))

    with solara.Card(label("run_settings", lang), margin=0, style={"margin-bottom": "8px"}):
        solara.SliderFloat(f"{label('scale', lang)}: {s.scale:g}", value=s.scale, min=0.01, max=1.0, step=0.01,
                           on_value=lambda v: SETTINGS.set(RunSettings(round(v, 4), s.months, s.reps, s.seed)))  # fmt: skip
        solara.SliderInt(f"{label('months', lang)}: {s.months}", value=min(s.months, horizon.months), min=1, max=horizon.months,
                         on_value=lambda v: SETTINGS.set(RunSettings(s.scale, v, s.reps, s.seed)))  # fmt: skip
        solara.SliderInt(f"{label('reps', lang)}: {s.reps}", value=s.reps, min=1, max=20,
                         on_value=lambda v: SETTINGS.set(RunSettings(s.scale, s.months, v, s.seed)))  # fmt: skip
        solara.InputText(label("seed", lang), value="" if s.seed is None else str(s.seed), on_value=set_seed,
                         message=label("seed_hint", lang, seed=pkg.base.seed), error=seed_error.value or False)  # fmt: skip
        from countysim.calendar import month_labels

        months = list(month_labels(horizon.start, horizon.months))
        solara.Select(label("start", lang), values=months, value=pkg.start if pkg.start in months else months[0],
                      on_value=lambda m: PACKAGE.set(PACKAGE.value.copy(start=m)))  # fmt: skip
        solara.SliderInt(f"{label('ramp', lang)}: {pkg.ramp_months}", value=pkg.ramp_months, min=0, max=36,
                         on_value=lambda v: PACKAGE.set(PACKAGE.value.copy(ramp_months=v)))  # fmt: skip
        solara.Text(label("settings_note", lang, scale=s.scale, households=s.scale * pkg.base.county.households.n,
                          months=s.months, start=horizon.start, reps=s.reps), classes=["cs-note"])  # fmt: skip


@solara.component
def SaveCard(pkg: Package, lang: str) -> None:
    """Save the package as a scenario file under the save folder."""
    cfg = current()
    file_name = solara.use_reactive(pkg.name)
    overwrite = solara.use_reactive(False)

    def save() -> None:
        try:
            path, line = save_package(PACKAGE.value, cfg.save_dir, file_name.value, overwrite.value)
        except SaveError as exc:
            SAVED.set(("error", str(exc)))
            return
        SAVED.set(("success", f"saved {path.name}. `countysim validate` says:\n{line}"))

    with solara.Card(label("save", lang), margin=0, style={"margin-bottom": "8px"}):
        solara.InputText(label("file_name", lang), value=file_name, continuous_update=True,
                         message=label("save_hint", lang, folder=cfg.save_dir), classes=["cs-file-name"])  # fmt: skip
        solara.Checkbox(label=label("overwrite", lang), value=overwrite)
        solara.Button(label("save", lang), on_click=save, color="primary", outlined=True, classes=["cs-save"])
        kind, message = SAVED.value
        if kind == "success":
            solara.Success(message, classes=["cs-saved"])
        elif kind == "error":
            solara.Error(message, classes=["cs-save-error"])


@solara.component
def ProgressView() -> None:
    """Runs done, the stage and the seconds so far (the run's task updates them twice a second)."""
    progress = PROGRESS.value
    if progress is None:
        solara.ProgressLinear(True)
        solara.Text(
            f"{label('running', LANG.value)}: {label('starting', LANG.value)}", classes=["cs-progress"]
        )
        return
    done, total, stage, seconds = progress
    solara.ProgressLinear(100 * done / total if total else True)
    lang = LANG.value
    solara.Text(f"{label('running', lang)}: {label('progress', lang, done=done, total=total, stage=stage, seconds=seconds)}",
                classes=["cs-progress"])  # fmt: skip


@solara.component
def ResultsView(shown: Shown, lang: str) -> None:
    """The finished comparison: headline figure, paired differences, needs, targets."""
    from countysim.resources import KEY_ITEMS

    out = shown.outcome
    s = out.settings
    base, pkg = out.baseline.name, out.package.name
    reused = len(out.seeds) * 2 - out.ran
    solara.Text(
        f"package {pkg!r} vs baseline {base!r}: {len(out.seeds)} replications on common seeds {out.seeds[0]}..{out.seeds[-1]}, "
        f"{s.months} months at scale {s.scale:g}; {out.ran} runs done now, {reused} read from the store "
        f"(experiment {out.experiment!r}); {out.seconds:.1f} s",
        classes=["cs-caption"],
    )
    _heading(label("headline", lang))
    solara.Image(shown.figure, classes=["cs-headline", "cs-fig"])
    _heading(label("differences", lang))
    solara.Text(label("differences_note", lang), classes=["cs-note"])
    with solara.Div(classes=["cs-differences"]):
        _table(*tables.differences(out.summary, lang, {base: "baseline", pkg: "package"}))
    solara.FileDownload(lambda: out.summary.to_csv(index=False, float_format="%.10g"), filename="comparison.csv",
                        label=f"{label('download', lang)}: comparison.csv")  # fmt: skip
    _heading(label("needs", lang))
    with solara.Row(style={"align-items": "center"}):
        solara.ToggleButtonsSingle(value=NEEDS_OF, values=["package", "baseline"], classes=["cs-needs-of"])
        solara.Text(label("needs_note", lang), classes=["cs-note"])
    shown_name = pkg if NEEDS_OF.value == "package" else base
    with solara.Div(classes=["cs-needs"]):
        _table(*tables.needs(out.needs[shown_name], KEY_ITEMS, lang))
    if s.scale != 1:
        solara.Text(label("scale_note", lang, scale=s.scale), classes=["cs-note"])
    solara.FileDownload(lambda: out.needs[shown_name].to_csv(index=False, float_format="%.10g"),
                        filename=f"needs-{NEEDS_OF.value}.csv",
                        label=f"{label('download', lang)}: needs-{NEEDS_OF.value}.csv")  # fmt: skip
    _heading(label("targets", lang))
    if out.targets_note:
        solara.Warning(out.targets_note, classes=["cs-targets-note"])
    if out.assessment is not None:
        if s.scale != 1:
            solara.Text(label("targets_scale_note", lang), classes=["cs-note"])
        with solara.Div(classes=["cs-targets"]):
            _table(*tables.assessment(out.assessment, lang))


@solara.component
def PackagePage() -> None:
    """Try a package: county, pillars, levers, run settings; run against the baseline; save."""
    cfg = current()
    lang = LANG.value
    files = solara.use_memo(lambda: list_scenarios(cfg.scenarios_dir), [])
    usable = [f for f in files if f.scenario is not None]
    if not usable:
        solara.Error(f"no valid scenario file in {cfg.scenarios_dir}; start the app with --scenarios DIR")
        return
    by_file = {f.file: f for f in usable}
    if COUNTY.value not in by_file or PACKAGE.value is None:
        chosen = by_file.get(COUNTY.value) or usable[0]
        COUNTY.set(chosen.file)
        PACKAGE.set(Package(chosen.scenario, chosen.path))
        return
    pkg = PACKAGE.value

    def choose(file: str) -> None:
        f = by_file[file]
        COUNTY.set(file)
        PACKAGE.set(Package(f.scenario, f.path))
        LEVER_ERRORS.set({})

    def start() -> None:
        RUN_ERROR.set("")
        if LEVER_ERRORS.value:
            RUN_ERROR.set("some lever values were refused (see the levers marked in red); fix them first")
            return
        try:
            prepare(PACKAGE.value.scenario(), baseline_of(PACKAGE.value.base), SETTINGS.value)
        except (ScenarioError, AppRunError) as exc:
            RUN_ERROR.set(str(exc))
            return
        PROGRESS.set(None)
        run_task(PACKAGE.value, SETTINGS.value)

    with solara.Columns([4, 8], gutters_dense=True):
        with solara.Column():
            with solara.Card(margin=0, style={"margin-bottom": "8px"}):
                solara.Select(label("county", lang), values=list(by_file), value=COUNTY.value, on_value=choose,
                              classes=["cs-county"])  # fmt: skip
                solara.Text(pkg.base.description, classes=["cs-note"])
                solara.InputText(label("package_name", lang), value=pkg.name, continuous_update=False,
                                 on_value=lambda t: PACKAGE.set(PACKAGE.value.copy(name=t.strip() or PACKAGE.value.name)),
                                 classes=["cs-package-name"])  # fmt: skip
                solara.Text(label("baseline_is", lang, baseline=baseline_of(pkg.base).name),
                            classes=["cs-note"])  # fmt: skip
                bad = [f for f in files if f.scenario is None]
                if bad:
                    with solara.Details(f"{len(bad)} file(s) of {cfg.scenarios_dir} are not offered"):
                        for f in bad:
                            solara.Text(f.error, classes=["cs-note"])
            RunSettingsCard(pkg, lang)
            _heading(label("pillars", lang), 4)
            for pillar in PILLARS:
                PillarPanel(pillar.code, pkg, lang)
            SaveCard(pkg, lang)
        with solara.Column():
            changed = pkg.changed()
            solara.Button(label("run", lang), on_click=start, color="primary", disabled=run_task.pending,
                          classes=["cs-run"])  # fmt: skip
            solara.Text(label("changed_list", lang, n=len(changed), file=COUNTY.value,
                              names=", ".join(changed) or label("none", lang)),
                        classes=["cs-note", "cs-changed-list"])  # fmt: skip
            if RUN_ERROR.value:
                solara.Error(RUN_ERROR.value, classes=["cs-run-error"])
            if run_task.pending:
                ProgressView()
            elif run_task.error:
                solara.Error(_message(run_task.exception), classes=["cs-run-error"])
            result = run_task.value if run_task.finished else None
            if result is None and not run_task.pending:
                solara.Info(label("no_results", lang))
            if result is not None:
                if (result.package, result.settings) != (PACKAGE.value, SETTINGS.value):
                    solara.Warning(label("stale", lang), classes=["cs-stale"])
                ResultsView(result, lang)


# ----------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------
@solara.component
def ResultsPage() -> None:
    """Browse the store: experiments, comparisons, sweeps with sensitivity indices; CSV downloads."""
    from countysim.app import browse

    cfg = current()
    lang = LANG.value
    refresh, set_refresh = solara.use_state(0)
    chosen, set_chosen = solara.use_state("")
    run_id, set_run_id = solara.use_state(None)

    listing = solara.use_thread(lambda: browse.experiments(cfg.db_url), dependencies=[refresh])
    with solara.Row(style={"align-items": "center"}):
        _heading(label("experiments", lang))
        solara.Button("refresh", text=True, on_click=lambda: set_refresh(refresh + 1))
    from countysim.store import resolve_db_url

    solara.Text(f"store: {resolve_db_url(cfg.db_url)}", classes=["cs-note"])
    if listing.state in (solara.ResultState.RUNNING, solara.ResultState.STARTING, solara.ResultState.INITIAL):
        solara.ProgressLinear(True)
        return
    if listing.error is not None:
        solara.Error(_message(listing.error))
        return
    frame = listing.value
    if frame is None or frame.empty:
        solara.Info(
            "the store holds no experiment yet: run a package, or `countysim run` / `compare` / `sweep`"
        )
        return
    names = list(frame["name"])
    with solara.Div(classes=["cs-experiments"]):
        _table(["id", "experiment", "kind", "created (UTC)", "runs", "done", "failed"],
               [[str(r.id), r.name, r.kind, r.created_at, str(r.n_runs), str(r.n_done), str(r.n_failed)]
                for r in frame.itertuples()])  # fmt: skip
    shown = chosen if chosen in names else names[0]  # the newest by default
    solara.Select(label("experiment", lang), values=names, value=shown,
                  on_value=lambda n: (set_chosen(n), set_run_id(None)), classes=["cs-experiment"])  # fmt: skip
    ExperimentView(shown, run_id, set_run_id, refresh, lang)


@solara.component
def ExperimentView(name: str, run_id, set_run_id, refresh: int, lang: str) -> None:
    """One experiment: its notes, its table, the command line's figure, CSV downloads."""
    from countysim.app import browse

    cfg = current()
    result = solara.use_thread(
        lambda: browse.view(cfg.db_url, name, run_id), dependencies=[name, run_id, refresh]
    )
    if result.state != solara.ResultState.FINISHED:
        if result.error is not None:
            solara.Error(_message(result.error))
        else:
            solara.ProgressLinear(True)
            solara.Text(f"reading {name} from the store", classes=["cs-note"])
        return
    v = result.value
    solara.Text(f"{v.name} ({v.kind}): {len(v.runs)} runs" + (f"; {v.summary}" if v.summary else ""),
                classes=["cs-note", "cs-experiment-summary"])  # fmt: skip
    for note in v.notes:
        solara.Info(note)
    if v.run_ids:
        solara.Select("run", values=[str(i) for i in v.run_ids], value=str(run_id or v.run_ids[0]),
                      on_value=lambda i: set_run_id(int(i)))  # fmt: skip
    if v.figure is not None:
        solara.Image(v.figure, classes=["cs-store-figure", "cs-fig"])
    if v.table is not None:
        title = {"sweep": label("sensitivity", lang), "run": label("final_values", lang)}.get(
            v.kind, label("differences", lang) if "diff" in v.table.columns else v.kind
        )
        _heading(title, 4)
        if set(v.table.columns) >= {"diff", "pairing_gain"}:
            header, rows = tables.differences(v.table, lang)
        else:
            header, rows = tables.frame(v.table, lang)
        with solara.Div(classes=["cs-store-table"]):
            _table(header, rows)
    with solara.Row():
        for file, make in v.downloads.items():
            solara.FileDownload(make, filename=file, label=f"{label('download', lang)}: {file}")


def _titled(key: str, page) -> solara.Element:
    solara.Title(f"countysim · {label(key, LANG.value)}")
    return page()


@solara.component
def Home() -> None:
    """The first page: try a package."""
    _titled("page_package", PackagePage)


@solara.component
def Results() -> None:
    """The store."""
    _titled("page_results", ResultsPage)


@solara.component
def Explorer() -> None:
    """The model explorer."""
    _titled("page_explorer", ExplorerPage)


routes = [
    solara.Route(path="/", component=Home, label=label("page_package"), layout=Layout),
    solara.Route(path="results", component=Results, label=label("page_results")),
    solara.Route(path="explorer", component=Explorer, label=label("page_explorer")),
]
