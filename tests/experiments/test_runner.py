"""The experiment runner on a real SQLite file: resume, failures, kill -9, identical results anywhere."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app
from countysim.experiments import (
    InlineExecutor,
    RunSpec,
    WorkersLost,
    default_executor,
    load_results,
    replicate,
    run_experiment,
)
from countysim.experiments.runner import Interrupted, OtherCode
from countysim.scenario import ScenarioError
from countysim.store import ResultsStore, StoreError
from countysim.version import code_fingerprint

from helpers import BASELINE, ROOT, done_runs

FULL_ACTION = ROOT / "scenarios" / "full_action.toml"


@pytest.fixture(scope="module")
def tiny() -> tuple[cs.Scenario, cs.Scenario]:
    """Baseline and full action at 2 % of the county, 6 months (a fraction of a second a run)."""
    months = {"horizon.months": 6}
    return (
        cs.load_scenario(BASELINE).scaled(0.02).replace(**months),
        cs.load_scenario(FULL_ACTION).scaled(0.02).replace(**months),
    )


def _rows(db) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "select id, scenario_hash, seed, status, finished_at, error from run order by id"
        ).fetchall()


def test_rerun_skips_stored_runs(tmp_path, tiny) -> None:
    db = tmp_path / "store.db"
    specs = replicate(list(tiny), 2, seed=3)
    with ResultsStore(f"sqlite:///{db}") as store:
        done, failures = run_experiment("exp", specs, store=store, executor=InlineExecutor(), progress=False)
        assert len(done) == 4 and not failures
        first = _rows(db)
        assert len(first) == 4 and {r[3] for r in first} == {"done"}
        # again: nothing runs, nothing is rewritten
        done, failures = run_experiment("exp", specs, store=store, executor=InlineExecutor(), progress=False)
        assert done == [] and failures == []
        assert _rows(db) == first
        # one more seed: only its two runs run
        done, _ = run_experiment(
            "exp", replicate(list(tiny), 3, seed=3), store=store, executor=InlineExecutor(), progress=False
        )
        assert sorted((r.scenario_name, r.seed) for r in done) == [("baseline", 5), ("full_action", 5)]
        assert _rows(db)[:4] == first and len(_rows(db)) == 6
        # what comes back from the store is what was run, exactly
        loaded = {(r.scenario_hash, r.seed): r for r in load_results(store, "exp")}
        assert len(loaded) == 6
        for r in done:
            back = loaded[(r.scenario_hash, r.seed)]
            assert back.indicators == r.indicators and back.months == r.months
            np.testing.assert_array_equal(back.values, r.values)


def test_a_failing_run_is_stored_as_failed_and_the_others_finish(tmp_path, tiny) -> None:
    db = tmp_path / "store.db"
    broken = tiny[0].replace(
        **{"name": "broken", "population.source": "microdata", "population.path": "/nonexistent.csv"}
    )
    specs = [RunSpec(tiny[0], 1), RunSpec(broken, 1), RunSpec(tiny[1], 1), RunSpec(broken, 2)]
    with ResultsStore(f"sqlite:///{db}") as store:
        done, failures = run_experiment("f", specs, store=store, executor=InlineExecutor(), progress=False)
        assert sorted(r.scenario_name for r in done) == ["baseline", "full_action"]
        assert sorted(f.spec.seed for f in failures) == [1, 2]
        assert all("no such microdata file" in f.error for f in failures)
        runs = store.runs("f").set_index(["scenario_name", "seed"])
        assert runs.loc[("broken", 1), "status"] == "failed" and runs.loc[("broken", 2), "status"] == "failed"
        assert "MicrodataError" in runs.loc[("broken", 1), "error"]
        assert runs.loc[("broken", 1), "code_fingerprint"] == code_fingerprint()
        assert "/nonexistent.csv: no such microdata file" in runs.loc[("broken", 1), "error"]
        assert (
            runs.loc[("baseline", 1), "status"] == "done" and runs.loc[("full_action", 1), "status"] == "done"
        )
        assert sorted(r.scenario_name for r in load_results(store, "f")) == ["baseline", "full_action"]
        # a rerun retries the failures only
        before = _rows(db)
        done, failures = run_experiment("f", specs, store=store, executor=InlineExecutor(), progress=False)
        assert done == [] and len(failures) == 2
        after = {r[0]: r for r in _rows(db)}
        for row in before:
            if row[3] == "done":
                assert after[row[0]] == row
        # the same failure through a process pool: the traceback travels back
        with default_executor(1) as pool:
            _, failures = run_experiment(
                "f2", [RunSpec(broken, 1)], store=store, executor=pool, progress=False
            )
        assert len(failures) == 1 and "no such microdata file" in failures[0].error


def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(tmp_path) -> None:
    """``countysim compare`` killed with SIGKILL mid-way; the rerun runs only what is missing."""
    files = []
    for name, parent in (("k_base", BASELINE), ("k_full", FULL_ACTION)):
        p = tmp_path / f"{name}.toml"
        p.write_text(f'extends = "{parent.as_posix()}"\nname = "{name}"\n[county.households]\nn = 1500\n')
        files.append(str(p))
    db, reps = tmp_path / "store.db", 40
    args = ["compare", *files, "--reps", str(reps), "--months", "12", "--seed", "1"]
    args += ["--db", f"sqlite:///{db}", "--output-dir", str(tmp_path / "out"), "--workers", "2", "-q"]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from countysim.cli import app; app()", *args],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so its pool workers can be cleaned up
    )
    try:
        deadline = time.monotonic() + 180
        while not done_runs(db):
            assert proc.poll() is None, f"compare ended before any run was stored: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "no run was stored within 180 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        try:  # the driver is gone; end its orphaned pool workers (same process group)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.stderr.close()
    before = done_runs(db)
    assert 0 < len(before) < 2 * reps, "the kill should land mid-way"
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    after = done_runs(db)
    keys = [(h, s) for _, h, s, _ in after]
    assert len(after) == 2 * reps and len(set(keys)) == 2 * reps  # every run done exactly once
    assert sorted({s for _, s in keys}) == list(range(1, reps + 1))
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == 2 * reps  # no stray rows
        n_values = con.execute("select count(*) from indicator_value").fetchone()[0]
    assert n_values == 2 * reps * 12 * len(cs.indicators.NAMES)  # no half-written run
    # runs finished before the kill were not run again: same ids, same finish times
    assert set(before) <= set(after)


def test_the_default_pool_starts_workers_cleanly_from_a_threaded_driver(tiny) -> None:
    """A driver with threads running (progress bars, database drivers, a Dask client) must not
    fork its workers: a forked child can inherit a lock another thread holds and hang. Python
    warns when it forks a threaded process (3.12 on)."""
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)
    busy.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with default_executor(2) as pool:
                done, failures = run_experiment(
                    "threads", replicate([tiny[0]], 2, seed=3), executor=pool, progress=False
                )
    finally:
        stop.set()
        busy.join()
    assert not failures and sorted(r.seed for r in done) == [3, 4]
    forked = [str(w.message) for w in caught if "fork()" in str(w.message)]
    assert forked == []
    assert pool._mp_context.get_start_method() != "fork"


class _BreaksOnSecond(Executor):
    """Runs the first task at once; the second fails a moment later as a dying worker makes it."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.calls += 1
        future: Future = Future()
        if self.calls == 1:
            future.set_result(fn(*args, **kwargs))
        else:
            threading.Timer(0.3, future.set_exception, [BrokenProcessPool("a worker died")]).start()
        return future


