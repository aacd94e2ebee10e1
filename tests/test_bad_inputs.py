"""The bad-input corpus (tests/data/bad_inputs): each file, through the command a user runs, gives
exit status 2, no traceback, and a message naming the file, the key path or row and what is allowed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from countysim.cli import app

from helpers import BASELINE

CORPUS = Path(__file__).parent / "data" / "bad_inputs"
INDEX = tomllib.loads((CORPUS / "index.toml").read_text(encoding="utf-8"))
CASES = [(kind, case) for kind in ("scenarios", "microdata", "targets") for case in INDEX[kind]]
runner = CliRunner()


def test_every_file_has_an_index_entry_and_every_entry_a_file():
    for kind in ("scenarios", "microdata", "targets"):
        files = {p.name for p in (CORPUS / kind).iterdir()}
        listed = [case["file"] for case in INDEX[kind]]
        assert len(listed) == len(set(listed)), f"{kind}: a file is listed twice"
        assert files == set(listed), (
            f"{kind}: not indexed {files - set(listed)}, missing {set(listed) - files}"
        )
        assert all(case["tests"] and case["expect"] for case in INDEX[kind])


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}/{c['file']}" for k, c in CASES])
def test_bad_input(tmp_path, kind, case):
    path = CORPUS / kind / case["file"]
    if kind == "scenarios":
        args = ["validate", str(path)]
    elif kind == "microdata":
        scenario = tmp_path / "county.toml"
        scenario.write_text(f'[population]\nsource = "microdata"\npath = "{path.as_posix()}"\n')
        args = ["validate", str(scenario)]
    else:
        db = tmp_path / "store.db"
        args = ["assess", str(BASELINE), "--targets", str(path), "--reps", "1", "--db", f"sqlite:///{db}"]
    res = runner.invoke(app, args)
    out = res.output
    assert res.exit_code == 2, out
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in out
    assert str(path) in out
    for needle in case["expect"]:
        assert needle in out, f"{case['file']} ({case['tests']}): {needle!r} not in\n{out}"
    if kind == "targets":
        assert not (tmp_path / "store.db").exists()  # refused before anything ran or was stored
