"""Calibration files: every problem named with file, key, value and what is allowed; nothing runs."""

from __future__ import annotations

import pytest
from calib_helpers import VALIDATION

import countysim as cs
from countysim import plausibility
from countysim.calibration import CalibrationError, load_calibration
from countysim.calibration.spec import Target
from countysim.calibration.statistics import statistic


def write(tmp_path, text: str, name: str = "c.toml"):
    path = tmp_path / name
    path.write_text(f'base = "{VALIDATION.as_posix()}"\n' + text, encoding="utf-8")
    return path


GOOD = """
scale = 0.01
[parameters]
"behaviour.settlement.base" = {}
"behaviour.labour.p_return_home" = { range = [0.2, 0.7] }
"behaviour.labour.match_efficiency" = { prior = "normal", mean = 0.3, sd = 0.1 }
[[target]]
indicator = "survey_mean_age"
year = 2022
value = 42.3
se = 0.4
source = "NBS 2022"
[[target]]
plausibility = "trend:survey_share_over_50"
"""


def test_a_good_file_gives_priors_targets_and_defaults(tmp_path):
    spec = load_calibration(write(tmp_path, GOOD))
    priors = {p.path: p for p in spec.priors}
    # no range given: the schema's (P(..., ge=-20, le=5))
    assert (priors["behaviour.settlement.base"].lo, priors["behaviour.settlement.base"].hi) == (-20.0, 5.0)
    assert priors["behaviour.labour.p_return_home"].describe() == "uniform(0.2, 0.7)"
    assert priors["behaviour.labour.match_efficiency"].kind == "normal"
    assert [t.name for t in spec.targets] == ["survey_mean_age@2022", "survey_share_over_50@2019-2022"]
    assert spec.name == "c" and spec.reps == 1 and spec.method.population == 60
    assert spec.seed == cs.load_scenario(VALIDATION).seed


def test_a_plausibility_target_is_the_check_as_it_stands(tmp_path):
    spec = load_calibration(write(tmp_path, GOOD))
    trend = spec.targets[1]
    figures = plausibility.nbs_figures()
    national = (figures["2022:share_over_50"] - figures["2019:share_over_50"]) / 3
    lo, hi = sorted((0.5 * national, 1.5 * national))  # the check's default ±50 %
    assert trend.value == pytest.approx((lo + hi) / 2) and trend.tolerance == pytest.approx((hi - lo) / 2)


def test_every_problem_is_reported_at_once(tmp_path):
    text = """
nmae = "x"
scale = -1
reps = 0
[method]
population = 2
qantile = 0.5
[parameters]
"behaviour.settlement.bsae" = {}
"behaviour.labour.p_return_home" = { range = [0.2, 1.7] }
"behaviour.labour.match_efficiency" = { prior = "normal", mean = 0.3 }
"behaviour.labour.p_find_outside" = { prior = "beta" }
[[target]]
indicator = "survey_mean_aeg"
year = 2022
value = 42.3
se = 0.4
[[target]]
indicator = "jobless_rate"
trend = [2022, 2019]
value = "low"
[[target]]
plausibility = "level:nothing"
[[target]]
indicator = "jobless_rate"
year = 2030
value = 0.05
tolerance = 0.01
"""
    with pytest.raises(CalibrationError) as info:
        load_calibration(write(tmp_path, text))
    message = str(info.value)
    assert message.startswith("invalid calibration:")
    expected = [
        "nmae = 'x': unknown key (did you mean 'name'?)",
        "scale = -1: must be a number in (0, 100]",
        "reps = 0: must be a whole number from 1 to 1000",
        "method.population = 2: must be a whole number from 5",
        "method.qantile = 0.5: unknown key (did you mean 'quantile'?)",
        'parameters."behaviour.settlement.bsae"',
        "did you mean 'base'?",
        'parameters."behaviour.labour.p_return_home".range = [0.2, 1.7]: outside the parameter\'s allowed range 0 to 1',
        'parameters."behaviour.labour.match_efficiency".sd: a normal prior needs sd',
        "parameters.\"behaviour.labour.p_find_outside\".prior = 'beta': unknown prior",
        "target[0].indicator = 'survey_mean_aeg': unknown indicator (did you mean 'survey_mean_age'?)",
        "target[1].trend = [2022, 2019]: must be [first year, last year]",
        "target[1].value = 'low': must be a finite number",
        "target[1].se: give exactly one of se",
        "target[2].plausibility = 'level:nothing': unknown check",
        "target[3] = 'jobless_rate@2030': outside the base scenario's horizon (2019-01 to 2022-12)",
    ]
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"
    assert all(line.strip().startswith(str(tmp_path)) for line in message.splitlines()[1:])


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("\x00\x01", "holds NUL characters"),
        ("scale = [", "not valid TOML"),
        ("[parameters]\n", "parameters = {}: must be a non-empty table"),
        ('[parameters]\n"levers.p6_require_housing" = {}\n[[target]]\nplausibility = "level:jobless_rate"\n',
         "a switch lever is off or on: it cannot be estimated"),
        ('[parameters]\n"behaviour.settlement.base" = { range = [1, 0] }\n', "must be [lo, hi]"),
    ],
)  # fmt: skip
def test_single_problems(tmp_path, text, part):
    with pytest.raises(CalibrationError, match="invalid calibration") as info:
        load_calibration(write(tmp_path, text))
    assert part in str(info.value)


def test_missing_file_and_base(tmp_path):
    with pytest.raises(CalibrationError, match="no such calibration file"):
        load_calibration(tmp_path / "none.toml")
    path = tmp_path / "c.toml"
    path.write_text('base = "nowhere.toml"\n', encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"base = 'nowhere\.toml': no such scenario file"):
        load_calibration(path)


def test_the_statistics_are_those_plausibility_checks(small_baseline):
    """A level and a trend computed for a calibration equal the plausibility module's model values."""
    scenario = cs.load_scenario(VALIDATION).scaled(0.01)
    runs = [cs.run(scenario, seed=s) for s in (1, 2)]
    levels = plausibility.levels(runs).set_index("indicator")
    trends = plausibility.trends(runs).set_index("indicator")
    for row in plausibility.LEVELS:
        if str(row.year) in levels.loc[row.indicator, "years"] and 2019 <= row.year <= 2022:
            target = Target(row.indicator, "level", 0.0, se=1.0, year=row.year)
            assert statistic(runs, target) == pytest.approx(levels.loc[row.indicator, "model"], rel=1e-12)
    for row in plausibility.TRENDS:
        target = Target(
            row.indicator, "trend", 0.0, se=1.0, first=row.first, last=row.last, relative=row.relative
        )
        assert statistic(runs, target) == pytest.approx(trends.loc[row.indicator, "model"], rel=1e-12)


def test_the_command_reports_a_bad_file_and_writes_nothing(tmp_path):
    from typer.testing import CliRunner

    from countysim.cli import app

    db = tmp_path / "s.db"
    path = write(tmp_path, "reps = 0\n")
    res = CliRunner().invoke(app, ["calibrate", str(path), "--db", f"sqlite:///{db}"])
    assert res.exit_code == 2 and "invalid calibration:" in res.output and "reps = 0" in res.output
    assert "Traceback" not in res.output and not db.exists()
