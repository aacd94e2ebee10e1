"""The report a county can hand in: HTML (self-contained), Markdown, Excel and an A4 PDF.

Simplified Chinese by default (``lang="en"`` for English); one baseline and any number of
packages side by side. The order of a county document:

- **摘要 / Summary** (the first page): what each package does to the headline indicators at the
  horizon (mean, 90 % interval, paired difference from the baseline), the extra resources and
  budget it needs against the status quo year by year, the targets met and missed with their
  probabilities, and the main caveats;
1. **县情底数 / County baseline** — the profile and the first simulated month;
2. **政策包与实施安排 / Package and schedule** — only the levers a package changes from the baseline;
3. **主要指标 / Key indicators** — a figure with 5-95 % bands and the values at the horizon;
4. **资源需求 / Resource needs** — increments over the baseline by year (seats, classes,
   teachers, affordable units, training places, money in 萬元), with 90 % intervals;
5. **目标评估 / Assessment** — one readable row per target;
6. **假设与来源 / Assumptions and sources**;
- **附录 / Appendix** — every indicator at the horizon, the needs in full, every parameter, and
  how to reproduce the report.

Every table of the document is also a sheet of ``report.xlsx`` (numbers as numbers). Figures
use the CJK font that ships with the dependencies (:mod:`countysim.report.fonts`) and the
catalogue labels (:mod:`countysim.labels`). Years print without separators, money in 萬元.
"""

from __future__ import annotations

import base64
import html
import io
import json
import platform
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from countysim.formatting import number
from countysim.indicators import CATALOGUE, CATALOGUE_BY_NAME
from countysim.labels import check_lang, label, unit_zh
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.report.words import word
from countysim.resources import ITEMS_BY_NAME, needs
from countysim.results import RunResult
from countysim.scenario import Scenario, parameter_table
from countysim.stats import interval

#: the headline indicators of the summary and of the key-indicator figure
HEADLINE = (
    "employed_rate", "mean_monthly_income", "contract_rate", "pension_coverage", "public_school_share",
    "left_behind_children", "settled_persons_cum", "hukou_urbanization_rate",
)  # fmt: skip
#: the key-indicator table (the headline and a few more)
KEY_INDICATORS = (*HEADLINE, "training_person_times", "affordable_housing_households", "awareness_mean")
#: the county's first-month facts of the baseline section
BASELINE_FACTS = (
    "persons", "households", "workers", "children", "employed_rate", "out_migrant_share",
    "mean_monthly_income", "contract_rate", "pension_coverage", "public_school_share",
    "left_behind_children", "hukou_urbanization_rate", "resident_urbanization_rate",
)  # fmt: skip
#: the resource increments: (key of the words, needs items added up, whole numbers?, in 萬元?)
RESOURCES = (
    ("extra_seats", ("seats_needed_primary", "seats_needed_junior"), True, False),
    ("extra_classes", ("classes_needed_primary", "classes_needed_junior"), True, False),
    ("extra_teachers", ("teachers_needed_primary", "teachers_needed_junior"), True, False),
    ("extra_units", ("housing_units_needed",), True, False),
    ("extra_training", ("training_places",), True, False),
    ("extra_budget", ("fiscal_cost_yuan",), False, True),
)
#: the increments shown on the first page
SUMMARY_RESOURCES = ("extra_budget", "extra_seats", "extra_teachers", "extra_units", "extra_training")
WAN = 10_000.0
#: verdict -> CSS class, the most specific words first ("未达成" and "可能达成" end as "达成" does)
VERDICT_CLASS = {"not applicable": "na", "unlikely": "unlikely", "missed": "missed", "likely": "likely",
                 "met": "met"}  # fmt: skip

CSS = """
:root{--ink:#1d2430;--muted:#5b6573;--rule:#c9d1dc;--head:#eef2f7;--accent:#1f4e8c}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
color:var(--ink);line-height:1.55;margin:0 auto;max-width:1120px;padding:24px 28px;font-size:15px}
h1{font-size:1.55em;margin:0 0 .2em}h2{font-size:1.2em;border-bottom:2px solid var(--accent);padding-bottom:.15em;margin:1.6em 0 .5em}
h3{font-size:1.02em;margin:1.1em 0 .3em}
p{margin:.35em 0}.meta{color:var(--muted);font-size:.86em}.note{color:var(--muted);font-size:.86em}
table{border-collapse:collapse;width:100%;margin:.4em 0 .9em;font-size:.86em;table-layout:auto}
th,td{border:1px solid var(--rule);padding:.22em .45em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--head);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.short{white-space:nowrap;overflow-wrap:normal}.nb{white-space:nowrap}
.met{color:#06702f;font-weight:600}.likely{color:#6b5800}.unlikely{color:#b34700;font-weight:600}
.missed{color:#b00020;font-weight:600}.na{color:var(--muted)}
figure{margin:.6em 0 1em}figure img{width:100%;height:auto;display:block}figcaption{font-size:.84em;color:var(--muted)}
.summary{border:1px solid var(--rule);border-radius:6px;padding:10px 16px 6px;background:#fbfcfe}
.summary h2{margin-top:.3em}.summary table{font-size:.82em}.summary ul{margin:.2em 0 .4em 1.2em;padding:0}
pre{background:#f4f5f7;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8em}
details summary{cursor:pointer;color:var(--accent)}
@page{size:A4;margin:13mm 11mm 14mm}
@media print{body{max-width:none;padding:0;font-size:10pt}.summary{break-after:page;border:none;padding:0;background:none}
table{font-size:8pt}.summary table{font-size:8pt}td.num{white-space:normal}th,td{padding:.18em .3em}h2{break-after:avoid}tr,figure{break-inside:avoid}
details{display:block}details>summary{display:none}details>*{display:block}.appendix{break-before:page}}
"""


