"""Resource needs (countysim.resources) on hand-made panels and on small runs; ``countysim needs``."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import countysim as cs
from countysim.calendar import month_labels
from countysim.cli import app
from countysim.report.figures import plot_needs
from countysim.resources import (
    ITEMS,
    ITEMS_BY_NAME,
    NormError,
    load_norms,
    needs,
    needs_table,
    parse_norm_options,
)

from helpers import panel

SIGNED = {i.name for i in ITEMS if i.signed}


def by_month(labels: tuple[str, ...], changes: dict[str, float], before: float = 0.0) -> np.ndarray:
    """A step series: ``before`` until the first month in ``changes``, then each value from its month."""
    out, value = [], before
    for m in labels:
        value = changes.get(m, value)
        out.append(value)
    return np.array(out, dtype=float)


def values(frame: pd.DataFrame, year: int) -> dict[str, float]:
    rows = frame[frame["year"] == year]
    return dict(zip(rows["item"], rows["value"], strict=True))


LABELS = month_labels("2023-01", 24)


@pytest.fixture(scope="module")
def known() -> cs.RunResult:
    """Two years with known demand, capacity, housing, training, services and money."""
    m = np.arange(1, 25, dtype=float)
    return panel(
        public_seat_demand_primary=by_month(LABELS, {"2023-09": 100, "2024-09": 200}),
        public_seats_primary=90,
        seat_shortage_primary=by_month(LABELS, {"2023-09": 7, "2024-09": 20}),
        town_pupils_primary=by_month(LABELS, {"2023-09": 130, "2024-09": 150}),
        public_seat_demand_junior=by_month(LABELS, {"2023-09": 60, "2024-09": 27}),
        public_seats_junior=100,
        purchased_place_pupils=by_month(LABELS, {"2023-09": 12}),
        affordable_housing_households=by_month(LABELS, {"2023-12": 50, "2024-12": 70}),
        housing_waitlist=by_month(LABELS, {"2023-12": 30, "2024-12": 0}),
        affordable_units=60,
        training_applicants_month=10,
        training_places_month=8,
        training_enrolled_month=8,
        training_subsidy_yuan_cum=1000 * m,
        referrals=2,
        hires=5,
        inspected_cases_month=1,
        arrears_open_cases=by_month(LABELS, {"2023-12": 4, "2024-12": 6}),
        fiscal_cost_schooling_cum=3000 * m,
        fiscal_cost_training_cum=1000 * m,
        fiscal_cost_cum=4000 * m,
        transfer_revenue_cum=500 * m,
        net_fiscal_cost_cum=3500 * m,
        settled_persons_cum=by_month(LABELS, {"2024-06": 10, "2024-12": 20}),
    )


def test_school_needs_from_known_demand(known):
    frame = needs(known)
    y23, y24 = values(frame, 2023), values(frame, 2024)
    # 2023: 100 primary seats wanted, 90 exist -> 10 short; 45 a class, 19 pupils a staff member
    assert y23["seats_needed_primary"] == 100 and y23["seats_capacity_primary"] == 90
    assert y23["seat_gap_primary"] == 10 and y23["seats_turned_away_primary"] == 7
    assert y23["classes_needed_primary"] == 3 and y23["class_gap_primary"] == 1  # ceil(100/45), ceil(10/45)
    assert (
        y23["teachers_needed_primary"] == 6 and y23["teacher_gap_primary"] == 1
    )  # ceil(100/19), ceil(10/19)
    assert y23["town_pupils_primary"] == 130 and y23["purchased_places"] == 12
    # 2024: 200 wanted -> gap 110, 5 classes (4.4), 3 more classes, 11 staff (10.5), 6 more (5.8)
    assert (y24["seats_needed_primary"], y24["seat_gap_primary"]) == (200, 110)
    assert (y24["classes_needed_primary"], y24["class_gap_primary"]) == (5, 3)
    assert (y24["teachers_needed_primary"], y24["teacher_gap_primary"]) == (11, 6)
    # junior: capacity suffices -> gap 0 (never negative); 50 a class, 13.5 pupils a staff member
    assert y23["seat_gap_junior"] == 0 and y23["class_gap_junior"] == 0 and y23["teacher_gap_junior"] == 0
    assert y23["classes_needed_junior"] == 2 and y23["teachers_needed_junior"] == 5  # ceil(1.2), ceil(4.44)
    assert y24["teachers_needed_junior"] == 2  # 27 / 13.5 is exactly 2, not 3
    # the rows say which norm they used, with its source
    src = frame.set_index(["year", "item"])["source"]
    assert "primary_class_size_standard = 45" in src[(2023, "classes_needed_primary")]
    assert "城市普通中小學校校舍建設標準" in src[(2023, "classes_needed_primary")]


def test_other_needs_from_known_panel(known):
    frame = needs(known)
    y23, y24 = values(frame, 2023), values(frame, 2024)
    assert (y23["housing_units_needed"], y23["housing_unit_gap"], y23["housing_waitlist"]) == (80, 20, 30)
    assert (y24["housing_units_needed"], y24["housing_unit_gap"]) == (70, 10)
    assert (y23["training_applications"], y23["training_places"], y23["training_place_gap"]) == (120, 96, 24)
    assert y23["training_enrolments"] == 96
    # year differences of cumulative series: 12 months a year each
    assert y23["training_subsidy_yuan"] == 12_000 and y24["training_subsidy_yuan"] == 12_000
    assert y24["fiscal_cost_schooling_yuan"] == 36_000 and y24["fiscal_cost_training_yuan"] == 12_000
    assert y24["fiscal_cost_housing_yuan"] == 0
    assert y24["fiscal_cost_yuan"] == 48_000 and y24["transfer_revenue_yuan"] == 6_000
    assert y24["net_fiscal_cost_yuan"] == 42_000
    assert (y23["referrals"], y23["hires"], y23["inspected_cases"], y23["arrears_open_cases"]) == (
        24,
        60,
        12,
        4,
    )
    # cost per settled person: NaN with nobody settled, else cumulative net cost / settled
    assert math.isnan(y23["cost_per_settled_person"])
    assert y24["cost_per_settled_person"] == 3500 * 24 / 20
    assert list(frame[frame["year"] == 2023]["item"]) == [i.name for i in ITEMS]
    assert set(frame["months"]) == {12}


def test_partial_years():
    # starts in July: the first year's flows are its six months; a year without September has no school items
    r = panel("2023-07", 9, training_subsidy_yuan_cum=np.arange(1, 10) * 100.0, public_seat_demand_primary=50)
    frame = needs(r)
    y23, y24 = values(frame, 2023), values(frame, 2024)
    assert frame.groupby("year")["months"].first().to_dict() == {2023: 6, 2024: 3}
    assert y23["training_subsidy_yuan"] == 600 and y24["training_subsidy_yuan"] == 300
    assert y23["seats_needed_primary"] == 50
    assert not any(k.startswith(("seat", "classes", "teacher")) for k in y24)


def test_norm_overrides_and_errors(known):
    y = values(
        needs(known, norms={"primary_class_size_standard": 40, "primary_staff_student_ratio": 20}), 2024
    )
    assert y["classes_needed_primary"] == 5 and y["class_gap_primary"] == 3  # 200/40, ceil(110/40)
    assert y["teachers_needed_primary"] == 10  # 200/20
    table = needs_table([known], norms={"primary_class_size_standard": 40})
    src = table.set_index(["year", "item"])["source"][(2024, "classes_needed_primary")]
    assert "= 40" in src and "override" in src and "45" in src
    with pytest.raises(
        NormError, match=r"unknown norm 'primary_class_sise'.*allowed: .*primary_class_size_standard"
    ):
        needs(known, norms={"primary_class_sise": 40})
    for bad in (0, -3, float("nan"), "many", True):
        with pytest.raises(NormError, match="must be a finite number above 0"):
            load_norms({"junior_staff_student_ratio": bad})
    assert parse_norm_options(["primary_class_size_standard=40"]) == {"primary_class_size_standard": 40.0}
    with pytest.raises(NormError, match="expected name=value"):
        parse_norm_options(["primary_class_size_standard"])
    with pytest.raises(NormError, match="unknown norm 'nope'"):
        parse_norm_options(["nope=3"])
    norms = load_norms()
    assert (
        norms["junior_staff_student_ratio"].value == 13.5
        and not norms["junior_staff_student_ratio"].overridden
    )


def test_needs_table_statistics():
    results = [
        panel(seed=s, public_seat_demand_primary=d, settled_persons_cum=p, net_fiscal_cost_cum=1000.0)
        for s, d, p in ((1, 100, 0), (2, 200, 10), (3, 300, 20))
    ]
    table = needs_table(results).set_index(["year", "item"])
    row = table.loc[(2023, "seats_needed_primary")]
    assert row["mean"] == 200 and row["n_runs"] == 3 and row["unit"] == "seats"
    assert row["lo90"] == pytest.approx(110) and row["hi90"] == pytest.approx(290)  # 5th and 95th percentiles
    per_person = table.loc[(2023, "cost_per_settled_person")]  # the run with nobody settled is left out
    assert per_person["n_runs"] == 2 and per_person["mean"] == pytest.approx((100 + 50) / 2)
    nobody = needs_table([panel()]).set_index(["year", "item"]).loc[(2023, "cost_per_settled_person")]
    assert math.isnan(nobody["mean"]) and nobody["n_runs"] == 0
    with pytest.raises(ValueError, match="at least one run"):
        needs_table([])


@settings(max_examples=40, deadline=None)
@given(
    demand=st.lists(st.integers(0, 5000), min_size=2, max_size=2),
    seats=st.integers(0, 5000),
    extra=st.integers(1, 500),
    occupied=st.integers(0, 300),
    waiting=st.integers(0, 300),
    units=st.integers(0, 600),
)
def test_needs_never_negative_and_rise_with_demand(demand, seats, extra, occupied, waiting, units):
    def run(d0, d1):
        r = panel(
            public_seat_demand_primary=by_month(LABELS, {"2023-09": d0, "2024-09": d1}),
            public_seat_demand_junior=by_month(LABELS, {"2023-09": d1, "2024-09": d0}),
            public_seats_primary=seats,
            public_seats_junior=seats,
            affordable_housing_households=occupied,
            housing_waitlist=waiting,
            affordable_units=units,
            training_applicants_month=demand[0] % 40,
            training_places_month=20,
        )
        return needs(r).set_index(["year", "item"])["value"]

    low, high = run(*demand), run(demand[0] + extra, demand[1] + extra)
    unsigned = [k for k in low.index if k[1] not in SIGNED]
    assert (low[unsigned].fillna(0) >= 0).all()
    for year in (2023, 2024):
        for item in ("seats_needed_primary", "seat_gap_primary", "classes_needed_primary", "class_gap_primary",
                     "teachers_needed_primary", "teacher_gap_primary"):  # fmt: skip
            assert high[(year, item)] >= low[(year, item)]
        assert high[(year, "seats_needed_primary")] > low[(year, "seats_needed_primary")]


@pytest.fixture(scope="module")
def two_sizes(baseline):
    """The baseline county at 3 % and 6 % of its size, two years, two seeds each."""
    out = {}
    for factor in (0.03, 0.06):
        s = baseline.scaled(factor).replace(**{"horizon.months": 24})
        out[factor] = [cs.run(s, seed=seed) for seed in (1, 2)]
    return out


def test_more_children_need_more_seats_on_real_runs(two_sizes):
    small, large = (needs_table(two_sizes[f]).set_index(["year", "item"]) for f in (0.03, 0.06))
    for year in (2023, 2024):
        for stage in ("primary", "junior"):
            assert (
                large.loc[(year, f"seats_needed_{stage}"), "mean"]
                > small.loc[(year, f"seats_needed_{stage}"), "mean"]
            )
            assert large.loc[(year, f"teachers_needed_{stage}"), "mean"] > small.loc[(year, f"teachers_needed_{stage}"), "mean"]  # fmt: skip
        assert (
            large.loc[(year, "housing_units_needed"), "mean"]
            > small.loc[(year, "housing_units_needed"), "mean"]
        )
    # every need, capacity and gap of real runs is non-negative, intervals are ordered
    for table in (small, large):
        unsigned = table[~table.index.get_level_values("item").isin(SIGNED)]
        assert (unsigned[["mean", "lo90", "hi90"]].fillna(0) >= 0).all().all()
        defined = table.dropna(
            subset=["mean"]
        )  # cost per settled person is undefined while nobody has settled
        assert (defined["lo90"] <= defined["mean"] + 1e-9).all() and (
            defined["mean"] <= defined["hi90"] + 1e-9
        ).all()
        assert set(table.index.get_level_values("item")) == set(ITEMS_BY_NAME)


def test_plot_needs(two_sizes, tmp_path):
    path = plot_needs(needs_table(two_sizes[0.03]), tmp_path / "f" / "needs.png", "test")
    assert path.stat().st_size > 10_000


# -- countysim needs, end to end on a real SQLite file ------------------------------------------

runner = CliRunner()


def test_cli_needs_end_to_end(tmp_path, tiny):
    db, out = tmp_path / "store.db", tmp_path / "out"
    args = ["needs", str(tiny), "--reps", "2", "--seed", "5", "--months", "14", "--db", f"sqlite:///{db}",
            "--output-dir", str(out), "--workers", "2", "--norm", "junior_class_size_standard=40", "-q"]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    for text in ("seats_needed_primary", "seat_gap_junior", "housing_units_needed", "fiscal_cost_yuan", "2023", "2024",
                 "junior_class_size_standard=40", "needs.csv"):  # fmt: skip
        assert text in res.output
    table = pd.read_csv(out / "needs.csv")
    assert list(table.columns) == ["year", "item", "months", "mean", "lo90", "hi90", "n_runs", "unit", "source",
                                   "definition"]  # fmt: skip
    assert set(table["year"]) == {2023, 2024} and (table["n_runs"].max() == 2)
    assert table.query("item == 'classes_needed_junior'")["source"].str.contains("= 40").all()
    assert (out / "needs.png").stat().st_size > 10_000
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select e.name, e.kind, r.seed, r.status from run r join experiment e on e.id = r.experiment_id"
        ).fetchall()
    assert sorted(rows) == [("needs:tiny", "needs", 5, "done"), ("needs:tiny", "needs", 6, "done")]
    # a second call re-uses the stored runs and gives the same table
    first = (out / "needs.csv").read_bytes()
    assert runner.invoke(app, args).exit_code == 0
    assert (out / "needs.csv").read_bytes() == first
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from run").fetchone()[0] == 2


def test_cli_needs_bad_norm_fails_before_running(tmp_path, tiny):
    db = tmp_path / "store.db"
    res = runner.invoke(
        app, ["needs", str(tiny), "--reps", "1", "--db", f"sqlite:///{db}", "--norm", "class_size=40"]
    )
    assert res.exit_code == 2 and "unknown norm 'class_size'" in res.output and "allowed:" in res.output
    assert not db.exists()
