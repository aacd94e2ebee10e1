"""``countysim results list | runs | export`` on a real SQLite store holding done, failed and other code's runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from test_store import HASH, OTHER, make_result
from typer.testing import CliRunner

from countysim.cli import app
from countysim.store import ResultsStore
from countysim.version import code_fingerprint, git_commit

runner = CliRunner()
#: longer than any column the old fixed-width tables printed (48 characters)
EXPERIMENT = "sweep:" + "training-places-against-settlement-behaviour-" * 2
SCENARIO = "full_action_with_eighty_thousand_training_places_a_year_from_march"
ERROR = (
    'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
    "countysim.build.microdata.MicrodataError: /data/county[2023].csv: row 17, column 'age' = -3: "
    "must be 0 to 110"
)


@pytest.fixture()
def url(tmp_path: Path) -> str:
    """A store with, in one experiment: a done run, a failed run and a run made by other code."""
    url = f"sqlite:///{tmp_path / 'results.db'}"
    with ResultsStore(url) as store:
        exp = store.experiment(EXPERIMENT, kind="sweep")
        store.save_runs(exp, [replace(make_result(seed=1), scenario_name=SCENARIO)])
        store.save_failure(exp, SCENARIO, HASH, 2, ERROR)
        store.save_runs(exp, [replace(make_result(seed=3), scenario_name=SCENARIO, code_fingerprint=OTHER)])
    return url


def _line(output: str, *cells: str) -> str:
    """The one line of ``output`` that holds every one of ``cells``."""
    [line] = [x for x in output.splitlines() if all(c in x for c in cells)]
    return line


def test_results_runs_lists_failed_runs_and_the_code_of_each_in_full(url: str) -> None:
    res = runner.invoke(app, ["results", "runs", "--db", url])
    assert res.exit_code == 0, res.output
    code = [code_fingerprint()[:8], *([git_commit()] if git_commit() else [])]  # commit: in a checkout
    done = _line(res.output, " done ", code[0])
    assert done.split()[:6] == ["1", EXPERIMENT, SCENARIO, HASH, "1", "done"]
    assert done.split()[-len(code) :] == code
    failed = _line(res.output, " failed ")
    assert failed.split()[:6] == ["2", EXPERIMENT, SCENARIO, HASH, "2", "failed"]
    # the error's last line whole, brackets and all
    assert failed.rstrip().endswith(ERROR.splitlines()[-1])
    assert any(failed.split()[i : i + len(code)] == code for i in range(len(failed.split())))
    other = _line(res.output, " done ", OTHER[:8])
    assert other.split()[:6] == ["3", EXPERIMENT, SCENARIO, HASH, "3", "done"]
    assert (
        f"this code is {code_fingerprint()[:8]}; 1 run made by other code kept but not reused" in res.output
    )

    one = runner.invoke(app, ["results", "runs", EXPERIMENT, "--db", url])
    assert one.exit_code == 0 and one.output == res.output


def test_results_list_counts_this_codes_runs_and_says_how_many_other_code_made(url: str) -> None:
    res = runner.invoke(app, ["results", "list", "--db", url])
    assert res.exit_code == 0, res.output
    line = _line(res.output, EXPERIMENT)
    assert line.split()[:3] == ["1", EXPERIMENT, "sweep"] and line.split()[-3:] == ["2", "1", "1"]
    assert "1 run made by other code kept but not reused" in res.output


def test_results_export_is_this_codes_runs_unless_all_code(url: str, tmp_path: Path) -> None:
    mine, everything = tmp_path / "mine.csv", tmp_path / "all.csv"
    assert runner.invoke(app, ["results", "export", "runs", str(mine), "--db", url]).exit_code == 0
    res = runner.invoke(app, ["results", "export", "runs", str(everything), "--all-code", "--db", url])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(mine)["seed"].tolist() == [1, 2]
    frame = pd.read_csv(everything, dtype={"code_fingerprint": str})
    assert frame["seed"].tolist() == [1, 2, 3] and frame["code_fingerprint"].iloc[-1] == OTHER
