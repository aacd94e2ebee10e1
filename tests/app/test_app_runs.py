"""Runs from the app: the same runner and store as ``countysim compare``, the same numbers, resumable."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from countysim.app.package import Package, baseline_of, list_scenarios, to_toml
from countysim.app.runs import (
    AppRunError,
    Progress,
    RunSettings,
    Workers,
    _Counted,
    assess_covered,
    prepare,
    run_comparison,
)
from countysim.cli import app
from countysim.experiments import InlineExecutor, load_results
from countysim.scenario import ScenarioError
from countysim.store import ResultsStore

from helpers import ROOT

SETTINGS = RunSettings(scale=0.02, months=12, reps=2, seed=5)


@pytest.fixture(scope="module")
def package():
    f = next(f for f in list_scenarios(ROOT / "scenarios") if f.file == "baseline.toml")
    return Package(f.scenario, f.path).with_pillar("S", True).with_value("s1_training_places_per_year", 22000)


@pytest.fixture(scope="module")
def workers():
    pool = Workers(2)
    yield pool
    pool.shutdown()


@pytest.fixture(scope="module")
def app_run(package, workers, tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    prepared = prepare(package.scenario(), baseline_of(package.base), SETTINGS)
    progress = Progress()
    outcome = run_comparison(prepared, db, workers.executor(), progress)
    return db, prepared, outcome, progress


def _scenario_file(scenario, path):
    """A scenario written out in full (inheritance resolved), as a file the command line reads."""
    data = scenario.model_dump(mode="json", by_alias=True)
    path.write_text(to_toml(data), encoding="utf-8")
    return path


def test_app_runs_are_stored_with_the_same_numbers_as_countysim_compare(app_run, tmp_path):
    db, prepared, outcome, _ = app_run
    base_file = _scenario_file(prepared.baseline, tmp_path / "base.toml")
    pkg_file = _scenario_file(prepared.package, tmp_path / "pkg.toml")
    cli_db = tmp_path / "cli.db"
    res = CliRunner().invoke(app, [
        "compare", str(base_file), str(pkg_file), "--reps", str(SETTINGS.reps), "--seed", str(SETTINGS.seed),
        "--db", f"sqlite:///{cli_db}", "--output-dir", str(tmp_path / "out"), "--workers", "1", "-q",
        "--posterior", "none",  # the app replicates over seeds only
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    with ResultsStore(db) as store:
        app_runs = {(r.scenario_hash, r.seed): r for r in load_results(store, prepared.experiment)}
        kinds = store.experiments().set_index("name")["kind"]
    with ResultsStore(f"sqlite:///{cli_db}") as store:
        cli_runs = {
            (r.scenario_hash, r.seed): r for r in load_results(store, "compare:baseline+baseline_package")
        }
    assert kinds[prepared.experiment] == "compare"
    assert len(app_runs) == 2 * SETTINGS.reps and set(app_runs) == set(cli_runs)
    for key, mine in app_runs.items():
        theirs = cli_runs[key]
        assert mine.months == theirs.months and mine.indicators == theirs.indicators
        np.testing.assert_array_equal(mine.values, theirs.values)
    # what the page shows is read back from the store
    for runs in outcome.results.values():
        for r in runs:
            np.testing.assert_array_equal(r.values, app_runs[(r.scenario_hash, r.seed)].values)
        assert [r.seed for r in runs] == [5, 6]


def test_the_outcome_summarises_differences_needs_and_targets(app_run):
    _, _, outcome, progress = app_run
    assert list(outcome.results) == ["baseline", "baseline_package"]
    assert progress.snapshot()[:3] == (4, 4, "done")
    # within the first year the places are the year's plan: the S2 priority moves who gets them
    row = outcome.summary.set_index(["indicator", "scenario"]).loc[
        ("training_person_times_poverty", "baseline_package")
    ]
    assert row["diff"] > 0 and row["lo90"] <= row["diff"] <= row["hi90"] and row["n"] == 2
    assert set(outcome.needs) == {"baseline", "baseline_package"}
    assert set(outcome.needs["baseline"]["year"]) == {2023}
    # 12 months reach 2023-12: the S3 targets are assessed, the 2025 ones are named as outside
    assert set(outcome.assessment["at"]) == {"2023-12"}
    assert "lie outside the horizon 2023-01 to 2023-12" in outcome.targets_note
    assert "p5_public_school_share (at 2025-12)" in outcome.targets_note


def test_a_repeated_run_resumes_from_the_store(app_run, workers):
    db, prepared, first, _ = app_run
    again = run_comparison(prepared, db, workers.executor(), Progress())
    assert again.ran == 0 and first.ran == 4
    for name in first.results:
        for a, b in zip(first.results[name], again.results[name], strict=True):
            np.testing.assert_array_equal(a.values, b.values)


def test_targets_are_all_assessed_when_the_horizon_covers_them(app_run):
    _, _, outcome, _ = app_run
    table, note = assess_covered(outcome.results["baseline_package"], outcome.results["baseline"], None)
    assert table is None and note == "no targets file"


def test_progress_counts_finished_runs():
    progress = Progress()
    executor = _Counted(InlineExecutor(), progress)
    for _ in range(3):
        executor.submit(int, "1")
    assert progress.snapshot()[0] == 3


def test_settings_and_names_are_checked_before_anything_runs(package):
    base = baseline_of(package.base)
    with pytest.raises(AppRunError, match=r"scale = 0: allowed more than 0 and at most 1"):
        prepare(package.scenario(), base, RunSettings(scale=0))
    with pytest.raises(AppRunError, match="replications = 0: allowed 1 to 100"):
        prepare(package.scenario(), base, RunSettings(reps=0))
    with pytest.raises(AppRunError, match="both named 'baseline'"):
        prepare(package.copy(name="baseline").scenario(), base, SETTINGS)
    # the changed levers start in 2023-03: a 2-month horizon leaves them outside
    with pytest.raises(ScenarioError, match="outside the horizon; allowed 2023-01 to 2023-02"):
        prepare(package.scenario(), base, RunSettings(months=2))


def test_the_experiment_is_named_after_the_package_as_run(package):
    base = baseline_of(package.base)
    a = prepare(package.scenario(), base, SETTINGS)
    b = prepare(package.scenario(), base, RunSettings(scale=0.03, months=12, reps=2))
    assert a.experiment.startswith("app:baseline+baseline_package:") and a.experiment != b.experiment
    assert a.description["scale"] == 0.02 and a.description["seeds"] == [5, 6]


def test_a_bad_store_is_reported_not_raised(package):
    prepared = prepare(package.scenario(), baseline_of(package.base), SETTINGS)
    with pytest.raises(AppRunError, match="cannot open the results store"):
        run_comparison(prepared, "nosuchdriver://x", InlineExecutor())


def test_workers_end_when_the_server_process_is_killed(tmp_path):
    """However the server ends (here ``kill -9``), its worker processes do not outlive it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "server.py"
    script.write_text(
        "import os, sys, time\n"
        "from countysim.app.runs import Workers\n"
        "if __name__ == '__main__':\n"
        "    pool = Workers(2).executor()\n"
        "    pids = set()\n"
        "    while len(pids) < 2:\n"
        "        pids |= {pool.submit(os.getpid).result() for _ in range(4)}\n"
        "    print(' '.join(map(str, sorted(pids))), flush=True)\n"
        "    time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    assert not any(_alive(p) for p in pids), "a worker outlived the server"
    assert os.getpid() not in pids


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie waits for its parent to reap it: it is not running
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