def test_a_dead_worker_stops_with_advice_and_keeps_the_finished_runs(tmp_path, tiny) -> None:
    db = tmp_path / "store.db"
    specs = replicate([tiny[0]], 2, seed=5)
    with ResultsStore(f"sqlite:///{db}") as store:
        with pytest.raises(WorkersLost, match=r'after 1 of 2 runs.*if __name__ == "__main__":'):
            run_experiment("broken-pool", specs, store=store, executor=_BreaksOnSecond(), progress=False)
    # the run that finished before the pool broke was written, though its batch was not full
    assert [(r[2], r[3]) for r in _rows(db)] == [(5, "done")]


def test_an_unguarded_script_gets_advice_not_a_bare_broken_pool(tmp_path) -> None:
    """Workers that do not fork import the main script (here, one with a thread running, as a
    Dask client or a database driver would have); one that runs experiments at import time
    cannot start them."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import threading

            import countysim as cs
            from countysim.experiments import replicate, run_experiment

            threading.Thread(target=threading.Event().wait, daemon=True).start()

            spec = cs.load_scenario({str(BASELINE)!r}).scaled(0.02).replace(**{{"horizon.months": 2}})
            run_experiment("unguarded", replicate([spec], 2), progress=False)
            """
        )
    )
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert res.returncode != 0
    assert "WorkersLost" in res.stderr and 'if __name__ == "__main__":' in res.stderr


