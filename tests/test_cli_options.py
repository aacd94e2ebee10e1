"""Every option of every command refuses bad values (negative, zero, huge, not a number, empty)
before anything runs or is written, with a message naming the option and what is allowed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from countysim.cli import app
from countysim.cli_common import MAX_REPS, MAX_SEED, WORKERS_PER_CPU
from countysim.experiments.runner import usable_cpus

from helpers import BASELINE

runner = CliRunner()
HUGE = str(10**30)


@pytest.fixture()
def work(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.toml").write_text(
        f'extends = "{BASELINE.as_posix()}"\nname = "a"\n[county.households]\nn = 400\n', encoding="utf-8"
    )
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n', encoding="utf-8")
    (tmp_path / "t.toml").write_text(
        '[[target]]\nid = "t"\nclause = "R1"\nindicator = "contract_rate"\nop = ">="\nvalue = 0.1\n'
        'at = "2023-02"\n',
        encoding="utf-8",
    )
    (tmp_path / "s.toml").write_text(
        'base = "a.toml"\ndesign = "grid"\npoints = 2\noutcomes = ["employed_rate"]\n'
        '[parameters]\n"behaviour.labour.p_sep_outside" = [0.015, 0.035]\n',
        encoding="utf-8",
    )
    (tmp_path / "file").write_text("not a folder")
    return tmp_path


#: each command with the arguments it needs, and the options it takes
COMMANDS = {
    "run": (["run", "a.toml"], {"--seed", "--months", "--db", "--output-dir", "--scale"}),
    "needs": (["needs", "a.toml"], {"--seed", "--months", "--db", "--output-dir", "--reps", "--workers",
                                     "--cluster", "--norm", "--posterior", "--scale"}),
    "assess": (["assess", "a.toml", "--targets", "t.toml"], {"--seed", "--months", "--db", "--output-dir",
                                                              "--reps", "--workers", "--cluster", "--baseline", "--targets",
                                                              "--posterior", "--scale"}),
    "report": (["report", "a.toml"], {"--seed", "--months", "--db", "--output-dir", "--reps", "--workers",
                                       "--cluster", "--baseline", "--targets", "--posterior", "--scale", "--lang"}),
    "compare": (["compare", "a.toml", "b.toml", "--reps", "1"], {"--seed", "--months", "--db", "--output-dir",
                                                                  "--reps", "--workers", "--cluster",
                                                                  "--indicators", "--experiment", "--posterior", "--scale"}),
    "calibrate": (["calibrate", "c.toml"], {"--seed", "--name", "--db", "--output-dir", "--workers", "--cluster"}),
    "sweep": (["sweep", "s.toml"], {"--seed", "--months", "--db", "--output-dir", "--workers", "--cluster",
                                     "--name"}),
    "plausibility": (["plausibility", "a.toml"], {"--seed", "--reps", "--scale"}),
    "sensitivity": (["sensitivity", "x"], {"--db", "--output-dir", "--outcome"}),
}  # fmt: skip

#: (option, value, what the message must say), by class of bad value
BAD = {
    "negative": [("--seed", "-1", "greater than or equal to 0"), ("--months", "-3", "greater than or equal to 1"), ("--reps", "-2", "greater than or equal to 1"),
                 ("--workers", "-1", "greater than or equal to 1"), ("--scale", "-1", "allowed above 0")],
    "zero": [("--scale", "0", "allowed above 0 and at most 100"), ("--months", "0", "greater than or equal to 1"), ("--reps", "0", "greater than or equal to 1"), ("--workers", "0", "greater than or equal to 1")],
    "huge": [("--seed", str(MAX_SEED + 1), f"less than or equal to {MAX_SEED}"), ("--months", "361", "less than or equal to 360"),
             ("--months", HUGE, "less than or equal to 360"), ("--reps", str(MAX_REPS + 1), f"less than or equal to {MAX_REPS}"),
             ("--workers", HUGE, "per CPU"), ("--scale", "101", "at most 100"), ("--workers", str(WORKERS_PER_CPU * usable_cpus() + 1), "per CPU")],
    "not a number": [("--seed", "abc", "a valid integer"), ("--months", "1.5", "a valid integer"),
                     ("--reps", "x", "a valid integer"), ("--scale", "nan", "allowed above 0"), ("--scale", "x", "a valid number"), ("--workers", "two", "a valid integer")],
    "empty": [("--db", "", "empty"), ("--db", "  ", "empty"), ("--output-dir", "", "empty"),
              ("--cluster", "", "empty"), ("--experiment", "", "empty"), ("--name", " ", "empty"),
              ("--indicators", "", "no indicators given"), ("--outcome", "", "empty"),
              ("--norm", "", "expected name=value"), ("--baseline", "", "empty"),
              ("--targets", "", "empty"), ("--posterior", "", "empty"), ("--lang", "", "allowed zh, en")],
    "wrong kind": [("--output-dir", "file", "is not a folder"), ("--experiment", "a\nb", "control characters"),
                   ("--name", "x" * 201, "at most 200"), ("--norm", "primary_class_size_standard=inf", "finite"),
                   ("--cluster", "", "empty"), ("--posterior", "nothing.csv", "no such ensemble file")],
}  # fmt: skip
CASES = [
    pytest.param(command, option, value, expected, id=f"{kind}:{command}{option}={value[:12]!r}")
    for kind, bad in BAD.items()
    for option, value, expected in bad
    for command, (_, options) in COMMANDS.items()
    if option in options
]


def squeeze(text: str) -> str:
    """The output without the error panel's frame, on one line."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize(("command", "option", "value", "expected"), CASES)
