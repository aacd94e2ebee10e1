"""``countysim report``: baseline and packages side by side, the one-scenario form, --lang, --pdf."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from countysim.cli import app

from helpers import ROOT

runner = CliRunner()


@pytest.fixture()
def files(tmp_path):
    def small(name: str, extends: str) -> str:
        path = tmp_path / f"{name}.toml"
        path.write_text(f'extends = "{(ROOT / "scenarios" / extends).as_posix()}"\nname = "{name}"\n'
                        "[county.households]\nn = 1500\n[horizon]\nmonths = 36\n", encoding="utf-8")  # fmt: skip
        return str(path)

    return {"base": small("base", "baseline.toml"), "skills": small("skills_pkg", "skills.toml"),
            "full": small("full", "full_action.toml"), "db": f"sqlite:///{tmp_path / 'r.db'}", "tmp": tmp_path}  # fmt: skip


def _run(files, *args):
    return runner.invoke(app, ["report", *args, "--reps", "2", "--db", files["db"], "--workers", "1", "-q"])


def test_a_baseline_and_two_packages_side_by_side_with_targets_and_a_pdf(chromium, files):
    out = files["tmp"] / "out"
    res = _run(files, files["base"], files["skills"], files["full"], "--targets", str(ROOT / "targets" / "notice_2023.toml"),
               "--output-dir", str(out), "--pdf")  # fmt: skip
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and html.count("<h3>skills_pkg</h3>") == 2  # its levers, its needs
    assert "<th>full 较基线</th>" in html and "<th>skills_pkg 较基线</th>" in html
    assert (out / "report.xlsx").is_file() and (out / "report.md").is_file()
    pages = int(res.output.split("report.pdf: ")[1].split(" pages")[0])
    assert 6 <= pages <= 30 and (out / "report.pdf").stat().st_size > 50_000


def test_todays_one_package_form_and_english(files):
    out = files["tmp"] / "en"
    res = _run(files, files["full"], "--baseline", files["base"], "--lang", "en", "--output-dir", str(out))
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        '<html lang="en">' in html and "<th>full vs baseline</th>" in html and "No targets file given" in html
    )


def test_one_scenario_alone(files):
    out = files["tmp"] / "one"
    res = _run(files, files["base"], "--output-dir", str(out))
    assert res.exit_code == 0, res.output
    assert "现状分析报告" in (out / "report.html").read_text(encoding="utf-8")


def test_pdf_without_chromium_says_what_is_missing_before_anything_runs(files, monkeypatch):
    monkeypatch.setenv("COUNTYSIM_CHROMIUM", str(files["tmp"] / "no-such-browser"))
    monkeypatch.setenv("PATH", str(files["tmp"]))
    out = files["tmp"] / "nopdf"
    res = _run(files, files["base"], "--pdf", "--output-dir", str(out))
    assert res.exit_code == 2, res.output
    assert (
        "--pdf needs a headless Chromium, and none was found" in res.output
        and "apt-get install chromium" in res.output
    )
    assert not out.exists() and not (files["tmp"] / "r.db").exists()


def test_scenarios_that_repeat_a_name_or_differ_in_horizon_are_refused(files):
    res = _run(files, files["base"], files["base"])
    assert res.exit_code == 2 and "scenario name(s) 'base' repeat" in res.output
    short = files["tmp"] / "short.toml"
    short.write_text(
        f'extends = "{files["full"]}"\nname = "short"\n[horizon]\nmonths = 12\n', encoding="utf-8"
    )
    res = _run(files, files["base"], str(short))
    assert res.exit_code == 2 and "different horizons" in res.output
    res = _run(files, files["base"], "--lang", "fr")
    assert res.exit_code == 2 and "'fr': allowed zh, en" in res.output
