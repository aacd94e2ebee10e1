"""Property tests of the loaders: any file either loads into something valid or gives the loader's
own error — never another exception.

- scenario files: TOML text generated from random nested tables, arrays and scalars, with keys
  of the real schema (its key paths, lever names, table entries) and random values, plus random
  bytes → a ``Scenario`` whose every number is finite and in its documented range, or a
  ``ScenarioError``;
- microdata files: random CSV rows (schema columns and others, valid and invalid values, in
  several encodings) and random bytes → a population that keeps the schema's rules, or a
  ``MicrodataError``;
- targets files: random ``[[target]]`` tables and random bytes → valid targets, or a
  ``TargetsError``.
"""

from __future__ import annotations

import atexit
import csv
import io
import json
import math
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from countysim.assessment import OPS, TargetsError, load_targets
from countysim.build.microdata import (
    CATEGORIES,
    MAX_CHILD_AGE,
    MIN_ELDER_AGE,
    MIN_WORKER_AGE,
    SCHEMA,
    MicrodataError,
    load_microdata,
    read_microdata,
)
from countysim.calendar import parse_month
from countysim.indicators import CATALOGUE_BY_NAME
from countysim.policy.clauses import CLAUSES
from countysim.policy.levers import LEVERS_BY_NAME
from countysim.population import codes as c
from countysim.rng import Streams
from countysim.scenario import Scenario, ScenarioError, _all_key_paths, load, parameter_table

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
WORK = Path(tempfile.mkdtemp(prefix="countysim-properties-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


# -- writing TOML ------------------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else toml_string(key)


def toml_string(s: str) -> str:
    # JSON escapes are TOML escapes; DEL must be escaped in TOML too, and lone surrogates cannot be written
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def toml_document(doc: dict[str, Any]) -> str:
    """Top-level keys as ``key = value`` lines, tables as ``[table]`` sections (one level)."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines.append(f"[{toml_key(k)}]")
            lines += [f"{toml_key(kk)} = {toml_value(vv)}" for kk, vv in v.items()]
    return "\n".join(lines) + "\n"


# -- scenario files ----------------------------------------------------------------------------------

KEY_PATHS = [p for p in _all_key_paths() if p != "source_file"]
LEAF_NAMES = sorted(
    {p.rsplit(".", 1)[-1] for p in KEY_PATHS}
    | set(LEVERS_BY_NAME)
    | {"value", "start", "ramp_months", "from", "extends"}
    | {name for names in (c.JOB_NAMES, c.SECTOR_NAMES, c.INSURANCE_NAMES, c.SERVICE_NAMES) for name in names}
)
keys = st.one_of(st.sampled_from(LEAF_NAMES), st.text(max_size=12))
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 1e308, -1e308, 5e-324, 2**63, 12, 96, 2023, 16, 100, 3000]),
)
scalars = st.one_of(
    numbers,
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(
        ["2023-01", "2024-06", "2023-01\n", "12", "yes", "synthetic", "microdata", "baseline.toml"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=20,
)


RANGES = {
    row["key"]: tuple(float(x) for x in row["range"].removesuffix(" each").split(" to "))
    for row in parameter_table()
    if row["range"] and not row["range"].endswith("each")
}


def plausible(path: str) -> st.SearchStrategy:
    """Values a user might write for a real parameter: in range, at a bound, just outside."""
    if path not in RANGES:
        return values
    lo, hi = RANGES[path]
    edges = st.sampled_from([lo, hi, hi + 1, lo - 1, (lo + hi) / 2])
    if lo.is_integer() and hi.is_integer():
        return st.one_of(st.floats(lo, hi), st.integers(int(lo), int(hi)), edges)
    return st.one_of(st.floats(lo, hi), edges)


@st.composite
def schema_documents(draw) -> dict[str, Any]:
    """A document of real key paths (and a few lever tables) set to random or plausible values."""
    doc: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(KEY_PATHS), max_size=8)):
        node = doc
        parts = path.split(".")
        for part in parts[:-1]:
            nxt = node.setdefault(part, {})
            if not isinstance(nxt, dict):
                break
            node = nxt
        else:
            node[parts[-1]] = draw(st.one_of(values, plausible(path)))
    for name in draw(st.lists(st.sampled_from(sorted(LEVERS_BY_NAME)), max_size=3)):
        doc.setdefault("levers", {})
        lever = LEVERS_BY_NAME[name]
        if isinstance(doc["levers"], dict):
            doc["levers"][name] = draw(
                st.one_of(values, st.floats(lever.lo, lever.hi), st.sampled_from([lever.lo, lever.hi]))
            )
    return doc


def in_range(value: float, rng: str) -> bool:
    lo, _, hi = rng.removesuffix(" each").partition(" to ")
    return math.isfinite(value) and float(lo) <= value <= float(hi)


def check_scenario(s: Scenario) -> None:
    """Every number of a loaded scenario is finite and within its documented range."""
    dumped = s.model_dump(by_alias=True)
    for row in parameter_table():
        v: Any = dumped
        for part in row["key"].split("."):
            v = v[part]
        entries = list(v.values()) if isinstance(v, dict) else list(v) if isinstance(v, tuple | list) else [v]
        for x in entries:
            if isinstance(x, int | float) and not isinstance(x, bool):
                assert in_range(x, row["range"]), (row["key"], x, row["range"])
    for name, setting in s.levers.items():
        lever = LEVERS_BY_NAME[name]
        for x in (setting.value, setting.from_value):
            assert x is None or (math.isfinite(x) and lever.lo <= x <= lever.hi)
    s.content_hash()  # a loaded scenario can always be hashed


def load_text(text: str | bytes) -> str:
    path = WORK / "scenario.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        scenario = load(path)
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p[1], str) and p[3] for p in exc.problems)
        return "ScenarioError"
    check_scenario(scenario)
    return "a valid scenario"


@SETTINGS
@given(schema_documents())
def test_schema_shaped_scenarios_load_or_raise_scenario_error(doc):
    event(load_text(toml_document(doc)))


@SETTINGS
@given(st.dictionaries(keys, values, max_size=6))
def test_random_documents_load_or_raise_scenario_error(doc):
    event(load_text(toml_document(doc)))


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.text(max_size=200)))
def test_random_bytes_and_text_load_or_raise_scenario_error(data):
    event(load_text(data))


def test_the_generator_makes_valid_scenarios_too():
    # the property is not vacuous: a valid document passes through the same path
    assert load_text(toml_document({"horizon": {"months": 12}, "levers": {"s2_poverty_priority": 0.5}})) == (
        "a valid scenario"
    )
    assert load(WORK / "scenario.toml").horizon.months == 12


# -- microdata files ---------------------------------------------------------------------------------

cell_values = {
    "household_id": st.one_of(st.sampled_from(["H1", "H2", "H3", "007", "7", ""]), st.text(max_size=4)),
    "person_id": st.one_of(st.sampled_from(["p1", "p2", "p3", ""]), st.text(max_size=3)),
    "age": st.one_of(st.integers(-5, 130).map(str), st.sampled_from(["", "nan", "inf", "3e1", "x"])),
    "tenure_months": st.one_of(st.integers(-5, 800).map(str), st.sampled_from(["", "nan", "12.5"])),
    "wage_yuan_month": st.one_of(st.floats(-10, 2e6).map(repr), st.sampled_from(["", "inf", "5,000"])),
    **{
        name: st.one_of(st.sampled_from(list(names)), st.sampled_from(["", "Male", " worker ", "農民工"]))
        for name, names in CATEGORIES.items()
    },
    **{flag: st.sampled_from(["true", "false", "1", "0", "yes", "no", "", "maybe"]) for flag in
       ("poverty_alleviated", "rural_craftsman", "willing_to_train")},
}  # fmt: skip
other_cell = st.text(max_size=6)


def good_cell(column: str, role: str, row: int) -> st.SearchStrategy:
    """A value the schema allows for ``column`` in a row of ``role``."""
    ages = {"worker": (16, 70), "child": (0, 25), "elder": (45, 100)}[role]
    allowed = {
        "role": st.just(role),
        "age": st.integers(*ages).map(str),
        "sex": st.sampled_from(["male", "female", " Female "]),
        "person_id": st.just(f"p{row}"),
        "job": st.sampled_from(["none", "farm", "township"] if role == "worker" else ["none"]),
        "tenure_months": st.integers(0, 12).map(str),
        "wage_yuan_month": st.floats(0, 1e6).map(repr),
        "sector": st.sampled_from(["", "construction"]),
    }
    if column in allowed:
        return allowed[column]
    if column in CATEGORIES:
        return st.sampled_from(CATEGORIES[column])
    return cell_values.get(column, other_cell)


@st.composite
def microdata_files(draw) -> tuple[str, bytes]:
    """A CSV export: mostly schema columns and allowed values, with some cells and columns spoilt."""
    required = ["household_id", "age", "sex", "role"]
    columns = [
        col for col in required if draw(st.integers(0, 19))
    ]  # now and then a required column is missing
    columns += draw(
        st.lists(st.sampled_from([c for c in SCHEMA if c not in required]), max_size=4, unique=True)
    )
    columns += draw(st.lists(st.sampled_from(["備註", "name", "age ", ""]), max_size=2, unique=True))
    spoil = draw(st.sampled_from([0.0, 0.0, 0.01, 0.05, 0.5]))
    rows = []
    for h in range(draw(st.integers(0, 5))):
        for role in ["worker", *draw(st.lists(st.sampled_from(["worker", "child", "elder"]), max_size=3))]:
            row = []
            for col in columns:
                if col.strip() == "household_id":
                    value = f"H{h}"
                elif draw(st.floats(0, 1)) < spoil:
                    value = draw(cell_values.get(col.strip(), other_cell))
                else:
                    value = draw(good_cell(col.strip(), role, len(rows)))
                row.append(value)
            rows.append(row)
    rows = draw(st.permutations(rows))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return "county.csv", buf.getvalue().encode(
        encoding, "surrogatepass" if encoding.startswith("utf-8") else "replace"
    )


@pytest.fixture(scope="module")
def small_county(baseline):
    return baseline.replace(**{"county.households.n": 100})


def check_population(path: Path, scenario: Scenario) -> str:
    try:
        table = read_microdata(path)
    except MicrodataError as exc:
        assert exc.problems and str(exc).startswith(str(path))
        return "MicrodataError"
    pop = load_microdata(path, scenario, Streams(1))
    assert pop.n == table.n and pop.n_households == table.n_households
    assert pop.hh.min() >= 0 and pop.hh.max() < pop.n_households
    age = pop.age_m / 12
    assert np.all((age >= 0) & (age <= 110.99))
    assert np.all(age[pop.role == c.WORKER] >= MIN_WORKER_AGE)
    assert np.all(age[pop.role == c.CHILD] < MAX_CHILD_AGE + 1)
    assert np.all(age[pop.role == c.ELDER] >= MIN_ELDER_AGE)
    assert np.all(pop.job[pop.role != c.WORKER] == c.J_NONE)
    grown = pop.role != c.CHILD
    assert set(np.unique(pop.hh)) == set(np.unique(pop.hh[grown]))  # every household has a worker or elder
    assert np.all(np.isfinite(pop.wage)) and np.all(pop.wage >= 0)
    return "a valid population"


@SETTINGS
@given(microdata_files())
def test_random_csv_files_give_a_valid_population_or_microdata_error(small_county, file):
    name, data = file
    path = WORK / name
    path.write_bytes(data)
    event(check_population(path, small_county))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["county.csv", "county.parquet"]))
def test_random_bytes_give_a_microdata_error(small_county, data, name):
    path = WORK / name
    path.write_bytes(data)
    event(check_population(path, small_county))


def test_the_microdata_generator_makes_valid_files_too(small_county):
    path = WORK / "valid.csv"
    path.write_text("household_id,age,sex,role\nH1,30,male,worker\nH1,5,female,child\n")
    assert check_population(path, small_county) == "a valid population"
    assert read_microdata(path).n == 2


# -- targets files -----------------------------------------------------------------------------------

target_values = {
    "id": st.one_of(st.text(max_size=5), st.integers(), st.sampled_from(["a", "b", ""])),
    "clause": st.one_of(st.sampled_from([*list(CLAUSES)[:6], "Z9", "p5", ""]), values),
    "indicator": st.one_of(st.sampled_from([*sorted(CATALOGUE_BY_NAME)[:8], "contract_rte"]), values),
    "op": st.one_of(st.sampled_from([*OPS, "=>", ""]), values),
    "value": st.one_of(numbers, scalars),
    "at": st.one_of(st.sampled_from(["2024-06", "2025-12", "2024-13", "2024-06\n", ""]), values),
    "tol": st.one_of(numbers, scalars),
    "subgroup": st.one_of(st.sampled_from(["all", "women"]), values),
    "description": st.one_of(st.text(max_size=10), values),
}
target_keys = st.one_of(st.sampled_from(sorted(target_values)), st.text(max_size=6))


GOOD_TARGET = {
    "id": st.text(min_size=1, max_size=5).filter(str.strip),
    "clause": st.sampled_from(list(CLAUSES)),
    "indicator": st.sampled_from(sorted(CATALOGUE_BY_NAME)),
    "op": st.sampled_from([">=", "<="]),
    "value": st.floats(0, 1),
    "at": st.sampled_from(["2024-06", "2025-12", "2030-12"]),
    "description": st.text(max_size=10),
}


@st.composite
def target_tables(draw) -> dict[str, Any]:
    """A [[target]] table: the required keys with good values, some spoilt, some keys dropped or added."""
    spoil = draw(st.sampled_from([0.0, 0.1, 0.5]))
    out: dict[str, Any] = {}
    for key, good in GOOD_TARGET.items():
        roll = draw(st.floats(0, 1))
        if roll < spoil / 3:
            continue  # a key left out
        out[key] = draw(target_values[key] if roll < spoil else good)
    for key in draw(st.lists(target_keys, max_size=2 if spoil else 0)):
        out[key] = draw(target_values.get(key, values))
    return out


def targets_text(entries: list[dict[str, Any]], extra: dict[str, Any]) -> str:
    text = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in extra.items())
    for entry in entries:
        text += "\n[[target]]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in entry.items())
    return text


def check_targets(data: bytes) -> str:
    path = WORK / "targets.toml"
    path.write_bytes(data)
    try:
        targets = load_targets(path)
    except TargetsError as exc:
        assert str(exc).startswith(f"invalid targets file {path}")
        return "TargetsError"
    assert targets and len({t.id for t in targets}) == len(targets)
    for t in targets:
        assert t.clause in CLAUSES and t.indicator in CATALOGUE_BY_NAME and t.op in OPS
        assert math.isfinite(t.value) and 0 <= t.tol <= 1
        parse_month(t.at)
    return "valid targets"


@SETTINGS
@given(
    st.lists(target_tables(), max_size=4),
    st.dictionaries(st.sampled_from(["target", "targets", "x"]), values, max_size=1) | st.just({}),
)
def test_random_targets_files_give_targets_or_targets_error(entries, extra):
    event(check_targets(targets_text(entries, extra).encode("utf-8", "surrogatepass")))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_give_a_targets_error(data):
    event(check_targets(data))


def test_the_targets_generator_makes_valid_files_too():
    good = {
        "id": "a",
        "clause": "P5",
        "indicator": "public_school_share",
        "op": ">=",
        "value": 0.8,
        "at": "2024-06",
    }
    assert check_targets(targets_text([good], {}).encode()) == "valid targets"
    assert len(load_targets(WORK / "targets.toml")) == 1
