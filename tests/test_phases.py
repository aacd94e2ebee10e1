"""The month as a list of phases: the plan, accounts, random streams, and adding a phase."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest
from typer.testing import CliRunner

import countysim as cs
from countysim.cli import app
from countysim.model import CountyModel, stream_registry
from countysim.phases import PHASES, Context, Indicator, Phase, catalogue, plan
from countysim.policy.levers import LEVERS
from countysim.population import codes as c
from countysim.rng import StreamError, Streams
from countysim.state import Account, CountyState, flow

from helpers import ROOT, small


def test_phase_names_are_unique_and_every_lever_names_a_phase_that_serves_its_clause():
    by_name = {p.name: p for p in PHASES}
    assert len(by_name) == len(PHASES)
    for lever in LEVERS:
        assert lever.phase in by_name, (lever.name, lever.phase)
        assert lever.clause in by_name[lever.phase].clauses, (lever.name, lever.phase)


def test_catalogue_is_the_phases_indicators_in_order():
    assert cs.indicators.CATALOGUE == catalogue(PHASES)
    names = [i.name for i in cs.indicators.CATALOGUE]
    assert len(set(names)) == len(names)
    rows = plan()
    assert [r["phase"] for r in rows] == [p.name for p in PHASES]
    assert sum(len(r["indicators"]) for r in rows) == len(names)


@dataclass
class _Counts(Account):
    total: int = 0
    this_month: int = flow()
    by_stage: np.ndarray = flow(size=3)  # noqa: RUF009 - flow() makes a dataclass field


def test_account_resets_only_its_monthly_flows():
    acc = _Counts(total=5, this_month=3)
    acc.by_stage[1] = 7
    acc.start_month()
    assert acc.total == 5 and acc.this_month == 0 and not acc.by_stage.any()
    first = acc.by_stage
    acc.start_month()
    assert acc.by_stage is not first  # a fresh array each month, never shared


def test_streams_refuse_undeclared_names_and_a_second_draw_in_a_month():
    streams = Streams(1, {"a.monthly": "a decision", "a.trait": "a lasting trait"})
    streams.uniform("a.monthly", 0, 10)
    with pytest.raises(StreamError, match="drawn twice in month 0"):
        streams.uniform("a.monthly", 0, 10)
    streams.uniform("a.monthly", 1, 10)  # another month: a fresh draw
    streams.uniform("a.trait", -1, 10)
    streams.uniform("a.trait", -1, 10)  # a lasting trait is read again
    with pytest.raises(StreamError, match="not declared"):
        streams.uniform("b.undeclared", 0, 10)


def test_a_subset_of_slots_gets_the_same_numbers():
    full = Streams(3).uniform("x", 4, 50, 3)
    idx = np.array([2, 17, 49])
    assert np.array_equal(Streams(3).uniform("x", 4, idx, 3), full[idx])
    assert Streams(3).uniform("x", 4, idx[:0]).shape == (0,)


def test_no_two_decisions_share_a_stream_and_every_declared_stream_is_drawn(small_baseline):
    registry = stream_registry()
    # stream_registry raises on a name declared twice; a phase drawing an undeclared stream, or one
    # stream twice in a month, raises StreamError during the run
    full = cs.load_scenario(ROOT / "scenarios" / "full_action.toml")
    model = CountyModel(small(full, households=3000, months=14), seed=5)
    while model.running:
        model.step()
    unused = set(registry) - model.streams.used - set(DRAWN_WHEN_NEEDED)
    assert unused == {n for n in registry if n.startswith("microdata.")}, sorted(unused)


#: streams drawn only in a month that needs them
DRAWN_WHEN_NEEDED = {"enterprise.layoff": "a job stock falls below the jobs held in it"}


class _DoubleDraw(Phase):
    name = "double"
    streams = {"x": "a decision"}  # noqa: RUF012

    def step(self, state, ctx):
        ctx.streams.uniform("double.x", ctx.t, 5)
        ctx.streams.uniform("double.x", ctx.t, 5)


def test_a_phase_that_reuses_its_stream_for_a_second_decision_fails(small_baseline):
    class Model(CountyModel):
        PHASES = (*CountyModel.PHASES, _DoubleDraw())

    model = Model(small_baseline.replace(**{"horizon.months": 2}), seed=1)
    with pytest.raises(StreamError, match=r"double\.x"):
        model.step()


# -- adding a phase ---------------------------------------------------------------------------------
# A new phase touches its own module (here: this test), the phase tuple (here: a subclass's
# PHASES) and its tests. Nothing else: the catalogue, the panel, the store and the plan follow.


@dataclass
class _GreyAccount(Account):
    over_55: int = flow()
    audited: int = flow()


class _GreyWorkforce(Phase):
    """Counts workers over 55 each month."""

    name = "grey"
    clauses = ("O1",)
    streams = {"audit": "which workers over 55 an audit samples"}  # noqa: RUF012
    Account = _GreyAccount
    indicators = (
        Indicator("workers_over_55", "persons", "workers older than 55", 0, "O1",
                  lambda st, s: float(st.accounts["grey"].over_55)),
        Indicator("audited_over_55", "persons", "workers over 55 sampled by the audit", 0, "O1",
                  lambda st, s: float(st.accounts["grey"].audited)),
    )  # fmt: skip

    def step(self, state: CountyState, ctx: Context) -> None:
        pop = state.pop
        old = pop.alive & (pop.role == c.WORKER) & (pop.age_m >= 56 * 12)
        acc = state.accounts[self.name]
        acc.over_55 = int(old.sum())
        acc.audited = int((old & (ctx.streams.uniform("grey.audit", ctx.t, pop.n) < 0.5)).sum())


def test_adding_a_phase(small_baseline):
    class GreyModel(CountyModel):
        PHASES = (*CountyModel.PHASES, _GreyWorkforce())

    spec = small_baseline.replace(**{"horizon.months": 6})
    model = GreyModel(spec, seed=2)
    while model.running:
        model.step()
    res = model.result()
    workers = model.pop.alive & (model.pop.role == c.WORKER)
    assert res.series("workers_over_55")[-1] == (workers & (model.pop.age_m >= 56 * 12)).sum() > 0
    assert 0 < res.series("audited_over_55")[-1] < res.series("workers_over_55")[-1]
    # the other phases are untouched: the default model's panel is the same, column by column
    base = cs.run(spec, seed=2)
    for name in base.indicators:
        assert np.array_equal(base.series(name), res.series(name)), name


# -- Mesa conventions ---------------------------------------------------------------------------------


def test_rng_and_seed_are_the_same_root_seed(small_baseline):
    spec = small_baseline.replace(**{"horizon.months": 2})
    a, b = CountyModel(spec, rng=7), CountyModel(spec, seed=7)
    for m in (a, b):
        m.step()
        m.step()
    assert a.seed == b.seed == 7
    assert np.array_equal(a.panel, b.panel)
    with pytest.raises(ValueError, match="rng or seed"):
        CountyModel(spec, rng=1, seed=1)
    assert (
        CountyModel(spec, rng=np.random.default_rng(3)).seed
        == CountyModel(spec, rng=np.random.default_rng(3)).seed
    )


def test_datacollector_holds_the_indicator_panel(small_baseline):
    model = CountyModel(small_baseline.replace(**{"horizon.months": 5}), seed=4)
    while model.running:
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert frame.shape == (5, len(model.indicators))
    assert np.array_equal(frame[list(model.result().indicators)].to_numpy(), model.result().values)


def test_mesa_batch_run(small_baseline):
    import mesa

    spec = small_baseline.replace(**{"county.households.n": 400, "horizon.months": 3})
    rows = mesa.batch_run(
        CountyModel, parameters={"scenario": [spec]}, rng=[1, 2], max_steps=10, display_progress=False
    )
    assert [r["Step"] for r in rows] == [3, 3]
    for row, seed in zip(rows, (1, 2), strict=True):
        assert row["employed_rate"] == pytest.approx(cs.run(spec, seed=seed).final()["employed_rate"], abs=0)


def test_phase_seconds_are_reported(small_baseline):
    res = cs.run(small_baseline.replace(**{"horizon.months": 2}), seed=1, phase_seconds=True)
    seconds = res.meta["phase_seconds"]
    assert list(seconds) == [p.name for p in PHASES] + ["record"]
    assert all(s >= 0 for s in seconds.values()) and sum(seconds.values()) > 0


# -- the plan as data ------------------------------------------------------------------------------------


def test_countysim_phases_prints_the_plan():
    out = CliRunner().invoke(app, ["phases", "--markdown"])
    assert out.exit_code == 0, out.output
    lines = [ln for ln in out.output.splitlines() if ln.startswith("| ")]
    assert [ln.split("|")[2].strip() for ln in lines[1:]] == [p.name for p in PHASES]
    assert "labour.separation" in out.output and "G1" in out.output


def test_model_doc_shows_the_current_phase_table():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- phases:begin -->\n(.*?)<!-- phases:end -->", text, re.S)
    assert block, "docs/model.md has no generated phase table"
    current = CliRunner().invoke(app, ["phases", "--markdown"]).output
    assert block.group(1) == current, "docs/model.md is stale: run `uv run python docs/build.py`"


def test_wages_are_set_once_a_month_by_the_wages_phase():
    """Only the wages phase (and the builders, at the start) compute pay."""
    import ast

    callers = []
    for path in sorted((ROOT / "model" / "countysim" / "phases").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and ast.unparse(n.func).endswith("update_wages")
        ]
        if calls:
            callers.append(path.stem)
    assert callers == ["wages"]
    assert [p.name for p in PHASES].count("wages") == 1
    order = [p.name for p in PHASES]
    assert order.index("labour") < order.index("enterprise") < order.index("wages") < order.index("rights")
