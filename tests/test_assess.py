"""Assessment against targets (countysim.assessment) and ``countysim assess``, end to end."""

from __future__ import annotations

import functools
import math
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.assessment import (
    Target,
    TargetsError,
    assess,
    check_horizon,
    load_targets,
    to_markdown,
    verdict,
)
from countysim.calendar import month_labels
from countysim.cli import app
from countysim.policy.clauses import CLAUSES

import helpers
from helpers import BASELINE, ROOT

NOTICE = ROOT / "targets" / "notice_2023.toml"

GOOD = """
[[target]]
id = "a"
clause = "P5"
indicator = "public_school_share"
op = ">="
value = 0.85
at = "2024-06"
"""


def entry(**changes) -> str:
    """One [[target]] table: GOOD's keys with ``changes`` (a value of None drops the key)."""
    keys = {"id": '"b"', "clause": '"R1"', "indicator": '"contract_rate"', "op": '">="', "value": "0.6",
            "at": '"2024-06"'}  # fmt: skip
    keys.update(changes)
    return "\n[[target]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


def write(tmp_path, text: str):
    p = tmp_path / "targets.toml"
    p.write_text(text, encoding="utf-8")
    return p


#: a hand-made run over 2024 (helpers.panel with this file's default year)
panel = functools.partial(helpers.panel, start="2024-01", months=12)


# -- the targets file ---------------------------------------------------------------------------


