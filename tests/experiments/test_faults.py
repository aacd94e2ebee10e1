"""A real ``countysim sweep`` driver killed while its runs are in flight: ``kill -9`` and SIGTERM.

No mocks: each test starts the console command (or a script) as its own process group, finds
its worker processes through ``/proc`` before the signal, and checks what is left afterwards.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from countysim.cli import app

from helpers import BASELINE

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds worker processes through /proc"
)
RUNS = 24
MESSAGE = re.compile(
    rf"^interrupted \(SIGTERM\): (\d+) of {RUNS} runs stored; rerun the same command to resume$", re.M
)
#: how long a worker may outlive its driver
GRACE_SECONDS = 5.0


@pytest.fixture()
def sweep_args(tmp_path: Path) -> list[str]:
    """``countysim sweep`` of a 300-household county, 24 points of 12 months, 2 workers."""
    county = tmp_path / "small.toml"
    county.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "small"\n[county.households]\nn = 300\n')
    sweep = tmp_path / "faults.toml"
    sweep.write_text(
        textwrap.dedent(
            f"""\
            base = "small.toml"
            name = "faults"
            design = "lhs"
            points = {RUNS}
            reps = 1
            seed = 3
            months = 12
            outcomes = ["settled_persons_cum"]
            [parameters]
            "behaviour.settlement.base" = [-8.0, -5.0]
            """
        )
    )
    db = f"sqlite:///{tmp_path / 'store.db'}"
    return ["sweep", str(sweep), "--db", db, "--workers", "2", "--output-dir", str(tmp_path / "out")]


def _console(args: list[str]) -> list[str]:
    """The installed ``countysim`` console script with ``args`` (or its entry point, run by Python)."""
    script = Path(sys.executable).with_name("countysim")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from countysim.cli import main; main()", *args]


class Driver:
    """A started process, its standard error read as it comes, and its descendants from /proc."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: whatever is left can be cleaned up
        )
        self.err = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # ends when every process holding the pipe (the driver, and any worker left) has gone
        while chunk := os.read(self.proc.stderr.fileno(), 65536):
            self.err += chunk

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.proc.poll() is None, f"ended before {what}: {self.err.decode()[-2000:]}"
            assert time.monotonic() < deadline, f"no {what} within {timeout} s: {self.err.decode()[-2000:]}"
            time.sleep(0.05)

    def descendants(self) -> set[int]:
        return _descendants(self.proc.pid)

    def pipes_closed(self, timeout: float) -> bool:
        self._reader.join(timeout)
        return not self._reader.is_alive()

    def clean_up(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = text[text.rindex(")") + 2 :].split()[:2]
    return state, int(ppid)


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None and stat[0] != "Z":
            children.setdefault(stat[1], []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found.update(kids)
        todo.extend(kids)
    return found


def _alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running (a zombie has ended)."""
    return {pid for pid in pids if (stat := _stat(pid)) is not None and stat[0] != "Z"}


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _alive(pids)


def _stored(db: Path) -> list[tuple]:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute(
                "select id, scenario_hash, seed, finished_at from run where status = 'done' order by id"
            ).fetchall()
    except sqlite3.OperationalError:  # no file or no tables yet
        return []


def _finished(driver: Driver) -> int:
    """Runs the progress bar says are done."""
    counts = re.findall(rf"(\d+)/{RUNS} \[", driver.err.decode(errors="replace"))
    return int(counts[-1]) if counts else 0


def test_kill_9_of_the_driver_leaves_no_worker_running(sweep_args, tmp_path) -> None:
    driver = Driver(_console([*sweep_args, "-q"]), tmp_path)
    try:
        driver.wait_for("two workers", lambda: len(driver.descendants()) >= 2)
        workers = driver.descendants()
        os.kill(driver.proc.pid, signal.SIGKILL)
        assert driver.proc.wait(timeout=30) == -signal.SIGKILL
        assert _gone_within(workers, GRACE_SECONDS) == set(), "workers outlived the driver"
        assert driver.pipes_closed(GRACE_SECONDS), "something still holds the caller's pipes"
    finally:
        driver.clean_up()


def test_sigterm_stores_the_finished_runs_says_so_and_the_rerun_resumes(sweep_args, tmp_path) -> None:
    db = tmp_path / "store.db"
    driver = Driver(_console(sweep_args), tmp_path)  # with the progress bar, to see runs finish
    try:
        driver.wait_for("two finished runs", lambda: _finished(driver) >= 2)
        workers = driver.descendants()
        os.kill(driver.proc.pid, signal.SIGTERM)
        assert driver.proc.wait(timeout=60) == 128 + signal.SIGTERM == 143
        assert driver.pipes_closed(GRACE_SECONDS), "something still holds the caller's pipes"
        assert _gone_within(workers, GRACE_SECONDS) == set(), "workers outlived the driver"
    finally:
        driver.clean_up()
    last = driver.err.decode().replace("\r", "\n").strip().splitlines()[-1]
    match = MESSAGE.match(last)
    assert match, driver.err.decode()[-2000:]
    before = _stored(db)
    assert 2 <= int(match[1]) == len(before) < RUNS  # what had finished is stored, and said

    res = CliRunner().invoke(app, [*sweep_args, "-q"])
    assert res.exit_code == 0, res.output
    assert f"{RUNS - len(before)} done now, {len(before)} skipped as stored, 0 failed" in res.output
    after = _stored(db)
    keys = [(h, s) for _, h, s, _ in after]
    assert len(keys) == len(set(keys)) == RUNS  # each run once
    assert set(before) <= set(after)  # the stored ones were not run again
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == RUNS


FORKSERVER_DRIVER = textwrap.dedent(
    """\
    import threading, time
    from countysim.experiments.runner import default_executor

    if __name__ == "__main__":
        # a driver with a thread running gets its workers from a forkserver: their parent is the
        # forkserver, not the driver
        threading.Thread(target=threading.Event().wait, daemon=True).start()
        pool = default_executor(2)
        assert pool._mp_context.get_start_method() == "forkserver"
        futures = [pool.submit(time.sleep, 600) for _ in range(2)]
        time.sleep(600)
    """
)


def test_kill_9_of_a_driver_whose_workers_came_from_a_forkserver(tmp_path) -> None:
    script = tmp_path / "driver.py"
    script.write_text(FORKSERVER_DRIVER)
    driver = Driver([sys.executable, str(script)], tmp_path)
    try:
        # the forkserver's children are the workers
        def workers() -> set[int]:
            return {pid for pid in driver.descendants() if (_stat(pid) or ("", 0))[1] != driver.proc.pid}

        driver.wait_for("two workers from the forkserver", lambda: len(workers()) >= 2)
        everything = driver.descendants()
        os.kill(driver.proc.pid, signal.SIGKILL)
        assert driver.proc.wait(timeout=30) == -signal.SIGKILL
        assert _gone_within(everything, GRACE_SECONDS) == set(), (
            "workers or the forkserver outlived the driver"
        )
        assert driver.pipes_closed(GRACE_SECONDS)
    finally:
        driver.clean_up()


def test_ctrl_c_of_a_single_run_exits_130_with_a_line(tmp_path) -> None:
    """SIGINT outside an experiment (``countysim run``): one line, exit 130, nothing stored."""
    county = tmp_path / "county.toml"
    county.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "county"\n[county.households]\nn = 3000\n')
    db = tmp_path / "store.db"
    driver = Driver(_console(["run", str(county), "--db", f"sqlite:///{db}"]), tmp_path)
    try:
        driver.wait_for(
            "a month simulated", lambda: re.search(rb"county: +\d+%.*\| *[1-9]\d*/96", driver.err)
        )
        os.kill(driver.proc.pid, signal.SIGINT)
        assert driver.proc.wait(timeout=60) == 130
    finally:
        driver.clean_up()
    assert driver.err.decode().replace("\r", "\n").strip().splitlines()[-1] == "interrupted (SIGINT)"
    assert _stored(db) == []
