"""``countysim validate``: every problem of a scenario at once, and its microdata file."""

from __future__ import annotations

from typer.testing import CliRunner

from countysim.cli import app

runner = CliRunner()
HEADER = "household_id,age,sex,role\n"


def test_three_problems_in_one_round(tmp_path):
    p = tmp_path / "three.toml"
    p.write_text(
        "[horizon]\nmonths = 12\n[levers]\n"
        "s2_poverty_priority = 3\n"  # out of range
        "s1_training_places_per_yaer = 9000\n"  # misspelt lever
        's1_subsidy_yuan = { value = 2000, start = "2025-01" }\n'  # outside the horizon
    )
    res = runner.invoke(app, ["validate", str(p)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    lines = [line for line in res.output.splitlines() if line.startswith(f"  {p}: ")]
    assert len(lines) == 3
    assert "levers.s2_poverty_priority.value = 3.0: out of range" in lines[0]
    assert "did you mean 's1_training_places_per_year'?" in lines[1]
    assert (
        "levers.s1_subsidy_yuan.start = '2025-01': outside the horizon; allowed 2023-01 to 2023-12"
        in lines[2]
    )


def test_schema_and_lever_problems_in_one_round(tmp_path):
    p = tmp_path / "mixed.toml"
    p.write_text('[county]\nkey_assisted = "yes"\n[levers]\ns2_poverty_priority = 3\ng9_nothing = 1\n')
    res = runner.invoke(app, ["validate", str(p)])
    assert res.exit_code == 2
    for key in ("county.key_assisted", "levers.s2_poverty_priority.value", "levers.g9_nothing"):
        assert f"{p}: {key}" in res.output


def test_validate_reads_the_microdata_file(tmp_path):
    scenario = tmp_path / "micro.toml"
    scenario.write_text('[population]\nsource = "microdata"\npath = "county.csv"\n')
    res = runner.invoke(app, ["validate", str(scenario)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"population.path, set in {scenario}" in res.output and "no such microdata file" in res.output
    (tmp_path / "county.csv").write_text(HEADER + "H1,30,male,worker\nH1,40,male,child\nH2,9,male,child\n")
    res = runner.invoke(app, ["validate", str(scenario)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"{tmp_path / 'county.csv'}: 2 problems" in res.output
    assert "column 'age', rows 3 (of 1 bad): values 40" in res.output
    assert "column 'household_id', rows 4 (of 1 bad): values 'H2'" in res.output
    (tmp_path / "county.csv").write_text(
        HEADER + "H1,30,male,worker\nH1,10,male,child\nH2,40,female,worker\n"
    )
    res = runner.invoke(app, ["validate", str(scenario)])
    assert res.exit_code == 0, res.output
    assert f"microdata: {tmp_path / 'county.csv'}: 3 persons in 2 households" in res.output


def test_the_microdata_error_names_the_file_that_set_the_path(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "county.csv").write_text(HEADER + ",30,male,worker\n")
    (tmp_path / "data" / "micro.toml").write_text('[population]\nsource = "microdata"\npath = "county.csv"\n')
    child = tmp_path / "child.toml"
    child.write_text('extends = "data/micro.toml"\nname = "c"\nseed = 3\n[levers]\ns2_poverty_priority = 1\n')
    res = runner.invoke(app, ["validate", str(child)])
    assert res.exit_code == 2
    assert f"population.path, set in {tmp_path / 'data' / 'micro.toml'}" in res.output
    assert "column 'household_id', rows 2 (of 1 bad): values (blank)" in res.output
