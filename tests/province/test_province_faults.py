"""``countysim province run`` killed with SIGKILL mid-way: the rerun does only what is missing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app

from helpers import ROOT, done_runs

EXAMPLE = ROOT / "provinces" / "example5.toml"


def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(tmp_path) -> None:
    db, reps, months = tmp_path / "store.db", 6, 12
    args = ["province", "run", str(EXAMPLE), "--reps", str(reps), "--months", str(months), "--scale", "0.02"]
    args += ["--db", f"sqlite:///{db}", "--output-dir", str(tmp_path / "out"), "--workers", "2", "-q"]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from countysim.cli import app; app()", *args],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not done_runs(db):
            assert proc.poll() is None, (
                f"the province ended before any run was stored: {proc.stderr.read()!r}"
            )
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
    total = 5 * 2 * reps
    before = done_runs(db)
    assert 0 < len(before) < total, "the kill should land mid-way"
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    after = done_runs(db)
    keys = [(h, s) for _, h, s, _ in after]
    assert len(after) == total and len(set(keys)) == total  # every run done exactly once
    assert set(before) <= set(after)  # runs finished before the kill were not run again
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == total  # no stray rows
        n_values = con.execute("select count(*) from indicator_value").fetchone()[0]
        assert con.execute("select count(*) from experiment").fetchone()[0] == 1  # one experiment
    assert n_values == total * months * len(cs.indicators.NAMES)  # no half-written run