def test_notice_targets_file_is_valid():
    targets = load_targets(NOTICE)
    assert len(targets) >= 8 and len({t.id for t in targets}) == len(targets)
    assert {t.clause for t in targets} >= {"S2", "S3", "P5", "R1", "R2", "P6"}
    assert all(t.clause in CLAUSES and t.description for t in targets)
    by_id = {t.id: t for t in targets}
    assert by_id["s3_poverty_training_person_times"].value == 600_000 / 160
    assert by_id["s3_new_high_skilled"].value == math.ceil(10_000 / 160)
    # every target lies in the default horizon of the county it is written for
    s = cs.load_scenario(ROOT / "scenarios" / "key_assisted_county.toml")
    check_horizon(targets, month_labels(s.horizon.start, s.horizon.months))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (entry(indicator='"contract_rte"'), "target 'b' (entry 2): indicator = 'contract_rte': not in the indicator catalogue"),
        (entry(at='"2025-13"'), "target 'b' (entry 2): at = '2025-13': must be a month written as a string \"YYYY-MM\""),
        (entry(at='"2025/12"'), "at = '2025/12': must be a month"),
        (entry(at="2025-12-01"), "at = datetime.date(2025, 12, 1): must be a month written as a string"),
        (entry(op='"=>"'), "op = '=>': unknown comparison; allowed: '>=', '<=', '=='"),
        (entry(clause='"Z9"'), "clause = 'Z9': unknown clause; allowed (POLICY_MAP.md): O1, O2"),
        (entry(id='"a"'), "target 'a' (entry 2): duplicate id 'a' (also entry 1); ids must be unique"),
        (entry(valeu="0.6"), "unknown key(s) 'valeu'; allowed: id, clause, indicator, op, value, at, tol, kind, applies_to, subgroup, description"),
        (entry(value=None), "target 'b' (entry 2): missing key(s) 'value'; required: id, clause, indicator, op, value, at"),
        (entry(id=None), "entry 2: missing key(s) 'id'"),
        (entry(subgroup='"women"'), "subgroup = 'women': not supported; allowed: 'all'"),
        (entry(value='"high"'), "value = 'high': must be a finite number"),
        (entry(tol="0.1"), "tol = 0.1: a tolerance applies only to op '=='"),
        (entry(op='"=="', tol="-1"), "tol = -1: must be a number ≥ 0"),
        (entry(description="3"), "description = 3: must be a string"),
    ],
)  # fmt: skip
def test_malformed_entries(tmp_path, text, expected):
    path = write(tmp_path, GOOD + text)
    with pytest.raises(TargetsError) as err:
        load_targets(path)
    message = str(err.value)
    assert message.startswith(f"invalid targets file {path}:")
    assert expected in message
    assert "(entry 1):" not in message  # the good entry is not blamed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no targets: the file must hold at least one [[target]] table"),
        ("title = 'x'\n" + GOOD, "unknown top-level key(s) 'title'; allowed: [[target]] tables only"),
        ("target = 3\n", "'target' must be a list of tables, written [[target]]"),
        ("[[target]\n", "not valid TOML"),
    ],
)
def test_malformed_files(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(TargetsError, match="invalid targets file") as err:
        load_targets(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_missing_file_and_every_problem_in_one_error(tmp_path):
    with pytest.raises(TargetsError, match="no such file"):
        load_targets(tmp_path / "nope.toml")
    path = write(tmp_path, GOOD + entry(op='"=>"', at='"soon"') + entry(id='"c"', indicator='"x"'))
    with pytest.raises(TargetsError) as err:
        load_targets(path)
    lines = str(err.value).splitlines()
    assert len(lines) == 4  # the header and three problems in two entries
    assert "target 'b' (entry 2): op" in lines[1] and "target 'b' (entry 2): at" in lines[2]
    assert "target 'c' (entry 3): indicator = 'x'" in lines[3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (entry(indicator='"contract_rte"'), "not in the indicator catalogue; allowed: any name listed by `countysim indicators` (docs/indicators.md); did you mean 'contract_rate'?"),
        (entry(valeu="0.6"), "allowed: id, clause, indicator, op, value, at, tol, kind, applies_to, subgroup, description; did you mean 'value'?"),
        (entry(clause='"R11"'), "clause = 'R11': unknown clause; allowed (POLICY_MAP.md): O1"),
        (entry(clause='["R1"]'), "clause = ['R1']: unknown clause"),
        (entry(clause="{ a = 1 }"), "clause = {'a': 1}: unknown clause"),
        (entry(indicator='["contract_rate"]'), "indicator = ['contract_rate']: not in the indicator catalogue"),
        (entry(op="[1]"), "op = [1]: unknown comparison"),
        (entry(subgroup="[1]"), "subgroup = [1]: not supported"),
        (entry(id="[1]"), "entry 2: id = [1]: must be a non-empty string"),
        (entry(value="nan"), "value = nan: must be a finite number"),
        (entry(value="inf"), "value = inf: must be a finite number"),
        (entry(value="true"), "value = True: must be a finite number"),
        (entry(value="1.5"), "value = 1.5: contract_rate is a share; allowed 0 to 1"),
        (entry(indicator='"persons"', value="1e308"), "value = 1e+308: out of range; allowed -1e+12 to 1e+12"),
        (entry(op='"=="', tol="5"), "tol = 5: must be a number ≥ 0 and ≤ 1"),
        (entry(op='"=="', tol="nan"), "tol = nan: must be a number ≥ 0 and ≤ 1"),
        (entry(at='"2024-06\\n"'), "at = '2024-06\\n': must be a month"),
        (entry(at='" 2024-06"'), "at = ' 2024-06': must be a month"),
        (entry(at="202406"), "at = 202406: must be a month"),
        (entry(description='"' + "x" * 500 + '"'), None),
    ],
)  # fmt: skip
def test_malformed_values_of_every_type(tmp_path, text, expected):
    path = write(tmp_path, GOOD + text)
    if expected is None:  # a long description is fine
        assert len(load_targets(path)) == 2
        return
    with pytest.raises(TargetsError) as err:
        load_targets(path)
    assert expected in str(err.value) and "Traceback" not in str(err.value)


def test_targets_file_encodings(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert [t.id for t in load_targets(path)] == ["a"]
    path.write_bytes(GOOD.encode("utf-16"))
    assert [t.id for t in load_targets(path)] == ["a"]
    for data, needle in (
        (GOOD.encode("utf-16-le"), "NUL characters"),
        (bytes(range(128, 256)), "not UTF-8 text"),
        (GOOD.replace('"a"', '"農"').encode("gbk"), "not UTF-8 text"),
        (("x = " + "[" * 5000 + "]" * 5000).encode(), "nested too deeply"),
        (("[" + ".".join(["k"] * 100) + "]\n").encode(), "nested more than 32 levels deep"),
    ):
        path.write_bytes(data)
        with pytest.raises(TargetsError) as err:
            load_targets(path)
        assert str(err.value).startswith(f"invalid targets file {path}: ") and needle in str(err.value)


def test_unknown_top_level_key_suggests_target(tmp_path):
    path = write(tmp_path, GOOD.replace("[[target]]", "[[targets]]"))
    with pytest.raises(TargetsError, match=r"unknown top-level key\(s\) 'targets'.*did you mean 'target'\?"):
        load_targets(path)


# -- assessing ----------------------------------------------------------------------------------


def test_verdict_thresholds():
    cases = {1.0: "met", 0.9: "met", 0.89: "likely", 0.5: "likely", 0.49: "unlikely", 0.11: "unlikely",
             0.1: "missed", 0.0: "missed"}  # fmt: skip
    assert {p: verdict(p) for p in cases} == cases


def test_assess_probability_interval_gap():
    results = [
        panel(seed=s, contract_rate=v, arrears_open_cases=c)
        for s, v, c in ((1, 0.5, 10), (2, 0.7, 30), (3, 0.9, 50))
    ]
    targets = [
        Target("up", "R1", "contract_rate", ">=", 0.6, "2024-06"),
        Target("down", "R5", "arrears_open_cases", "<=", 20, "2024-06"),
        Target("eq", "R5", "arrears_open_cases", "==", 31, "2024-12", tol=0.05),
        Target("impossible", "R1", "contract_rate", ">=", 2.0, "2024-12"),
    ]
    table = assess(results, targets).set_index("id")
    up = table.loc["up"]
    assert up["mean"] == pytest.approx(0.7) and up["probability"] == pytest.approx(2 / 3)
    assert up["verdict"] == "likely" and up["gap"] == pytest.approx(0.1)
    assert up["lo90"] == pytest.approx(0.52) and up["hi90"] == pytest.approx(0.88)
    assert up["unit"] == "share" and up["n_runs"] == 3
    down = table.loc["down"]  # <=: positive gap is better, so value - mean
    assert (
        down["probability"] == pytest.approx(1 / 3) and down["verdict"] == "unlikely" and down["gap"] == -10
    )
    eq = table.loc["eq"]  # 30 is within 5 % of 31; 10 and 50 are not
    assert eq["probability"] == pytest.approx(1 / 3) and eq["gap"] == pytest.approx(-1)
    assert table.loc["impossible", "verdict"] == "missed" and table.loc["impossible", "probability"] == 0
    assert "baseline_mean" not in table.columns
    md = to_markdown(table.reset_index())
    assert "| up | R1 | contract_rate >= 0.6 at 2024-06 | 0.7 |" in md and "likely" in md


def test_assess_with_baseline_pairs_seeds():
    results = [panel(seed=s, contract_rate=v) for s, v in ((1, 0.70), (2, 0.80), (3, 0.90))]
    base = [panel(seed=s, contract_rate=v) for s, v in ((1, 0.40), (2, 0.52), (3, 0.60))]
    table = assess(results, [Target("up", "R1", "contract_rate", ">=", 0.6, "2024-06")], base).iloc[0]
    assert table["verdict"] == "met" and table["baseline_probability"] == pytest.approx(1 / 3)
    assert table["baseline_verdict"] == "unlikely" and table["baseline_mean"] == pytest.approx(1.52 / 3)
    assert table["baseline_gap"] == pytest.approx(1.52 / 3 - 0.6)
    assert table["effect"] == pytest.approx(0.8 - 1.52 / 3)
    # paired differences 0.30, 0.28, 0.30: a narrow interval
    assert table["effect_lo90"] == pytest.approx(0.282) and table["effect_hi90"] == pytest.approx(0.30)
    unpaired = assess(results, [Target("up", "R1", "contract_rate", ">=", 0.6, "2024-06")],
                      [panel(seed=9, contract_rate=0.5)]).iloc[0]  # fmt: skip
    assert unpaired["effect"] == pytest.approx(0.3) and math.isnan(unpaired["effect_lo90"])


def test_horizon_must_cover_every_target(tmp_path):
    results = [panel(start="2023-01", months=24)]
    late = Target("late", "P6", "settled_persons_cum", ">=", 10, "2030-06", entry=3)
    with pytest.raises(TargetsError) as err:
        assess(results, [Target("ok", "P6", "settled_persons_cum", ">=", 0, "2024-12"), late])
    msg = str(err.value)
    assert "target 'late' (entry 3) is checked at 2030-06, after the horizon's end" in msg
    assert "2023-01 to 2024-12" in msg and "'ok'" not in msg
    with pytest.raises(TargetsError, match="before the horizon's start"):
        assess(results, [Target("early", "P6", "settled_persons_cum", ">=", 0, "2022-12")])
    with pytest.raises(TargetsError, match="baseline run"):
        assess(results, [Target("ok", "P6", "settled_persons_cum", ">=", 0, "2024-12")], [panel(months=6)])
    with pytest.raises(ValueError, match="at least one run"):
        assess([], [late])


# -- countysim assess, end to end on a real SQLite file ---------------------------------------

runner = CliRunner()


@pytest.fixture()
def scenarios(tmp_path):
    base = tmp_path / "tiny.toml"
    base.write_text(f'extends = "{BASELINE.as_posix()}"\nname = "tiny"\n[county.households]\nn = 1500\n')
    action = tmp_path / "tiny_rights.toml"
    action.write_text(
        'extends = "tiny.toml"\nname = "tiny_rights"\n[levers]\n'
        'r1_contract_enforcement = { value = 1.0, start = "2023-01" }\n'
    )
    return base, action


TARGETS = """
[[target]]
id = "impossible"
clause = "O1"
indicator = "workers"
op = ">="
value = 1e9
at = "2023-12"
description = "set impossibly high"

[[target]]
id = "trivial"
clause = "W2"
indicator = "persons"
op = ">="
value = 0
at = "2023-12"

[[target]]
id = "contracts"
clause = "R1"
indicator = "contract_rate"
op = ">="
value = 0.3
at = "2023-12"
"""


def test_cli_assess_end_to_end_with_baseline_and_strict(tmp_path, scenarios):
    base, action = scenarios
    targets = write(tmp_path, TARGETS)
    db, out = tmp_path / "store.db", tmp_path / "out"
    args = ["assess", str(action), "--targets", str(targets), "--reps", "2", "--seed", "3", "--months", "12",
            "--baseline", str(base), "--db", f"sqlite:///{db}", "--output-dir", str(out), "--workers", "2", "-q"]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "impossible" in res.output and "missed" in res.output and "3 targets:" in res.output
    table = pd.read_csv(out / "assessment.csv").set_index("id")
    assert table.loc["impossible", "verdict"] == "missed" and table.loc["impossible", "probability"] == 0
    assert table.loc["trivial", "verdict"] == "met" and table.loc["trivial", "baseline_verdict"] == "met"
    assert table.loc["contracts", "effect"] > 0 and table.loc["contracts", "n_runs"] == 2  # enforcement works
    assert table.loc["impossible", "description"] == "set impossibly high"
    md = (out / "assessment.md").read_text(encoding="utf-8")
    assert "tiny_rights" in md and "| impossible | O1 |" in md and "baseline" in md
    with sqlite3.connect(db) as con:
        runs = con.execute(
            "select e.name, e.kind, r.scenario_name, r.seed from run r join experiment e on e.id = r.experiment_id"
        ).fetchall()
    assert sorted(runs) == sorted(
        [("assess:tiny_rights", "assess", name, seed) for name in ("tiny", "tiny_rights") for seed in (3, 4)]
    )
    # --strict: a target not met makes the exit status 1 (the stored runs are re-used)
    res = runner.invoke(app, [*args, "--strict"])
    assert res.exit_code == 1 and "not met: impossible" in res.output
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == 4


def test_cli_assess_strict_passes_when_all_met(tmp_path, scenarios):
    base, _ = scenarios
    targets = write(
        tmp_path,
        '[[target]]\nid = "t"\nclause = "W2"\nindicator = "persons"\nop = ">="\nvalue = 0\nat = "2023-12"\n',
    )
    res = runner.invoke(app, ["assess", str(base), "--targets", str(targets), "--reps", "1", "--months", "12",
                              "--db", f"sqlite:///{tmp_path}/s.db", "--output-dir", str(tmp_path / "o"), "--strict",
                              "--workers", "1", "-q"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(tmp_path / "o" / "assessment.csv")["verdict"]) == {"met"}


def test_cli_assess_checks_targets_and_horizon_before_running(tmp_path, scenarios):
    base, _ = scenarios
    db = tmp_path / "store.db"
    bad = write(tmp_path, GOOD + entry(indicator='"nope"'))
    res = runner.invoke(
        app, ["assess", str(base), "--targets", str(bad), "--reps", "1", "--db", f"sqlite:///{db}"]
    )
    assert res.exit_code == 2 and "indicator = 'nope'" in res.output and str(bad) in res.output
    late = write(tmp_path, TARGETS)
    res = runner.invoke(
        app,
        [
            "assess",
            str(base),
            "--targets",
            str(late),
            "--reps",
            "1",
            "--months",
            "6",
            "--db",
            f"sqlite:///{db}",
        ],
    )
    assert res.exit_code == 2
    assert "target 'impossible' (entry 1) is checked at 2023-12, after the horizon's end" in res.output
    assert "2023-01 to 2023-06" in res.output
    assert not db.exists()


# -- targets that fit the county: kinds and applies_to ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (entry(kind='"per_wroker"'), "target 'b' (entry 2): kind = 'per_wroker': unknown kind; allowed: 'absolute', "
         "'share', 'per_worker', 'per_child', 'per_household', 'per_person'; did you mean 'per_worker'?"),
        (entry(kind="3"), "kind = 3: unknown kind"),
        (entry(indicator='"left_behind_children"', op='"<="', value="10", kind='"share"'),
         "kind = 'share': left_behind_children is in persons, not a share"),
        (entry(kind='"per_worker"'), "kind = 'per_worker': contract_rate is a share, which does not scale with "
         "the county; allowed: 'share' or 'absolute'"),
        (entry(indicator='"settled_persons_cum"', value="-0.1", kind='"per_person"'),
         "value = -0.1: a per_person target is at least 0"),
        (entry(applies_to='"key-assisted"'), "applies_to = 'key-assisted': allowed: 'all', 'key_assisted', "
         "'not_key_assisted' (counties by their county.key_assisted flag); did you mean 'key_assisted'?"),
        (entry(applies_to="true"), "applies_to = True: allowed: 'all'"),
    ],
)  # fmt: skip
def test_malformed_kinds_and_applies_to(tmp_path, text, expected):
    with pytest.raises(TargetsError) as err:
        load_targets(write(tmp_path, GOOD + text))
    assert expected in str(err.value)


