"""Scenario loading, inheritance and every kind of validation error."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import countysim as cs
from countysim.scenario import ScenarioError, load

from helpers import BASELINE


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return str(info.value)


def test_baseline_loads_with_documented_defaults(baseline):
    assert baseline.name == "baseline"
    assert baseline.horizon.start == "2023-01" and baseline.horizon.months == 96
    assert 500_000 <= baseline.county.hukou_population <= 700_000
    assert baseline.levers == {}
    # every behavioural and profile number carries a unit and a source
    from pydantic import BaseModel

    def walk(model, prefix):
        for name, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                yield from walk(ann, f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}", field

    checked = 0
    for part in ("county", "behaviour"):
        for key, field in walk(type(getattr(baseline, part)), f"{part}."):
            extra = field.json_schema_extra or {}
            assert extra.get("unit") and extra.get("source"), f"{key} lacks a unit or a source"
            checked += 1
    assert checked > 150


def test_extends_inherits_and_overrides(tmp_path):
    child = write(
        tmp_path,
        "child.toml",
        f"""
        extends = "{BASELINE.as_posix()}"
        name = "more training"
        [levers]
        s1_training_places_per_year = {{ value = 15000, start = "2023-03", ramp_months = 12 }}
        e2_wage_premium = 0.05
    """,
    )
    s = load(child)
    assert s.name == "more training"
    assert s.horizon.months == 96  # inherited
    assert s.county.households.n == 110_000  # inherited from the parent's table
    assert s.lever_value("s1_training_places_per_year", 0) == 6000  # status quo before start
    assert s.lever_value("s1_training_places_per_year", 2) == pytest.approx(6000 + 9000 / 12)
    assert s.lever_value("s1_training_places_per_year", 13) == 15000
    assert s.lever_value("e2_wage_premium", 0) == 0.05
    assert s.content_hash() != load(BASELINE).content_hash()


def test_nested_table_merge_keeps_parent_keys(tmp_path):
    parent = write(
        tmp_path,
        "p.toml",
        """
        [county.households]
        n = 5000
        p_two_workers = 0.5
    """,
    )
    child = write(
        tmp_path,
        "c.toml",
        """
        extends = "p.toml"
        [county.households]
        n = 6000
    """,
    )
    s = load(child)
    assert s.county.households.n == 6000 and s.county.households.p_two_workers == 0.5
    assert load(parent).county.households.n == 5000


def test_unknown_key_names_file_path_and_allowed(tmp_path):
    p = write(
        tmp_path,
        "typo.toml",
        """
        [behaviour.labour]
        p_sep_townshp = 0.02
    """,
    )
    msg = error_of(p)
    assert str(p) in msg and "behaviour.labour.p_sep_townshp" in msg
    assert "unknown key" in msg and "p_sep_township" in msg  # the allowed keys are listed


def test_unknown_top_level_key(tmp_path):
    msg = error_of(write(tmp_path, "top.toml", "horizn = 3\n"))
    assert "horizn" in msg and "allowed here: name, description, seed, horizon" in msg


def test_wrong_type(tmp_path):
    msg = error_of(write(tmp_path, "type.toml", '[horizon]\nmonths = "many"\n'))
    assert "horizon.months" in msg and "'many'" in msg and "integer" in msg


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        (
            "[behaviour.labour]\np_return_home = 1.5\n",
            "behaviour.labour.p_return_home",
            "less than or equal to 1",
        ),
        (
            "[county.workers]\npoverty_share = -0.1\n",
            "county.workers.poverty_share",
            "greater than or equal to 0",
        ),
        (
            "[county.training]\nenterprise_places_per_year = -5\n",
            "county.training.enterprise_places_per_year",
            "greater than or equal to 0",
        ),
        (
            "[levers]\ns1_training_places_per_year = -1\n",
            "levers.s1_training_places_per_year.value",
            "allowed 0.0 to 500000.0",
        ),
        ("[levers]\ns2_poverty_priority = 2\n", "levers.s2_poverty_priority.value", "allowed 0.0 to 1.0"),
        ("[horizon]\nmonths = 0\n", "horizon.months", "greater than or equal to 1"),
    ],
)
def test_out_of_range_values(tmp_path, text, key, allowed):
    msg = error_of(write(tmp_path, "range.toml", text))
    assert key in msg and allowed in msg


def test_lever_start_outside_horizon(tmp_path):
    p = write(
        tmp_path,
        "late.toml",
        """
        [horizon]
        start = "2023-01"
        months = 12
        [levers]
        s1_training_places_per_year = { value = 9000, start = "2025-01" }
    """,
    )
    msg = error_of(p)
    assert "levers.s1_training_places_per_year.start" in msg and "'2025-01'" in msg
    assert "allowed 2023-01 to 2023-12" in msg


def test_unknown_lever_lists_levers(tmp_path):
    msg = error_of(write(tmp_path, "lever.toml", "[levers]\ns9_free_money = 1\n"))
    assert "levers.s9_free_money" in msg and "s1_training_places_per_year" in msg


def test_shares_must_sum_to_one(tmp_path):
    msg = error_of(write(tmp_path, "shares.toml", "[county.workers]\nedu_shares = [0.5, 0.5, 0.5, 0, 0]\n"))
    assert "county.workers.edu_shares" in msg and "sum to 1" in msg


def test_missing_file(tmp_path):
    msg = error_of(tmp_path / "nope.toml")
    assert "nope.toml" in msg and "no such file" in msg


def test_missing_parent(tmp_path):
    msg = error_of(write(tmp_path, "orphan.toml", 'extends = "ghost.toml"\n'))
    assert "ghost.toml" in msg and "no such file" in msg and "orphan.toml" in msg
    # the file to edit is the one that names the parent
    assert (
        f"{tmp_path / 'orphan.toml'}: extends = 'ghost.toml': no such file (looked for {tmp_path / 'ghost.toml'})"
        in msg
    )


def test_circular_extends(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    msg = error_of(tmp_path / "a.toml")
    assert "circular extends" in msg and "a.toml -> " in msg and "b.toml" in msg


def test_bad_toml_syntax(tmp_path):
    msg = error_of(write(tmp_path, "syntax.toml", "[horizon\nmonths = 3\n"))
    assert "not valid TOML" in msg and "syntax.toml" in msg


def test_error_names_the_parent_file_when_the_parent_is_wrong(tmp_path):
    write(tmp_path, "parent.toml", "[behaviour.training]\np_apply = 7\n")
    child = write(tmp_path, "child.toml", 'extends = "parent.toml"\nname = "c"\n')
    msg = error_of(child)
    assert "parent.toml: behaviour.training.p_apply = 7" in msg


def test_several_problems_reported_together(tmp_path):
    msg = error_of(write(tmp_path, "many.toml", "[horizon]\nmonths = -1\nstart = '2023-13'\n"))
    assert "horizon.months" in msg and "horizon.start" in msg


def test_replace_revalidates(baseline):
    s = baseline.replace(**{"levers.s1_training_places_per_year": 9000, "seed": 5})
    assert s.seed == 5 and s.lever_value("s1_training_places_per_year", 0) == 9000
    assert baseline.levers == {}  # the original is untouched (frozen)
    with pytest.raises(ScenarioError, match=r"behaviour\.labour\.p_sep_outside"):
        baseline.replace(**{"behaviour.labour.p_sep_outside": 3.0})


def test_scenario_is_frozen(baseline):
    with pytest.raises(Exception, match="frozen"):
        baseline.seed = 3  # type: ignore[misc]


def test_hash_ignores_name_and_seed(baseline):
    assert baseline.replace(name="x", seed=1).content_hash() == baseline.content_hash()
    assert (
        baseline.replace(**{"behaviour.labour.p_sep_outside": 0.03}).content_hash() != baseline.content_hash()
    )


def test_public_api():
    for name in cs.__all__:
        assert hasattr(cs, name), name


# -- files: encodings, deep nesting, long extends chains --------------------------------------------


def test_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + 'name = "有 BOM"\n[horizon]\nmonths = 12\n'.encode())
    s = load(p)
    assert s.name == "有 BOM" and s.horizon.months == 12


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    p = tmp_path / "u16.toml"
    text = 'name = "縣城"\n[horizon]\nmonths = 12\n'
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    p.write_bytes(bom + text.encode(encoding))
    s = load(p)
    assert s.name == "縣城" and s.horizon.months == 12


def test_utf16_without_a_byte_order_mark_is_refused_clearly(tmp_path):
    p = tmp_path / "u16.toml"
    p.write_bytes("[horizon]\nmonths = 12\n".encode("utf-16-le"))
    msg = error_of(p)
    assert str(p) in msg and "(encoding)" in msg and "NUL" in msg and "save it as UTF-8" in msg


def test_random_bytes_are_refused_clearly(tmp_path):
    p = tmp_path / "noise.toml"
    p.write_bytes(bytes(range(128, 256)) * 8)
    msg = error_of(p)
    assert (
        str(p) in msg and "(encoding)" in msg and "not UTF-8 text" in msg and "byte 0x80 at position 0" in msg
    )


def test_a_gbk_scenario_is_refused_clearly(tmp_path):
    p = tmp_path / "gbk.toml"
    p.write_bytes('name = "農民工"\n'.encode("gbk"))
    msg = error_of(p)
    assert "not UTF-8 text" in msg and "save the file as UTF-8" in msg


def test_deeply_nested_arrays_are_refused(tmp_path):
    p = tmp_path / "deep.toml"
    p.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    msg = error_of(p)
    assert str(p) in msg and "(syntax)" in msg and "nested too deeply" in msg


def test_deeply_nested_tables_are_refused(tmp_path):
    p = tmp_path / "deep.toml"
    p.write_text("[" + ".".join(f"k{i}" for i in range(2000)) + "]\nx = 1\n")
    msg = error_of(p)
    assert "(syntax)" in msg and "nested more than 32 levels deep (at k0.k1.k2" in msg


def test_an_integer_too_long_to_read_is_refused(tmp_path):
    msg = error_of(write(tmp_path, "long.toml", "seed = " + "9" * 5000 + "\n"))
    assert "(syntax)" in msg and "not valid TOML" in msg


def test_a_very_long_extends_chain_is_refused(tmp_path):
    for i in range(1200):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i + 1}.toml"\n')
    (tmp_path / "s1200.toml").write_text("seed = 1\n")
    msg = error_of(tmp_path / "s0.toml")
    assert "extends" in msg and "deeper than 64 files" in msg and "s0.toml" in msg


def test_a_64_file_extends_chain_loads(tmp_path):
    for i in range(63):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i + 1}.toml"\n')
    (tmp_path / "s63.toml").write_text("seed = 7\n")
    assert load(tmp_path / "s0.toml").seed == 7


@pytest.mark.parametrize(
    ("text", "key", "needle"),
    [
        ('extends = "a\\u0000b.toml"\n', "extends", "must be a file name"),
        ("extends = 3\n", "extends", "must be a file name"),
        ('extends = [""]\n', "extends", "must be a file name"),
        ("[population]\nsource = 'microdata'\npath = 3\n", "population.path", "must be a string"),
        (
            "[population]\nsource = 'microdata'\npath = \"a\\u0000.csv\"\n",
            "population.path",
            "no NUL character",
        ),
        (
            "[population]\nsource = 'microdata'\npath = 'county.xlsx'\n",
            "population.path",
            "allowed suffixes: .csv",
        ),
    ],
)
def test_bad_file_names(tmp_path, text, key, needle):
    msg = error_of(write(tmp_path, "names.toml", text))
    assert key in msg and needle in msg


@pytest.mark.parametrize("name", ["", "   ", "a/b", "..\\up", "x" * 201, "tab\there"])
def test_names_that_cannot_name_an_output_folder(tmp_path, name):
    msg = error_of(write(tmp_path, "n.toml", f"name = {json.dumps(name)}\n"))
    assert "name" in msg and "printable characters without / or \\" in msg


# -- every problem at once, with suggestions --------------------------------------------------------


def test_every_problem_of_a_file_at_once(tmp_path):
    p = write(
        tmp_path,
        "three.toml",
        """
        [horizon]
        months = "12"
        [behaviour.labour]
        p_sep_townshp = 0.02
        [levers]
        s2_poverty_priority = 3
        s1_training_places_per_yaer = 9000
        e2_wage_premium = { value = 0.9, start = "2024-01" }
    """,
    )
    with pytest.raises(ScenarioError) as info:
        load(p)
    keys = [key for _file, key, _value, _msg in info.value.problems]
    assert keys == [
        "horizon.months",
        "behaviour.labour.p_sep_townshp",
        "levers.s2_poverty_priority.value",
        "levers.s1_training_places_per_yaer",
        "levers.e2_wage_premium.value",
    ]
    msg = str(info.value)
    assert "did you mean 'p_sep_township'?" in msg and "did you mean 's1_training_places_per_year'?" in msg


def test_lever_problems_are_all_reported_when_the_schema_passes(tmp_path):
    p = write(
        tmp_path,
        "levers.toml",
        """
        [horizon]
        months = 12
        [levers]
        s2_poverty_priority = 3
        g1_coordination = { value = 0.5, ramp_months = 2 }
        s1_training_places_per_year = { value = 9000, start = "2025-01" }
    """,
    )
    with pytest.raises(ScenarioError) as info:
        load(p)
    keys = [key for _file, key, _value, _msg in info.value.problems]
    assert keys == [
        "levers.s2_poverty_priority.value",
        "levers.g1_coordination.value",
        "levers.g1_coordination.ramp_months",
        "levers.s1_training_places_per_year.start",
    ]


def test_a_misplaced_key_points_to_where_it_belongs(tmp_path):
    msg = error_of(write(tmp_path, "top.toml", "months = 12\n"))
    assert "did you mean horizon.months (elsewhere in the scenario)?" in msg


def test_long_values_are_shortened_in_messages(tmp_path):
    msg = error_of(
        write(tmp_path, "long.toml", "[county.workers]\nedu_shares = [" + "0.1, " * 5000 + "0.1]\n")
    )
    assert "county.workers.edu_shares" in msg and len(msg) < 2000


# -- stale inputs: the hash covers the microdata file's contents ----------------------------------------


def microdata_scenario(tmp_path: Path, csv_name: str = "county.csv") -> Path:
    return write(tmp_path, "micro.toml", f'[population]\nsource = "microdata"\npath = "{csv_name}"\n')


def test_hash_follows_the_microdata_contents(tmp_path):
    csv = tmp_path / "county.csv"
    csv.write_text("household_id,age,sex,role\nH1,30,male,worker\n")
    scenario = microdata_scenario(tmp_path)
    first = load(scenario).content_hash()
    assert load(scenario).content_hash() == first  # the same bytes: the same hash
    csv.write_text("household_id,age,sex,role\nH1,31,male,worker\n")  # the same path, edited
    assert load(scenario).content_hash() != first
    csv.write_text("household_id,age,sex,role\nH1,30,male,worker\n")
    assert load(scenario).content_hash() == first  # back to the first contents


def test_an_edit_shows_in_a_loaded_scenario_too(tmp_path):
    csv = tmp_path / "county.csv"
    csv.write_text("household_id,age,sex,role\nH1,30,male,worker\n")
    s = load(microdata_scenario(tmp_path))
    before = s.content_hash()
    csv.write_text("household_id,age,sex,role\nH1,30,female,worker\n")
    assert s.content_hash() != before


def test_hash_of_a_moved_copy_is_the_same_and_a_missing_file_differs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "county.csv").write_text("household_id,age,sex,role\nH1,30,male,worker\n")
    h_a = load(microdata_scenario(tmp_path / "a")).content_hash()
    assert load(microdata_scenario(tmp_path / "b")).content_hash() == h_a
    (tmp_path / "b" / "county.csv").unlink()
    h_missing = load(microdata_scenario(tmp_path / "b")).content_hash()
    assert h_missing != h_a
    (tmp_path / "c").mkdir()
    assert load(microdata_scenario(tmp_path / "c")).content_hash() != h_missing  # another missing path


# -- provenance kept through replace (``--months``, compare) -----------------------------------------


def test_replace_keeps_the_file_that_set_a_lever(tmp_path):
    parent = write(
        tmp_path,
        "package.toml",
        '[levers]\ns1_training_places_per_year = { value = 9000, start = "2024-06" }\n',
    )
    child = write(tmp_path, "county.toml", 'extends = "package.toml"\nname = "c"\n')
    s = load(child)
    assert s.provenance("levers.s1_training_places_per_year.start") == str(parent)
    with pytest.raises(ScenarioError) as info:
        s.replace(**{"horizon.months": 12})
    ((file, key, value, msg),) = info.value.problems
    assert file == str(parent) and key == "levers.s1_training_places_per_year.start" and value == "2024-06"
    assert (
        "allowed 2023-01 to 2023-12" in msg
        and "horizon.months = 12 is set by an override (such as --months)" in msg
    )


def test_replace_marks_what_it_changed(tmp_path):
    s = load(write(tmp_path, "s.toml", "[county.households]\nn = 5000\n"))
    assert s.provenance("county.households.n") == str(tmp_path / "s.toml")
    t = s.replace(**{"county.households.n": 6000})
    assert t.provenance("county.households.n") == "(override)"
    assert t.provenance("county.households") == str(tmp_path / "s.toml")
    with pytest.raises(ScenarioError) as info:
        t.replace(**{"county.households.p_elder": 2.0})
    assert info.value.problems[0][0] == "(override)"


def test_a_horizon_set_in_another_file_is_named(tmp_path):
    write(tmp_path, "short.toml", "[horizon]\nmonths = 12\n")
    child = write(
        tmp_path, "late.toml",
        'extends = "short.toml"\n[levers]\ns1_training_places_per_year = { value = 9000, start = "2025-01" }\n',
    )  # fmt: skip
    msg = error_of(child)
    assert f"{child}: levers.s1_training_places_per_year.start" in msg
    assert f"horizon.months = 12 is set in {tmp_path / 'short.toml'}" in msg


def test_months_option_blames_the_scenario_file_and_the_option(tmp_path):
    from typer.testing import CliRunner

    from countysim.cli import app

    p = write(
        tmp_path, "late.toml", '[levers]\ns1_training_places_per_year = { value = 9000, start = "2024-06" }\n'
    )
    res = CliRunner().invoke(app, ["run", str(p), "--months", "12", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"{p}: levers.s1_training_places_per_year.start = '2024-06': outside the horizon" in res.output
    assert "horizon.months = 12 is set by an override (such as --months)" in res.output


def test_replace_through_a_scalar_reports_the_key(baseline):
    with pytest.raises(ScenarioError, match=r"seed\.x.*seed is not a table"):
        baseline.replace(**{"seed.x": 1})
