"""Files a run writes to its output folder: ``indicators.csv``, ``summary.json``, a figure."""

from __future__ import annotations

import json
from pathlib import Path

from countysim.report.figures import plot_run
from countysim.results import RunResult


def write_run_outputs(result: RunResult, output_dir: str | Path) -> dict[str, Path]:
    """Write the run's panel, summary and figure; returns the paths written."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "indicators": out / "indicators.csv",
        "summary": out / "summary.json",
        "figure": out / "key_series.png",
    }
    result.to_frame().to_csv(paths["indicators"], index=False, float_format="%.10g")
    paths["summary"].write_text(
        json.dumps(result.summary(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    plot_run(result, paths["figure"])
    return paths
