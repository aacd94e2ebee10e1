"""The 5-county example on a real Dask ``LocalCluster``: the same results as on the process pool."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.store import ResultsStore

from helpers import ROOT

distributed = pytest.importorskip("distributed")

EXAMPLE = ROOT / "provinces" / "example5.toml"
ARGS = ["province", "run", str(EXAMPLE), "--reps", "2", "--months", "6", "--scale", "0.02", "-q"]


@pytest.fixture(scope="module")
def cluster():
    lc = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    try:
        with distributed.Client(lc) as client:
            client.run(lambda: __import__("countysim.model"))
        yield lc
    finally:
        lc.close()


def _panel(db) -> dict[tuple[str, int], np.ndarray]:
    with ResultsStore(f"sqlite:///{db}") as store:
        panel = store.panel(experiment="province:example5")
    cols = [
        c for c in panel.columns if c not in ("run_id", "scenario_name", "scenario_hash", "seed", "month")
    ]
    return {(h, int(s)): g[cols].to_numpy() for (h, s), g in panel.groupby(["scenario_hash", "seed"])}


def test_the_example_on_a_local_cluster_equals_the_process_pool(cluster, tmp_path) -> None:
    runner = CliRunner()
    on_dask = runner.invoke(app, [*ARGS, "--cluster", cluster.scheduler_address, "--db", f"sqlite:///{tmp_path}/d.db",
                                  "--output-dir", str(tmp_path / "d")])  # fmt: skip
    assert on_dask.exit_code == 0, on_dask.output
    with distributed.Client(cluster) as client:
        assert len(client.run(lambda: 1)) == 2  # both workers there
    on_pool = runner.invoke(app, [*ARGS, "--workers", "2", "--db", f"sqlite:///{tmp_path}/p.db",
                                  "--output-dir", str(tmp_path / "p")])  # fmt: skip
    assert on_pool.exit_code == 0, on_pool.output
    a, b = _panel(tmp_path / "d.db"), _panel(tmp_path / "p.db")
    assert len(a) == 5 * 2 * 2 and set(a) == set(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    # and so the province tables printed are the same
    assert (tmp_path / "d" / "province_summary.csv").read_text() == (
        tmp_path / "p" / "province_summary.csv"
    ).read_text()
