"""A calibration killed with SIGKILL resumes: finished simulations are not run again, same result."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

from calib_helpers import observe, write_calibration
from typer.testing import CliRunner

from countysim.calibration import load_ensemble
from countysim.cli import app

from helpers import done_runs

PRIORS = {"behaviour.labour.p_find_outside": (0.1, 0.6)}


def _args(path, db, out) -> list[str]:
    return [
        "calibrate",
        str(path),
        "--db",
        f"sqlite:///{db}",
        "--output-dir",
        str(out),
        "--workers",
        "2",
        "-q",
    ]


def _counts(output: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) simulations \((\d+) run now, (\d+) found stored", output)
    assert found, output
    return tuple(int(g) for g in found.groups())


def test_kill_9_then_resume_reruns_no_finished_simulation(tmp_path):
    observed = {"jobless_rate@2019": observe({"behaviour.labour.p_find_outside": 0.3})["jobless_rate@2019"]}
    path = write_calibration(tmp_path, observed, name="resume", priors=PRIORS, population=12, generations=3)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from countysim.cli import app; app()", *_args(path, db, tmp_path / "a")],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        # past the first generation (12 runs), so that the kill lands inside the sampler's later batches
        while len(done_runs(db)) < 16:
            assert proc.poll() is None, f"calibrate ended before the kill: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "too few runs were stored within 240 s"
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
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from calibration").fetchone()[0] == 0  # not finished
    resumed = CliRunner().invoke(app, _args(path, db, tmp_path / "b"))
    assert resumed.exit_code == 0, resumed.output
    total, run_now, found = _counts(resumed.output)
    after = done_runs(db)
    assert set(before) <= set(after)  # the runs finished before the kill kept their ids and times
    assert found == len(before) and run_now == len(after) - len(before) and total == len(after)

    fresh = CliRunner().invoke(app, _args(path, tmp_path / "fresh.db", tmp_path / "c"))
    assert fresh.exit_code == 0, fresh.output
    assert _counts(fresh.output) == (total, total, 0)
    a, b = load_ensemble(tmp_path / "b" / "ensemble.csv"), load_ensemble(tmp_path / "c" / "ensemble.csv")
    assert a.frame().equals(b.frame()) and a.statistics.equals(b.statistics)
    assert a.provenance["generations"] == b.provenance["generations"]
