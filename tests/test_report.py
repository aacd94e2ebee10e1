"""The report: self-contained HTML and Markdown, opened in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

import countysim as cs
from countysim.experiments import InlineExecutor, replicate, run_experiment
from countysim.report.document import ReportData, render

from helpers import ROOT


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        if os.environ.get("COUNTYSIM_REQUIRE_CHROMIUM"):
            pytest.fail("COUNTYSIM_REQUIRE_CHROMIUM is set but no Chromium is installed")
        pytest.skip("headless Chromium not installed (.ci/run installs it)")
    return path


def open_in_chromium(url: str, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
            *extra, url]  # fmt: skip
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)


class Census(HTMLParser):
    """Counts what a browser built from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.images: list[str] = []
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if tag == "img":
            self.images.append(dict(attrs).get("src", ""))
        self._in_h2 = tag == "h2"

    def handle_data(self, data):
        if self._in_h2:
            self.headings.append(data)
            self._in_h2 = False


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    base = (
        cs.load_scenario(ROOT / "scenarios" / "baseline.toml").scaled(0.03).replace(**{"horizon.months": 24})
    )
    action = (
        cs.load_scenario(ROOT / "scenarios" / "full_action.toml")
        .scaled(0.03)
        .replace(**{"horizon.months": 24})
    )
    results, _ = run_experiment(
        "report", replicate([action, base], 2), executor=InlineExecutor(), progress=False
    )
    needs = pd.DataFrame({"year": [2023, 2024], "item": ["primary seats needed"] * 2, "mean": [100.0, 120.0],
                          "lo90": [90.0, 110.0], "hi90": [110.0, 130.0], "unit": ["seats"] * 2})  # fmt: skip
    assessment = pd.DataFrame(
        {"id": ["t1"], "indicator": ["contract_rate"], "verdict": ["met"], "probability": [1.0]}
    )
    data = ReportData(
        scenario=action,
        results=[r for r in results if r.scenario_name == "full_action"],
        baseline=base,
        baseline_results=[r for r in results if r.scenario_name == "baseline"],
        needs=needs,
        assessment=assessment,
        command="countysim report scenarios/full_action.toml --reps 2",
    )
    return render(data, out)


def test_files_are_written(report):
    html_path, md_path = report
    text = html_path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "data:image/png;base64," in text
    assert "src='report_" not in text  # self-contained: no external figure files
    md = md_path.read_text(encoding="utf-8")
    assert "## 7. Reproduce" in md and "countysim report scenarios/full_action.toml --reps 2" in md
    for fig in ("report_key_indicators.png", "report_resource_needs.png"):
        assert f"]({fig})" in md and (md_path.parent / fig).stat().st_size > 5_000


def test_years_and_shares_read_as_such(report):
    html_path, md_path = report
    md, text = md_path.read_text(encoding="utf-8"), html_path.read_text(encoding="utf-8")
    assert "| 2023 | primary seats needed | 100 | 90 | 110 | seats |" in md
    assert '<td class="num">2024</td>' in text
    assert "2,023" not in md and "2,024" not in text
    # a share in the key-indicator table keeps three decimals (its row's unit says share)
    row = next(line for line in md.splitlines() if line.startswith("| contract_rate | share |"))
    assert all(len(cell.strip().split(".")[-1]) == 3 for cell in row.split("|")[3:6]), row


def test_report_renders_in_chromium(report, tmp_path):
    html_path, _ = report
    dom = open_in_chromium(html_path.as_uri(), tmp_path, "--dump-dom").stdout
    census = Census()
    census.feed(dom)
    assert census.tables >= 6  # baseline, package, indicators, needs, assessment, assumptions, parameters
    assert len(census.images) == 2 and all(src.startswith("data:image/png;base64,") for src in census.images)
    for heading in ("County baseline", "Package and schedule", "Key indicators", "Resource needs",
                    "Assessment against targets", "Assumptions and sources", "Reproduce"):  # fmt: skip
        assert any(heading in h for h in census.headings), heading
    assert "full_action" in dom and "e1_county_job_growth" in dom
    shot = tmp_path / "shot.png"
    open_in_chromium(html_path.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1200,1600")
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_report_needs_results(tmp_path):
    base = cs.load_scenario(ROOT / "scenarios" / "baseline.toml")
    with pytest.raises(ValueError, match="at least one finished run"):
        render(ReportData(scenario=base, results=[]), tmp_path)


def test_report_command_end_to_end(tmp_path):
    from typer.testing import CliRunner

    from countysim.cli import app

    small = tmp_path / "small.toml"
    small.write_text(f'extends = "{(ROOT / "scenarios" / "full_action.toml").as_posix()}"\nname = "small"\n'
                     "[county.households]\nn = 2000\n[horizon]\nmonths = 36\n")  # fmt: skip
    base = tmp_path / "base.toml"
    base.write_text(f'extends = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\nname = "base"\n'
                    "[county.households]\nn = 2000\n[horizon]\nmonths = 36\n")  # fmt: skip
    args = ["report", str(small), "--baseline", str(base), "--targets", str(ROOT / "targets" / "notice_2023.toml"),
            "--reps", "2", "--db", f"sqlite:///{tmp_path / 'r.db'}", "--output-dir", str(tmp_path / "out"),
            "--workers", "1", "-q"]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for part in ("County baseline", "Resource needs", "Assessment against targets", "countysim report"):
        assert part in text
    # a targets file whose dates lie beyond the horizon is refused before anything runs
    short = tmp_path / "short.toml"
    short.write_text(f'extends = "{small.as_posix()}"\n[horizon]\nmonths = 6\n')
    bad = CliRunner().invoke(app, [*args[:1], str(short), *args[2:]])
    assert bad.exit_code == 2 and "2025-12" in bad.output
