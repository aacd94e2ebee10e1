"""The app's package rules: pillars, lever values, the validate message, file names, saved files."""

from __future__ import annotations

import tomllib

import pytest
from typer.testing import CliRunner

from countysim.app.package import (
    PILLARS,
    Package,
    SaveError,
    base_value,
    baseline_of,
    list_scenarios,
    parse_number,
    problem_lines,
    safe_file_name,
    save_package,
    slider_step,
    to_toml,
    toml_string,
)
from countysim.cli import app
from countysim.policy.levers import LEVERS, LEVERS_BY_NAME
from countysim.scenario import ScenarioError
from countysim.scenario import load as load_scenario

from helpers import ROOT

SCENARIOS = ROOT / "scenarios"
runner = CliRunner()


@pytest.fixture(scope="module")
def files():
    return {f.file: f for f in list_scenarios(SCENARIOS)}


@pytest.fixture()
def package(files):
    f = files["baseline.toml"]
    return Package(f.scenario, f.path)


def test_pillars_hold_every_lever_once_in_the_notices_order():
    names = [lv.name for p in PILLARS for lv in p.levers]
    assert sorted(names) == sorted(lv.name for lv in LEVERS) and len(names) == len(set(names))
    assert [p.code for p in PILLARS] == ["E", "S", "R", "P", "G"]
    grassroots = next(p for p in PILLARS if p.code == "G")
    assert {c[0] for c in grassroots.clauses} == {"G", "W"}


def test_list_scenarios_puts_baseline_first_and_reports_a_bad_file(tmp_path):
    (tmp_path / "baseline.toml").write_text('name = "baseline"\n')
    (tmp_path / "bad.toml").write_text('name = "bad"\n[levers]\ns1_training_places_per_year = -5\n')
    found = list_scenarios(tmp_path)
    assert [f.file for f in found] == ["baseline.toml", "bad.toml"]
    assert found[0].scenario is not None and found[1].scenario is None
    assert "levers.s1_training_places_per_year.value = -5" in found[1].error


def test_pillar_switch_sets_action_values_and_back_to_status_quo(package):
    on = package.with_pillar("S", True)
    skills = next(p for p in PILLARS if p.code == "S").levers
    assert all(on.value(lv.name) == lv.action for lv in skills)
    assert on.pillar_on("S") and not on.pillar_on("E")
    assert set(on.changed()) == {lv.name for lv in skills if lv.action != lv.status_quo}
    off = on.with_pillar("S", False)
    assert off.changed() == {} and not off.pillar_on("S")


def test_changed_levers_start_in_the_start_month_and_capacities_ramp(package):
    pkg = package.with_value("s1_training_places_per_year", 20000).with_value("s2_poverty_priority", 1)
    settings = pkg.settings()
    assert settings["s1_training_places_per_year"] == {"value": 20000, "start": "2023-03", "ramp_months": 12}
    assert settings["s2_poverty_priority"] == {"value": 1, "start": "2023-03"}  # a rate changes at once
    spec = pkg.scenario()
    assert (
        spec.lever_value("s1_training_places_per_year", 1)
        == LEVERS_BY_NAME["s1_training_places_per_year"].status_quo
    )
    assert spec.lever_value("s1_training_places_per_year", 2 + 11) == 20000


def test_a_lever_the_county_already_sets_keeps_its_start_and_ramp(files):
    f = files["full_action.toml"]
    pkg = Package(f.scenario, f.path).with_value("p3_units_per_year", 500)
    inherited = f.scenario.levers["p3_units_per_year"]
    entry = pkg.settings()["p3_units_per_year"]
    assert entry["value"] == 500 and entry["start"] == inherited.start
    assert entry["ramp_months"] == inherited.ramp_months


def test_out_of_range_value_is_refused_with_the_validate_message(package, tmp_path):
    bad = package.with_value("s1_training_places_per_year", 2_000_000)
    with pytest.raises(ScenarioError) as caught:
        bad.scenario()
    # the same value in a file, checked by `countysim validate`
    path = tmp_path / "bad.toml"
    path.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n[levers]\n'
                    "s1_training_places_per_year = 2000000\n")  # fmt: skip
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    lines = problem_lines(caught.value)
    assert lines == ["levers.s1_training_places_per_year.value = 2000000.0: out of range for "
                     "s1_training_places_per_year (places per year); allowed 0.0 to 500000.0"]  # fmt: skip
    assert lines[0] in res.output