@dataclass
class PackageRuns:
    """One scenario of a report with its replications (and, with targets, its assessment)."""

    scenario: Scenario
    results: list[RunResult]
    assessment: pd.DataFrame | None = None


@dataclass
class ReportData:
    """Everything a report shows: a baseline and the packages compared with it (none: a status-quo report)."""

    baseline: Scenario
    baseline_results: list[RunResult]
    packages: list[PackageRuns] = field(default_factory=list)
    baseline_assessment: pd.DataFrame | None = None
    targets_file: str = ""
    command: str = ""
    title: str = ""
    lang: str = "zh"
    norms: dict[str, float] | None = None
    #: the posterior ensemble the replications drew their parameter sets from ("": seed noise only)
    posterior: str = ""


@dataclass
class Table:
    """One table of the document: what it shows (text) and what the workbook holds (numbers)."""

    key: str  # the workbook sheet's name
    title: str
    shown: pd.DataFrame  # cells as text
    data: pd.DataFrame  # cells as numbers where they are numbers
    note: str = ""
    numeric: set[str] = field(default_factory=set)  # columns aligned right


# -- numbers and words ----------------------------------------------------------------------


def _fmt(x: object, unit: str = "", sign: bool = False) -> str:
    return number(x, unit, sign=sign, missing="–")


def _unit(name: str, lang: str, kind: str = "indicator") -> str:
    entry = CATALOGUE_BY_NAME.get(name) if kind == "indicator" else None
    english = entry.unit if entry is not None else (ITEMS_BY_NAME[name].unit if name in ITEMS_BY_NAME else "")
    if kind == "lever":
        english = LEVERS_BY_NAME[name].unit
    return (unit_zh(name, kind) or english) if lang == "zh" else english


def _fmt_unit(name: str) -> str:
    """The unit that picks a number's form (share, year, ...)."""
    return CATALOGUE_BY_NAME[name].unit if name in CATALOGUE_BY_NAME else ""


def _with_interval(mean: float, lo: float, hi: float, unit: str = "", sign: bool = False) -> str:
    if lo != lo or hi != hi or lo == hi:
        return _fmt(mean, unit, sign)
    return f"{_fmt(mean, unit, sign)}（{_fmt(lo, unit, sign)}～{_fmt(hi, unit, sign)}）"


def _name(s: Scenario) -> str:
    return s.name


def _end(results: list[RunResult], name: str) -> np.ndarray:
    return np.array([r.series(name)[-1] for r in results], dtype=float)


def _paired(pkg: list[RunResult], base: list[RunResult], name: str) -> np.ndarray:
    by_seed = {r.seed: r.series(name)[-1] for r in base}
    return np.array([r.series(name)[-1] - by_seed[r.seed] for r in pkg if r.seed in by_seed], dtype=float)


# -- tables ---------------------------------------------------------------------------------


def headline_table(data: ReportData, names: tuple[str, ...] = HEADLINE, key: str = "headline") -> Table:
    """Each indicator at the horizon: the baseline, and each package with its paired difference."""
    lang = data.lang
    present = [n for n in names if n in data.baseline_results[0].indicators]
    shown, raw = [], []
    for name in present:
        u = _fmt_unit(name)
        row = {word("indicator", lang): label(name, lang, "indicator"), word("unit", lang): _unit(name, lang)}
        raw_row = dict(row, indicator=name)
        m, lo, hi, _ = interval(_end(data.baseline_results, name))
        row[word("baseline", lang)] = _with_interval(m, lo, hi, u)
        raw_row |= {
            f"{data.baseline.name} mean": m,
            f"{data.baseline.name} lo90": lo,
            f"{data.baseline.name} hi90": hi,
        }
        for p in data.packages:
            m, lo, hi, _ = interval(_end(p.results, name))
            d, dlo, dhi, _ = interval(_paired(p.results, data.baseline_results, name))
            row[p.scenario.name] = _with_interval(m, lo, hi, u)
            row[f"{p.scenario.name} {word('vs_baseline', lang)}"] = _with_interval(d, dlo, dhi, u, sign=True)
            raw_row |= {f"{p.scenario.name} mean": m, f"{p.scenario.name} lo90": lo, f"{p.scenario.name} hi90": hi,
                        f"{p.scenario.name} diff": d, f"{p.scenario.name} diff lo90": dlo,
                        f"{p.scenario.name} diff hi90": dhi}  # fmt: skip
        shown.append(row)
        raw.append(raw_row)
    frame = pd.DataFrame(shown)
    end = data.baseline_results[0].months[-1]
    title = word("headline", lang, end=end) if key == "headline" else word("s_indicators", lang)
    return Table(key, title, frame, pd.DataFrame(raw), numeric=set(frame.columns[2:]))


def _needs_long(results: list[RunResult], norms: dict[str, float] | None) -> pd.DataFrame:
    return pd.concat([needs(r, norms) for r in results], ignore_index=True)


