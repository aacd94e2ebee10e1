"""Every figure the package writes: a run's key series, comparison bands, resource needs, sensitivity.

Only ``countysim.report`` imports matplotlib. The modules that compute hand their tables here:
``experiments.compare.bands`` (mean and 5-95 % band by scenario, indicator and month),
``resources.needs_table`` and a ``SensitivityReport``'s table. Figures are drawn on
``matplotlib.figure.Figure`` objects rather than through pyplot, so drawing neither picks nor
changes the session's backend (a notebook keeps its inline figures) and leaves no open figure.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from countysim.indicators import CATALOGUE_BY_NAME
from countysim.results import RunResult

if TYPE_CHECKING:
    from countysim.experiments.sensitivity import SensitivityReport

#: the key series of a run, drawn by ``countysim run``
KEY_SERIES = (
    ("Employment", ("employed_rate", "local_employment_share")),
    ("Income", ("mean_monthly_income",)),
    ("Stability", ("stable_employment_rate", "stable_employment_rate_12m")),
    ("Training (cumulative)", ("training_person_times", "training_person_times_poverty")),
    ("Skills", ("high_skilled_workers", "rural_craftsmen")),
    ("Coverage of training", ("poverty_willing_trained_share", "certified_share")),
)


def _unit(indicator: str) -> str:
    """An indicator's unit for an axis, without a bracketed Chinese gloss (the font has no CJK glyphs)."""
    found = CATALOGUE_BY_NAME.get(indicator)
    if found is None:
        return ""
    return re.sub(r"\s*\([^)]*[^\x00-\x7f][^)]*\)", "", found.unit)


def _save(fig: Figure, path: str | Path, dpi: int = 110) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # e.g. a missing glyph of a Chinese scenario name
        warnings.simplefilter("ignore")
        fig.savefig(path, dpi=dpi)
    return path


def _year_ticks(ax, months: Sequence[str]) -> None:
    ticks = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
    ax.set_xticks(ticks, [months[i][:4] for i in ticks], fontsize=7)


