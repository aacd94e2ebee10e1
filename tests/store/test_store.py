"""ResultsStore against a real SQLite file on disk, and PostgreSQL where a server is named."""

from __future__ import annotations

import os
import pickle
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import MetaData, create_engine, insert
from typer.testing import CliRunner

from countysim.cli import app
from countysim.experiments import load_results
from countysim.results import RunResult
from countysim.store import DEFAULT_DB_URL, ResultsStore, StoreError, resolve_db_url
from countysim.store import store as store_module
from countysim.version import code_fingerprint, git_commit

MONTHS = ("2024-01", "2024-02", "2024-03")
INDICATORS = ("n_settled", "p_employed", "n_school_seats")
HASH = "abcd1234abcd1234"
#: the fingerprint of some other code than this
OTHER = "0123456789abcdef"
PREVIOUS_LAYOUT = Path(__file__).with_name("previous_layout")


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
        code_fingerprint=code_fingerprint(),
    )


def _engine(url: str):
    """A plain engine on ``url`` (making a SQLite file's folder), to set up what a store finds."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


def _drop_every_table(url: str) -> None:
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty database: a new SQLite file, and the PostgreSQL test database emptied when
    COUNTYSIM_TEST_PG_URL names a server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'results.db'}"
        return
    if not (url := os.environ.get("COUNTYSIM_TEST_PG_URL", "")):
        if os.environ.get("COUNTYSIM_REQUIRE_PG"):  # CI starts a server: its absence is a failure
            pytest.fail("COUNTYSIM_REQUIRE_PG is set but COUNTYSIM_TEST_PG_URL names no server")
        pytest.skip("set COUNTYSIM_TEST_PG_URL to test against PostgreSQL")
    _drop_every_table(url)
    yield url
    _drop_every_table(url)


@pytest.fixture()
def store(empty_url: str):
    """A fresh store on each backend."""
    with ResultsStore(empty_url) as s:
        yield s


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


def test_arrays_equal_the_panel_in_the_order_asked(store: ResultsStore) -> None:
    first = make_result(seed=1, values=np.array([[1.0, 0.5, 10.0], [2.0, np.nan, 11.0], [3.0, 0.7, 12.0]]))
    ids = [store.save_run(first, experiment="a"), store.save_run(make_result(seed=2), experiment="a")]
    order = [ids[1], ids[0]]
    names = ["n_school_seats", "n_settled", "p_employed"]
    months, values = store.arrays(order, names)
    assert months == {ids[0]: MONTHS, ids[1]: MONTHS}
    assert values.shape == (2, len(MONTHS), len(names))
    for k, run_id in enumerate(order):
        panel = store.panel(run_ids=[run_id], indicators=names)
        np.testing.assert_array_equal(values[k], panel[names].to_numpy())  # NULL read back as NaN
    assert np.isnan(values[1, 1, 2])
    with pytest.raises(StoreError, match="n_setled"):
        store.arrays(order, ["n_setled"])


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
    # a run of other code is no run of this code's
    store.save_runs(exp, [replace(make_result(seed=4), code_fingerprint=OTHER)])
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


def test_runs_of_other_code_are_kept_and_never_read_back_as_this_codes(store: ResultsStore) -> None:
    """The same scenario and seed run by other code is another run: stored beside, never reused."""
    exp = store.experiment("e")
    old = replace(make_result(seed=1, values=np.zeros((3, 3))), code_fingerprint=OTHER)
    unknown = replace(make_result(seed=2), code_fingerprint="")  # made before fingerprints were kept
    store.save_runs(exp, [old, unknown])
    assert store.done_keys(exp) == set()
    assert store.stale_keys(exp) == {(HASH, 1): {OTHER}, (HASH, 2): {""}}
    assert store.runs("e").empty and store.panel(experiment="e").empty and load_results(store, "e") == []

    store.save_runs(exp, [make_result(seed=1, values=np.ones((3, 3)))])
    assert store.done_keys(exp) == {(HASH, 1)}
    assert store.stale_keys(exp) == {(HASH, 2): {""}}  # seed 1 is done by this code now
    everything = store.runs("e", all_code=True)
    assert sorted(everything["code_fingerprint"]) == ["", OTHER, code_fingerprint()]
    commits = dict(zip(everything["code_fingerprint"], everything["git_commit"], strict=True))
    assert pd.isna(commits[OTHER]) and pd.isna(commits[""])
    assert commits[code_fingerprint()] == git_commit() or (
        pd.isna(commits[code_fingerprint()]) and not git_commit()
    )

    # every reader returns this code's runs only, unless asked for all
    assert store.runs("e")["seed"].tolist() == [1]
    assert (store.panel(experiment="e")[list(INDICATORS)].to_numpy() == 1.0).all()
    assert len(store.panel(experiment="e", all_code=True)) == 3 * len(MONTHS)
    assert store.summaries(experiment="e")["seed"].tolist() == [1]
    assert len(store.summaries(all_code=True)) == 3
    [back] = load_results(store, "e")
    assert back.code_fingerprint == code_fingerprint() and (back.values == 1.0).all()
    counts = store.experiments()[["n_runs", "n_done", "n_failed", "n_other_code"]].iloc[0].tolist()
    assert counts == [1, 1, 0, 2]

    # a failure records the code that ran it
    store.save_failure(exp, "baseline", HASH, 3, "boom")
    store.save_failure(exp, "baseline", HASH, 4, "boom", code_fingerprint=OTHER)
    failed = store.runs("e", all_code=True).set_index("seed").loc[[3, 4], "code_fingerprint"].tolist()
    assert failed == [code_fingerprint(), OTHER]

    # a store opened for the other code sees that code's runs only
    with ResultsStore(store.url, fingerprint=OTHER) as other:
        assert other.done_keys(exp) == {(HASH, 1)}
        assert (other.panel(experiment="e")[list(INDICATORS)].to_numpy() == 0.0).all()


def test_names_longer_than_the_store_allows_are_refused_before_anything_is_written(
    store: ResultsStore,
) -> None:
    """PostgreSQL rejects a name longer than its column (String(200)) and SQLite keeps it: both refuse it."""
    long_experiment, long_scenario = "x" * 201, "s" * 250
    with pytest.raises(StoreError, match=r"experiment name 'x+\.\.\.' has 201 characters; .* at most 200"):
        store.experiment(long_experiment)
    assert store.experiments().empty
    with pytest.raises(StoreError, match=r"experiment name .* 201 .*; scenario name .* 250 characters"):
        store.check_names(long_experiment, ["fine", long_scenario])
    store.check_names("x" * 200, ["s" * 200])  # at the limit is fine

    exp = store.experiment("e")
    bad = replace(make_result(seed=2), scenario_name=long_scenario)
    with pytest.raises(
        StoreError, match=r"scenario name .* 250 characters.*at most 200.*nothing of this batch"
    ):
        store.save_runs(exp, [make_result(seed=1), bad])
    with pytest.raises(StoreError, match=r"scenario name .* 250 characters"):
        store.save_failure(exp, long_scenario, HASH, 3, "boom")
    assert store.runs("e", all_code=True).empty


def test_an_empty_url_is_an_error_not_the_default_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COUNTYSIM_DB", raising=False)
    for empty in ("", "   "):
        with pytest.raises(StoreError, match=r"given by --db is empty .*sqlite:///path/to/file\.db"):
            resolve_db_url(empty)
        with pytest.raises(StoreError, match="given by --db is empty"):
            ResultsStore(empty)
    res = CliRunner().invoke(app, ["results", "list", "--db", ""])
    assert res.exit_code == 2, res.output
    assert "'--db': empty; leave the option out for its default" in res.output
    assert "Traceback" not in res.output
    monkeypatch.setenv("COUNTYSIM_DB", "")
    with pytest.raises(StoreError, match="COUNTYSIM_DB environment variable is empty"):
        ResultsStore()
    assert not (tmp_path / "results").exists()  # the default store was not made instead


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


# -- tables already in the database --------------------------------------------------------


def _make_previous_layout(url: str) -> None:
    """The tables as countysim made them before code fingerprints, with one done and one failed run."""
    engine = _engine(url)
    ddl = (PREVIOUS_LAYOUT / f"{engine.dialect.name}.sql").read_text()
    statements = [s for s in re.sub(r"--[^\n]*\n", "", ddl).split(";") if s.strip()]
    when = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    run = {"experiment_id": 1, "scenario_name": "baseline", "scenario_hash": HASH, "code_version": "0.1.0"}
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
        tables = MetaData()
        tables.reflect(conn)
        conn.execute(
            insert(tables.tables["experiment"]),
            {"id": 1, "name": "old", "kind": "sweep", "created_at": when, "code_version": "0.1.0"},
        )
        conn.execute(
            insert(tables.tables["run"]),
            [
                {**run, "id": 1, "seed": 1, "status": "done", "started_at": when, "finished_at": when,
                 "wall_seconds": 1.5, "persons": 1000, "months": 3, "error": None,
                 "scenario_json": "{}", "meta_json": "{}"},
                {**run, "id": 2, "seed": 2, "status": "failed", "started_at": None, "finished_at": when,
                 "wall_seconds": None, "persons": None, "months": None, "error": "ValueError: boom",
                 "scenario_json": "", "meta_json": "{}"},
            ],
        )  # fmt: skip
        values = np.arange(9.0).reshape(3, 3)
        conn.execute(
            insert(tables.tables["indicator_value"]),
            [
                {"run_id": 1, "indicator": name, "month_index": m, "month": MONTHS[m], "value": values[m, j]}
                for j, name in enumerate(INDICATORS)
                for m in range(3)
            ],
        )
        conn.execute(
            insert(tables.tables["summary"]),
            [
                {"run_id": 1, "indicator": name, "final_value": values[2, j]}
                for j, name in enumerate(INDICATORS)
            ],
        )
        if engine.dialect.name == "postgresql":  # as the inserts of a store in use would have left them
            conn.exec_driver_sql("SELECT setval('experiment_id_seq', 1), setval('run_id_seq', 2)")
    engine.dispose()


def test_a_store_of_the_previous_layout_is_migrated_and_loses_nothing(empty_url: str, tmp_path: Path) -> None:
    _make_previous_layout(empty_url)
    with ResultsStore(empty_url) as store:
        runs = store.runs("old", all_code=True)
        assert runs[["run_id", "seed", "status"]].values.tolist() == [[1, 1, "done"], [2, 2, "failed"]]
        assert runs["code_fingerprint"].tolist() == ["", ""]  # made by code nobody recorded
        assert runs.loc[1, "error"] == "ValueError: boom"
        panel = store.panel(experiment="old", all_code=True)
        np.testing.assert_array_equal(panel[list(INDICATORS)].to_numpy(), np.arange(9.0).reshape(3, 3))
        assert store.summaries(experiment="old", all_code=True)["n_school_seats"].tolist() == [8.0]
        # never reused: this code runs the same scenario and seed again, beside the old run
        assert store.done_keys(1) == set() and store.stale_keys(1) == {(HASH, 1): {""}}
        store.save_runs(1, [make_result(seed=1)])
        store.save_failure(1, "baseline", HASH, 2, "again")
        assert len(store.runs("old", all_code=True)) == 4
        assert store.done_keys(1) == {(HASH, 1)}
    with ResultsStore(empty_url) as store:  # opening it again changes nothing
        assert store.runs("old", all_code=True)["run_id"].tolist() == [1, 2, 3, 4]
        assert len(store.panel(experiment="old", all_code=True)) == 2 * len(MONTHS)
    with ResultsStore(f"sqlite:///{tmp_path / 'new.db'}") as new:  # and a new store is made whole
        new.save_run(make_result(seed=1), experiment="e")
        new.save_run(make_result(seed=1), experiment="e")
        assert len(new.runs("e")) == 1


def _tables_and_rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        found = {
            name: sorted(tuple(r) for r in conn.execute(t.select())) for name, t in tables.tables.items()
        }
    engine.dispose()
    return found


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TABLE run (id INTEGER PRIMARY KEY, name VARCHAR(50), started VARCHAR(30))",
        "CREATE TABLE experiment (id INTEGER PRIMARY KEY, name VARCHAR(50), started VARCHAR(30))",
    ],
    ids=["run", "experiment"],
)
def test_tables_of_another_schema_are_an_error_and_left_alone(empty_url: str, ddl: str) -> None:
    """Another application's table of the same name: a clear error, and nothing created or changed."""
    engine = _engine(empty_url)
    table = ddl.split()[2]
    with engine.begin() as conn:
        conn.exec_driver_sql(ddl)
        conn.exec_driver_sql(
            f"INSERT INTO {table} (id, name, started) VALUES (1, 'nightly build', '2026-01-05')"
        )
    engine.dispose()
    before = _tables_and_rows(empty_url)
    with pytest.raises(StoreError) as info:
        ResultsStore(empty_url)
    message = str(info.value)
    assert f"table {table!r} lacks the columns" in message and "another schema" in message
    assert "it has id, name, started" in message and "Nothing was changed" in message
    assert _tables_and_rows(empty_url) == before == {table: [(1, "nightly build", "2026-01-05")]}