def test_bad_option_is_refused_before_anything_runs(work, command, option, value, expected) -> None:
    args, _ = COMMANDS[command]
    res = runner.invoke(app, [*args, option, value])
    assert res.exit_code == 2, res.output
    out = squeeze(res.output)
    assert option in out or option.strip("-") in out, out
    assert squeeze(expected) in out, out
    assert "Traceback" not in res.output
    assert not (work / "results").exists(), "something was written"


def test_every_option_of_every_command_is_covered() -> None:
    import typer.main

    group = typer.main.get_command(app)
    tested = {option for bad in BAD.values() for option, *_ in bad}
    for name, (_, options) in COMMANDS.items():
        params = [p for p in group.commands[name].params if p.param_type_name == "option"]
        declared = {o for p in params if not p.is_flag for o in p.opts}
        assert declared == options, name
        assert options <= tested, f"{name}: no bad value tried for {sorted(options - tested)}"


@pytest.mark.parametrize("command", ["run", "needs", "assess", "report", "compare"])
def test_months_beyond_the_horizon_names_the_horizon(work, command) -> None:
    args, _ = COMMANDS[command]
    res = runner.invoke(app, [*args, "--months", "97"])
    assert res.exit_code == 2, res.output
    assert "--months 97: longer than the horizon of scenario 'a'" in res.output
    assert "96 months, 2023-01 to 2030-12" in res.output and "allowed 1 to 96" in res.output
    assert not (work / "results").exists()


@pytest.mark.parametrize("command", ["needs", "assess", "report", "compare"])
def test_the_last_replication_seed_must_fit(work, command) -> None:
    args, _ = COMMANDS[command]
    args = [a for a in args if a not in ("--reps", "1")] if command == "compare" else args
    res = runner.invoke(app, [*args, "--seed", str(MAX_SEED - 1), "--reps", "3"])
    assert res.exit_code == 2, res.output
    assert f"the last replication's seed would be {MAX_SEED + 1}" in res.output
    assert f"give a seed of at most {MAX_SEED - 2}" in res.output
    assert not (work / "results").exists()


def test_sweep_months_beyond_its_horizon_names_the_horizon(work) -> None:
    res = runner.invoke(app, ["sweep", "s.toml", "--months", "97"])
    assert res.exit_code == 2, res.output
    assert "--months = 97: longer than the sweep's horizon (96 months, 2023-01 to 2030-12)" in res.output
    assert "allowed 1 to 96" in res.output and not (work / "results").exists()
