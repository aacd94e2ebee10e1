"""Drawing lives in countysim.report alone; the modules that compute hand it tables."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from countysim.experiments.compare import ComparisonResult, band, bands
from countysim.report import figures

from helpers import panel


@pytest.fixture()
def runs() -> dict[str, list]:
    a = [panel(months=14, seed=s, employed_rate=0.5 + 0.01 * s, contract_rate=0.3) for s in range(5)]
    b = [panel(months=14, seed=s, employed_rate=0.6 + 0.02 * s, contract_rate=0.4) for s in range(5)]
    return {"base": a, "action": b}


def test_bands_is_the_table_the_figure_draws(runs) -> None:
    table = bands(runs, ["employed_rate", "contract_rate"])
    assert list(table.columns) == ["scenario", "indicator", "month", "mean", "lo", "hi", "n"]
    assert len(table) == 2 * 2 * 14 and (table["n"] == 5).all()
    part = table[(table["scenario"] == "action") & (table["indicator"] == "employed_rate")]
    mean, lo, hi = band(runs["action"], "employed_rate")
    np.testing.assert_array_equal(part[["mean", "lo", "hi"]].to_numpy().T, [mean, lo, hi])
    assert part["month"].tolist() == list(runs["action"][0].months)


def test_drawing_leaves_the_backend_and_pyplot_alone(runs, tmp_path) -> None:
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    matplotlib.use("svg")  # a session's own choice, e.g. a notebook's
    try:
        result = ComparisonResult(runs, pd.DataFrame(), (0, 1, 2, 3, 4))
        path = result.plot(tmp_path / "c.png", ["employed_rate", "contract_rate"])
        assert path.stat().st_size > 5_000 and path.read_bytes()[:4] == b"\x89PNG"
        figures.plot_run(runs["base"][0], tmp_path / "r.png")
        assert matplotlib.get_backend() == "svg" and plt.get_fignums() == []
    finally:
        matplotlib.use(before)