def resource_increments(data: ReportData, pkg: PackageRuns, base_long: pd.DataFrame) -> pd.DataFrame:
    """Per year and resource: the package's needs less the baseline's, paired by seed (mean, 90 % interval)."""
    long = _needs_long(pkg.results, data.norms)
    rows = []
    for key, items, whole, wan in RESOURCES:

        def total(frame: pd.DataFrame, items: tuple[str, ...] = items) -> pd.Series:
            part = frame[frame["item"].isin(items)]
            return part.groupby(["year", "seed"])["value"].sum(min_count=len(items))

        diff = (total(long) - total(base_long)).dropna()
        for year, values in diff.groupby(level="year"):
            v = values.to_numpy(dtype=float) / (WAN if wan else 1.0)
            mean, lo, hi, _ = interval(v)
            if whole:
                mean, lo, hi = (float(np.round(x)) for x in (mean, lo, hi))
            rows.append({"package": pkg.scenario.name, "resource": key, "year": int(year), "mean": mean,
                         "lo90": lo, "hi90": hi, "total": v.sum() / len(v) if wan else np.nan,
                         "values": v})  # fmt: skip
    return pd.DataFrame(rows)


def _resource_unit(key: str, lang: str) -> str:
    if key == "extra_budget":
        return word("wan_yuan", lang)
    unit = {"extra_seats": ("个学位", "seats"), "extra_classes": ("个班", "classes"),
            "extra_teachers": ("名教职工", "teachers"), "extra_units": ("套", "units"),
            "extra_training": ("个名额", "places")}[key]  # fmt: skip
    return unit[0 if lang == "zh" else 1]


def summary_resources_table(data: ReportData, increments: pd.DataFrame) -> Table:
    """Page 1: each package's extra budget and resources by year (means)."""
    lang = data.lang
    years = sorted(increments["year"].unique())
    shown, raw = [], []
    for p in data.packages:
        part = increments[increments["package"] == p.scenario.name]
        for key in SUMMARY_RESOURCES:
            rows = part[part["resource"] == key].set_index("year")
            head = {word("package", lang): p.scenario.name, word("item", lang): word(key, lang),
                    word("unit", lang): _resource_unit(key, lang)}  # fmt: skip
            shown.append(head | {str(y): _fmt(rows["mean"].get(y, np.nan)) for y in years})
            raw.append(head | {str(y): rows["mean"].get(y, np.nan) for y in years})
    frame = pd.DataFrame(shown)
    return Table("extra_resources", word("extra", lang), frame, pd.DataFrame(raw), word("extra_note", lang),
                 numeric={str(y) for y in years})  # fmt: skip


def needs_increment_table(data: ReportData, increments: pd.DataFrame, pkg: PackageRuns) -> Table:
    """Section 4: one package's increments by year with 90 % intervals, one row a resource."""
    lang = data.lang
    part = increments[increments["package"] == pkg.scenario.name]
    years = sorted(part["year"].unique())
    shown, raw = [], []
    for key, *_ in RESOURCES:
        rows = part[part["resource"] == key].set_index("year")
        head = {word("item", lang): word(key, lang), word("unit", lang): _resource_unit(key, lang)}
        shown.append(head | {str(y): _with_interval(rows.at[y, "mean"], rows.at[y, "lo90"], rows.at[y, "hi90"],
                                                    sign=True) if y in rows.index else "–" for y in years})  # fmt: skip
        for y in years:
            if y in rows.index:
                raw.append(head | {"year": y, "mean": rows.at[y, "mean"], "lo90": rows.at[y, "lo90"],
                                   "hi90": rows.at[y, "hi90"]})  # fmt: skip
    frame = pd.DataFrame(shown)
    return Table(f"needs_{pkg.scenario.name}"[:31], f"{pkg.scenario.name}", frame, pd.DataFrame(raw),
                 numeric={str(y) for y in years})  # fmt: skip


def needs_status_quo_table(data: ReportData, base_long: pd.DataFrame, scenario_name: str, key: str,
                           title: str, whole_only: bool = True) -> Table:  # fmt: skip
    """A scenario's own needs by year: the resources of ``RESOURCES`` (or every item), with intervals."""
    lang = data.lang
    years = sorted(base_long["year"].unique())
    shown, raw = [], []
    groups = (
        [(k, items, w, wan) for k, items, w, wan in RESOURCES]
        if whole_only
        else [(i, (i,), False, ITEMS_BY_NAME[i].unit == "yuan") for i in dict.fromkeys(base_long["item"])]
    )
    for k, items, whole, wan in groups:
        part = (
            base_long[base_long["item"].isin(items)]
            .groupby(["year", "seed"])["value"]
            .sum(min_count=len(items))
        )
        if whole_only:
            name = word(k, lang).replace("新增", "").replace("Extra ", "").strip()
            name = name[0].upper() + name[1:] if lang == "en" else name
            unit = _resource_unit(k, lang)
        else:
            name, unit = label(k, lang, "item"), (word("wan_yuan", lang) if wan else _unit(k, lang, "item"))
        head = {word("item", lang): name, word("unit", lang): unit}
        cells, nums = {}, {}
        for y in years:
            if y not in part.index.get_level_values("year"):
                cells[str(y)] = "–"
                continue
            v = part.loc[y].dropna().to_numpy(dtype=float) / (WAN if wan else 1.0)
            mean, lo, hi, _ = interval(v) if len(v) else (np.nan, np.nan, np.nan, 0)
            if whole or (ITEMS_BY_NAME.get(k) and ITEMS_BY_NAME[k].unit in ("classes", "seats", "units")):
                mean, lo, hi = (float(np.round(x)) if x == x else x for x in (mean, lo, hi))
            cells[str(y)] = _with_interval(mean, lo, hi)
            nums[str(y)] = mean
        shown.append(head | cells)
        raw.append(head | nums)
    frame = pd.DataFrame(shown)
    return Table(key, title, frame, pd.DataFrame(raw), numeric={str(y) for y in years})


