"""A calibration on a real Dask cluster: the same ensemble as on this process, run for run."""

from __future__ import annotations

import pandas as pd
import pytest
from calib_helpers import write_calibration

from countysim.calibration import calibrate
from countysim.experiments import InlineExecutor

distributed = pytest.importorskip("distributed")


def test_a_calibration_on_a_local_cluster_gives_the_inline_ensemble(tmp_path) -> None:
    observed = {"jobless_rate@2019": 0.06, "survey_local_share@2019": 0.35}
    path = write_calibration(tmp_path, observed, name="on-dask", population=8, generations=2)
    inline = calibrate(path, executor=InlineExecutor())
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    try:
        with distributed.Client(cluster) as client:
            on_dask = calibrate(path, executor=client.get_executor())
            assert len(client.scheduler_info()["workers"]) == 2
    finally:
        cluster.close()
    assert on_dask.n_simulations == inline.n_simulations > 8
    pd.testing.assert_frame_equal(on_dask.ensemble.frame(), inline.ensemble.frame())
    pd.testing.assert_frame_equal(on_dask.generations, inline.generations)
