"""A report of the default county: the baseline and two packages, built once for the report's tests."""

from __future__ import annotations

import os
import shutil

import pytest

import countysim as cs
from countysim.assessment import assess
from countysim.experiments import InlineExecutor, replicate, run_experiment
from countysim.report.document import PackageRuns, ReportData

from helpers import ROOT

SCALE, MONTHS, REPS = 0.02, 36, 2
TARGETS = ROOT / "targets" / "notice_2023.toml"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, or a skip (a failure when COUNTYSIM_REQUIRE_CHROMIUM is set)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        if os.environ.get("COUNTYSIM_REQUIRE_CHROMIUM"):
            pytest.fail("COUNTYSIM_REQUIRE_CHROMIUM is set but no Chromium is installed")
        pytest.skip("headless Chromium not installed (.ci/run installs it)")
    return path


def small(name: str) -> cs.Scenario:
    return (
        cs.load_scenario(ROOT / "scenarios" / f"{name}.toml")
        .scaled(SCALE)
        .replace(**{"horizon.months": MONTHS})
    )


@pytest.fixture(scope="session")
def runs():
    scenarios = [small("baseline"), small("full_action"), small("skills")]
    results, failures = run_experiment("report-tests", replicate(scenarios, REPS), executor=InlineExecutor(),
                                       progress=False)  # fmt: skip
    assert not failures
    return scenarios, {s.name: sorted((r for r in results if r.scenario_name == s.name), key=lambda r: r.seed)
                       for s in scenarios}  # fmt: skip


def _make_data(runs, lang: str = "zh", targets: bool = True) -> ReportData:
    scenarios, by_name = runs
    base, *packages = scenarios
    goals = TARGETS if targets else None
    return ReportData(
        baseline=base,
        baseline_results=by_name[base.name],
        packages=[
            PackageRuns(
                p, by_name[p.name], assess(by_name[p.name], goals, by_name[base.name]) if goals else None
            )
            for p in packages
        ],
        baseline_assessment=assess(by_name[base.name], goals) if goals else None,
        targets_file="targets/notice_2023.toml",
        command="countysim report scenarios/baseline.toml scenarios/full_action.toml scenarios/skills.toml",
        lang=lang,
    )


@pytest.fixture(scope="session")
def make_data(runs):
    """``make_data(lang="zh", targets=True)``: the report's data for the baseline and two packages."""
    return lambda lang="zh", targets=True: _make_data(runs, lang, targets)


@pytest.fixture(scope="session")
def report_zh(runs, tmp_path_factory):
    from countysim.report.document import render

    return render(_make_data(runs, "zh"), tmp_path_factory.mktemp("report_zh"))


@pytest.fixture(scope="session")
def report_en(runs, tmp_path_factory):
    from countysim.report.document import render

    return render(_make_data(runs, "en"), tmp_path_factory.mktemp("report_en"))
