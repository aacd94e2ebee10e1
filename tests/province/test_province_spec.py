"""Province files: counties from scenario files and table rows, packages, provincial levers, seeds, errors."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

from countysim.province import ProvinceError, county_seeds, load_province
from countysim.province.run import county_specs

from helpers import BASELINE, ROOT

EXAMPLE = ROOT / "provinces" / "example5.toml"


def test_the_example_holds_its_five_counties_and_marks_the_key_assisted() -> None:
    p = load_province(EXAMPLE)
    assert [c.name for c in p.counties] == ["Fengqiao", "Anle", "Baishui", "Changping", "Dongshan"]
    assert p.key_assisted == ("Fengqiao", "Baishui", "Dongshan")
    assert [pk.name for pk in p.packages] == ["status_quo", "full_action"]
    assert {pt.counties for pt in p.targets} == {"key_assisted", "all"}


def test_a_table_row_changes_the_base_scenario_by_its_columns() -> None:
    p = load_province(EXAMPLE)
    baishui = next(c for c in p.counties if c.name == "Baishui")
    s = baishui.scenario
    assert s.county.households.n == 60_000 and s.county.hukou_population == 360_000
    assert s.county.workers.poverty_share == 0.28 and s.county.key_assisted
    jobs = s.county.workers.initial_jobs
    assert math.isclose(jobs["outside_province"] + jobs["other_province"], 0.55)
    assert math.isclose(sum(jobs.values()), 1.0)
    # capacities follow the county's size (Scenario.scaled by households over the base's 110,000)
    base = load_province(EXAMPLE).counties[1].scenario  # Anle, 90,000 households
    assert s.county.schools.primary_seats < base.county.schools.primary_seats


def test_package_levers_scale_with_the_county_and_overrides_win(tmp_path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(
        f'base = "{BASELINE.as_posix()}"\n'
        f'[[county]]\nname = "Big"\nscenario = "{BASELINE.as_posix()}"\n'
        f'[[county]]\nname = "Half"\nscenario = "{BASELINE.as_posix()}"\n[county.set]\n"county.households.n" = 55000\n'
        '[[package]]\nname = "a"\n[package.levers]\np3_units_per_year = 800\ne2_wage_premium = 0.1\n'
        '[package.county."Big".levers]\np3_units_per_year = 123\n'
    )
    p = load_province(f)
    big, half = (p.county_scenario(c, p.packages[0]) for c in p.counties)
    assert big.levers["p3_units_per_year"].value == 123  # the per-county override, not scaled
    assert half.levers["p3_units_per_year"].value == pytest.approx(400)  # a count lever: half the county
    assert half.levers["e2_wage_premium"].value == 0.1  # a rate does not scale
    assert half.name == "Half@a"


def test_a_provincial_lever_shares_its_total_by_the_rule() -> None:
    p = load_province(EXAMPLE)
    full = p.package("full_action")
    (prov,) = full.provincial
    values = {
        c.name: p.county_scenario(c, full).levers["s1_training_places_per_year"].value for c in p.counties
    }
    assert math.fsum(values.values()) == pytest.approx(prov.total)
    # poverty workers (households × poverty share), key assisted counties weigh twice
    w = {c.name: c.households * c.scenario.county.workers.poverty_share * (2 if c.key_assisted else 1)
         for c in p.counties}  # fmt: skip
    for name in values:
        assert values[name] == pytest.approx(prov.total * w[name] / sum(w.values()))
    # the status quo keeps every county's own value
    sq = p.package("status_quo")
    assert p.county_scenario(p.counties[1], sq).levers["s1_training_places_per_year"].value == pytest.approx(
        6000 * 90_000 / 110_000
    )


def test_seeds_are_spawned_by_county_and_shared_by_packages() -> None:
    p = load_province(EXAMPLE)
    seeds = {c.name: p.seeds(c, 3) for c in p.counties}
    assert len({s for v in seeds.values() for s in v}) == 15  # every county its own
    assert all(0 <= s < 2**63 for v in seeds.values() for s in v)
    assert county_seeds(p.seed, "Anle", 5)[:3] == seeds["Anle"]  # more replications keep the first ones
    assert county_seeds(p.seed + 1, "Anle", 3) != seeds["Anle"]
    expected = np.random.SeedSequence(p.seed, spawn_key=(4, *b"Anle", 0)).generate_state(1, np.uint64)[0] >> 1
    assert seeds["Anle"][0] == int(expected)
    specs = county_specs(p, p.counties[1], 3)
    by_package: dict[str, list[int]] = {}
    for s in specs:
        by_package.setdefault(s.meta["package"], []).append(s.seed)
    assert by_package["status_quo"] == by_package["full_action"] == seeds["Anle"]  # common random numbers
    # adding a county changes no other county's seeds
    more = dataclasses.replace(p, counties=p.counties[:2])
    assert more.seeds(more.counties[1], 3) == seeds["Anle"]


def _problems(tmp_path, text: str, table: str | None = None) -> list[tuple]:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    if table is not None:
        (tmp_path / "t.csv").write_text(table)
    with pytest.raises(ProvinceError) as info:
        load_province(f)
    return info.value.problems


GOOD_PACKAGE = '[[package]]\nname = "a"\n'


def test_every_problem_names_the_file_key_and_value(tmp_path) -> None:
    text = (
        f'bsae = "x"\nbase = "{BASELINE.as_posix()}"\nseed = -1\nscale = 0\ntable = "t.csv"\n'
        f'[[county]]\nname = "Sc"\nscenario = "nowhere.toml"\n'
        '[[package]]\nname = "a"\n[package.levers]\ns1_training_places = 5\np3_units_per_year = -4\n'
        '[package.county."Nobody".levers]\np3_units_per_year = 1\n'
        '[[package.provincial]]\nlever = "e2_wage_premium"\ntotal = 10\nrule = "by_size"\n'
        '[[target]]\nid = "t"\nclause = "S3"\nindicator = "persons"\nop = ">="\nvalue = 1\nat = "2023-12"\n'
        'counties = "some"\n'
    )
    table = "name,households,key_assisted,colour\nAnle,abc,true,red\nBaishui,1000,maybe,blue\nChang,2000,false,x\n"
    problems = _problems(tmp_path, text, table)
    text_of = "\n".join(f"{f} | {k} | {v!r} | {m}" for f, k, v, m in problems)
    expect = [
        ("bad.toml", "bsae", "", "unknown key; allowed here: name, description, seed, base"),
        ("bad.toml", "seed", "-1", "whole number from 0"),
        ("bad.toml", "scale", "0", "(0, 100]"),
        ("bad.toml", "county[1].scenario", "nowhere.toml", "no such file"),
        (
            "bad.toml",
            "package[1].levers.s1_training_places",
            "",
            "did you mean 's1_training_places_per_year'",
        ),
        ("bad.toml", "package[1].levers.p3_units_per_year", "-4", "allowed 0 to"),
        ("bad.toml", "package[1].county.Nobody", "", "no such county"),
        ("bad.toml", "package[1].provincial[1].lever", "e2_wage_premium", "counted in persons"),
        ("bad.toml", "package[1].provincial[1].rule", "by_size", "equal, households, poverty_workers"),
        ("bad.toml", "target[1].counties", "some", "all, key_assisted"),
        ("t.csv", "(header)", "colour", "unknown column"),
        ("t.csv", "row 2 (Anle): households", "abc", "whole number from 1"),
        ("t.csv", "row 3 (Baishui): key_assisted", "maybe", "true or false"),
    ]
    assert not any("colour" in k and "row" in k for _, k, _, _ in problems)  # an unknown column: said once
    for file, key, value, msg in expect:
        assert any(
            f.endswith(file) and k == key and value in repr(v) and msg in m for f, k, v, m in problems
        ), f"missing {file} {key} {value} {msg} in:\n{text_of}"


def test_a_county_invalid_under_a_package_is_named(tmp_path) -> None:
    problems = _problems(
        tmp_path,
        f'[[county]]\nname = "Sc"\nscenario = "{BASELINE.as_posix()}"\nmonths = 2\n' + GOOD_PACKAGE,
    )
    assert problems[0][1] == "county[1].months"  # a key the county table does not have
    problems = _problems(
        tmp_path,
        f'months = 2\n[[county]]\nname = "Sc"\nscenario = "{BASELINE.as_posix()}"\n'
        f'[[package]]\nname = "late"\nlevers_from = "{(ROOT / "scenarios" / "full_action.toml").as_posix()}"\n',
    )
    assert any(
        "county 'Sc' under package 'late'" in k and "outside the horizon" in m for _, k, _, m in problems
    )


def test_names_repeat_and_empty_files_are_errors(tmp_path) -> None:
    county = f'[[county]]\nname = "A"\nscenario = "{BASELINE.as_posix()}"\n'
    problems = _problems(tmp_path, county + county + GOOD_PACKAGE + GOOD_PACKAGE)
    msgs = [m for _, _, _, m in problems]
    assert any("county name appears twice" in m for m in msgs) and any(
        "package name appears twice" in m for m in msgs
    )
    problems = _problems(tmp_path, 'name = "x"\n')
    assert {k for _, k, _, _ in problems} >= {"(top)", "package"}


def test_the_central_table_is_what_its_script_writes() -> None:
    script = ROOT / "provinces" / "make_central.py"
    out = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    p = load_province(ROOT / "provinces" / "central.toml")
    assert len(p.counties) == 100 and len(p.key_assisted) == 24
    sizes = [c.households for c in p.counties]
    assert max(sizes) > 3 * min(sizes)  # varied sizes