def test_identical_results_inline_and_in_process_pools(tiny) -> None:
    specs = replicate(list(tiny), 2, seed=7)

    def by_key(executor) -> dict:
        done, failures = run_experiment("x", specs, executor=executor, progress=False)
        assert not failures
        return {(r.scenario_hash, r.seed): r for r in done}

    inline = by_key(InlineExecutor())
    with default_executor(1) as one:
        single = by_key(one)
    with default_executor(2) as two:
        double = by_key(two)
    assert set(inline) == set(single) == set(double) == {s.key for s in specs}
    for key, r in inline.items():
        for other in (single[key], double[key]):
            assert other.indicators == r.indicators and other.months == r.months
            np.testing.assert_array_equal(other.values, r.values)
    # and the two scenarios do differ on the same seed (the comparison is not vacuous)
    b, f = (inline[(s.scenario.content_hash(), 7)] for s in specs[::2])
    assert not np.array_equal(b.values, f.values)


OTHER = "0123456789abcdef"


def test_runs_made_by_other_code_are_run_again_with_a_note_and_kept(tmp_path, tiny, capsys) -> None:
    """A stored run is reused only if this code made it; the others are run again, and kept."""
    specs = replicate(list(tiny), 2, seed=3)
    fresh, _ = run_experiment("e", specs, executor=InlineExecutor(), progress=False)
    with ResultsStore(f"sqlite:///{tmp_path / 'store.db'}") as store:
        # the same runs as older code stored them (other values, as changed code would give)
        exp = store.experiment("e", kind="experiment")
        old = [replace(r, values=r.values + 1.0, code_fingerprint=OTHER) for r in fresh[:3]]
        store.save_runs(exp, old)
        capsys.readouterr()
        done, failures = run_experiment("e", specs, store=store, executor=InlineExecutor(), progress=False)
        note = capsys.readouterr().err
        assert len(done) == 4 and not failures  # nothing reused
        assert (
            f"note: 3 stored runs of experiment 'e' were made by other code (fingerprint {OTHER[:8]}) "
            f"and are run again with this code ({code_fingerprint()[:8]}); the stored ones are kept"
        ) in note
        runs = store.runs("e", all_code=True)
        assert len(runs) == 7 and sorted(runs["code_fingerprint"]).count(OTHER) == 3
        # what is read back is this code's runs, exactly as run now
        loaded = {(r.scenario_hash, r.seed): r for r in load_results(store, "e")}
        assert len(loaded) == 4
        for r in fresh:
            np.testing.assert_array_equal(loaded[(r.scenario_hash, r.seed)].values, r.values)
        # resumed again: nothing to run, nothing to say
        done, _ = run_experiment("e", specs, store=store, executor=InlineExecutor(), progress=False)
        assert done == [] and "note:" not in capsys.readouterr().err


