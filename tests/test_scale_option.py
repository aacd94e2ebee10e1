"""``--scale F`` on the commands that run the model: counts and capacities scale, rates do not."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from countysim.cli import app

from helpers import ROOT

BASELINE = str(ROOT / "scenarios" / "baseline.toml")


def test_run_at_a_scale_builds_a_county_of_that_size(tmp_path):
    args = ["run", BASELINE, "--months", "1", "--db", f"sqlite:///{tmp_path / 'r.db'}", "-q"]
    small = CliRunner().invoke(app, [*args, "--scale", "0.01", "--output-dir", str(tmp_path / "a")])
    assert small.exit_code == 0, small.output
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    persons = summary["final"]["persons"] if "final" in summary else summary["persons"]
    # the default county has ~330,000 persons in 110,000 households: 1 % of it is ~3,300
    assert 2_000 < persons < 5_000, persons