def test_a_switch_takes_only_zero_or_one(package):
    with pytest.raises(ScenarioError, match="p5_permit_basis is a switch; allowed 0 \\(off\\) or 1 \\(on\\)"):
        package.with_value("p5_permit_basis", 0.5).scenario()


@pytest.mark.parametrize("text", ["abc", "1e999", "nan", "__import__('os').system('true')", "", "2**10"])
def test_typed_text_that_is_not_a_number_is_refused_never_evaluated(text):
    lever = LEVERS_BY_NAME["s1_training_places_per_year"]
    with pytest.raises(ScenarioError, match=r"levers\.s1_training_places_per_year\.value = .*not a number"):
        parse_number(text, lever)


def test_typed_numbers_may_have_separators():
    lever = LEVERS_BY_NAME["s1_training_places_per_year"]
    assert parse_number(" 15,000 ", lever) == 15000 and isinstance(parse_number("15000", lever), int)
    assert parse_number("0.25", LEVERS_BY_NAME["s2_outreach"]) == 0.25


def test_slider_steps_divide_the_range():
    for lever in LEVERS:
        step = slider_step(lever)
        assert step > 0 and (lever.hi - lever.lo) / step <= 501
    assert slider_step(LEVERS_BY_NAME["p5_permit_basis"]) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("../../etc/passwd", "etc_passwd.toml"),
        ("/abs/path/pkg", "abs_path_pkg.toml"),
        ("a\\b:c", "a_b_c.toml"),
        ("技能 提升 2024", "技能_提升_2024.toml"),
        ("more.toml", "more.toml"),
        ("..a..b..", "a.b.toml"),
        ("CON", "CON_package.toml"),
    ],
)
def test_file_names_stay_in_the_folder_and_keep_chinese(typed, expected):
    assert safe_file_name(typed) == expected


@pytest.mark.parametrize("typed", ["", "..", "/", "  ", "..."])
def test_a_file_name_with_nothing_usable_is_refused(typed):
    with pytest.raises(ValueError, match="no usable character"):
        safe_file_name(typed)


def test_saved_package_validates_unchanged_and_runs_the_same_scenario(package, tmp_path):
    pkg = package.with_pillar("S", True).with_value("e2_placements_per_year", 2500).copy(name='技能 "包" · 1')
    folder = tmp_path / "saved"
    path, line = save_package(pkg, folder, "../技能 包")
    assert path == folder / "技能_包.toml" and path.parent == folder
    assert [p.name for p in folder.iterdir()] == ["技能_包.toml"]  # nothing else left behind
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == line
    loaded = load_scenario(path)
    assert loaded.name == '技能 "包" · 1'
    assert loaded.content_hash() == pkg.scenario().content_hash()
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == {"extends", "name", "description", "levers"}
    assert set(raw["levers"]) == set(pkg.changed())


def test_saving_refuses_to_overwrite_unless_asked(package, tmp_path):
    save_package(package, tmp_path, "p")
    with pytest.raises(SaveError, match="exists; choose another file name or tick 'overwrite'"):
        save_package(package, tmp_path, "p")
    path, _ = save_package(package.with_value("s2_outreach", 0.5), tmp_path, "p", overwrite=True)
    assert load_scenario(path).levers["s2_outreach"].value == 0.5


def test_a_package_that_does_not_validate_is_not_saved(package, tmp_path):
    with pytest.raises(SaveError, match="out of range"):
        save_package(package.with_value("s2_outreach", 7), tmp_path, "bad")
    assert list(tmp_path.iterdir()) == []


def test_baseline_is_the_county_without_levers(files):
    base = files["baseline.toml"].scenario
    assert baseline_of(base) is base
    full = files["key_assisted_county.toml"].scenario
    b = baseline_of(full)
    assert b.levers == {} and b.name == "key_assisted_county_status_quo"
    assert (
        b.county == full.county
        and b.content_hash() == files["key_assisted_baseline.toml"].scenario.content_hash()
    )
    assert base_value(full, "s2_poverty_priority") == full.levers["s2_poverty_priority"].value


def test_toml_strings_escape_quotes_backslashes_and_control_characters():
    text = 'a "b" \\ c\nd\te\x01 中文'
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text
    doc = to_toml(
        {"name": "n", "levers": {"a": {"value": 1.5, "start": "2023-03"}}, "county": {"households": {"n": 3}}}
    )
    assert tomllib.loads(doc) == {"name": "n", "levers": {"a": {"value": 1.5, "start": "2023-03"}},
                                  "county": {"households": {"n": 3}}}  # fmt: skip
