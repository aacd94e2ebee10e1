"""Bad sweep files: a corpus of real files, and any TOML document at all (hypothesis).

Every bad file gives one ``SweepError`` that names the file, the key, the value and what is
allowed, all its problems at once; no input raises anything else.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from countysim.experiments.sweep import KEYS, MAX_SEED, SweepError, load_sweep
from countysim.indicators import NAMES

from helpers import BASELINE, ROOT

CORPUS = ROOT / "tests" / "data" / "bad_inputs" / "sweeps"

#: each file of the corpus and what its error must say (every line: one problem)
EXPECTED = {
    "random_bytes.toml": ["(encoding): not UTF-8 text (byte 0)"],
    "utf16.toml": ["(encoding): UTF-16 text; save the file as UTF-8"],
    "utf16_no_bom.toml": ["(encoding): holds NUL characters: not a text file, or UTF-16"],
    "latin1.toml": ["(encoding): not UTF-8 text (byte 9)"],
    "bom_and_typo.toml": ["repz = 2: unknown key (did you mean 'reps'?); allowed: base, name"],
    "nested_too_deep.toml": ["(syntax): values nested too deeply to read"],
    "not_toml.toml": ["(syntax): not valid TOML: Invalid value (at line 2, column 10)"],
    "empty.toml": [
        "base: missing; give a scenario file name", "design: missing; give one of grid, lhs, sobol, morris",
        "points: missing; give a whole number from 1", "outcomes: missing; give a non-empty list",
        "parameters: missing; give a non-empty table",
    ],
    "wrong_types.toml": [
        "name = 7: must be a name of 1 to 180 characters", "description = ['a', 'list']: must be a string",
        "design = 3: unknown design; allowed: grid, lhs, sobol, morris",
        "points = '10': must be a whole number from 1", "reps = 2.5: must be a whole number from 1",
        f"seed = -1: must be a whole number from 0 to {MAX_SEED}", "months = True: must be a whole number from 1 to 360",
        "scale = 'small': must be a number in (0, 100]", "levels = 10.0: must be a whole number from 2 to 100",
        "outcomes = 'employed_rate': must be a non-empty list", "parameters = [1, 2]: must be a non-empty table",
    ],
    "unknown_keys.toml": [
        "desing = 'lhs': unknown key (did you mean 'design'?)", "repz = 2: unknown key (did you mean 'reps'?)",
        "outcome = ['employed_rate']: unknown key (did you mean 'outcomes'?)",
        "paramters = {}: unknown key (did you mean 'parameters'?)",
    ],
    "bad_ranges.toml": [
        'parameters."behaviour.settlement.base" = [-5.0]: must be a range [lo, hi] of two finite numbers',
        'parameters."behaviour.settlement.children_in_town" = [1.6, 0.0]: the lower bound must be below',
        "parameters.\"behaviour.labour.p_sep_outside\" = ['low', 'high']: must be a range",
        'parameters."behaviour.settlement.stable_job" = [nan, 1.0]: must be a range',
        'parameters."levers.s1_training_places_per_year" = [0, inf]: must be a range',
        'parameters."levers.e2_placements_per_year" = [0, inf]: must be a range',
        'parameters."levers.e2_wage_premium" = [0, 100000000000000000...0000000000000000000]',
        'parameters."behaviour.training.base" = 3: must be a range',
        'parameters."county.households.n" = [[1], [2]]: must be a range',
    ],
    "unknown_parameters.toml": [
        "parameters.\"behaviour.settlement.bse\" = [-8.0, -5.0]: unknown key 'bse' under behaviour.settlement "
        "(did you mean 'base'?); allowed here: base, children_in_town",
        "parameters.\"levers.s1_trainig_places_per_year\" = [0.0, 10.0]: unknown lever (did you mean "
        "'s1_training_places_per_year'?)",
        "parameters.\"levers.s1_training_places_per_year.strat\" = [0.0, 10.0]: unknown key 'strat' of a lever "
        "(did you mean 'start'?); allowed: value, start, ramp_months, from",
        "parameters.\"county.nope\" = [0.0, 1.0]: unknown key 'nope' under county; allowed here: costs",
        'parameters."horizon.months" = [12.0, 24.0]: not a model parameter: the sweep sets the horizon itself',
        "parameters.seed = [1.0, 2.0]: not a model parameter: the sweep sets the seeds itself",
        "parameters.name = [1.0, 2.0]: not a model parameter: it does not change a run",
    ],
    "non_numeric_parameters.toml": [
        f'parameters."{key}" = [0.0, 1.0]: not a numeric parameter: give a key path down to a number'
        for key in ("county.name", "behaviour.settlement", "levers.s1_training_places_per_year.start",
                    "county.key_assisted")
    ],
    "out_of_bounds.toml": [
        'parameters."behaviour.settlement.base" = [-8.0, 6.0]: upper bound not allowed: behaviour.settlement.base '
        "= 6.0: Input should be less than or equal to 5",
        'parameters."levers.s1_training_places_per_year" = [-10.0, 30000.0]: lower bound not allowed',
        'parameters."behaviour.labour.p_sep_outside" = [0.5, 2.0]: upper bound not allowed',
    ],
    "switch_range.toml": [
        'parameters."levers.p6_require_housing" = [0.0, 0.5]: p6_require_housing is a switch, sampled off (0) '
        "or on (1): give the range [0, 1]",
        'parameters."levers.p5_permit_basis.value" = [0.2, 1.0]: p5_permit_basis is a switch',
    ],
    "morris_odd_levels_with_switch.toml": [
        "levels = 5: levers.g1_coordination.value is a switch: Morris needs an even number of levels"
    ],
    "huge_design.toml": [
        "points = 1000000: the grid design has 1,000,000,000,000 points × 3 replications; holding its sample "
        "matrix and its runs would take about 2.9e+06 GiB, more than the 4.0 GiB a sweep may hold"
    ],
    "huge_numbers.toml": [
        f"seed = 9223372036854775808: must be a whole number from 0 to {MAX_SEED}",
        "months = 100000000000: must be a whole number from 1 to 360",
        "scale = 1e+300: must be a number in (0, 100]",
        "levels = 99999999999999999999: must be a whole number from 2 to 100",
        "points = 1000000000000000000000000000000: the lhs design has",
    ],
    "outcomes_bad.toml": [
        "outcomes[0] = 'setled_persons_cum': unknown indicator (did you mean 'settled_persons_cum'?); allowed:",
        "outcomes[3] = 3: must be an indicator name (a string)",
    ],
    "outcomes_empty.toml": [
        "outcomes = []: must be a non-empty list of indicator names",
        "parameters = {}: must be a non-empty table of scenario key path = [lo, hi]",
    ],
    "base_missing.toml": ["base = 'nope.toml': no such scenario file (looked for"],
    "base_invalid.toml": ["base = 'random_bytes.toml': the base scenario is invalid:"],
    "levels_not_morris.toml": ["levels = 4: applies only to design = 'morris'"],
    "seed_overflow.toml": [
        "seed = 9223372036854775806: with reps = 3 the last replication's seed would pass 9223372036854775807; "
        "allowed up to 9223372036854775805"
    ],
    "months_beyond_calendar.toml": ["months = 360: horizon: horizon ends in 2052, beyond the calendar"],
    "scale_collapses_points.toml": [
        'parameters."county.households.n" = [1000.0, 1100.0]: at scale 0.01 its 6 whole-number values give only '
        "2 different counties"
    ],
    "scale_too_large.toml": [
        "scale = 100.0: the base scenario at this scale is invalid: county.hukou_population = 62000000: Input "
        "should be less than or equal to 50000000; allowed 1 to 50000000; county.households.n = 11000000: Input "
        "should be less than or equal to 5000000",
        'parameters."county.households.n" = [1000.0, 10000000.0]: upper bound not allowed: county.households.n '
        "= 10000000: Input should be less than or equal to 5000000",
    ],
    "duplicate_parameter.toml": [
        'parameters."levers.s1_training_places_per_year.value" = [0.0, 20.0]: the same parameter as '
        "'levers.s1_training_places_per_year'"
    ],
    "control_characters.toml": ["name = 'two\\nlines': holds control characters"],
}  # fmt: skip


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_names_file_key_value_and_allowed(name: str) -> None:
    path = CORPUS / name
    with pytest.raises(SweepError) as info:
        load_sweep(path)
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid sweep:"
    assert all(line.startswith(f"  {path}: ") for line in lines[1:]), lines
    problems = [line.removeprefix(f"  {path}: ") for line in lines[1:]]
    for expected in EXPECTED[name]:
        assert any(p.startswith(expected) for p in problems), f"{expected!r} not in\n" + "\n".join(problems)
    assert len(problems) == len(EXPECTED[name]) or name == "outcomes_bad.toml", problems


def test_a_folder_and_a_missing_file(tmp_path) -> None:
    with pytest.raises(SweepError, match=r": \(file\): not a file; give a sweep file"):
        load_sweep(tmp_path)
    with pytest.raises(SweepError, match=r"nope\.toml: \(file\): no such sweep file"):
        load_sweep(tmp_path / "nope.toml")


# ----------------------------------------------------------------------------------------
# Any TOML document: a sweep whose every number is finite and in range, or SweepError
# ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sweeps")
    (tmp / "base.toml").write_text(
        f'extends = "{BASELINE.as_posix()}"\nname = "base"\n[horizon]\nmonths = 24\n', encoding="utf-8"
    )
    return tmp


GOOD = {
    "base": "base.toml",
    "name": "prop",
    "design": "lhs",
    "points": 3,
    "reps": 2,
    "seed": 5,
    "outcomes": ["employed_rate"],
    "parameters": {"behaviour.settlement.base": [-8.0, -5.0], "levers.p6_require_housing": [0, 1]},
}
special = st.sampled_from(
    [0, 1, 2, 3, 4, 12, 48, 360, 361, 0.5, 1.0, 100, 100.5, MAX_SEED, MAX_SEED + 1, 10**400, 2**63,
     math.inf, -math.inf, math.nan, 1e308, -1.5]
)  # fmt: skip
numbers = special | special | st.integers(min_value=-(2**70), max_value=2**70) | st.floats()
scalars = (
    numbers
    | st.booleans()
    | st.text(max_size=12)
    | st.sampled_from(["lhs", "grid", "sobol", "morris", "base.toml", "employed_rate", "", "../base.toml"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from([*KEYS, "repz", "desing", ""]) | st.text(max_size=10)
paths = st.sampled_from(
    ["behaviour.settlement.base", "levers.s1_training_places_per_year", "levers.p6_require_housing",
     "county.households.n", "behaviour.services.coordination_delay_months", "behaviour.settlement",
     "county.name", "levers.nope", "seed", "horizon.months", "levers.g1_coordination.value"]
) | st.text(max_size=20)  # fmt: skip
ranges = (
    st.lists(numbers, min_size=2, max_size=2).map(sorted) | st.lists(numbers, min_size=2, max_size=2) | values
)


#: values a key may well take, so that many documents load (the others come from ``values``)
PLAUSIBLE = {
    "base": st.sampled_from(["base.toml", "./base.toml", "nope.toml"]),
    "name": st.text(min_size=1, max_size=30),
    "description": st.text(max_size=30),
    "design": st.sampled_from(["grid", "lhs", "sobol", "morris"]),
    "points": st.integers(1, 6),
    "reps": st.integers(1, 3),
    "seed": st.integers(0, MAX_SEED),
    "months": st.integers(1, 30),
    "scale": st.floats(0.001, 100),
    "levels": st.sampled_from([2, 3, 4, 6]),
    "outcomes": st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
    "parameters": st.dictionaries(st.sampled_from(["behaviour.settlement.base", "levers.p6_require_housing"]),
                                  st.sampled_from([[-8.0, -5.0], [0, 1]]), min_size=1),
}  # fmt: skip


@st.composite
def documents(draw) -> dict:
    """A good sweep with a few keys changed, removed or added (so that both outcomes occur)."""
    doc = {k: (dict(v) if isinstance(v, dict) else v) for k, v in GOOD.items()}
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3, 4]))):
        action = draw(st.sampled_from(["set", "set", "drop", "add", "param", "param"]))
        if action == "set":
            key = draw(st.sampled_from(sorted(KEYS)))
            doc[key] = draw(PLAUSIBLE[key] | values)
        elif action == "drop" and doc:
            doc.pop(draw(st.sampled_from(sorted(doc))))
        elif action == "add":
            doc[draw(keys)] = draw(values)
        elif isinstance(doc.get("parameters"), dict):
            doc["parameters"][draw(paths)] = draw(ranges)
    return doc


def check_loaded(sw) -> None:
    """Every number of a loaded sweep is finite and in its range."""
    assert 1 <= sw.design.points and 1 <= sw.reps and 0 <= sw.seed and sw.seed + sw.reps - 1 <= MAX_SEED
    assert 1 <= sw.months <= 360 and (sw.scale is None or 0 < sw.scale <= 100)
    assert sw.outcomes and set(sw.outcomes) <= set(NAMES) and len(set(sw.outcomes)) == len(sw.outcomes)
    assert sw.name.strip() and sw.design.n >= 1 and sw.parameters
    x = sw.design.samples
    assert x.shape == (sw.design.n, len(sw.parameters)) and np.isfinite(x).all()
    for j, p in enumerate(sw.parameters):
        assert math.isfinite(p.lo) and math.isfinite(p.hi) and p.lo < p.hi
        assert (x[:, j] >= p.lo).all() and (x[:, j] <= p.hi).all()
        if p.categories is not None:
            assert set(x[:, j]) <= set(p.categories)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])  # fmt: skip
@given(doc=documents())
def test_any_toml_document_loads_as_a_sound_sweep_or_raises_sweep_error(folder, doc) -> None:
    path = folder / "sweep.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    try:
        sw = load_sweep(path)
    except SweepError as exc:
        assert exc.problems and all(file == str(path) for file, *_ in exc.problems)
        return
    check_loaded(sw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_load_or_raise_sweep_error(folder, data: bytes) -> None:
    path = folder / "raw.toml"
    path.write_bytes(data)
    try:
        sw = load_sweep(path)
    except SweepError:
        return
    check_loaded(sw)  # pragma: no cover - a few random bytes are not a sweep
