"""``countysim province run | compare | assess | report`` on the tiny example, and bad input."""

from __future__ import annotations

import csv
import importlib.util

import pytest
from typer.testing import CliRunner

from countysim.cli import app

from helpers import ROOT

EXAMPLE = ROOT / "provinces" / "example5.toml"
TINY = ["--reps", "2", "--months", "24", "--scale", "0.02", "--workers", "2", "-q"]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('cli')}/store.db"


def _invoke(*args: str):
    return runner.invoke(app, ["province", *args])


def test_run_prints_the_province_and_writes_its_summary(db, tmp_path) -> None:
    res = _invoke("run", str(EXAMPLE), *TINY, "--db", db, "--output-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "province example5: 5 counties (3 key assisted), packages status_quo, full_action" in res.output
    assert "training_person_times_poverty" in res.output
    rows = list(csv.DictReader((tmp_path / "province_summary.csv").open()))
    assert {r["package"] for r in rows} == {"status_quo", "full_action"}
    assert {r["rule"] for r in rows if r["indicator"] == "employed_rate"} == {"weighted"}


def test_compare_reads_the_stored_runs_and_pairs_the_packages(db, tmp_path) -> None:
    res = _invoke("compare", str(EXAMPLE), *TINY[:-1], "--db", db, "--output-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert (
        "20 run now" not in res.output and "0 run now, 20 stored before" in res.output
    )  # resumed: nothing rerun
    assert "key assisted counties: paired difference from status_quo" in res.output
    rows = list(csv.DictReader((tmp_path / "province_comparison.csv").open()))
    assert {r["counties"] for r in rows} == {"all", "key_assisted"}


def test_assess_gives_probabilities_and_ranks_counties(db, tmp_path) -> None:
    res = _invoke("assess", str(EXAMPLE), *TINY, "--db", db, "--output-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader((tmp_path / "province_assessment.csv").open()))
    assert [r["id"] for r in table] == [
        "s3_poverty_training_person_times",
        "s3_new_high_skilled",
        "p5_public_school_share",
    ]
    assert all(0 <= float(r["probability"]) <= 1 for r in table)
    # a count target is scaled with the province (--scale 0.02); a share is not
    assert float(table[0]["value"]) == pytest.approx(11250 * 0.02) and float(table[2]["value"]) == 0.85
    gaps = list(csv.DictReader((tmp_path / "county_gaps.csv").open()))
    s3 = [g for g in gaps if g["target"] == "s3_poverty_training_person_times"]
    assert {g["county"] for g in s3} == {"Fengqiao", "Baishui", "Dongshan"}  # key assisted only
    assert [int(g["rank"]) for g in s3] == [1, 2, 3]
    assert float(s3[0]["relative_gap"]) <= float(s3[1]["relative_gap"]) <= float(s3[2]["relative_gap"])


def test_report_is_chinese_by_default_and_english_on_request(db, tmp_path) -> None:
    res = _invoke("report", str(EXAMPLE), *TINY, "--db", db, "--output-dir", str(tmp_path / "zh"))
    assert res.exit_code == 0, res.output
    page = (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")
    assert "一、全省汇总" in page and page.index("一、全省汇总") < page.index("二、各县距目标差距排序")
    assert "data:image/png;base64," in page
    assert len(list((tmp_path / "zh").glob("multiples_*.png"))) == 6
    for name in ("province_summary", "province_targets", "county_gaps", "needs_total", "needs_by_county"):
        assert (tmp_path / "zh" / "tables" / f"{name}.csv").exists(), name
    if importlib.util.find_spec("openpyxl") is None:
        assert "openpyxl" in res.output and not (tmp_path / "zh" / "tables.xlsx").exists()
    else:
        assert (tmp_path / "zh" / "tables.xlsx").exists()
    res = _invoke(
        "report", str(EXAMPLE), *TINY, "--lang", "en", "--db", db, "--output-dir", str(tmp_path / "en")
    )
    assert res.exit_code == 0, res.output
    md = (tmp_path / "en" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Province report — example5") and "1. Province summary" in md


def test_bad_input_exits_2_with_the_problem_and_runs_nothing(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[package]]\nname = "a"\n[[county]]\nname = "x"\nscenario = "none.toml"\n')
    db = tmp_path / "s.db"
    res = _invoke("run", str(bad), "--db", f"sqlite:///{db}", "-q")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "bad.toml: county[1].scenario = 'none.toml': no such file" in res.output
    assert not db.exists()
    res = _invoke("report", str(EXAMPLE), "--lang", "fr", "--db", f"sqlite:///{db}")
    assert res.exit_code == 2 and "--lang 'fr': allowed zh, en" in res.output
    res = _invoke("run", str(EXAMPLE), "--months", "1", "--db", f"sqlite:///{db}", "-q")
    assert res.exit_code == 2 and "outside the horizon" in res.output and "Traceback" not in res.output
    assert not db.exists()


def test_an_unknown_package_is_named(db, tmp_path) -> None:
    res = _invoke(
        "assess", str(EXAMPLE), *TINY, "--package", "ful", "--db", db, "--output-dir", str(tmp_path)
    )
    assert res.exit_code == 2 and "--package 'ful': no such package" in res.output