# -- files SQLite cannot write -------------------------------------------------------------


def _as_unprivileged(fn: Callable[[], Any]) -> Any:
    """Call ``fn`` as a user who may not write where file modes forbid it.

    Root may write any file, so under root ``fn`` runs in a forked child that has become
    ``nobody``; what it returns or raises comes back through a pipe.
    """
    if os.geteuid() != 0:
        return fn()
    read, write = os.pipe()
    with warnings.catch_warnings():
        # the only other threads are native ones (a BLAS pool) that the child never touches
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: whatever happens, it never returns into pytest
        try:
            os.setgid(65534)
            os.setuid(65534)
            try:
                outcome = ("value", fn())
            except BaseException as exc:
                outcome = ("raised", exc)
            try:
                data = pickle.dumps(outcome)
            except Exception:  # an exception that does not pickle comes back as its text
                data = pickle.dumps(("raised", RuntimeError(repr(outcome[1]))))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        kind, value = pickle.load(pipe)
    os.waitpid(pid, 0)
    if kind == "raised":
        raise value
    return value


@pytest.fixture()
def shared_dir():
    """A folder another user may enter (pytest's own tmp_path is root's only, under root)."""
    folder = Path(tempfile.mkdtemp(prefix="countysim-ro-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777)
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def test_a_read_only_file_is_a_clear_error_and_stays_as_it_was(shared_dir: Path) -> None:
    db = shared_dir / "results.db"
    with ResultsStore(f"sqlite:///{db}") as store:
        store.save_run(make_result(seed=1), experiment="kept")
    db.chmod(0o444)
    content = db.read_bytes()
    with pytest.raises(StoreError, match=rf"the file {re.escape(str(db))} is read-only"):
        _as_unprivileged(lambda: ResultsStore(f"sqlite:///{db}"))
    assert db.read_bytes() == content
    db.chmod(0o644)
    with ResultsStore(f"sqlite:///{db}") as store:
        assert store.runs("kept")["seed"].tolist() == [1]


def test_a_read_only_folder_is_a_clear_error(shared_dir: Path) -> None:
    folder = shared_dir / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    # a new file there cannot be made
    with pytest.raises(
        StoreError, match=rf"cannot create .*new\.db: the folder {re.escape(str(folder))} is read-only"
    ):
        _as_unprivileged(lambda: ResultsStore(f"sqlite:///{folder / 'new.db'}"))
    assert list(folder.iterdir()) == []
    # nor, for a file that is there, the -wal and -shm files SQLite writes beside it
    folder.chmod(0o777)
    with ResultsStore(f"sqlite:///{folder / 'old.db'}") as store:
        store.save_run(make_result(seed=1), experiment="kept")
    (folder / "old.db").chmod(0o666)
    folder.chmod(0o555)
    with pytest.raises(StoreError, match=r"the folder .* is read-only, and SQLite writes its -wal and -shm"):
        _as_unprivileged(lambda: ResultsStore(f"sqlite:///{folder / 'old.db'}"))


# -- several processes at once ---------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from countysim.results import RunResult
    from countysim.store import ResultsStore
    from countysim.version import code_fingerprint

    urls, order, batch = sys.argv[1].split(" "), sys.argv[2], int(sys.argv[3])
    months = tuple(f"2024-{m:02d}" for m in range(1, 13))
    names = tuple(f"indicator_{j:03d}" for j in range(100))

    def result(seed):
        values = np.random.default_rng(seed).random((len(months), len(names)))
        return RunResult("shared", f"{seed:016x}", seed, months, names, values, 100, 0.1, "test", "{}",
                         code_fingerprint=code_fingerprint())

    runs = [result(int(s)) for s in order.split(",")]
    print("ready", flush=True)
    start = float(sys.stdin.readline())  # the same moment for every writer
    for i, url in enumerate(urls):
        time.sleep(max(start + i * 0.3 - time.time(), 0))
        with ResultsStore(url) as store:
            exp = store.experiment("shared", kind="sweep")
            for j in range(0, len(runs), batch):
                store.save_runs(exp, runs[j:j + batch])
    print("ok")
    """
)
RUN_AND_MONTH = ["run_id", "scenario_name", "scenario_hash", "seed", "month"]


def _writers(urls: list[str], orders: list[list[int]], batch: int) -> None:
    """One process per order of seeds, each opening every store at the same moment as the others,
    and saving those seeds' runs there in batches; every process must finish."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, " ".join(urls), ",".join(map(str, order)), str(batch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in orders
    ]
    for proc in procs:  # every writer has imported what it needs
        assert proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    start = time.time() + 0.2
    for proc in procs:
        out, err = proc.communicate(f"{start}\n", timeout=180)
        assert proc.returncode == 0 and out.strip() == "ok", err


@pytest.fixture()
def new_store_urls(empty_url: str, tmp_path: Path):
    """URLs of databases with no tables yet: eight SQLite files, or four PostgreSQL schemas (each
    store opened there takes a good half second, under the lock)."""
    if empty_url.startswith("sqlite"):
        yield [f"sqlite:///{tmp_path / f'new{i}' / 'results.db'}" for i in range(8)]
        return
    engine = create_engine(empty_url)
    names = [f"countysim_new_{i}" for i in range(4)]
    with engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    yield [f"{empty_url}?options=-csearch_path%3D{name}" for name in names]
    with engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    engine.dispose()


def test_processes_creating_a_new_store_at_once_all_succeed(new_store_urls: list[str]) -> None:
    _writers(new_store_urls, [[i] for i in range(4)], batch=1)
    for url in new_store_urls:
        with ResultsStore(url) as store:
            assert sorted(store.runs("shared", all_code=True)["seed"]) == [0, 1, 2, 3]


def test_the_same_experiment_written_by_two_processes_at_once_stores_each_run_once(empty_url: str) -> None:
    seeds = list(range(24))
    _writers([empty_url], [seeds, seeds[::-1]], batch=3)
    with ResultsStore(empty_url) as store:
        runs = store.runs("shared", all_code=True)
        assert sorted(runs["seed"]) == seeds and (runs["status"] == "done").all()
        panel = store.panel(experiment="shared", all_code=True)
        assert len(panel) == len(seeds) * 12
        fifth = panel[panel["seed"] == 5].drop(columns=RUN_AND_MONTH).to_numpy()
        np.testing.assert_array_equal(fifth, np.random.default_rng(5).random((12, 100)))


def test_a_write_locked_out_by_another_writer_is_retried(tmp_path: Path, monkeypatch) -> None:
    """SQLite: another writer holding the lock longer than the busy timeout makes a write fail with
    'database is locked'; the store tries again and gets through once the lock is free."""
    monkeypatch.setattr(store_module, "SQLITE_BUSY_SECONDS", 0.2)
    db = tmp_path / "locked.db"
    with ResultsStore(f"sqlite:///{db}") as store:
        exp = store.experiment("e")
        other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another process's write transaction, for 1.5 s
        release = threading.Timer(1.5, other.execute, ["COMMIT"])
        release.start()
        try:
            t0 = time.monotonic()
            store.save_runs(exp, [make_result(seed=1)])
            assert time.monotonic() - t0 >= 1.0  # it did wait for the other writer
        finally:
            release.join()
            other.close()
        assert store.done_keys(exp) == {(HASH, 1)}