def test_a_relative_target_is_scaled_to_each_replications_base_year():
    # two counties of different size with the same share of children left behind
    small = [panel(seed=s, children=1000.0, left_behind_children=v) for s, v in ((1, 100.0), (2, 120.0))]
    large = [panel(seed=s, children=10_000.0, left_behind_children=v) for s, v in ((1, 1000.0), (2, 1200.0))]
    t = Target("lb", "P5", "left_behind_children", "<=", 0.11, "2024-06", kind="per_child")
    a, b = assess(small, [t]).iloc[0], assess(large, [t]).iloc[0]
    assert a["threshold"] == pytest.approx(110) and b["threshold"] == pytest.approx(1100)
    assert a["probability"] == b["probability"] == 0.5 and a["verdict"] == b["verdict"] == "likely"
    assert a["gap"] == pytest.approx(110 - 110) and b["gap"] == pytest.approx(1100 - 1100)
    assert "0.11 per child × the county's children at 2024-01" in a["note"]
    md = to_markdown(assess(small, [t]))
    assert "left_behind_children <= 110 (0.11 per child) at 2024-06" in md


def test_a_target_that_does_not_apply_gets_no_verdict_and_says_why():
    import json

    ordinary = [panel(seed=s, training_person_times_poverty=5000.0) for s in (1, 2)]
    key = [
        dataclasses_replace(r, scenario_json=json.dumps({"county": {"key_assisted": True}})) for r in ordinary
    ]
    only_key = Target(
        "s3", "S3", "training_person_times_poverty", ">=", 3750, "2024-06", applies_to="key_assisted"
    )
    table = assess(ordinary, [only_key], ordinary).iloc[0]
    assert (
        table["verdict"] == "not applicable"
        and table["baseline_verdict"] == "not applicable"
        and math.isnan(table["probability"])
    )
    assert (
        "applies to national key assisted counties" in table["note"]
        and "this county is not one" in table["note"]
    )
    assert "- s3: no verdict: applies to national key assisted counties" in to_markdown(
        assess(ordinary, [only_key])
    )
    assert assess(key, [only_key]).iloc[0]["verdict"] == "met"
    assert assess(ordinary, [only_key], county_key_assisted=True).iloc[0]["verdict"] == "met"
    others = dataclasses_replace(only_key, applies_to="not_key_assisted")
    assert assess(key, [others]).iloc[0]["verdict"] == "not applicable"
    with pytest.raises(TargetsError, match="of a key assisted county and of another county"):
        assess([*ordinary, *key], [only_key])


def dataclasses_replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


def test_the_shipped_targets_fit_any_county():
    targets = {t.id: t for t in load_targets(NOTICE)}
    assert {t.id for t in targets.values() if t.applies_to == "key_assisted"} == {
        "s2_willing_poverty_trained", "s3_poverty_training_person_times", "s3_new_high_skilled"}  # fmt: skip
    counts = [t for t in targets.values() if cs.indicators.CATALOGUE_BY_NAME[t.indicator].unit != "share"]
    # every count target other than the notice's own per-county numbers and "nobody turned away" is relative
    assert all(t.kind.startswith("per_") or t.applies_to == "key_assisted" or t.value == 0 for t in counts)
