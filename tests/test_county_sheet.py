"""``countysim county new``: a county sheet in, the county's scenario out, scaled by its size."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app
from countysim.county_sheet import (
    DEFAULT_HOUSEHOLDS,
    CountySheetError,
    make_scenario,
    new_county,
    read_sheet,
    scenario_toml,
)
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.scenario import validate_dict

from helpers import ROOT

SHEET = ROOT / "counties" / "small_county.csv"
SHEET_TOML = ROOT / "counties" / "small_county_sheet.toml"
runner = CliRunner()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("county") / "small.toml"
    scenario, factor = new_county(SHEET, out)
    return scenario, factor, out


def test_the_sheet_figures_are_set_and_the_rest_scales_with_the_county(small):
    scenario, factor, _ = small
    default = validate_dict({})
    c, d = scenario.county, default.county
    assert factor == pytest.approx(26_500 / DEFAULT_HOUSEHOLDS)
    # given figures, as the sheet says
    assert (c.name, c.hukou_population, c.households.n) == ("示例小县", 150_000, 26_500)
    assert (c.schools.primary_seats, c.schools.junior_seats, c.housing.affordable_units) == (650, 330, 150)
    assert c.training.college_places_per_year == 700
    assert scenario.levers["s1_training_places_per_year"].value == 1500
    # capacities and county-wide costs the sheet does not give scale with the county
    assert c.training.enterprise_places_per_year == pytest.approx(
        d.training.enterprise_places_per_year * factor, rel=1e-3
    )
    assert c.enterprise.park_places == round(d.enterprise.park_places * factor)
    assert c.costs.pes_coverage_yuan_year == pytest.approx(d.costs.pes_coverage_yuan_year * factor, rel=1e-3)
    for name in (
        "e5_referrals_per_month",
        "r5_inspection_cases_per_month",
        "p3_units_per_year",
        "p5_purchased_places",
    ):
        expected = LEVERS_BY_NAME[name].status_quo * factor
        assert scenario.levers[name].value == pytest.approx(expected, rel=1e-3), name
    # rates and behaviour stay the national defaults
    assert c.households.p_two_workers == d.households.p_two_workers
    assert scenario.behaviour == default.behaviour
    # the local/out split and the poverty share come from the sheet
    jobs = c.workers.initial_jobs
    assert jobs["outside_province"] + jobs["other_province"] == pytest.approx(23_500 / 39_000, abs=1e-3)
    assert jobs["other_province"] == pytest.approx(13_000 / 39_000, abs=1e-3)
    assert c.workers.poverty_share == pytest.approx(4_300 / 39_000, abs=1e-4)


def test_every_number_is_commented_with_where_it_came_from(small):
    _, _, path = small
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if "=" in ln and not ln.startswith("#")
    ]
    county_lines = [ln for ln in lines if not ln.startswith(("name =", "description =", "seed =", "start =",
                                                            "months =", "source ="))]  # fmt: skip
    assert county_lines and all("  # sheet line " in ln or "  # derived: " in ln or "  # status quo: " in ln
                                or "  # default: " in ln for ln in county_lines), county_lines  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert "primary_seats = 650  # sheet line 15, primary_seats_public: education bureau 2022" in text
    assert "enterprise_places_per_year = 963.64  # derived: default 4,000 × 0.2409" in text


def test_the_county_runs_and_its_capacities_are_those_of_its_size(small):
    scenario, factor, _ = small
    result = cs.run(scenario.replace(**{"horizon.months": 2}), seed=1)
    default = cs.run(validate_dict({}).scaled(factor).replace(**{"horizon.months": 2}), seed=1)
    assert result.series("public_seats_primary")[0] == pytest.approx(650, rel=0.05)
    assert result.series("affordable_units")[0] == pytest.approx(150, rel=0.05)
    # a county of 26,500 households: about a quarter of the default county's persons
    assert result.series("persons")[0] == pytest.approx(default.series("persons")[0], rel=0.05)
    assert 60_000 < result.series("persons")[0] < 100_000


def test_the_csv_and_the_toml_sheet_make_the_same_scenario():
    a, _, _ = make_scenario(read_sheet(SHEET))
    b, _, _ = make_scenario(read_sheet(SHEET_TOML))
    assert a.content_hash() == b.content_hash()


def test_the_shipped_county_scenario_is_what_its_sheet_makes():
    sheet = read_sheet(SHEET)
    scenario, factor, made = make_scenario(sheet, "small_county")
    assert scenario_toml(scenario, factor, made, sheet) == (
        ROOT / "counties" / "small_county.toml"
    ).read_text(encoding="utf-8"), (
        "regenerate: countysim county new counties/small_county.csv --output counties/small_county.toml --name small_county --force"
    )


BAD_ROWS = [
    ("hukou_populaton,150000,x\n", "line 2, hukou_populaton: unknown key", "did you mean 'hukou_population'"),
    (
        "primary_seats_public,-5,x\n",
        "line 2, primary_seats_public = '-5': must be a whole number from 0 to 50,000,000",
        "",
    ),
    (
        "primary_seats_public,lots,x\n",
        "line 2, primary_seats_public = 'lots': must be a number in seats",
        "digits",
    ),
    ("local_wage,0,x\n", "line 2, local_wage = '0': must be above 0", ""),
    ("key_assisted,maybe,x\n", "line 2, key_assisted = 'maybe': must be yes or no", ""),
    ("affordable_units,1.5,x\n", "line 2, affordable_units = '1.5': must be a whole number", ""),
    ("local_workers,40000,x\n", "line 2, local_workers = 40000: more than the migrant workers (39,000)", ""),
    (
        "resident_population,53000,x\n",
        "line 2, resident_population = 53000: fewer residents than",
        "working outside",
    ),
]


@pytest.mark.parametrize(("row", "expected", "also"), BAD_ROWS)
def test_a_bad_row_is_named_by_file_line_key_and_value(tmp_path, row, expected, also):
    body = SHEET.read_text(encoding="utf-8").splitlines(keepends=True)
    key = row.split(",")[0]
    kept = [ln for ln in body[1:] if ln.split(",")[0] != key]
    sheet = tmp_path / "bad.csv"
    sheet.write_text(body[0] + row + "".join(kept), encoding="utf-8")
    out = tmp_path / "out.toml"
    res = runner.invoke(app, ["county", "new", str(sheet), "--output", str(out)])
    assert res.exit_code == 2, res.output
    assert f"{sheet}: {expected}" in res.output, res.output
    assert also in res.output and "Traceback" not in res.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_missing_required_figures_and_a_bad_header_are_named(tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "key,value,source\nname,X,\nprimary_seats_public,10,\nprimary_seats_public,11,\n", encoding="utf-8"
    )
    with pytest.raises(CountySheetError) as err:
        read_sheet(sheet)
    msg = str(err.value)
    assert (
        f"{sheet}: hukou_population: missing: a sheet must give hukou population (户籍人口) in persons" in msg
    )
    assert f"{sheet}: migrant_workers: missing" in msg
    assert "line 4, primary_seats_public = '11': given twice (also line 3)" in msg
    sheet.write_text("name,value\nX,1\n", encoding="utf-8")
    with pytest.raises(CountySheetError, match="line 1: header must be key,value,source"):
        read_sheet(sheet)
    sheet.with_suffix(".xlsx").write_bytes(b"x")
    with pytest.raises(CountySheetError, match=r"allowed: \.csv"):
        read_sheet(sheet.with_suffix(".xlsx"))


def test_a_toml_sheet_names_the_line_of_a_bad_figure(tmp_path):
    sheet = tmp_path / "s.toml"
    sheet.write_text('name = "X"\nhukou_population = 100000\nmigrant_workers = "many"\n', encoding="utf-8")
    with pytest.raises(
        CountySheetError, match=r"line 3, migrant_workers = 'many': must be a number in persons"
    ):
        read_sheet(sheet)


def test_the_command_refuses_to_overwrite_without_force(small, tmp_path):
    out = tmp_path / "x.toml"
    out.write_text("keep me", encoding="utf-8")
    res = runner.invoke(app, ["county", "new", str(SHEET), "--output", str(out)])
    assert res.exit_code == 2 and "exists" in res.output and out.read_text() == "keep me"
    res = runner.invoke(app, ["county", "new", str(SHEET), "--output", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert cs.load_scenario(out).county.households.n == 26_500


def test_assess_on_the_small_county_gives_no_verdict_on_targets_for_key_assisted_counties(small, tmp_path):
    _, _, path = small
    res = runner.invoke(app, ["assess", str(path), "--targets", str(ROOT / "targets" / "notice_2023.toml"),
                              "--reps", "2", "--scale", "0.1", "--months", "36", "--workers", "1", "-q",
                              "--db", f"sqlite:///{tmp_path / 'a.db'}", "--output-dir", str(tmp_path / "out")])  # fmt: skip
    assert res.exit_code == 0, res.output
    for tid in ("s2_willing_poverty_trained", "s3_poverty_training_person_times", "s3_new_high_skilled"):
        assert f"{tid}: no verdict: applies to national key assisted counties" in res.output, res.output
    assert "3 not applicable" in res.output
    import pandas as pd

    table = pd.read_csv(tmp_path / "out" / "assessment.csv").set_index("id")
    assert (table.loc[table["applies_to"] == "key_assisted", "verdict"] == "not applicable").all()
    judged = table[table["applies_to"] == "all"]
    assert judged["verdict"].isin(["met", "likely", "unlikely", "missed"]).all()
    # the relative targets are scaled to this county (at 0.1 of its size): a few hundred children, not 8,500
    lb = table.loc["p5_fewer_left_behind"]
    assert lb["kind"] == "per_child" and 0 < lb["threshold"] < 2_000
