"""The ``countysim`` command, end to end on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app

from helpers import BASELINE

runner = CliRunner()


def test_run_writes_store_and_files(tmp_path, tiny):
    db = tmp_path / "r" / "store.db"
    out = tmp_path / "out"
    args = [
        "run",
        str(tiny),
        "--months",
        "4",
        "--seed",
        "9",
        "--db",
        f"sqlite:///{db}",
        "--output-dir",
        str(out),
        "-q",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "employed_rate" in res.output and "stored as run 1" in res.output
    panel = pd.read_csv(out / "indicators.csv")
    assert list(panel.columns[:2]) == ["seed", "month"] and list(panel.columns[2:]) == list(
        cs.indicators.NAMES
    )
    assert panel["month"].tolist() == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert (panel["seed"] == 9).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "tiny" and summary["seed"] == 9 and summary["months"] == 4
    assert set(summary["final"]) == set(cs.indicators.NAMES)
    assert summary["scenario_hash"] == cs.load_scenario(tiny).replace(**{"horizon.months": 4}).content_hash()
    assert summary["wall_seconds"] > 0 and summary["persons"] > 4000
    assert (out / "key_series.png").stat().st_size > 10_000
    with sqlite3.connect(db) as con:
        n_values = con.execute("select count(*) from indicator_value").fetchone()[0]
        status = con.execute("select status, seed, months from run").fetchall()
    assert n_values == 4 * len(cs.indicators.NAMES) and status == [("done", 9, 4)]
    # the same run again: identical file, nothing duplicated in the store
    first = (out / "indicators.csv").read_bytes()
    assert runner.invoke(app, args).exit_code == 0
    assert (out / "indicators.csv").read_bytes() == first
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == 1


def test_bad_db_url_fails_before_running_and_writes_nothing(tmp_path, tiny):
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["run", str(tiny), "--months", "2", "--db", "nosuchdb://x", "--output-dir", str(out)]
    )
    assert res.exit_code == 2
    assert "nosuchdb://x" in res.output and "sqlite:///" in res.output
    assert not out.exists()


def test_bad_scenario_exit_code_and_message(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[levers]\ns1_training_places_per_year = -3\n")
    for cmd in (["validate", str(bad)], ["run", str(bad), "--db", f"sqlite:///{tmp_path}/x.db"]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 2
        assert (
            "levers.s1_training_places_per_year.value" in res.output
            and "allowed 0.0 to 500000.0" in res.output
        )
    assert not (tmp_path / "x.db").exists()


def test_validate_ok():
    res = runner.invoke(app, ["validate", str(BASELINE)])
    assert res.exit_code == 0 and "valid" in res.output and "status quo" in res.output


def test_levers_and_indicators_tables():
    res = runner.invoke(app, ["levers", "--markdown"])
    assert res.exit_code == 0
    for lever in cs.LEVERS:
        assert f"| {lever.clause} | {lever.name} |" in res.output
    res = runner.invoke(app, ["indicators"])
    assert res.exit_code == 0 and all(name in res.output for name in cs.indicators.NAMES)


def test_levers_show_kind_and_scales_and_full_text():
    res = runner.invoke(app, ["levers"])
    assert res.exit_code == 0, res.output
    lines = {line.split()[1]: line for line in res.output.splitlines()[2:] if line.strip()}
    assert set(lines) == {lv.name for lv in cs.LEVERS}
    for lever in cs.LEVERS:
        cells = lines[lever.name].split()
        assert cells[2:4] == [lever.kind, "yes" if lever.scales else "no"], lines[lever.name]
        assert lever.unit in lines[lever.name] and ", ".join(lever.indicators) in lines[lever.name]
    md = runner.invoke(app, ["levers", "--markdown"]).output
    switch = next(lv for lv in cs.LEVERS if lv.kind == "switch")
    assert f"| {switch.clause} | {switch.name} | switch | no |" in md


def test_params_print_every_source_in_full():
    from countysim.scenario import parameter_table

    res = runner.invoke(app, ["params"])
    assert res.exit_code == 0
    for row in parameter_table():
        assert row["source"] in res.output, row["key"]
    assert "…" not in res.output


def test_tables_wrap_to_a_terminal_and_cut_nothing(monkeypatch):
    from countysim import cli_common

    monkeypatch.setattr(cli_common, "terminal_width", lambda: 100)
    res = runner.invoke(app, ["indicators"])
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert max(map(len, lines)) <= 100 and len(lines) > len(cs.indicators.CATALOGUE) + 2  # wrapped
    squeezed = "".join(res.output.split())
    for i in cs.indicators.CATALOGUE:
        assert "".join(i.definition.split()) in squeezed, i.name
    assert "…" not in res.output


def test_markdown_cells_escape_the_column_separator(capsys):
    from countysim.cli_common import table

    table(("a", "b"), [("x | y", "2")], markdown=True)
    assert capsys.readouterr().out.splitlines()[-1] == r"| x \| y | 2 |"


def test_plausibility_checks_the_first_year_of_a_shorter_scenario(tmp_path):
    short = tmp_path / "short.toml"
    short.write_text(
        f'extends = "{BASELINE.as_posix()}"\n[horizon]\nmonths = 6\n[county.households]\nn = 400\n'
    )
    res = runner.invoke(app, ["plausibility", str(short)])
    assert res.exit_code in (0, 1), res.output  # 1: a row outside its range (a tiny county is noisy)
    assert "mean_monthly_income" in res.output and "--months" not in res.output