class _OtherCodeWorkers(Executor):
    """Runs each task at once, as workers with another countysim installed would: their results
    come back with that code's fingerprint."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(replace(fn(*args, **kwargs), code_fingerprint=OTHER))
        return future


def test_workers_running_other_code_stop_the_experiment(tmp_path, tiny) -> None:
    with ResultsStore(f"sqlite:///{tmp_path / 'store.db'}") as store:
        with pytest.raises(
            OtherCode, match=rf"fingerprint {OTHER}, but this process runs {code_fingerprint()}"
        ):
            run_experiment(
                "mixed",
                replicate([tiny[0]], 3, seed=1),
                store=store,
                executor=_OtherCodeWorkers(),
                progress=False,
            )
        # the worker's run is kept under its own code, and is no run of this code's
        assert store.runs("mixed", all_code=True)["code_fingerprint"].tolist() == [OTHER]
        assert store.done_keys(store.experiment("mixed")) == set()


class _Counting(InlineExecutor):
    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.calls += 1
        return super().submit(fn, *args, **kwargs)


def test_names_too_long_for_the_store_are_refused_before_any_run(tmp_path, tiny) -> None:
    # a scenario cannot be given a name the store would refuse: the scenario itself says so
    with pytest.raises(ScenarioError, match=r"name = 'n+\.\.\.n+': must be 1 to 200 printable"):
        tiny[0].replace(name="n" * 201)
    with ResultsStore(f"sqlite:///{tmp_path / 'store.db'}") as store:
        executor = _Counting()
        with pytest.raises(StoreError, match=r"experiment name .* 250 characters"):
            run_experiment("e" * 250, [RunSpec(tiny[1], 1)], store=store, executor=executor)
        assert executor.calls == 0 and store.experiments().empty


def _workers() -> set[int]:
    """Live (not zombie) worker processes under this one, from /proc: its descendants less a
    forkserver and a resource tracker, which live as long as this process does."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
            if state != "Z":
                parents.setdefault(int(ppid), []).append(int(entry))
    found, todo = set(), [os.getpid()]
    while todo:
        kids = parents.get(todo.pop(), [])
        found.update(kids)
        todo.extend(kids)
    for pid in parents.get(os.getpid(), []):
        try:
            if b"multiprocessing." in open(f"/proc/{pid}/cmdline", "rb").read():
                found.discard(pid)
        except OSError:
            found.discard(pid)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds worker processes through /proc")
@pytest.mark.parametrize("where", ["inline", "pool"])
def test_ctrl_c_stores_the_finished_runs_stops_the_workers_and_resumes(tmp_path, tiny, where) -> None:
    """A signal whose handler raises KeyboardInterrupt (as Ctrl-C's does) stops an experiment
    part-way: what finished is stored, the pool's workers end, and a rerun completes it."""
    db = tmp_path / "store.db"
    specs = replicate([tiny[0]], 60, seed=1)
    armed = True

    def interrupt(signum, frame) -> None:
        nonlocal armed
        if armed and len(done_runs(db)) >= 2:  # a few runs are stored, many are to come
            armed = False
            raise KeyboardInterrupt

    before = _workers()
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with ResultsStore(f"sqlite:///{db}") as store:
            executor = InlineExecutor() if where == "inline" else default_executor(2)
            signal.setitimer(signal.ITIMER_REAL, 0.2, 0.2)
            with pytest.raises(Interrupted) as info:
                run_experiment("ctrl-c", specs, store=store, executor=executor, progress=False, batch_size=1)
            signal.setitimer(signal.ITIMER_REAL, 0)
            stored = {(h, s) for _, h, s, _ in done_runs(db)}
            assert info.value.total == 60 and 2 <= info.value.stored == len(stored) < 60
            assert f"{len(stored)} of 60 runs of experiment 'ctrl-c' stored" in str(info.value)
            if where == "pool":
                deadline = time.monotonic() + 5
                while _workers() - before and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert _workers() - before == set(), "the pool's workers outlived the interrupt"
                executor.shutdown()
            done, failures = run_experiment(
                "ctrl-c", specs, store=store, executor=InlineExecutor(), progress=False
            )
            assert not failures and len(done) == 60 - len(stored)
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    keys = [(h, s) for _, h, s, _ in done_runs(db)]
    assert len(keys) == len(set(keys)) == 60
