"""Experiments on a real Dask cluster (two worker processes on this machine)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app
from countysim.experiments import InlineExecutor, replicate, run_experiment

from helpers import BASELINE, ROOT

distributed = pytest.importorskip("distributed")

runner = CliRunner()
FULL_ACTION = ROOT / "scenarios" / "full_action.toml"


@pytest.fixture(scope="module")
def cluster():
    lc = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    try:
        with distributed.Client(lc) as client:
            # import the model once in each worker, so the tests time runs, not imports
            client.run(lambda: __import__("countysim.model"))
        yield lc
    finally:
        lc.close()


def test_dask_executor_gives_the_inline_results(cluster) -> None:
    specs = replicate(
        [
            cs.load_scenario(BASELINE).scaled(0.02).replace(**{"horizon.months": 6}),
            cs.load_scenario(FULL_ACTION).scaled(0.02).replace(**{"horizon.months": 6}),
        ],
        2,
        seed=21,
    )
    with distributed.Client(cluster) as client:
        on_dask, failures = run_experiment("d", specs, executor=client.get_executor(), progress=False)
        assert not failures
        workers = set(client.run(lambda: 1))  # the cluster has its two workers
    assert len(workers) == 2
    inline, _ = run_experiment("i", specs, executor=InlineExecutor(), progress=False)
    got = {(r.scenario_hash, r.seed): r for r in on_dask}
    assert set(got) == {s.key for s in specs}
    for r in inline:
        other = got[(r.scenario_hash, r.seed)]
        assert other.indicators == r.indicators and other.months == r.months
        np.testing.assert_array_equal(other.values, r.values)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask-scenarios")
    for name, parent in (("dk_base", BASELINE), ("dk_full", FULL_ACTION)):
        (d / f"{name}.toml").write_text(
            f'extends = "{parent.as_posix()}"\nname = "{name}"\n[county.households]\nn = 1500\n'
        )
    return [str(d / "dk_base.toml"), str(d / "dk_full.toml")]


def _n_runs(db) -> tuple[int, int]:
    with sqlite3.connect(db) as con:
        return (
            con.execute("select count(*) from run where status = 'done'").fetchone()[0],
            con.execute("select count(*) from experiment").fetchone()[0],
        )


def test_cli_compare_on_the_cluster(cluster, files, tmp_path) -> None:
    db, out = tmp_path / "s.db", tmp_path / "out"
    args = ["compare", *files, "--reps", "2", "--months", "4", "--cluster", cluster.scheduler_address]
    res = runner.invoke(app, [*args, "--db", f"sqlite:///{db}", "--output-dir", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert "dk_full − dk_base [90 % interval]" in res.output
    assert (out / "comparison.csv").exists() and (out / "comparison.png").exists()
    assert _n_runs(db) == (4, 1)


def test_cli_compare_unreachable_cluster_exits_2_and_writes_no_runs(files, tmp_path) -> None:
    db, out = tmp_path / "s.db", tmp_path / "out"
    args = ["compare", *files, "--reps", "2", "--months", "4", "--cluster", "tcp://127.0.0.1:1"]
    res = runner.invoke(app, [*args, "--db", f"sqlite:///{db}", "--output-dir", str(out), "-q"])
    assert res.exit_code == 2
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:1'" in res.output
    assert "Traceback" not in res.output
    assert _n_runs(db) == (0, 0) and not out.exists()
