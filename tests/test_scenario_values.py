"""Every parameter of the schema, by class: numbers finite and in a documented range, strict types,
tables with every key.

Each test walks the whole schema (``parameter_table``), so a parameter added later is covered.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from countysim.calendar import parse_month
from countysim.parameters.base import NO_VALUE
from countysim.policy.levers import LEVERS, LEVERS_BY_NAME
from countysim.scenario import Scenario, ScenarioError, parameter_table, validate_dict


def _defaults() -> dict[str, Any]:
    dumped = Scenario().model_dump(by_alias=True)
    out = {}
    for row in parameter_table():
        value: Any = dumped
        for part in row["key"].split("."):
            value = value[part]
        out[row["key"]] = value
    return out


DEFAULTS = _defaults()
NUMBERS = [k for k, v in DEFAULTS.items() if isinstance(v, int | float) and not isinstance(v, bool)]


def nested(key: str, value: Any) -> dict:
    """``{"a": {"b": value}}`` for ``"a.b"``."""
    out: dict = {}
    node = out
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return out


def problems_of(data: dict) -> list[tuple[str, str, Any, str]]:
    with pytest.raises(ScenarioError) as info:
        validate_dict(data, source="test.toml")
    return info.value.problems


def field_type(key: str) -> Any:
    """The declared type of a parameter (``int``, ``float``, ``bool``, ``str``, a tuple or dict type)."""
    model: Any = Scenario
    for part in key.split("."):
        field = model.model_fields[part]
        model = field.annotation
    return model


INTS = [k for k in NUMBERS if field_type(k) is int]
FLOATS = [k for k in NUMBERS if field_type(k) is float]
BOOLS = [k for k, v in DEFAULTS.items() if isinstance(v, bool)]
STRINGS = [k for k, v in DEFAULTS.items() if isinstance(v, str)]
TUPLES = [k for k, v in DEFAULTS.items() if isinstance(v, tuple)]
TABLES = [k for k, v in DEFAULTS.items() if isinstance(v, dict)]


def test_the_classes_cover_the_schema():
    assert (
        len(INTS) > 10 and len(FLOATS) > 100 and BOOLS and STRINGS and len(TUPLES) >= 5 and len(TABLES) >= 8
    )
    assert set(INTS) | set(FLOATS) == set(NUMBERS)
    assert len(NUMBERS) + len(BOOLS) + len(STRINGS) + len(TUPLES) + len(TABLES) == len(DEFAULTS)


# -- numbers: finite, with a documented range -----------------------------------------------------


@pytest.mark.parametrize("key", NUMBERS + TUPLES + TABLES)
def test_every_number_has_a_finite_documented_range(key):
    row = next(r for r in parameter_table() if r["key"] == key)
    lo, _, hi = row["range"].removesuffix(" each").partition(" to ")
    assert lo and hi, f"{key} has no complete range: {row['range']!r}"
    assert math.isfinite(float(lo)) and math.isfinite(float(hi)) and float(lo) <= float(hi)


@pytest.mark.parametrize("key", NUMBERS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e308, -1e308])
def test_non_finite_and_unbounded_numbers_are_refused(key, bad):
    problems = problems_of(nested(key, bad))
    assert [p[1] for p in problems] == [key]
    assert "allowed" in problems[0][3]


@pytest.mark.parametrize("key", TUPLES + TABLES)
def test_non_finite_entries_are_refused(key):
    default = DEFAULTS[key]
    if isinstance(default, dict):
        first = next(iter(default))
        bad: Any = {**default, first: math.nan}
        where = f"{key}.{first}"
    else:
        bad = [math.inf, *default[1:]]
        where = f"{key}.0"
    problems = problems_of(nested(key, bad))
    assert [p[1] for p in problems] == [where]
    assert "not nan or inf" in problems[0][3] and "allowed" in problems[0][3]


def test_huge_integer_beyond_float_is_refused():
    problems = problems_of(nested("county.households.mean_savings_yuan", 10**400))
    assert problems[0][1] == "county.households.mean_savings_yuan" and "allowed 0 to" in problems[0][3]


@pytest.mark.parametrize(
    ("edges", "needle"),
    [
        ([16, 21, 31, 41, 51, 61, 3000], "age_band_edges.6"),  # overflows the int16 age column
        ([16, 21, 21, 41, 51, 61, 66], "strictly increasing"),  # a repeated edge: an empty band
        ([16, 31, 21, 41, 51, 61, 66], "strictly increasing"),
        ([10, 21, 31, 41, 51, 61, 66], "age_band_edges.0"),
        ([16, 21, 31, 41, 51, 61], "6 edges for 6 shares"),
    ],
)
def test_age_band_edges(edges, needle):
    problems = problems_of(nested("county.workers.age_band_edges", edges))
    text = " ".join(f"{p[1]} {p[3]}" for p in problems)
    assert needle in text and "county.workers.age_band_edges" in text and "16" in text and "100" in text


@pytest.mark.parametrize("lever", [lv.name for lv in LEVERS])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_lever_values_must_be_finite(lever, bad):
    for key, data in (("value", bad), ("from", {"value": LEVERS_BY_NAME[lever].status_quo, "from": bad})):
        problems = problems_of({"levers": {lever: data}})
        assert [p[1] for p in problems] == [f"levers.{lever}.{key}"], problems
        assert "not nan or inf" in problems[0][3] and "allowed" in problems[0][3]


# -- types: a string is never a number, a boolean never a number, and the other way round ----------


@pytest.mark.parametrize("key", NUMBERS)
@pytest.mark.parametrize("bad", ["12", "0.5", True, False, [1], {"a": 1}])
def test_numbers_are_strict(key, bad):
    problems = problems_of(nested(key, bad))
    assert [p[1] for p in problems] == [key]
    message = problems[0][3]
    assert "must be" in message
    if isinstance(bad, str):
        assert "not a string" in message and "without quotes" in message
    if isinstance(bad, bool):
        assert "not true/false" in message


@pytest.mark.parametrize("key", INTS)
def test_integers_refuse_decimals(key):
    problems = problems_of(nested(key, float(DEFAULTS[key])))
    assert [p[1] for p in problems] == [key] and "not a decimal" in problems[0][3]


@pytest.mark.parametrize("key", FLOATS)
def test_floats_take_integers(key):
    value = DEFAULTS[key]
    if float(value).is_integer():
        s = validate_dict(nested(key, int(value)))
        got: Any = s.model_dump()
        for part in key.split("."):
            got = got[part]
        assert got == value and isinstance(got, float)


@pytest.mark.parametrize("key", BOOLS)
@pytest.mark.parametrize("bad", ["yes", "true", 1, 0])
def test_flags_are_strict(key, bad):
    problems = problems_of(nested(key, bad))
    assert [p[1] for p in problems] == [key] and "must be true or false" in problems[0][3]


@pytest.mark.parametrize("key", [*STRINGS, "name", "description"])
def test_strings_are_strict(key):
    problems = problems_of(nested(key, 3))
    assert [p[1] for p in problems] == [key] and "must be a string" in problems[0][3]


@pytest.mark.parametrize("key", TUPLES)
@pytest.mark.parametrize("bad", ["0.5", True])
def test_tuple_entries_are_strict(key, bad):
    default = DEFAULTS[key]
    problems = problems_of(nested(key, [bad, *default[1:]]))
    assert [p[1] for p in problems] == [f"{key}.0"] and "must be" in problems[0][3]


@pytest.mark.parametrize("key", TUPLES)
def test_tuples_are_arrays_not_strings(key):
    problems = problems_of(nested(key, "0.5, 0.5"))
    assert [p[1] for p in problems] == [key] and "must be an array" in problems[0][3]


@pytest.mark.parametrize(
    ("key", "bad", "needle"),
    [
        ("horizon.months", True, "not true/false"),
        ("horizon.months", "12", "not a string"),
        ("seed", True, "not true/false"),
        ("seed", 1.0, "not a decimal"),
        ("horizon.start", 202301, "must be a string"),
        ("horizon.start", "2023-01\n", "YYYY-MM"),
        ("levers.s2_poverty_priority", "1", "not a string"),
        ("levers.g1_coordination", True, "not true/false"),
        ("levers.s1_training_places_per_year", {"value": 9000, "ramp_months": 3.0}, "not a decimal"),
        ("levers.s1_training_places_per_year", {"value": 9000, "start": "2024-01 "}, "YYYY-MM"),
        ("population.source", 1, "allowed: 'synthetic' or 'microdata'"),
    ],
)
def test_strict_types_outside_the_parameter_table(key, bad, needle):
    problems = problems_of(nested(key, bad))
    assert len(problems) == 1 and key in problems[0][1] and needle in problems[0][3]


@pytest.mark.parametrize(
    "label", ["2023-01\n", " 2023-01", "2023-01 ", "２０２３-01", "2023-0１", "2023-01\r\n"]
)
def test_parse_month_takes_exactly_yyyy_mm(label):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(label)


@pytest.mark.parametrize("label", [None, 202301, ("2023", "01")])
def test_parse_month_takes_only_strings(label):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(label)


# -- tables: every key, or say which are missing; unknown keys list what is allowed ---------------


@pytest.mark.parametrize("key", TABLES)
def test_a_table_with_one_key_names_the_missing_ones(key):
    default = DEFAULTS[key]
    first = next(iter(default))
    problems = problems_of(nested(key, {first: default[first]}))
    assert [p[1] for p in problems] == [key]
    message = problems[0][3]
    assert problems[0][2] is NO_VALUE and "missing key(s)" in message
    for other in list(default)[1:]:
        assert other in message


@pytest.mark.parametrize("key", TABLES)
def test_an_unknown_key_in_a_table_lists_what_is_allowed(key):
    default = DEFAULTS[key]
    first = next(iter(default))
    typo = first[:-1] + ("x" if first[-1] != "x" else "y")
    problems = problems_of(nested(key, {**default, typo: default[first]}))
    assert [p[1] for p in problems] == [f"{key}.{typo}"]
    message = problems[0][3]
    assert f"did you mean {first!r}?" in message
    allowed = message.split("allowed here", 1)[1]
    assert all(name in allowed for name in default)


def test_contract_table_keys_are_the_jobs_the_rule_uses():
    from countysim.parameters.behaviour import employee_jobs
    from countysim.population.codes import JOB_NAMES, WAGE_JOBS

    assert employee_jobs() == tuple(JOB_NAMES[j] for j in WAGE_JOBS)
    assert tuple(DEFAULTS["behaviour.rights.p_contract_at_hire"]) == employee_jobs()


@pytest.mark.parametrize(
    ("path", "key", "allowed"),
    [
        (("levers", "s1_training_places_per_year"), "valu", "value, start, ramp_months, from"),
        (("horizon",), "month", "start, months"),
        (("population",), "paht", "source, path"),
    ],
)
def test_unknown_sub_keys_say_what_is_allowed(path, key, allowed):
    data: dict = {}
    node = data
    for part in path:
        node = node.setdefault(part, {})
    node[key] = 3
    if path[0] == "levers":
        node["value"] = 9000
    problems = problems_of(data)
    assert [p[1] for p in problems] == [".".join((*path, key))]
    assert f"allowed here: {allowed}; did you mean" in problems[0][3]
