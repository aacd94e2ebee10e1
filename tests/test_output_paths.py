"""Default output folders stay inside results/, whatever a scenario or sweep is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from countysim.cli import app
from countysim.cli_common import MAX_FOLDER_BYTES, RESULTS_DIR, default_output_dir, safe_name

from helpers import BASELINE

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x", "_.._x"),
        ("/etc/passwd", "_etc_passwd"),
        ("C:\\Windows\\x", "C_Windows_x"),
        ("a/b\\c", "a_b_c"),
        ("", "unnamed"),
        ("..", "unnamed"),
        (".", "unnamed"),
        ("....", "unnamed"),
        ("  ", "unnamed"),
        ("line\nbreak\x00nul\ttab", "line_break_nul_tab"),
        ("\u202eevil", "_evil"),  # a right-to-left override is invisible: replaced
        ("NUL", "_NUL"),
        ("con.toml", "_con.toml"),
        ("西安縣 全面行動", "西安縣 全面行動"),
        ("full_action", "full_action"),
        (".hidden", "hidden"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_default_folders_of_each_kind() -> None:
    assert default_output_dir(None, "baseline", seed=20230112) == Path("results/baseline-seed20230112")
    assert default_output_dir("compare", "baseline", "../full") == Path("results/compare-baseline+_full")
    assert default_output_dir("needs", "/abs/西安") == Path("results/needs-_abs_西安")
    long_a, long_b = "縣" * 100 + "a", "縣" * 100 + "b"
    a, b = default_output_dir("sweep", long_a), default_output_dir("sweep", long_b)
    assert a != b and len(a.name.encode()) <= MAX_FOLDER_BYTES and a.name.startswith("sweep-縣縣")


@given(st.text(), st.lists(st.text(), max_size=3), st.none() | st.integers(0, 2**63 - 1))
def test_any_name_gives_one_folder_inside_results(first: str, more: list[str], seed: int | None) -> None:
    path = default_output_dir("report", first, *more, seed=seed)
    assert path.parent == RESULTS_DIR and len(path.parts) == 2
    name = path.name
    assert name not in ("", ".", "..") and not name.startswith(".") and len(name.encode()) <= MAX_FOLDER_BYTES
    assert not any(c in name for c in "/\\:\x00\n")
    assert (Path("/base") / path).resolve().parent == Path("/base/results")


# ----------------------------------------------------------------------------------------
# every command, end to end, with a scenario (or sweep) named as badly as its file allows
# ----------------------------------------------------------------------------------------
# (a name holding / or \ is refused when the scenario is read; dots, colons and wildcards are not)
HOSTILE = "..:西安*?"
SAFE = "_西安_"


def scenario(folder: Path, name: str, file: str = "s.toml") -> Path:
    path = folder / file
    path.write_text(
        f'extends = "{BASELINE.as_posix()}"\nname = "{name}"\n'
        "[county.households]\nn = 400\n[horizon]\nmonths = 2\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def work(tmp_path, monkeypatch) -> Path:
    """A working directory two levels down, so that a folder written above it would show."""
    cwd = tmp_path / "a" / "work"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return cwd


def written(work: Path) -> list[str]:
    assert [p.name for p in work.parent.parent.iterdir()] == ["a"]
    assert [p.name for p in work.parent.iterdir()] == ["work"]
    return sorted(p.name for p in (work / "results").iterdir())


def invoke(*args: str):
    res = runner.invoke(app, [*args, "--db", "sqlite:///store.db"])
    assert res.exit_code == 0, res.output
    return res


def test_run_writes_inside_results(work) -> None:
    invoke("run", str(scenario(work, HOSTILE)), "--seed", "3", "-q")
    assert written(work) == [f"{SAFE}-seed3"]


@pytest.mark.parametrize("command", ["needs", "report"])
def test_planning_commands_write_inside_results(work, command) -> None:
    invoke(command, str(scenario(work, HOSTILE)), "--reps", "1", "--workers", "1", "-q")
    assert written(work) == [f"{command}-{SAFE}"]


def test_assess_writes_inside_results(work) -> None:
    targets = work / "t.toml"
    targets.write_text(
        '[[target]]\nid = "t"\nclause = "R1"\nindicator = "contract_rate"\nop = ">="\nvalue = 0.1\nat = "2023-02"\n'
    )
    invoke(
        "assess",
        str(scenario(work, HOSTILE)),
        "--targets",
        str(targets),
        "--reps",
        "1",
        "--workers",
        "1",
        "-q",
    )
    assert written(work) == [f"assess-{SAFE}"]


def test_compare_writes_inside_results_and_keeps_chinese(work) -> None:
    a, b = scenario(work, HOSTILE, "a.toml"), scenario(work, "NUL 全面", "b.toml")
    invoke("compare", str(a), str(b), "--reps", "1", "--workers", "1", "-q")
    assert written(work) == [f"compare-{SAFE}+NUL 全面"]


def test_sweep_and_sensitivity_write_inside_results(work) -> None:
    base = scenario(work, "base")
    sweep = work / "sw.toml"
    sweep.write_text(
        f'base = "{base.name}"\nname = "{HOSTILE}"\ndesign = "grid"\npoints = 2\noutcomes = ["employed_rate"]\n'
        '[parameters]\n"behaviour.labour.p_sep_outside" = [0.015, 0.035]\n',
        encoding="utf-8",
    )
    invoke("sweep", str(sweep), "--workers", "1", "-q")
    assert written(work) == [f"sweep-{SAFE}"]
    invoke("sensitivity", HOSTILE)
    assert written(work) == [f"sweep-{SAFE}"]
    assert sorted(p.name for p in (work / "results" / f"sweep-{SAFE}").iterdir()) == [
        "sensitivity.csv", "sensitivity.png", "sweep_outcomes.csv",
    ]  # fmt: skip


def test_an_explicit_output_dir_is_used_as_given(work) -> None:
    target = work.parent / "chosen"
    invoke("run", str(scenario(work, HOSTILE)), "--output-dir", str(target), "-q")
    assert (target / "indicators.csv").is_file() and not (work / "results").exists()
