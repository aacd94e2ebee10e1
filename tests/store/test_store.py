"""ResultsStore against a real SQLite file on disk."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from countysim.results import RunResult
from countysim.store import DEFAULT_DB_URL, ResultsStore, StoreError, resolve_db_url
from countysim.store.schema import Base

MONTHS = ("2024-01", "2024-02", "2024-03")
INDICATORS = ("n_settled", "p_employed", "n_school_seats")


def make_result(
    seed: int = 1,
    scenario_hash: str = "abcd1234abcd1234",
    values: np.ndarray | None = None,
    indicators: tuple[str, ...] = INDICATORS,
) -> RunResult:
    if values is None:
        rng = np.random.default_rng(seed)
        values = rng.random((len(MONTHS), len(indicators)))
    return RunResult(
        scenario_name="baseline",
        scenario_hash=scenario_hash,
        seed=seed,
        months=MONTHS,
        indicators=indicators,
        values=values,
        persons=1000,
        wall_seconds=1.5,
        code_version="0.1.0",
        scenario_json='{"name": "baseline"}',
        meta={"experiment": "t"},
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh store: a SQLite file, and PostgreSQL when COUNTYSIM_TEST_PG_URL names a server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'results.db'}"
    elif not (url := os.environ.get("COUNTYSIM_TEST_PG_URL", "")):
        if os.environ.get("COUNTYSIM_REQUIRE_PG"):  # CI starts a server: its absence is a failure
            pytest.fail("COUNTYSIM_REQUIRE_PG is set but COUNTYSIM_TEST_PG_URL names no server")
        pytest.skip("set COUNTYSIM_TEST_PG_URL to test against PostgreSQL")
    with ResultsStore(url) as s:
        yield s
        if request.param == "postgresql":
            Base.metadata.drop_all(s._engine)


def test_round_trip(store: ResultsStore) -> None:
    values = np.array([[1.0, 0.5, 10.0], [2.0, np.nan, 11.0], [3.0, 0.7, 12.0]])
    result = make_result(values=values)
    run_id = store.save_run(result, experiment="rt")

    panel = store.panel(run_ids=[run_id])
    assert list(panel.columns[:5]) == ["run_id", "scenario_name", "scenario_hash", "seed", "month"]
    assert panel["month"].tolist() == list(MONTHS)
    np.testing.assert_array_equal(panel[list(INDICATORS)].to_numpy(), values)  # NaN kept

    sub = store.panel(experiment="rt", indicators=["n_school_seats", "n_settled"])
    assert list(sub.columns[5:]) == ["n_school_seats", "n_settled"]

    summaries = store.summaries(experiment="rt")
    assert summaries.loc[0, "n_settled"] == 3.0
    assert summaries.loc[0, "p_employed"] == 0.7

    runs = store.runs("rt")
    assert runs.loc[0, "status"] == "done"
    assert runs.loc[0, "persons"] == 1000
    assert runs.loc[0, "months"] == 3
    assert runs.loc[0, "finished_at"].tzinfo is not None

    exps = store.experiments()
    counts = exps[["name", "kind", "n_runs", "n_done", "n_failed"]].iloc[0].tolist()
    assert counts == ["rt", "run", 1, 1, 0]


def test_unknown_names_are_errors(store: ResultsStore) -> None:
    store.save_run(make_result(), experiment="e")
    with pytest.raises(StoreError, match="holds: e"):
        store.runs("typo")
    with pytest.raises(StoreError, match="n_setled"):
        store.panel(indicators=["n_setled"])


def test_saving_a_done_key_again_is_skipped(store: ResultsStore) -> None:
    """'Skip if done': a second save of the same key neither fails nor duplicates."""
    first = make_result(values=np.ones((3, 3)))
    run_id = store.save_run(first, experiment="e")
    again = make_result(values=np.zeros((3, 3)))
    assert store.save_run(again, experiment="e") == run_id
    exp = store.experiment("e")
    store.save_runs(exp, [again, again])

    assert len(store.runs("e")) == 1
    assert (store.panel(experiment="e")[list(INDICATORS)].to_numpy() == 1.0).all()
    # the same hash and seed in another experiment is another run
    store.save_run(again, experiment="other")
    assert len(store.runs()) == 2


def test_done_keys(store: ResultsStore) -> None:
    exp = store.experiment("sweep", kind="sweep", spec={"design": "grid"})
    assert store.experiment("sweep") == exp
    assert store.done_keys(exp) == set()
    store.save_runs(exp, [make_result(seed=1), make_result(seed=2, scenario_hash="ffff")])
    store.save_failure(exp, "baseline", "eeee", 3, "boom")
    assert store.done_keys(exp) == {("abcd1234abcd1234", 1), ("ffff", 2)}


def test_failure_then_success_replaces_it(store: ResultsStore) -> None:
    exp = store.experiment("e")
    store.save_failure(exp, "baseline", "abcd1234abcd1234", 1, "ValueError: first")
    store.save_failure(exp, "baseline", "abcd1234abcd1234", 1, "ValueError: second")
    runs = store.runs("e")
    assert runs[["status", "error"]].iloc[0].tolist() == ["failed", "ValueError: second"]
    assert store.experiments()["n_failed"].tolist() == [1]

    store.save_runs(exp, [make_result(seed=1)])
    runs = store.runs("e")
    assert len(runs) == 1
    assert runs.loc[0, "status"] == "done"
    assert runs.loc[0, "error"] is None
    # a late failure report does not clobber the finished run
    store.save_failure(exp, "baseline", "abcd1234abcd1234", 1, "late")
    assert store.runs("e").loc[0, "status"] == "done"


@pytest.mark.parametrize(
    "bad",
    [
        make_result(seed=9, values=np.ones((3, 2))),  # shape does not match indicators
        make_result(seed=9, values=np.ones((3, 2)), indicators=("a", "a")),  # repeated name
    ],
    ids=["shape", "repeated-indicator"],
)
def test_batch_is_all_or_nothing(store: ResultsStore, bad: RunResult) -> None:
    exp = store.experiment("e")
    store.save_runs(exp, [make_result(seed=1)])
    before = store.panel()

    with pytest.raises(StoreError, match="nothing of this batch"):
        store.save_runs(exp, [make_result(seed=2), bad, make_result(seed=3)])

    assert store.done_keys(exp) == {("abcd1234abcd1234", 1)}
    assert store.runs()["seed"].tolist() == [1]
    pd.testing.assert_frame_equal(store.panel(), before)
    assert store.summaries()["seed"].tolist() == [1]


def test_unknown_driver() -> None:
    with pytest.raises(StoreError, match="nosuchdb://x") as info:
        ResultsStore("nosuchdb://x")
    assert "sqlite:///path/to/file.db" in str(info.value)


def test_unparsable_url() -> None:
    with pytest.raises(StoreError, match="cannot be parsed"):
        ResultsStore("not a url at all")


def test_unreachable_postgres_hides_password() -> None:
    with pytest.raises(StoreError) as info:
        ResultsStore("postgresql://u:secret@127.0.0.1:1/db")
    message = str(info.value)
    assert "postgresql+psycopg://u:***@127.0.0.1:1/db" in message
    assert "secret" not in message


def test_sqlite_folder_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker / 'sub' / 'x.db'}"
    with pytest.raises(StoreError, match="folder") as info:
        ResultsStore(url)
    assert str(blocker) in str(info.value)


def test_export(store: ResultsStore, tmp_path: Path) -> None:
    store.save_run(make_result(seed=1), experiment="e")
    store.save_run(make_result(seed=2), experiment="e")
    store.save_run(make_result(seed=3), experiment="other")

    csv = store.export("panel", tmp_path / "out" / "panel.csv", experiment="e")
    from_csv = pd.read_csv(csv)
    assert len(from_csv) == 2 * len(MONTHS)
    np.testing.assert_allclose(
        from_csv[list(INDICATORS)].to_numpy(), store.panel(experiment="e")[list(INDICATORS)]
    )

    pq = store.export("summaries", tmp_path / "summaries.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(pq), store.summaries())
    for table in ("experiments", "runs"):
        assert len(pd.read_parquet(store.export(table, tmp_path / f"{table}.parquet", "e"))) >= 1

    with pytest.raises(StoreError, match=r"\.csv, \.parquet"):
        store.export("panel", tmp_path / "panel.xlsx")
    with pytest.raises(StoreError, match="experiments, runs, panel, summaries"):
        store.export("nope", tmp_path / "x.csv")


def test_resolve_db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COUNTYSIM_DB", raising=False)
    assert resolve_db_url(None) == DEFAULT_DB_URL == "sqlite:///results/countysim.db"
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("COUNTYSIM_DB", url)
    assert resolve_db_url(None) == url
    assert resolve_db_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    with ResultsStore() as store:
        assert store.url == url
    assert (tmp_path / "env.db").exists()
