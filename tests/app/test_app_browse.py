"""The Results page's reading of the store: each kind of experiment, its table, figure and CSV."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from countysim.app import browse
from countysim.experiments import InlineExecutor, replicate, run_experiment
from countysim.experiments.sweep import run_sweep
from countysim.model import run
from countysim.scenario import load as load_scenario
from countysim.store import ResultsStore

from helpers import ROOT

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browse")
    url = f"sqlite:///{tmp / 's.db'}"
    base = load_scenario(ROOT / "scenarios" / "baseline.toml").replace(**{"horizon.months": 10}).scaled(0.01)
    other = base.replace(name="outreach", **{"levers.s2_outreach": 1.0})
    sweep = tmp / "sweep.toml"
    sweep.write_text(f"""base = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"
name = "tiny-sweep"
design = "lhs"
points = 4
reps = 1
seed = 1
months = 3
scale = 0.01
outcomes = ["training_person_times"]

[parameters]
"levers.s2_outreach.value" = [0.0, 1.0]
""")
    with ResultsStore(url) as store:
        kw = {"store": store, "executor": InlineExecutor(), "progress": False}
        run_experiment("compare:baseline+outreach", replicate([base, other], 2), kind="compare",
                       description={"scenarios": ["baseline", "outreach"]}, **kw)  # fmt: skip
        run_experiment(
            "needs:baseline", replicate([base], 2), kind="needs", description={"scenario": "baseline"}, **kw
        )
        store.save_run(run(base, seed=3), experiment="runs")
        # the same name stored with another content (another horizon) must not be mixed
        run_experiment("compare:mixed", replicate([base, base.replace(**{"horizon.months": 6})], 1), kind="compare",
                       description={"scenarios": ["baseline"]}, **kw)  # fmt: skip
        run_sweep(sweep, store=store, executor=InlineExecutor())
    return url


def _csv(view: browse.View, name: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(view.downloads[name]()))


def test_experiments_are_listed_newest_first(store_url):
    frame = browse.experiments(store_url)
    assert frame["name"].iloc[0] == "tiny-sweep" and "compare:baseline+outreach" in set(frame["name"])
    assert {"n_runs", "n_done", "n_failed"} <= set(frame.columns)


def test_a_comparison_has_paired_differences_the_cli_figure_and_csv(store_url):
    view = browse.view(store_url, "compare:baseline+outreach")
    assert view.kind == "compare" and view.figure[:4] == PNG
    assert set(view.table["scenario"]) == {"baseline", "outreach"}
    assert view.table.loc[view.table["scenario"] == "outreach", "n"].eq(2).all()
    assert set(_csv(view, "comparison.csv").columns) >= {"indicator", "diff", "lo90", "hi90", "pairing_gain"}
    assert len(_csv(view, "panel.csv")) == 4 * 10
    assert "scenarios = baseline, outreach" in view.summary


def test_a_sweep_has_sensitivity_indices_and_the_cli_chart(store_url):
    view = browse.view(store_url, "tiny-sweep")
    assert view.kind == "sweep" and view.figure[:4] == PNG
    assert list(view.table.columns[:2]) == ["outcome", "parameter"] and "src" in view.table.columns
    assert any("lhs design, 4 points" in n for n in view.notes)
    assert len(_csv(view, "design.csv")) == 4 and "src" in _csv(view, "sensitivity.csv").columns


def test_a_needs_experiment_has_its_key_items_and_figure(store_url):
    view = browse.view(store_url, "needs:baseline")
    assert view.figure[:4] == PNG and "seats_needed_primary" in set(view.table["item"])
    assert "item" in _csv(view, "needs.csv").columns


def test_single_runs_are_drawn_one_by_one(store_url):
    view = browse.view(store_url, "runs")
    assert view.run_ids and view.figure[:4] == PNG
    assert "persons" in set(view.table["indicator"]) and "seed 3" in view.notes[0]


def test_runs_of_one_name_with_other_contents_are_kept_apart(store_url):
    view = browse.view(store_url, "compare:mixed")
    assert len(view.table["scenario"].unique()) == 2
    assert all(name.startswith("baseline [") for name in view.table["scenario"].unique())


def test_an_unknown_experiment_names_the_ones_there_are(store_url):
    with pytest.raises(browse.BrowseError, match=r"no experiment named 'nope'.*it holds: .*tiny-sweep"):
        browse.view(store_url, "nope")


def test_an_unreachable_store_is_an_error_message():
    with pytest.raises(browse.BrowseError, match="cannot open the results store"):
        browse.experiments("nosuchdriver://x")