def plot_run(result: RunResult, path: str | Path, panels=KEY_SERIES) -> Path:
    """Draw the key series of one run as a grid of small panels and save it (PNG or SVG).

    Args:
        result: the run.
        path: file to write; the suffix chooses the format.
        panels: (title, indicator names) of each panel.
    """
    cols = 3
    rows = math.ceil(len(panels) / cols)
    fig = Figure(figsize=(4.2 * cols, 2.9 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    x = np.arange(len(result.months))
    for ax, (title, names) in zip(axes.flat, panels, strict=False):
        for name in names:
            ax.plot(x, result.series(name), label=name, lw=1.6)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(_unit(names[0]), fontsize=8)
        _year_ticks(ax, result.months)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, frameon=False)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(f"{result.scenario_name} — seed {result.seed}", fontsize=11)
    fig.tight_layout()
    return _save(fig, path)


def plot_comparison(bands: pd.DataFrame, path: str | Path, title: str | None = None) -> Path:
    """Draw each scenario's mean series with its band across replications, one panel per indicator.

    Args:
        bands: ``experiments.compare.bands``: ``scenario, indicator, month, mean, lo, hi, n``,
            scenarios and indicators in the order to draw them.
        path: file to write (PNG or SVG by suffix); its folder is created.
        title: figure title (default: the scenario names and replication counts).

    Returns:
        ``path``.
    """
    indicators = list(dict.fromkeys(bands["indicator"]))
    scenarios = list(dict.fromkeys(bands["scenario"]))
    cols = min(3, len(indicators))
    rows = math.ceil(len(indicators) / cols)
    fig = Figure(figsize=(4.2 * cols, 2.9 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    months = list(dict.fromkeys(bands["month"]))
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    runs = bands.groupby("scenario", sort=False)["n"].max()
    for ax, indicator in zip(axes.flat, indicators, strict=False):
        for k, name in enumerate(scenarios):
            part = bands[(bands["scenario"] == name) & (bands["indicator"] == indicator)]
            x = np.arange(len(part))
            colour = colours[k % len(colours)]
            ax.fill_between(x, part["lo"], part["hi"], color=colour, alpha=0.2, lw=0)
            ax.plot(x, part["mean"], color=colour, lw=1.5, label=f"{name} (n={runs[name]})")
        ax.set_title(indicator, fontsize=9)
        ax.set_ylabel(_unit(indicator).split(" (")[0], fontsize=8)
        _year_ticks(ax, months)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
    reps = ", ".join(f"{n}: {runs[n]} runs" for n in scenarios)
    fig.suptitle(title or f"mean and 5-95 % band across replications ({reps})", fontsize=10)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return _save(fig, path)


def plot_needs(table: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """Draw a needs table: seats needed vs capacity by stage (90 % band), housing, money.

    Args:
        table: from ``resources.needs_table``.
        path: file to write; the suffix chooses the format.
        title: figure title.
    """

    def pick(item: str) -> pd.DataFrame:
        return table[table["item"] == item].sort_values("year")

    fig = Figure(figsize=(11, 7.2))
    axes = fig.subplots(2, 2)
    panels = (
        (axes[0, 0], "Public primary seats", "seats_needed_primary", "seats_capacity_primary", "seats"),
        (axes[0, 1], "Public junior seats", "seats_needed_junior", "seats_capacity_junior", "seats"),
        (axes[1, 0], "Affordable housing", "housing_units_needed", "affordable_units", "units"),
    )
    for ax, name, need, have, unit in panels:
        n, c = pick(need), pick(have)
        if not n.empty:
            ax.plot(n["year"], n["mean"], "o-", lw=1.8, label="needed (mean)")
            ax.fill_between(n["year"], n["lo90"], n["hi90"], alpha=0.25, label="needed, 90 % interval")
        if not c.empty:
            ax.plot(c["year"], c["mean"], "s--", lw=1.4, color="k", label="capacity")
        ax.set_title(name, fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        ax.legend(fontsize=7, frameon=False)
    ax = axes[1, 1]
    cost, transfers = pick("fiscal_cost_yuan"), pick("transfer_revenue_yuan")
    x = cost["year"].to_numpy()
    scale = 1e6
    ax.bar(x - 0.2, cost["mean"] / scale, width=0.4, label="fiscal cost")
    ax.errorbar(x - 0.2, cost["mean"] / scale,
                yerr=[(cost["mean"] - cost["lo90"]) / scale, (cost["hi90"] - cost["mean"]) / scale],
                fmt="none", color="k", lw=1)  # fmt: skip
    ax.bar(transfers["year"].to_numpy() + 0.2, transfers["mean"] / scale, width=0.4, label="transfer revenue")
    ax.set_title("Fiscal cost vs transfers by year", fontsize=10)
    ax.set_ylabel("million yuan", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    years = sorted(table["year"].unique())
    for a in axes.flat:
        a.grid(alpha=0.3)
        a.tick_params(labelsize=7)
        a.set_xticks(years, [str(y) for y in years])
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return _save(fig, path)


def plot_sensitivity(report: SensitivityReport, path: str | Path) -> Path:
    """A bar chart of a sweep's sensitivity indices, one panel per outcome; written to ``path``."""
    table = report.table
    outcomes = list(dict.fromkeys(table["outcome"]))
    params = list(dict.fromkeys(table["parameter"]))
    fig = Figure(figsize=(8, 1.2 + 0.45 * len(params) * len(outcomes) + 0.6 * len(outcomes)))
    axes = fig.subplots(len(outcomes), 1, squeeze=False)
    ypos = np.arange(len(params))
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        t = table[table["outcome"] == outcome].set_index("parameter").reindex(params)
        if report.method == "sobol":
            bars = (("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST"))
            xlabel = "Sobol' index (share of variance)"
        elif report.method == "morris":
            bars = (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma"))
            xlabel = f"elementary effect ({_unit(outcome) or 'outcome units'})"
        else:
            bars = (("src", None, "SRC"),)
            xlabel = "standardised regression coefficient"
        height = 0.8 / len(bars)
        for k, (col, conf, label) in enumerate(bars):
            err = np.nan_to_num(t[conf].to_numpy(dtype=np.float64)) if conf else None
            ax.barh(ypos + (k - (len(bars) - 1) / 2) * height, t[col].fillna(0).to_numpy(), height,
                    xerr=err, label=label, capsize=2)  # fmt: skip
        ax.set_yticks(ypos, params, fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.6)
        title = outcome
        if report.method == "src":
            title += f" (R² = {t['r2'].iloc[0]:.2f})"
        if t[bars[0][0]].isna().all():
            title += " (no variation: indices undefined)"
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return _save(fig, path, dpi=120)