def baseline_table(data: ReportData) -> Table:
    """The county's numbers (底數): profile and first-month indicators (mean over replications)."""
    lang = data.lang
    c = data.baseline.county
    first = data.baseline_results[0].months[0]
    prof, model = word("from_profile", lang), word("from_model", lang, first=first)
    rows = [
        (word("county_name", lang), c.name, "", prof),
        (word("province", lang), c.province, "", prof),
        (word("hukou_population", lang), c.hukou_population, "人" if lang == "zh" else "persons", prof),
        (word("migrant_households", lang), c.households.n, "户" if lang == "zh" else "households", prof),
        (word("key_assisted", lang), word("yes" if c.key_assisted else "no", lang), "", prof),
    ]
    for name in BASELINE_FACTS:
        if name in data.baseline_results[0].indicators:
            value = float(np.mean([r.series(name)[0] for r in data.baseline_results]))
            rows.append((label(name, lang, "indicator"), value, _unit(name, lang), model, _fmt_unit(name)))
    cols = [word("item", lang), word("value_col", lang), word("unit", lang), word("from", lang)]
    shown = pd.DataFrame(
        [(r[0], _fmt(r[1], r[4] if len(r) > 4 else ""), r[2], r[3]) for r in rows], columns=cols
    )
    raw = pd.DataFrame([r[:4] for r in rows], columns=cols)
    note = word("s_baseline_note", lang, first=first, reps=len(data.baseline_results))
    return Table("baseline", word("s_baseline", lang), shown, raw, note, numeric={cols[1]})


def _setting(scenario: Scenario, name: str) -> tuple[float, str, int]:
    lever = LEVERS_BY_NAME[name]
    s = scenario.levers.get(name)
    if s is None:
        return lever.status_quo, "", 0
    return s.value, s.start or "", s.ramp_months


def package_table(data: ReportData, pkg: PackageRuns) -> Table:
    """The levers a package sets differently from the baseline, with their schedule."""
    lang = data.lang
    rows = []
    for name in sorted(set(pkg.scenario.levers) | set(data.baseline.levers),
                       key=lambda n: (LEVERS_BY_NAME[n].clause, n)):  # fmt: skip
        value, start, ramp = _setting(pkg.scenario, name)
        before, _, _ = _setting(data.baseline, name)
        if (value, start, ramp) == _setting(data.baseline, name):
            continue
        lever = LEVERS_BY_NAME[name]
        rows.append((lever.clause, label(name, lang, "lever"), _unit(name, lang, "lever"), before, value,
                     start or pkg.scenario.horizon.start, ramp))  # fmt: skip
    cols = [word(k, lang) for k in ("clause", "lever", "unit", "before", "value", "start", "ramp")]
    raw = pd.DataFrame(rows, columns=cols)
    shown = raw.copy()
    for c in (cols[3], cols[4]):
        shown[c] = [_fmt(v) for v in raw[c]]
    shown[cols[6]] = [str(int(v)) for v in raw[cols[6]]]
    return Table(f"package_{pkg.scenario.name}"[:31], pkg.scenario.name, shown, raw,
                 numeric={cols[3], cols[4], cols[6]})  # fmt: skip


def _verdict_cell(row: pd.Series, lang: str, prefix: str = "") -> str:
    v = row[f"{prefix}verdict"]
    if v == "not applicable":
        return word("not applicable", lang)
    return f"{row[f'{prefix}probability']:.2f} · {word(v, lang)}"


def _target_text(row: pd.Series, lang: str) -> str:
    op = {"<=": "≤", ">=": "≥", "==": "="}[row["op"]]
    name = label(row["indicator"], lang, "indicator")
    unit = _fmt_unit(row["indicator"])
    per = row.get("kind", "absolute")
    if per in ("per_worker", "per_child", "per_household", "per_person"):
        if row["verdict"] == "not applicable" or row["threshold"] != row["threshold"]:
            return f"{name} {op} {_fmt(row['value'])} {word(per, lang)}"
        extra = word("threshold_per", lang, per=word(per, lang), value=_fmt(row["value"]))
        return f"{name} {op} {_fmt(row['threshold'], unit)}{extra}"
    return f"{name} {op} {_fmt(row['value'], unit)}"


def assessment_table(data: ReportData) -> Table | None:
    """One readable row per target: the target, and each scenario's mean, probability and verdict."""
    if data.baseline_assessment is None:
        return None
    lang = data.lang
    base = data.baseline_assessment.set_index("id")
    pkgs = [
        (p.scenario.name, p.assessment.set_index("id")) for p in data.packages if p.assessment is not None
    ]
    shown, raw = [], []
    for tid, row in base.iterrows():
        unit = _fmt_unit(row["indicator"])
        head = {word("clause", lang): row["clause"], word("target", lang): _target_text(row, lang),
                word("at", lang): row["at"]}  # fmt: skip
        s, r = dict(head), dict(head) | {"id": tid}
        for name, frame in [(data.baseline.name, base), *pkgs]:
            x = frame.loc[tid]
            if x["verdict"] == "not applicable":
                s[name] = word("not_applicable_note" if x["applies_to"] == "key_assisted" else
                               "not_applicable_note_other", lang)  # fmt: skip
            else:
                s[name] = f"{_with_interval(x['mean'], x['lo90'], x['hi90'], unit)}　{_verdict_cell(x, lang)}"
            r |= {f"{name} mean": x["mean"], f"{name} lo90": x["lo90"], f"{name} hi90": x["hi90"],
                  f"{name} probability": x["probability"], f"{name} verdict": x["verdict"]}  # fmt: skip
        shown.append(s)
        raw.append(r)
    note = word("s_assessment_note", lang, end="", file=data.targets_file)
    return Table("assessment", word("s_assessment", lang), pd.DataFrame(shown), pd.DataFrame(raw), note)


