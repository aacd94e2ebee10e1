"""Figures for the pages, as PNG bytes.

:func:`headline_png` draws the package against its baseline: each scenario's mean series and
its 5-95 % band across replications (``countysim.experiments.compare.band``). It uses
matplotlib's object interface (no pyplot state), so figures of several visitors can be drawn in
their own threads at once.

The Results page shows the figures the command line draws (``plot_comparison``,
``plot_needs``, the sensitivity chart, ``plot_run``): :func:`cli_png` calls those functions on a
private temporary file, removed at once, and returns its bytes. They use pyplot, so one lock
keeps them from overlapping.
"""

from __future__ import annotations

import io
import math
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from countysim.app.labels import label, unit
from countysim.results import RunResult

#: the series of the headline figure, one panel each
HEADLINE_SERIES: tuple[str, ...] = (
    "employed_rate",
    "mean_monthly_income",
    "training_person_times",
    "contract_rate",
    "public_school_share",
    "settled_persons_cum",
)

#: colours of the baseline and the package
COLOURS = ("#7f7f7f", "#1f77b4")

_PYPLOT = threading.Lock()


def _short_unit(name: str) -> str:
    # the figure font has no CJK glyphs yet: keep the unit before a bracketed Chinese gloss
    return unit(name).split(" (")[0]


def headline_png(
    results_by_scenario: Mapping[str, Sequence[RunResult]],
    indicators: Sequence[str] = HEADLINE_SERIES,
    lang: str = "en",
) -> bytes:
    """Mean and 5-95 % band of each scenario, one panel per indicator, as a PNG.

    Args:
        results_by_scenario: runs by scenario name (the baseline first).
        indicators: one panel each.
        lang: language of the panel titles (figures keep English until a CJK font ships).
    """
    from matplotlib.figure import Figure

    from countysim.experiments.compare import band

    indicators = list(indicators)
    cols = 3
    rows = math.ceil(len(indicators) / cols)
    fig = Figure(figsize=(12, 3.1 * rows + 0.5), dpi=100)
    axes = fig.subplots(rows, cols, squeeze=False)
    first = next(iter(results_by_scenario.values()))[0]
    months = first.months
    x = np.arange(len(months))
    ticks = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
    for ax, name in zip(axes.flat, indicators, strict=False):
        for k, (scenario, runs) in enumerate(results_by_scenario.items()):
            mean, lo, hi = band(runs, name)
            colour = COLOURS[k % len(COLOURS)]
            ax.fill_between(x, lo, hi, color=colour, alpha=0.22, lw=0)
            ax.plot(x, mean, color=colour, lw=1.8, label=f"{scenario} (n={len(runs)})")
        ax.set_title(label(name, "en"), fontsize=10)
        ax.set_ylabel(_short_unit(name), fontsize=8)
        ax.set_xticks(ticks, [months[i][:4] for i in ticks], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    fig.suptitle("mean and 5-95 % band across replications on common seeds", fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def cli_png(draw: Callable[[Path], object]) -> bytes:
    """The bytes of a figure drawn by a command-line figure function ``draw(path)``.

    The file lives in a private temporary folder that is removed before returning.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: the server has no display
    with _PYPLOT, tempfile.TemporaryDirectory(prefix="countysim-app-") as tmp:
        path = Path(tmp) / "figure.png"
        draw(path)
        return path.read_bytes()
