"""Scenario loading, inheritance and every kind of validation error."""

from __future__ import annotations

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