def changed_parameters(data: ReportData) -> Table:
    """County and behaviour parameters of the baseline that differ from the schema's defaults."""
    lang = data.lang
    dumped = data.baseline.model_dump(mode="json", by_alias=True)
    rows = []
    for row in parameter_table():
        value = dumped
        for part in row["key"].split("."):
            value = value[part] if isinstance(value, dict) and part in value else None
        if value is None:
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        try:
            default = json.loads(row["default"])
        except ValueError:
            default = row["default"]
        if value != default and shown != row["default"] and not row["key"].startswith(("horizon.", "seed")):
            rows.append((row["key"], str(shown), row["default"], row["unit"], row["source"]))
    cols = [word(k, lang) for k in ("key", "value_col", "default", "unit", "source")]
    frame = pd.DataFrame(rows, columns=cols)
    return Table("assumptions", word("s_assumptions", lang), frame, frame, word("s_assumptions_note", lang))


def all_indicators_table(data: ReportData) -> Table:
    """Appendix: every indicator at the horizon, each scenario's mean."""
    lang = data.lang
    groups = [(data.baseline.name, data.baseline_results)] + [
        (p.scenario.name, p.results) for p in data.packages
    ]
    shown, raw = [], []
    for ind in CATALOGUE:
        if ind.name not in data.baseline_results[0].indicators:
            continue
        head = {word("indicator", lang): label(ind.name, lang, "indicator"), word("code", lang): ind.name,
                word("unit", lang): _unit(ind.name, lang)}  # fmt: skip
        means = {n: float(np.nanmean(_end(rs, ind.name))) for n, rs in groups}
        shown.append(head | {n: _fmt(v, ind.unit) for n, v in means.items()})
        raw.append(head | means)
    frame = pd.DataFrame(shown)
    return Table("all_indicators", word("a_indicators", lang), frame, pd.DataFrame(raw),
                 numeric={n for n, _ in groups})  # fmt: skip


def parameters_table(lang: str) -> Table:
    """Appendix: every parameter with default, unit, range and source."""
    frame = pd.DataFrame(parameter_table())
    frame = frame.rename(columns={"key": word("key", lang), "default": word("default", lang), "unit": word("unit", lang),
                                  "source": word("source", lang)})  # fmt: skip
    return Table("parameters", word("a_params", lang), frame, frame)


# -- figures ----------------------------------------------------------------------------------

COLOURS = ("#7a7a7a", "#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")


def _png(fig) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # a missing glyph (an empty box in the figure) is a bug here, not a warning
        warnings.filterwarnings("error", message=r".*missing from font", category=UserWarning)
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def key_figure(data: ReportData) -> bytes:
    """The headline indicators over months: mean and 5-95 % band, baseline and packages."""
    from matplotlib.figure import Figure

    from countysim.report.fonts import use_cjk_font

    use_cjk_font()
    lang = data.lang
    names = [n for n in HEADLINE if n in data.baseline_results[0].indicators]
    cols = 4
    rows = int(np.ceil(len(names) / cols))
    fig = Figure(figsize=(12, 2.55 * rows + 0.5))
    axes = fig.subplots(rows, cols, squeeze=False)
    months = data.baseline_results[0].months
    x = np.arange(len(months))
    ticks = [i for i, m in enumerate(months) if m.endswith("-01")]
    groups = [(data.baseline.name, data.baseline_results)] + [
        (p.scenario.name, p.results) for p in data.packages
    ]
    for ax, name in zip(axes.flat, names, strict=False):
        for (g, results), colour in zip(groups, COLOURS, strict=False):
            mean, lo, hi, _ = interval(np.vstack([r.series(name) for r in results]), axis=0)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.18, lw=0)
            ax.plot(x, mean, color=colour, lw=1.6, label=g)
        ax.set_title(f"{label(name, lang, 'indicator')}（{_unit(name, lang)}）" if lang == "zh"
                     else f"{label(name, lang, 'indicator')} ({_unit(name, lang)})", fontsize=9)  # fmt: skip
        ax.set_xticks(ticks, [months[i][:4] for i in ticks], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    handles, labels_ = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels_, loc="lower center", ncol=len(groups), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(fig)


def needs_figure(data: ReportData, increments: pd.DataFrame | None, base_long: pd.DataFrame) -> bytes:
    """Bars by year: the extra seats, units, training places and budget of each package (or the status quo's needs)."""
    from matplotlib.figure import Figure

    from countysim.report.fonts import use_cjk_font

    use_cjk_font()
    lang = data.lang
    keys = ("extra_seats", "extra_teachers", "extra_units", "extra_training", "extra_budget")
    fig = Figure(figsize=(12, 2.9))
    axes = fig.subplots(1, len(keys), squeeze=False)[0]
    for ax, key in zip(axes, keys, strict=True):
        if increments is not None and data.packages:
            width = 0.8 / len(data.packages)
            for k, (p, colour) in enumerate(zip(data.packages, COLOURS[1:], strict=False)):
                rows = increments[
                    (increments["package"] == p.scenario.name) & (increments["resource"] == key)
                ]
                xs = rows["year"].to_numpy() + (k - (len(data.packages) - 1) / 2) * width
                mean = rows["mean"].to_numpy(dtype=float)
                err = [mean - rows["lo90"].to_numpy(dtype=float), rows["hi90"].to_numpy(dtype=float) - mean]
                ax.bar(xs, mean, width=width, color=colour, yerr=err, capsize=2, label=p.scenario.name,
                       error_kw={"lw": 0.8})  # fmt: skip
            title = (
                f"{word(key, lang)}\n（{_resource_unit(key, lang)}）"
                if lang == "zh"
                else f"{word(key, lang)} ({_resource_unit(key, lang)})"
            )
        else:
            items = next(items for k, items, *_ in RESOURCES if k == key)
            wan = key == "extra_budget"
            part = base_long[base_long["item"].isin(items)].groupby(["year", "seed"])["value"].sum()
            stats = part.groupby(level="year").mean() / (WAN if wan else 1.0)
            ax.bar(stats.index.to_numpy(), stats.to_numpy(dtype=float), color=COLOURS[0])
            name = word(key, lang).replace("新增", "").replace("Extra ", "")
            title = (
                f"{name}\n（{_resource_unit(key, lang)}）"
                if lang == "zh"
                else f"{name} ({_resource_unit(key, lang)})"
            )
        ax.set_title(title, fontsize=9)
        ax.axhline(0, color="#333", lw=0.6)
        ax.tick_params(labelsize=7)
        ax.set_xticks(sorted(base_long["year"].unique()))
        ax.set_xticklabels([str(y) for y in sorted(base_long["year"].unique())], rotation=0)
        ax.grid(alpha=0.3, axis="y")
    if data.packages:
        handles, labels_ = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels_, loc="lower center", ncol=len(data.packages), fontsize=9, frameon=False)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
    else:
        fig.tight_layout()
    return _png(fig)


