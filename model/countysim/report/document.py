"""A report a county can hand in: self-contained HTML, and Markdown with its figures beside it.

Sections (clause W2's "know the numbers", W3's evaluation):

1. **County baseline (底數)** — the profile and the first month's indicators.
2. **Package and schedule** — every lever the scenario sets: clause, status quo, value, start, ramp.
3. **Key indicators** — series with 5-95 % bands across replications (and the baseline), and
   the horizon's values with 90 % intervals and the paired difference from the baseline.
4. **Resource needs** — by year, with 90 % intervals (when computed).
5. **Assessment against targets** — verdicts, probabilities, gaps (when a targets file is given).
6. **Assumptions and sources** — the scenario's parameters that differ from the defaults, and
   the full parameter table with units and sources.
7. **Reproduce** — the exact command, seeds, scenario hash and package versions.

Figures are matplotlib PNGs, embedded in the HTML as data URIs so the file stands alone.
"""

from __future__ import annotations

import base64
import html
import io
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from countysim.formatting import number
from countysim.indicators import CATALOGUE_BY_NAME
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.results import RunResult
from countysim.scenario import Scenario, parameter_table
from countysim.stats import interval

#: indicators of the key-indicator section, in panels of the figure
KEY_INDICATORS = (
    "employed_rate", "mean_monthly_income", "training_person_times", "contract_rate",
    "pension_coverage", "public_school_share", "left_behind_children", "settled_persons_cum",
    "hukou_urbanization_rate", "affordable_housing_households", "fiscal_cost_cum", "awareness_mean",
)  # fmt: skip
BASELINE_FACTS = (
    "persons", "households", "workers", "children", "employed_rate", "out_migrant_share",
    "mean_monthly_income", "contract_rate", "pension_coverage", "public_school_share",
    "left_behind_children", "hukou_urbanization_rate", "resident_urbanization_rate",
)  # fmt: skip

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #246;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#eef2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#06702f;font-weight:600}.missed{color:#a00;font-weight:600}.likely{color:#7a5b00}.unlikely{color:#b34700}
figure{margin:1em 0}figcaption{font-size:.85em;color:#555}code,pre{background:#f4f4f4;padding:.1em .3em}
.meta{color:#555;font-size:.9em}
"""


@dataclass
class ReportData:
    """Everything a report shows."""

    scenario: Scenario
    results: list[RunResult]
    baseline: Scenario | None = None
    baseline_results: list[RunResult] = field(default_factory=list)
    needs: pd.DataFrame | None = None
    assessment: pd.DataFrame | None = None
    command: str = ""
    title: str = ""


#: columns whose numbers are identifiers (a year prints as 2023, not 2,023)
PLAIN_COLUMNS = {"year": "year", "seed": "seed", "at": "month"}


def _fmt(x: object, unit: str = "") -> str:
    return number(x, unit, missing="–")


def _units(frame: pd.DataFrame) -> list[list[str]]:
    """Each cell's unit: identifier columns by name, numbers by their row's ``unit`` column."""
    row_units = frame["unit"].astype(str).tolist() if "unit" in frame.columns else [""] * len(frame)
    return [[PLAIN_COLUMNS.get(str(c), u) for c in frame.columns] for u in row_units]


def _stack(results: list[RunResult], name: str) -> np.ndarray:
    return np.vstack([r.series(name) for r in results])


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    mean, lo, hi, _ = interval(values)
    return mean, lo, hi


def _figure_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def key_figure(data: ReportData) -> bytes:
    """The key indicators over months: mean and 5-95 % band, scenario and baseline."""
    names = [n for n in KEY_INDICATORS if n in data.results[0].indicators]
    cols = 3
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.7 * rows), squeeze=False)
    x = np.arange(len(data.results[0].months))
    ticks = [i for i, m in enumerate(data.results[0].months) if m.endswith("-01")]
    series = [(data.scenario.name, data.results, "#1f5fa8")]
    if data.baseline_results:
        series.append((data.baseline.name if data.baseline else "baseline", data.baseline_results, "#888888"))
    for ax, name in zip(axes.flat, names, strict=False):
        for label, results, colour in series:
            mean, lo, hi, _ = interval(_stack(results, name), axis=0)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2)
            ax.plot(x, mean, color=colour, lw=1.6, label=label)
        ax.set_title(name, fontsize=9)
        ax.set_xticks(ticks, [data.results[0].months[i][:4] for i in ticks], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=7, frameon=False)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return _figure_png(fig)


def needs_figure(needs: pd.DataFrame) -> bytes | None:
    """Bar chart of the resource needs by year (first few items with 90 % intervals)."""
    if needs is None or needs.empty or not {"year", "item", "mean"} <= set(needs.columns):
        return None
    items = list(dict.fromkeys(needs["item"]))[:6]
    fig, axes = plt.subplots(1, len(items), figsize=(3.2 * len(items), 2.8), squeeze=False)
    for ax, item in zip(axes.flat, items, strict=False):
        rows = needs[needs["item"] == item]
        mean = rows["mean"].to_numpy(dtype=float)
        lo = rows["lo90"].to_numpy(dtype=float) if "lo90" in rows else mean
        hi = rows["hi90"].to_numpy(dtype=float) if "hi90" in rows else mean
        ax.bar(
            rows["year"].astype(str), mean, yerr=[mean - lo, hi - mean], color="#1f5fa8", alpha=0.8, capsize=2
        )
        ax.set_title(item, fontsize=8)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return _figure_png(fig)


def _table_html(frame: pd.DataFrame, css_class: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row, units in zip(frame.itertuples(index=False), _units(frame), strict=True):
        cells = []
        for v, unit in zip(row, units, strict=True):
            if isinstance(v, int | float | np.floating | np.integer) and not isinstance(v, bool):
                cells.append(f'<td class="num">{html.escape(_fmt(v, unit))}</td>')
            else:
                text = html.escape(str(v))
                cls = f' class="{text}"' if text in ("met", "likely", "unlikely", "missed") else ""
                cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _table_md(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    for row, units in zip(frame.itertuples(index=False), _units(frame), strict=True):
        cells = [
            _fmt(v, unit)
            if isinstance(v, int | float | np.floating | np.integer) and not isinstance(v, bool)
            else str(v)
            for v, unit in zip(row, units, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def baseline_table(data: ReportData) -> pd.DataFrame:
    """The county's numbers (底數): profile and first-month indicators (mean over replications)."""
    c = data.scenario.county
    rows = [
        ("county", c.name, "", "profile"),
        ("hukou population", c.hukou_population, "persons", "profile"),
        ("migrant-worker households", c.households.n, "households", "profile"),
        ("key assisted county", "yes" if c.key_assisted else "no", "", "profile"),
    ]
    first = data.results[0].months[0]
    for name in BASELINE_FACTS:
        if name in data.results[0].indicators:
            unit = CATALOGUE_BY_NAME[name].unit
            rows.append(
                (name, float(np.mean([r.series(name)[0] for r in data.results])), unit, f"model, {first}")
            )
    return pd.DataFrame(rows, columns=["item", "value", "unit", "from"])


def package_table(scenario: Scenario) -> pd.DataFrame:
    """The levers the scenario sets, with their schedule."""
    rows = []
    for name, setting in sorted(
        scenario.levers.items(), key=lambda kv: (LEVERS_BY_NAME[kv[0]].clause, kv[0])
    ):
        lever = LEVERS_BY_NAME[name]
        start = setting.start or scenario.horizon.start
        before = lever.status_quo if setting.from_value is None else setting.from_value
        rows.append((lever.clause, name, lever.unit, before, setting.value, start, setting.ramp_months))
    return pd.DataFrame(rows, columns=["clause", "lever", "unit", "before", "value", "start", "ramp months"])


def horizon_table(data: ReportData) -> pd.DataFrame:
    """Each key indicator at the horizon: mean and 90 % interval, baseline, paired difference."""
    rows = []
    for name in KEY_INDICATORS:
        if name not in data.results[0].indicators:
            continue
        mean, lo, hi = _interval(np.array([r.series(name)[-1] for r in data.results]))
        row = {"indicator": name, "unit": CATALOGUE_BY_NAME[name].unit, "mean": mean, "lo90": lo, "hi90": hi}
        if data.baseline_results:
            base = {r.seed: r.series(name)[-1] for r in data.baseline_results}
            row["baseline"] = float(np.mean(list(base.values())))
            diffs = np.array([r.series(name)[-1] - base[r.seed] for r in data.results if r.seed in base])
            if len(diffs):
                row["difference"], row["diff lo90"], row["diff hi90"] = _interval(diffs)
        rows.append(row)
    return pd.DataFrame(rows)


def changed_parameters(scenario: Scenario) -> pd.DataFrame:
    """Profile and behaviour parameters that differ from the schema's defaults."""
    defaults = {r["key"]: r for r in parameter_table()}
    data = scenario.model_dump(mode="json", by_alias=True)
    rows = []
    for key, row in defaults.items():
        value = data
        for part in key.split("."):
            value = value[part]
        shown = value if isinstance(value, str) else repr(value)
        if str(shown) != row["default"] and value != _parse(row["default"]):
            rows.append((key, str(value), row["default"], row["unit"], row["source"]))
    return pd.DataFrame(rows, columns=["key", "value", "default", "unit", "source or assumption"])


def _parse(text: str):
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def versions() -> dict[str, str]:
    """Versions of the package and what it runs on."""
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("countysim", "numpy", "mesa", "pandas", "scipy", "matplotlib"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = "unknown"
    return out


def render(data: ReportData, out_dir: str | Path, stem: str = "report") -> tuple[Path, Path]:
    """Write ``<stem>.html`` (self-contained) and ``<stem>.md`` (figures beside it)."""
    if not data.results:
        raise ValueError("a report needs at least one finished run")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    title = data.title or f"countysim report — {data.scenario.name}"
    seeds = sorted({r.seed for r in data.results})
    figures = {"key_indicators": key_figure(data)}
    if (fig := needs_figure(data.needs)) is not None:
        figures["resource_needs"] = fig
    for name, png in figures.items():
        (out / f"{stem}_{name}.png").write_bytes(png)
    sections: list[tuple[str, pd.DataFrame | None, str | None, str]] = [
        ("1. County baseline (底數)", baseline_table(data), None, "The county's profile and its first month as simulated."),
        ("2. Package and schedule", package_table(data.scenario), None,
         "Levers the scenario sets (all others stay at their status quo; see docs/levers.md)."),
        ("3. Key indicators", horizon_table(data), "key_indicators",
         f"At {data.results[0].months[-1]}: mean and 90 % interval over {len(data.results)} replications"
         + (f"; the difference is paired with the baseline ({data.baseline.name}) on the same seeds."
            if data.baseline_results and data.baseline else ".")),
    ]  # fmt: skip
    if data.needs is not None:
        sections.append(("4. Resource needs", data.needs, figures.get("resource_needs") and "resource_needs",
                         "By year: mean and 90 % interval over replications."))  # fmt: skip
    if data.assessment is not None:
        sections.append(("5. Assessment against targets", data.assessment, None,
                         "Verdicts: met (probability ≥ 0.9), likely (≥ 0.5), unlikely (> 0.1), missed."))  # fmt: skip
    sections.append(("6. Assumptions and sources", changed_parameters(data.scenario), None,
                     "Parameters this scenario changes from the defaults. Every default, with unit and source: "
                     "docs/parameters.md (also below)."))  # fmt: skip

    meta = versions()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    reproduce = (
        f"command: {data.command or '(from Python)'}\nscenario: {data.scenario.name} "
        f"(hash {data.scenario.content_hash()}), seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} replications)\n"
        + (f"baseline: {data.baseline.name} (hash {data.baseline.content_hash()})\n" if data.baseline else "")
        + "versions: "
        + ", ".join(f"{k} {v}" for k, v in meta.items())
        + f"\nwritten: {stamp}"
    )

    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p class='meta'>{html.escape(data.scenario.description)}</p>"]  # fmt: skip
    md = [f"# {title}", "", data.scenario.description, ""]
    for heading, frame, fig, note in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2><p>{html.escape(note)}</p>")
        md += [f"## {heading}", "", note, ""]
        if fig:
            b64 = base64.b64encode(figures[fig]).decode()
            parts.append(f"<figure><img alt='{fig}' src='data:image/png;base64,{b64}' style='max-width:100%'>"
                         f"<figcaption>{html.escape(fig.replace('_', ' '))}</figcaption></figure>")  # fmt: skip
            md += [f"![{fig}]({stem}_{fig}.png)", ""]
        if frame is not None and not frame.empty:
            parts.append(_table_html(frame))
            md += [_table_md(frame), ""]
        elif frame is not None:
            parts.append("<p><em>none</em></p>")
            md += ["*none*", ""]
    params = pd.DataFrame(parameter_table())
    parts.append(
        "<details><summary>Every parameter with unit and source</summary>"
        + _table_html(params)
        + "</details>"
    )
    parts.append(f"<h2>7. Reproduce</h2><pre>{html.escape(reproduce)}</pre></body></html>")
    md += ["## 7. Reproduce", "", "```", reproduce, "```", ""]
    html_path, md_path = out / f"{stem}.html", out / f"{stem}.md"
    html_path.write_text("".join(parts), encoding="utf-8")
    md_path.write_text("\n".join(md), encoding="utf-8")
    return html_path, md_path
