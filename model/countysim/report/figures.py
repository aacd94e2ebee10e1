"""Matplotlib figures of indicator series."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from countysim.indicators import CATALOGUE_BY_NAME
from countysim.results import RunResult

#: the key series of a run, drawn by ``countysim run``
KEY_SERIES = (
    ("Employment", ("employed_rate", "local_employment_share")),
    ("Income", ("mean_monthly_income",)),
    ("Stability", ("stable_employment_rate", "stable_employment_rate_12m")),
    ("Training (cumulative)", ("training_person_times", "training_person_times_poverty")),
    ("Skills", ("high_skilled_workers", "rural_craftsmen")),
    ("Coverage of training", ("poverty_willing_trained_share", "certified_share")),
)


def plot_run(result: RunResult, path: str | Path, panels=KEY_SERIES) -> Path:
    """Draw the key series of one run as a grid of small panels and save it (PNG or SVG).

    Args:
        result: the run.
        path: file to write; the suffix chooses the format.
        panels: (title, indicator names) of each panel.
    """
    path = Path(path)
    cols = 3
    rows = int(np.ceil(len(panels) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.9 * rows), squeeze=False)
    x = np.arange(len(result.months))
    ticks = [i for i, m in enumerate(result.months) if m.endswith("-01")]
    for ax, (title, names) in zip(axes.flat, panels, strict=False):
        for name in names:
            ax.plot(x, result.series(name), label=name, lw=1.6)
        unit = CATALOGUE_BY_NAME[names[0]].unit.split(" (")[0]  # the Chinese gloss needs a CJK font
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        ax.set_xticks(ticks, [result.months[i][:4] for i in ticks], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, frameon=False)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(f"{result.scenario_name} — seed {result.seed}", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