# -- rendering --------------------------------------------------------------------------------


def _html_table(t: Table, css: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in t.shown.columns)
    body = []
    for _, row in t.shown.iterrows():
        cells = []
        for c, v in row.items():
            text = html.escape(str(v))
            cls = ["num"] if c in t.numeric and _NUMERIC.match(str(v)) else []
            for verdict, k in VERDICT_CLASS.items():
                if (
                    str(v).endswith(word(verdict, "zh"))
                    or str(v).endswith(word(verdict, "en"))
                    or (
                        verdict == "not applicable"
                        and ("不适用" in str(v) or str(v).startswith("not applicable"))
                    )
                ):
                    cls.append(k)
                    break
            if len(str(v)) <= 6:
                cls.append("short")  # a unit or a code: never broken between its characters
            if m := _WITH_INTERVAL.match(str(v)):  # a narrow column breaks before the interval, not inside it
                text = "".join(f'<span class="nb">{html.escape(g)}</span>' for g in m.groups() if g)
            attr = f' class="{" ".join(cls)}"' if cls else ""
            cells.append(f"<td{attr}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


#: a number and its interval, and what follows (a verdict)
_WITH_INTERVAL = re.compile(r"^([+\-−]?[\d,.]+)(（[^）]*）)(.*)$")
#: a cell that reads as a number, or a number with its interval (right-aligned)
_NUMERIC = re.compile(r"^[+\-−]?[\d,.]+(（.*）)?$|^–$")


def _md_cell(v: object) -> str:
    return " ".join(str(v).split()).replace("|", "\\|")


def _md_table(t: Table) -> str:
    cols = [_md_cell(c) for c in t.shown.columns]
    lines = [
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---:" if c in t.numeric else "---" for c in t.shown.columns) + "|",
    ]
    for _, row in t.shown.iterrows():
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def versions() -> dict[str, str]:
    """Versions of the package and what it runs on."""
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("countysim", "numpy", "mesa", "pandas", "matplotlib"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = "unknown"
    return out


@dataclass
class Document:
    """A rendered report: its parts in order, the tables for the workbook, the figures."""

    title: str
    meta: str
    blocks: list[
        tuple[str, object]
    ]  # ("h2"|"h3"|"p"|"note"|"ul"|"table"|"figure"|"pre"|"open"|"close", content)
    tables: list[Table]
    figures: dict[str, tuple[bytes, str]]
    lang: str


def build(data: ReportData) -> Document:
    """Compute every table and figure of the report."""
    lang = check_lang(data.lang)
    if not data.baseline_results or any(not p.results for p in data.packages):
        raise ValueError("a report needs at least one finished run of every scenario")
    base_runs = data.baseline_results
    months = base_runs[0].months
    end = months[-1]
    reps = len(base_runs)
    seeds = sorted({r.seed for r in base_runs})
    county = data.baseline.county.name
    spaced = f"{county} " if lang == "zh" and county[-1:].isascii() else county  # "county 农民工…"
    title = data.title or word("title" if data.packages else "title_one", lang, county=spaced)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = word("meta", lang, n=1 + len(data.packages), reps=reps, seeds=f"{seeds[0]}–{seeds[-1]}",
                start=months[0], end=end, stamp=stamp)  # fmt: skip
    base_long = _needs_long(base_runs, data.norms)
    increments = (
        pd.concat([resource_increments(data, p, base_long) for p in data.packages], ignore_index=True)
        if data.packages else None
    )  # fmt: skip
    blocks: list[tuple[str, object]] = []
    tables: list[Table] = []
    figures: dict[str, tuple[bytes, str]] = {}

    def table(t: Table, heading: str | None = None) -> None:
        if heading:
            blocks.append(("h3", heading))
        if t.note:
            blocks.append(("note", t.note))
        if not t.shown.empty:  # an empty table is a sentence instead (below), and an empty sheet
            blocks.append(("table", t))
        tables.append(t)

    # -- summary (page 1)
    blocks.append(("open", "summary"))
    blocks.append(("h2", word("summary", lang)))
    sep = "、" if lang == "zh" else ", "
    names = sep.join(p.scenario.name for p in data.packages)
    blocks.append(("p", word("summary_intro", lang, packages=names, baseline=data.baseline.name, end=end, reps=reps)
                   if data.packages else word("summary_intro_one", lang, baseline=data.baseline.name, end=end, reps=reps)))  # fmt: skip
    head = headline_table(data)
    blocks.append(("h3", head.title))
    blocks.append(("table", head))
    tables.append(head)
    if increments is not None:
        res = summary_resources_table(data, increments)
        blocks.append(("h3", res.title))
        blocks.append(("note", res.note))
        blocks.append(("table", res))
        tables.append(res)
        years = sorted(increments["year"].unique())
        lines = []
        for p in data.packages:
            part = increments[
                (increments["package"] == p.scenario.name) & (increments["resource"] == "extra_budget")
            ]
            per_seed = np.sum(np.vstack(part["values"].to_list()), axis=0)
            total, lo, hi, _ = interval(per_seed)
            lines.append(word("budget_total", lang, package=p.scenario.name, years=f"{years[0]}—{years[-1]}",
                              total=_fmt(total), lo=_fmt(lo), hi=_fmt(hi)))  # fmt: skip
        blocks.append(("ul", lines))
    assess = assessment_table(data)
    if assess is not None:
        blocks.append(("h3", word("targets_summary", lang)))
        lines = []
        for name, frame in [(data.baseline.name, data.baseline_assessment)] + [
            (p.scenario.name, p.assessment) for p in data.packages if p.assessment is not None
        ]:
            counts = frame["verdict"].value_counts()
            parts = [f"{word(v, lang)} {counts.get(v, 0)}" for v in ("met", "likely", "unlikely", "missed", "not applicable")
                     if counts.get(v, 0)]  # fmt: skip
            bad = frame[frame["verdict"].isin(["missed", "unlikely"])]
            text = word("targets_line", lang, scenario=name, counts=sep.join(parts))
            if len(bad):
                names_bad = sep.join(f"{label(r.indicator, lang, 'indicator')}（{r.probability:.2f}）" if lang == "zh"
                                     else f"{label(r.indicator, lang, 'indicator')} ({r.probability:.2f})"
                                     for r in bad.itertuples())  # fmt: skip
                text += " " + word("targets_missed", lang, names=names_bad)
            lines.append(text)
        blocks.append(("ul", lines))
    blocks.append(("h3", word("caveats", lang)))
    caveats = [
        word("caveat_population", lang),
        word("caveat_uncertainty_posterior", lang, reps=reps, name=data.posterior)
        if data.posterior
        else word("caveat_uncertainty", lang, reps=reps),
        word("caveat_costs", lang),
    ]
    if assess is not None:
        caveats.append(word("caveat_targets", lang))
    blocks.append(("ul", caveats))
    blocks.append(("close", "summary"))

    # -- 1. baseline
    blocks.append(("h2", word("s_baseline", lang)))
    table(baseline_table(data))
    # -- 2. package
    if data.packages:
        blocks.append(("h2", word("s_package", lang)))
        blocks.append(("note", word("s_package_note", lang)))
        for p in data.packages:
            t = package_table(data, p)
            if t.shown.empty:
                blocks += [("h3", p.scenario.name), ("p", word("no_levers", lang))]
            else:
                table(t, p.scenario.name)
    # -- 3. key indicators
    blocks.append(("h2", word("s_indicators", lang)))
    blocks.append(("note", word("s_indicators_note", lang, end=end)))
    figures["key_indicators"] = (key_figure(data), word("figure_indicators", lang))
    blocks.append(("figure", "key_indicators"))
    table(headline_table(data, KEY_INDICATORS, "indicators"))
    # -- 4. needs
    if data.packages:
        blocks.append(("h2", word("s_needs", lang)))
        blocks.append(("note", word("s_needs_note", lang)))
        figures["resource_needs"] = (needs_figure(data, increments, base_long), word("figure_needs", lang))
        blocks.append(("figure", "resource_needs"))
        for p in data.packages:
            table(needs_increment_table(data, increments, p), p.scenario.name)
    else:
        blocks.append(("h2", word("s_needs_one", lang)))
        blocks.append(("note", word("s_needs_one_note", lang)))
        figures["resource_needs"] = (needs_figure(data, None, base_long), word("figure_needs_one", lang))
        blocks.append(("figure", "resource_needs"))
        table(needs_status_quo_table(data, base_long, data.baseline.name, "needs", data.baseline.name))
    # -- 5. assessment
    blocks.append(("h2", word("s_assessment", lang)))
    if assess is None:
        blocks.append(("p", word("no_targets", lang)))
    else:
        table(assess)
    # -- 6. assumptions
    blocks.append(("h2", word("s_assumptions", lang)))
    changed = changed_parameters(data)
    table(changed)
    if changed.shown.empty:
        blocks.append(("p", word("no_changes", lang)))
    # -- appendix
    blocks.append(("open", "appendix"))
    blocks.append(("h2", word("appendix", lang)))
    table(all_indicators_table(data), word("a_indicators", lang))
    for name, runs in [(data.baseline.name, base_runs)] + [
        (p.scenario.name, p.results) for p in data.packages
    ]:
        long = base_long if runs is base_runs else _needs_long(runs, data.norms)
        t = needs_status_quo_table(data, long, name, f"needs_full_{name}"[:31], word("a_needs", lang, scenario=name),
                                   whole_only=False)  # fmt: skip
        table(t, t.title)
    params = parameters_table(lang)
    blocks.append(("h3", params.title))
    blocks.append(("details", params))
    tables.append(params)
    blocks.append(("h3", word("reproduce", lang)))
    scen = [(data.baseline, "baseline")] + [(p.scenario, "package") for p in data.packages]
    reproduce = (
        f"command: {data.command or '(from Python)'}\n"
        + "".join(f"{kind}: {s.name} (hash {s.content_hash()})\n" for s, kind in scen)
        + f"seeds: {seeds[0]}-{seeds[-1]} ({reps} replications, the same for every scenario)\n"
        + "versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()) + f"\nwritten: {stamp}"
    )  # fmt: skip
    blocks.append(("pre", reproduce))
    blocks.append(("close", "appendix"))
    return Document(title, meta, blocks, tables, figures, lang)


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (figures embedded)."""
    lang_attr = "zh-CN" if doc.lang == "zh" else "en"
    parts = [f'<!DOCTYPE html><html lang="{lang_attr}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{html.escape(doc.title)}</title><style>{CSS}</style></head><body>",
             f"<header><h1>{html.escape(doc.title)}</h1><p class='meta'>{html.escape(doc.meta)}</p></header>"]  # fmt: skip
    for kind, content in doc.blocks:
        if kind == "open":
            parts.append(f'<section class="{content}" id="{content}">')
        elif kind == "close":
            parts.append("</section>")
        elif kind in ("h2", "h3"):
            parts.append(f"<{kind}>{html.escape(str(content))}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(str(content))}</p>")
        elif kind == "note":
            parts.append(f"<p class='note'>{html.escape(str(content))}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in content) + "</ul>")
        elif kind == "table":
            parts.append(_html_table(content))
        elif kind == "details":
            parts.append(
                f"<details><summary>{html.escape(content.title)}</summary>{_html_table(content)}</details>"
            )
        elif kind == "figure":
            png, caption = doc.figures[content]
            b64 = base64.b64encode(png).decode()
            parts.append(f"<figure><img alt='{html.escape(caption)}' src='data:image/png;base64,{b64}'>"
                         f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip
        elif kind == "pre":
            parts.append(f"<pre>{html.escape(str(content))}</pre>")
    parts.append("</body></html>")
    return "".join(parts)


def to_markdown(doc: Document, stem: str) -> str:
    """The document as Markdown, figures as files beside it (``<stem>_<figure>.png``)."""
    md = [f"# {doc.title}", "", doc.meta, ""]
    for kind, content in doc.blocks:
        if kind in ("open", "close"):
            continue
        if kind == "h2":
            md += [f"## {content}", ""]
        elif kind == "h3":
            md += [f"### {content}", ""]
        elif kind in ("p", "note"):
            md += [" ".join(str(content).split()), ""]
        elif kind == "ul":
            md += [f"- {' '.join(x.split())}" for x in content] + [""]
        elif kind in ("table", "details"):
            md += [_md_table(content), ""]
        elif kind == "figure":
            md += [f"![{doc.figures[content][1]}]({stem}_{content}.png)", ""]
        elif kind == "pre":
            md += ["```", str(content), "```", ""]
    return "\n".join(md)


def sheet_name(key: str, taken: set[str]) -> str:
    r"""A workbook sheet name: at most 31 characters, none of ``[]:*?/\``, unique."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in key)[:31] or "sheet"
    name, k = clean, 2
    while name.lower() in taken:
        suffix = f"_{k}"
        name, k = clean[: 31 - len(suffix)] + suffix, k + 1
    taken.add(name.lower())
    return name


def to_excel(doc: Document, path: Path) -> Path:
    """Every table of the document as one sheet of an Excel workbook (numbers as numbers)."""
    from openpyxl.utils import get_column_letter

    taken: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for t in doc.tables:
            name = sheet_name(t.key, taken)
            frame = t.data.drop(columns=[c for c in t.data.columns if c == "values"], errors="ignore")
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for k, col in enumerate(frame.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                sheet.column_dimensions[get_column_letter(k)].width = min(60, max(8, width + 2))
            sheet.freeze_panes = "A2"
    return path


def render(
    data: ReportData, out_dir: str | Path, stem: str = "report", excel: bool = True
) -> dict[str, Path]:
    """Write ``<stem>.html`` (self-contained), ``<stem>.md`` (figures beside it) and ``<stem>.xlsx``.

    Returns:
        The paths written, by kind: ``html``, ``md``, ``xlsx`` and one ``figure:<name>`` each.
    """
    doc = build(data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, (png, _) in doc.figures.items():
        paths[f"figure:{name}"] = out / f"{stem}_{name}.png"
        paths[f"figure:{name}"].write_bytes(png)
    paths["html"] = out / f"{stem}.html"
    paths["html"].write_text(to_html(doc), encoding="utf-8")
    paths["md"] = out / f"{stem}.md"
    paths["md"].write_text(to_markdown(doc, stem), encoding="utf-8")
    if excel:
        paths["xlsx"] = to_excel(doc, out / f"{stem}.xlsx")
    return paths
