"""``ResultsStore``: where finished runs go, and where every analysis reads them from.

The store never imports the model: it takes ``RunResult`` objects and hands back pandas tables.
Only the experiment driver writes, in batches, each batch in one transaction, so the store never
holds a half-written run.

- **Which code.** A run is keyed by (experiment, scenario hash, seed, code fingerprint). A store
  is opened for one code (``fingerprint``, by default this package's
  ``countysim.version.code_fingerprint``): only runs made by it count as done and are read back;
  runs of other code stay stored, listed by ``runs(all_code=True)``, and are never reused.
- **Layouts.** Opening a store checks the tables already there: a store of the layout before code
  fingerprints is migrated in place (its runs keep their ids and count as made by unknown code);
  tables of any other schema are an error that changes nothing.
- **Several writers.** Creating the tables, and every write, is one transaction under a lock
  (SQLite: ``BEGIN IMMEDIATE``, a busy timeout and retries while the file is locked; PostgreSQL: an
  advisory lock and upserts), so two processes may open or fill the same store at once.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import (
    URL,
    Column,
    Connection,
    Engine,
    MetaData,
    Select,
    Table,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    inspect,
    make_url,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.schema import AddConstraint, CreateColumn, CreateTable, DropConstraint, DropTable

from countysim.store.schema import (
    PREVIOUS_RUN_COLUMNS,
    RUN_KEY,
    Base,
    Calibration,
    CalibrationGeneration,
    CalibrationParticle,
    Experiment,
    IndicatorValue,
    Run,
    Summary,
    utcnow,
)

if TYPE_CHECKING:
    from countysim.results import RunResult

T = TypeVar("T")

DEFAULT_DB_URL = "sqlite:///results/countysim.db"
URL_FORMS = "sqlite:///path/to/file.db or postgresql+psycopg://user:pass@host:5432/db"
EXPORT_TABLES = ("experiments", "runs", "panel", "summaries")
EXPORT_SUFFIXES = (".csv", ".parquet")
_RUN_COLUMNS = ("run_id", "scenario_name", "scenario_hash", "seed")
#: seconds a SQLite connection waits for another process's write lock before giving up
SQLITE_BUSY_SECONDS = 30.0
#: attempts of one write transaction while the database reports a lock conflict
WRITE_ATTEMPTS = 5
#: PostgreSQL advisory lock held while the tables are checked, migrated or created
SCHEMA_LOCK = 0x636F756E747973  # "countys"
#: execution option that makes a SQLite transaction take the write lock at BEGIN
_WRITE = "countysim_write"
#: length limits of the names a run is stored under, from the schema
NAME_LIMITS = {
    "experiment name": Experiment.__table__.c.name.type.length,
    "scenario name": Run.__table__.c.scenario_name.type.length,
    "scenario hash": Run.__table__.c.scenario_hash.type.length,
    "code fingerprint": Run.__table__.c.code_fingerprint.type.length,
    "indicator name": IndicatorValue.__table__.c.indicator.type.length,
}
_NEW_RUN_COLUMNS = ("code_fingerprint", "git_commit")


class StoreError(Exception):
    """The results store cannot be opened, or was asked for something it cannot do."""


def resolve_db_url(url: str | None) -> str:
    """The database URL to use: ``url`` if given, else ``$COUNTYSIM_DB``, else the default.

    Args:
        url: an explicit URL (e.g. from ``--db``); ``None`` to fall back.

    Returns:
        The URL string, unparsed.

    Raises:
        StoreError: if ``url``, or ``$COUNTYSIM_DB`` when it is used, is empty or blank: an
            empty setting is a mistake, never a silent fall-back to the default store.
    """
    if url is not None:
        source = "--db"
    elif (url := os.environ.get("COUNTYSIM_DB")) is not None:
        source = "the COUNTYSIM_DB environment variable"
    else:
        return DEFAULT_DB_URL
    if not url.strip():
        raise StoreError(
            f"the results store URL given by {source} is empty ({url!r}); give a URL of the form "
            f"{URL_FORMS}, or leave it out to use the default {DEFAULT_DB_URL}"
        )
    return url


def _package_version() -> str:
    from countysim.version import package_version

    return package_version()


def _mask(raw: str) -> str:
    """Hide the password of a URL that could not be parsed (best effort)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", raw)


def _json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, default=str, ensure_ascii=False)


def _nulls(values: np.ndarray) -> list[float | None]:
    """Floats as Python objects with NaN as None, so that every backend stores NULL."""
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out.tolist()


def _too_long(what: str, value: str) -> str | None:
    """A message if ``value`` is longer than its column allows, else None."""
    limit = NAME_LIMITS[what]
    if len(value) <= limit:
        return None
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f"{what} {shown!r} has {len(value)} characters; the results store allows at most {limit}"


def _validate(result: RunResult) -> None:
    """Raise ``StoreError`` if ``result`` is not a well-formed panel."""
    where = f"run {result.scenario_name!r} (hash {result.scenario_hash}, seed {result.seed})"
    end = "; nothing of this batch was saved"
    values = np.asarray(result.values)
    expected = (len(result.months), len(result.indicators))
    if values.shape != expected or 0 in expected:
        raise StoreError(
            f"{where}: values have shape {values.shape} but months × indicators is {expected} "
            f"(both must be non-empty){end}"
        )
    if len(set(result.indicators)) != len(result.indicators):
        raise StoreError(f"{where}: indicator names repeat{end}")
    names = [
        ("scenario name", result.scenario_name),
        ("scenario hash", result.scenario_hash),
        ("code fingerprint", result.code_fingerprint),
        *(("indicator name", n) for n in result.indicators),
    ]
    if problems := [p for what, value in names if (p := _too_long(what, value))]:
        raise StoreError(f"{where}: {problems[0]}{end}")


def _contended(exc: OperationalError) -> bool:
    """Whether a failed statement lost a race with another writer (worth retrying)."""
    orig = exc.orig
    name = getattr(orig, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(orig):
        return True
    # PostgreSQL: deadlock detected, serialization failure
    return getattr(orig, "sqlstate", None) in ("40P01", "40001")


class ResultsStore:
    """A results database: SQLite file by default, PostgreSQL by URL.

    Runs are keyed by (experiment, scenario hash, seed, code fingerprint). Saving a run whose
    key is already ``done`` is a no-op (the stored run is kept), which is what lets an
    interrupted experiment resume by simply saving everything again; a ``failed`` run is
    replaced by a later success. Every reader returns only the runs made by the store's code
    (``fingerprint``) unless asked for ``all_code``.

    Example:
        >>> with ResultsStore("sqlite:///results/countysim.db") as store:  # doctest: +SKIP
        ...     store.save_run(result, experiment="baseline")
        ...     store.panel(experiment="baseline")
    """

    def __init__(self, url: str | None = None, *, fingerprint: str | None = None) -> None:
        """Open (and if needed create or migrate) the store, testing the connection now.

        Args:
            url: SQLAlchemy URL; ``None`` means ``$COUNTYSIM_DB`` or ``DEFAULT_DB_URL``.
                ``postgresql://`` is taken to mean the psycopg 3 driver.
            fingerprint: the code whose runs this store reuses and reads back (default: this
                package's ``countysim.version.code_fingerprint()``).

        Raises:
            StoreError: if the URL is empty or cannot be parsed, its driver loaded, its folder
                created or written, the database reached, or if it holds tables of another
                schema.
        """
        self._password: str | None = None
        raw = resolve_db_url(url)
        self.url = _mask(raw)
        try:
            parsed = make_url(raw)
        except SQLAlchemyError as exc:
            raise self._error("the URL cannot be parsed", exc) from None
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed.render_as_string(hide_password=True)
        self._password = parsed.password
        if fingerprint is None:
            from countysim.version import code_fingerprint

            fingerprint = code_fingerprint()
        if message := _too_long("code fingerprint", fingerprint):
            raise StoreError(message)
        self.fingerprint = fingerprint

        try:
            self._engine = self._make_engine(parsed)
        except NoSuchModuleError:
            raise self._error(f"no database driver is known as {parsed.drivername!r}") from None
        except (SQLAlchemyError, ImportError) as exc:
            raise self._error("the database driver cannot be loaded", exc) from None
        if self._engine.dialect.name not in ("sqlite", "postgresql"):
            self._engine.dispose()
            raise self._error(f"{self._engine.dialect.name} databases are not supported")
        self._writer = self._engine.execution_options(**{_WRITE: True})
        try:
            # connects, so a bad server fails here, before any run starts
            self._write(self._prepare_schema, foreign_keys=False)
        except StoreError:
            self._engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            self._engine.dispose()
            raise self._error("cannot connect or create the tables", exc) from None

    @cached_property
    def commit(self) -> str | None:
        """The git commit of this store's code, where it is this package's own checkout."""
        from countysim.version import code_fingerprint, git_commit

        return git_commit() if self.fingerprint == code_fingerprint() else None

    def _commit_of(self, fingerprint: str) -> str | None:
        return self.commit if fingerprint == self.fingerprint else None

    def _make_engine(self, url: URL) -> Engine:
        if url.get_backend_name() != "sqlite":
            connect_args = {"connect_timeout": 5} if url.get_backend_name() == "postgresql" else {}
            return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            self._check_sqlite_file(Path(url.database))
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy emits BEGIN itself (below): DDL is transactional, writers lock at once
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            # WAL lets readers (notebooks, reports) work while a sweep writes; NORMAL syncs at
            # checkpoints only, which WAL keeps consistent (a crash loses no committed batch
            # short of the machine losing power)
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # a writer takes the lock at BEGIN and waits for it (busy timeout); a deferred
            # transaction that reads first could fail at once when it comes to write
            immediate = conn.get_execution_options().get(_WRITE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def _check_sqlite_file(self, path: Path) -> None:
        """Raise a clear error if SQLite could not create or write ``path``."""
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._error("cannot create the database's folder", exc) from None
        if path.exists():
            if not os.access(path, os.R_OK | os.W_OK):
                raise self._error(
                    f"the file {path} is read-only (a results store is written to); make it "
                    "writable, or copy it and open the copy"
                )
            if not os.access(folder, os.W_OK | os.X_OK):
                raise self._error(
                    f"the folder {folder} is read-only, and SQLite writes its -wal and -shm files "
                    "beside the database; make the folder writable, or copy the file elsewhere"
                )
        elif not os.access(folder, os.W_OK | os.X_OK):
            raise self._error(f"cannot create {path}: the folder {folder} is read-only")

    def _error(self, what: str, exc: BaseException | None = None, advice: str | None = None) -> StoreError:
        detail = ""
        if exc is not None:
            detail = str(getattr(exc, "orig", None) or exc)
            if self._password:
                detail = detail.replace(self._password, "***")
            detail = ": " + " ".join(detail.split())
        end = "" if detail.endswith((".", "?", "!")) else "."
        if advice is None:
            advice = (
                f"Give a URL of the form {URL_FORMS} (with --db or the COUNTYSIM_DB environment variable)."
            )
        return StoreError(f"cannot open the results store at {self.url}: {what}{detail}{end} {advice}")

    def _write(self, work: Callable[[Connection], T], foreign_keys: bool = True) -> T:
        """Run ``work`` in one write transaction, again while another writer holds the lock.

        ``foreign_keys=False`` turns SQLite's foreign keys off meanwhile (it can only be done
        outside a transaction), for a migration that swaps a referenced table.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._writer.connect() as conn:
                    raw = None
                    if not foreign_keys and conn.dialect.name == "sqlite":
                        raw = conn.connection.dbapi_connection
                        raw.execute("PRAGMA foreign_keys=OFF")
                    try:
                        with conn.begin():
                            return work(conn)
                    finally:
                        if raw is not None:
                            raw.execute("PRAGMA foreign_keys=ON")
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or not _contended(exc):
                    raise
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _upsert(self, table: Any) -> Any:
        dialect = sqlite if self._engine.dialect.name == "sqlite" else postgresql
        return dialect.insert(table)

    # -- the tables ------------------------------------------------------------------------

    def _prepare_schema(self, conn: Connection) -> None:
        """Check the tables there are, migrate the previous layout, create the missing ones.

        Runs under the write lock (PostgreSQL: an advisory lock), so that of two processes
        opening a new store at once one creates it and the other finds it made.
        """
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
        inspector = inspect(conn)
        present = set(inspector.get_table_names())
        problems, previous = [], False
        for table in Base.metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            want = set(table.columns.keys())
            if want <= have:
                continue
            if table.name == "run" and PREVIOUS_RUN_COLUMNS <= have and not have & set(_NEW_RUN_COLUMNS):
                previous = True
                continue
            problems.append(
                f"table {table.name!r} lacks the columns {', '.join(sorted(want - have))} "
                f"(it has {', '.join(sorted(have))})"
            )
        if problems:
            raise self._error(
                "the database holds tables of another schema, not a countysim results store: "
                + "; ".join(problems),
                advice="Nothing was changed. Give the results store a database of its own (a new "
                "SQLite file, or another PostgreSQL database) with --db or COUNTYSIM_DB.",
            )
        if previous:
            self._migrate(conn)
        Base.metadata.create_all(conn)

    def _migrate(self, conn: Connection) -> None:
        """Bring a ``run`` table of the layout before code fingerprints to the current one.

        Its runs keep their ids, rows and values, and count as made by unknown code
        (fingerprint ``''``): they are listed, never reused.
        """
        run = Run.__table__
        if conn.dialect.name == "postgresql":
            for name in _NEW_RUN_COLUMNS:
                column = CreateColumn(run.c[name]).compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE run ADD COLUMN {column}")
            previous_key = UniqueConstraint(*RUN_KEY[:3], name="uq_run_key")
            Table("run", MetaData(), *(Column(name) for name in RUN_KEY[:3]), previous_key)
            conn.execute(DropConstraint(previous_key))
            key = next(c for c in run.constraints if c.name == "uq_run_code_key")
            # not isolated: later stores are created with the constraint inside CREATE TABLE
            conn.execute(AddConstraint(key, isolate_from_table=False))
            return
        # SQLite cannot change a table's constraints: build the new table, copy, swap (the
        # procedure of sqlite.org/lang_altertable.html); foreign keys are off meanwhile
        # (``_write(foreign_keys=False)``), or dropping the old table would delete every
        # indicator value through the cascade
        staging = MetaData()
        Experiment.__table__.to_metadata(staging)
        new = run.to_metadata(staging, name="run_migrating")
        conn.execute(CreateTable(new))
        columns = sorted(PREVIOUS_RUN_COLUMNS)
        conn.execute(insert(new).from_select(columns, select(*(run.c[c] for c in columns))))
        conn.execute(DropTable(run))
        conn.exec_driver_sql("ALTER TABLE run_migrating RENAME TO run")
        for index in run.indexes:
            index.create(conn)
        if broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all():
            raise StoreError(f"migrating the results store at {self.url} failed: {broken[:3]}")

    # -- writing ---------------------------------------------------------------------------

    def check_names(self, experiment: str, scenarios: Iterable[str] = ()) -> None:
        """Check that an experiment's and its scenarios' names fit the store, before any run.

        Raises:
            StoreError: naming each name that is too long and the limit.
        """
        problems = [_too_long("experiment name", experiment)]
        problems += [_too_long("scenario name", name) for name in sorted(set(scenarios))]
        if found := [p for p in problems if p]:
            raise StoreError(f"cannot store experiment runs at {self.url}: " + "; ".join(found))

    def experiment(self, name: str, kind: str = "run", spec: dict | None = None) -> int:
        """Get or create an experiment by name.

        An existing experiment is returned as it is (its kind and spec are not changed).

        Args:
            name: unique experiment name.
            kind: what made it, e.g. ``"run"``, ``"compare"``, ``"sweep"``.
            spec: the experiment's design, stored as JSON for the record.

        Returns:
            The experiment's id.

        Raises:
            StoreError: if the name is too long for the store, or the database fails.
        """
        self.check_names(name)
        find = select(Experiment.id).where(Experiment.name == name)

        def create(conn: Connection) -> int:
            if (found := conn.scalar(find)) is not None:
                return found
            stmt = (
                self._upsert(Experiment)
                .values(
                    name=name,
                    kind=kind,
                    created_at=utcnow(),
                    spec_json=None if spec is None else _json(spec),
                    code_version=_package_version(),
                )
                .on_conflict_do_nothing(index_elements=["name"])
                .returning(Experiment.id)
            )
            created = conn.scalar(stmt)
            return created if created is not None else conn.execute(find).scalar_one()

        try:
            with self._engine.connect() as conn:
                if (found := conn.scalar(find)) is not None:
                    return found
            return self._write(create)
        except SQLAlchemyError as exc:
            raise StoreError(self._failed(f"creating experiment {name!r}", exc)) from exc

    def _failed(self, what: str, exc: SQLAlchemyError) -> str:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())
        if self._password:
            detail = detail.replace(self._password, "***")
        return f"the results store at {self.url} failed {what}: {detail}"

    def done_keys(self, experiment_id: int) -> set[tuple[str, int]]:
        """The ``(scenario_hash, seed)`` keys of the experiment's runs finished by this code."""
        stmt = select(Run.scenario_hash, Run.seed).where(
            Run.experiment_id == experiment_id, Run.status == "done", Run.code_fingerprint == self.fingerprint
        )
        return {(h, int(s)) for h, s in self._rows(stmt)}

    def stale_keys(self, experiment_id: int) -> dict[tuple[str, int], set[str]]:
        """Keys of the experiment's finished runs made by other code, with those codes' fingerprints.

        A key that this code has also finished is left out.
        """
        stmt = select(Run.scenario_hash, Run.seed, Run.code_fingerprint).where(
            Run.experiment_id == experiment_id, Run.status == "done", Run.code_fingerprint != self.fingerprint
        )
        stale: dict[tuple[str, int], set[str]] = {}
        for h, s, fp in self._rows(stmt):
            stale.setdefault((h, int(s)), set()).add(fp)
        for key in self.done_keys(experiment_id) & set(stale):
            del stale[key]
        return stale

    def save_runs(self, experiment_id: int, results: list[RunResult]) -> None:
        """Save finished runs, all or nothing.

        Each run is stored under its own ``code_fingerprint``. Keys already ``done`` (in the
        store or earlier in ``results``) are skipped; ``failed`` or ``running`` rows with the
        same key are replaced.

        Args:
            experiment_id: id from :meth:`experiment`.
            results: finished runs.

        Raises:
            StoreError: if a result is malformed or the database rejects the batch; nothing of
                the batch is then written.
        """
        self._save_runs(experiment_id, results)

    def _save_runs(self, experiment_id: int, results: list[RunResult]) -> list[int]:
        """Save as :meth:`save_runs` and return the run id of each result, in order."""
        if not results:
            return []
        for result in results:
            _validate(result)
        # one order of keys for every writer, so that two writers never wait on each other
        order = sorted(range(len(results)), key=lambda i: self._key(experiment_id, results[i]))

        def write(conn: Connection) -> list[int]:
            ids: dict[tuple, int] = {}
            for i in order:
                result = results[i]
                key = self._key(experiment_id, result)
                if key not in ids:
                    ids[key] = self._write_run(conn, experiment_id, result)
            return [ids[self._key(experiment_id, r)] for r in results]

        try:
            return self._write(write)
        except SQLAlchemyError as exc:
            raise StoreError(
                self._failed(f"to save a batch of {len(results)} runs; nothing of it was saved", exc)
            ) from exc

    @staticmethod
    def _key(experiment_id: int, result: RunResult) -> tuple[int, str, int, str]:
        return (experiment_id, result.scenario_hash, int(result.seed), result.code_fingerprint)

    def _write_run(self, conn: Connection, experiment_id: int, result: RunResult) -> int:
        """Insert one run and its values, or keep the run already done under its key."""
        # the store only sees results once they are back, so the start is inferred
        finished = utcnow()
        row = {
            "experiment_id": experiment_id,
            "scenario_hash": result.scenario_hash,
            "seed": int(result.seed),
            "code_fingerprint": result.code_fingerprint,
            "scenario_name": result.scenario_name,
            "status": "done",
            "started_at": finished - timedelta(seconds=float(result.wall_seconds)),
            "finished_at": finished,
            "wall_seconds": float(result.wall_seconds),
            "persons": int(result.persons),
            "months": len(result.months),
            "code_version": result.code_version,
            "git_commit": self._commit_of(result.code_fingerprint),
            "error": None,
            "scenario_json": result.scenario_json,
            "meta_json": _json(result.meta),
        }
        stmt = self._upsert(Run).values(**row)
        # a failed run under the key is replaced; a done one is kept (no row comes back)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(RUN_KEY),
            set_={c: stmt.excluded[c] for c in row if c not in RUN_KEY},
            where=Run.status != "done",
        ).returning(Run.id)
        run_id = conn.scalar(stmt)
        if run_id is None:
            return conn.execute(select(Run.id).where(*self._where_key(row))).scalar_one()

        values = np.asarray(result.values, dtype=np.float64)
        n_months, n_ind = values.shape
        # in primary-key order (indicator, then month), so that the rows append to the b-tree
        names = np.asarray(result.indicators, dtype=object)
        order = np.argsort(names.astype(str), kind="stable")
        conn.execute(
            insert(IndicatorValue),
            [
                {"run_id": run_id, "indicator": name, "month_index": m, "month": label, "value": v}
                for name, m, label, v in zip(
                    np.repeat(names[order], n_months).tolist(),
                    np.tile(np.arange(n_months), n_ind).tolist(),
                    list(result.months) * n_ind,
                    _nulls(values[:, order].ravel(order="F")),
                    strict=True,
                )
            ],
        )
        conn.execute(
            insert(Summary),
            [
                {"run_id": run_id, "indicator": name, "final_value": v}
                for name, v in zip(result.indicators, _nulls(values[-1]), strict=True)
            ],
        )
        return run_id

    @staticmethod
    def _where_key(row: dict) -> list:
        return [Run.__table__.c[c] == row[c] for c in RUN_KEY]

    def save_failure(
        self,
        experiment_id: int,
        scenario_name: str,
        scenario_hash: str,
        seed: int,
        error: str,
        scenario_json: str = "",
        code_fingerprint: str | None = None,
    ) -> None:
        """Record a failed run, so that it is reported and retried on resume.

        A key that is already ``done`` is left alone; an earlier failure is overwritten.

        Args:
            experiment_id: id from :meth:`experiment`.
            scenario_name: the scenario's name.
            scenario_hash: the scenario's hash.
            seed: the run's root seed.
            error: what went wrong (message or traceback).
            scenario_json: the resolved scenario, if known.
            code_fingerprint: the code that ran it (default: the store's).

        Raises:
            StoreError: if a name is too long for the store, or the database fails.
        """
        fingerprint = self.fingerprint if code_fingerprint is None else code_fingerprint
        names = [("scenario name", scenario_name), ("scenario hash", scenario_hash)]
        if problems := [p for what, value in names if (p := _too_long(what, value))]:
            raise StoreError(f"cannot record the failed run at {self.url}: {'; '.join(problems)}")
        row = {
            "experiment_id": experiment_id,
            "scenario_hash": scenario_hash,
            "seed": int(seed),
            "code_fingerprint": fingerprint,
            "scenario_name": scenario_name,
            "status": "failed",
            "started_at": None,
            "finished_at": utcnow(),
            "wall_seconds": None,
            "persons": None,
            "months": None,
            "code_version": _package_version(),
            "git_commit": self._commit_of(fingerprint),
            "error": error,
            "scenario_json": scenario_json,
            "meta_json": "{}",
        }
        stmt = self._upsert(Run).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(RUN_KEY),
            set_={c: stmt.excluded[c] for c in row if c not in RUN_KEY},
            where=Run.status != "done",
        )
        try:
            self._write(lambda conn: conn.execute(stmt))
        except SQLAlchemyError as exc:
            raise StoreError(self._failed("to record a failed run", exc)) from exc

    def save_run(self, result: RunResult, experiment: str = "default") -> int:
        """Save one run under an experiment (created with kind ``"run"`` if missing).

        Returns:
            The run's id (the stored run's id if this key was already done).
        """
        return self._save_runs(self.experiment(experiment, kind="run"), [result])[0]

    # -- reading ---------------------------------------------------------------------------

    def _rows(self, stmt: Select) -> list[tuple]:
        try:
            with self._engine.connect() as conn:
                return [tuple(r) for r in conn.execute(stmt)]
        except SQLAlchemyError as exc:
            raise StoreError(self._failed("to read", exc)) from exc

    def _frame(self, stmt: Select) -> pd.DataFrame:
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(stmt)
                # plain tuples: pandas probes Row objects attribute by attribute, which is slow
                return pd.DataFrame([tuple(r) for r in rows], columns=list(rows.keys()))
        except SQLAlchemyError as exc:
            raise StoreError(self._failed("to read", exc)) from exc

    def _experiment_id(self, name: str) -> int:
        found = self._rows(select(Experiment.id).where(Experiment.name == name))
        if not found:
            known = [n for (n,) in self._rows(select(Experiment.name).order_by(Experiment.id))]
            raise StoreError(
                f"no experiment named {name!r} in the results store at {self.url}; "
                f"it holds: {', '.join(known) or '(none)'}"
            )
        return found[0][0]

    def experiment_spec(self, name: str) -> dict | None:
        """The description stored with an experiment (its design, settings), or None.

        Raises:
            StoreError: if ``name`` names no experiment.
        """
        exp_id = self._experiment_id(name)
        ((text,),) = self._rows(select(Experiment.spec_json).where(Experiment.id == exp_id))
        return None if text is None else json.loads(text)

    def _this_code(self, stmt: Select, all_code: bool) -> Select:
        return stmt if all_code else stmt.where(Run.code_fingerprint == self.fingerprint)

    def experiments(self) -> pd.DataFrame:
        """One row per experiment: id, name, kind, created_at, n_runs, n_done, n_failed, n_other_code.

        ``n_runs``, ``n_done`` and ``n_failed`` count the runs made by this store's code;
        ``n_other_code`` the runs of the experiment made by other code (kept, not reused).
        """
        ours = Run.code_fingerprint == self.fingerprint
        stmt = (
            select(
                Experiment.id,
                Experiment.name,
                Experiment.kind,
                Experiment.created_at,
                func.count(Run.id).filter(ours).label("n_runs"),
                func.count(Run.id).filter(ours, Run.status == "done").label("n_done"),
                func.count(Run.id).filter(ours, Run.status == "failed").label("n_failed"),
                func.count(Run.id).filter(Run.code_fingerprint != self.fingerprint).label("n_other_code"),
            )
            .outerjoin(Run, Run.experiment_id == Experiment.id)
            .group_by(Experiment.id, Experiment.name, Experiment.kind, Experiment.created_at)
            .order_by(Experiment.id)
        )
        return self._frame(stmt)

    def runs(self, experiment: str | None = None, all_code: bool = False) -> pd.DataFrame:
        """One row per run (scenario and meta JSON left out), optionally of one experiment.

        Args:
            experiment: only this experiment's runs.
            all_code: also the runs made by other code than the store's (see
                ``code_fingerprint`` and ``git_commit``).

        Raises:
            StoreError: if ``experiment`` names no experiment.
        """
        stmt = (
            select(
                Run.id.label("run_id"),
                Experiment.name.label("experiment"),
                Run.scenario_name,
                Run.scenario_hash,
                Run.seed,
                Run.status,
                Run.started_at,
                Run.finished_at,
                Run.wall_seconds,
                Run.persons,
                Run.months,
                Run.code_version,
                Run.code_fingerprint,
                Run.git_commit,
                Run.error,
            )
            .join(Experiment, Experiment.id == Run.experiment_id)
            .order_by(Run.id)
        )
        if experiment is not None:
            stmt = stmt.where(Run.experiment_id == self._experiment_id(experiment))
        return self._frame(self._this_code(stmt, all_code))

    def panel(
        self,
        run_ids: list[int] | None = None,
        experiment: str | None = None,
        indicators: list[str] | None = None,
        all_code: bool = False,
    ) -> pd.DataFrame:
        """Monthly indicator panel, wide.

        Args:
            run_ids: only these runs.
            experiment: only this experiment's runs.
            indicators: only these indicators, in this column order (default: all, sorted).
            all_code: also runs made by other code than the store's.

        Returns:
            Columns ``run_id, scenario_name, scenario_hash, seed, month`` and one per indicator;
            one row per run and month, ordered by run and month.

        Raises:
            StoreError: if ``experiment`` or one of ``indicators`` is unknown.
        """
        stmt = select(
            IndicatorValue.run_id,
            Run.scenario_name,
            Run.scenario_hash,
            Run.seed,
            IndicatorValue.month_index,
            IndicatorValue.month,
            IndicatorValue.indicator,
            IndicatorValue.value,
        ).join(Run, Run.id == IndicatorValue.run_id)
        stmt = self._filter(stmt, run_ids, experiment, indicators, IndicatorValue.indicator, all_code)
        index = [*_RUN_COLUMNS, "month_index", "month"]
        wide = self._pivot(self._frame(stmt), index, "value", indicators)
        return wide.drop(columns="month_index")

    def arrays(
        self, run_ids: list[int], indicators: list[str], all_code: bool = False
    ) -> tuple[dict[int, tuple[str, ...]], np.ndarray]:
        """Runs' monthly values as one array, read row by row into it (no table in between).

        For readers of many runs a few at a time (the province roll-up): the rows stream from
        the database into ``values[run, month, indicator]``, so the memory a read needs is the
        array's, not a table of one Python row per stored value.

        Args:
            run_ids: the runs, in the order of the array's first axis.
            indicators: the indicators, in the order of its last axis.
            all_code: also runs made by other code than the store's.

        Returns:
            ``(months, values)``: each run's month labels (by run id) and the values, NaN where a
            value is NULL or a run has fewer months than the longest.

        Raises:
            StoreError: if one of ``indicators`` is unknown.
        """
        runs = [int(i) for i in run_ids]
        row_of = {r: k for k, r in enumerate(runs)}
        col_of = {name: k for k, name in enumerate(indicators)}
        labels = select(IndicatorValue.run_id, IndicatorValue.month_index, IndicatorValue.month).join(
            Run, Run.id == IndicatorValue.run_id
        )
        labels = self._filter(labels, runs, None, indicators[:1], IndicatorValue.indicator, all_code)
        by_run: dict[int, dict[int, str]] = {r: {} for r in runs}
        for run_id, index, month in self._rows(labels):
            by_run[run_id][index] = month
        months = {r: tuple(m[i] for i in sorted(m)) for r, m in by_run.items() if m}
        values = np.full((len(runs), max(map(len, months.values()), default=0), len(indicators)), np.nan)
        stmt = select(
            IndicatorValue.run_id, IndicatorValue.month_index, IndicatorValue.indicator, IndicatorValue.value
        ).join(Run, Run.id == IndicatorValue.run_id)
        stmt = self._filter(stmt, runs, None, indicators, IndicatorValue.indicator, all_code)
        try:
            with self._engine.connect() as conn:
                for run_id, index, name, value in conn.execute(stmt):
                    if value is not None:
                        values[row_of[run_id], index, col_of[name]] = value
        except SQLAlchemyError as exc:
            raise StoreError(self._failed("to read", exc)) from exc
        return months, values

    def summaries(
        self,
        run_ids: list[int] | None = None,
        experiment: str | None = None,
        indicators: list[str] | None = None,
        all_code: bool = False,
    ) -> pd.DataFrame:
        """Final-month values, wide: ``run_id, scenario_name, scenario_hash, seed`` + indicators.

        Arguments and errors as for :meth:`panel`.
        """
        stmt = select(
            Summary.run_id,
            Run.scenario_name,
            Run.scenario_hash,
            Run.seed,
            Summary.indicator,
            Summary.final_value,
        ).join(Run, Run.id == Summary.run_id)
        stmt = self._filter(stmt, run_ids, experiment, indicators, Summary.indicator, all_code)
        return self._pivot(self._frame(stmt), list(_RUN_COLUMNS), "final_value", indicators)

    def _filter(
        self,
        stmt: Select,
        run_ids: list[int] | None,
        experiment: str | None,
        indicators: list[str] | None,
        indicator_column: Any,
        all_code: bool,
    ) -> Select:
        if run_ids is not None:
            stmt = stmt.where(Run.id.in_([int(i) for i in run_ids]))
        if experiment is not None:
            stmt = stmt.where(Run.experiment_id == self._experiment_id(experiment))
        if indicators is not None:
            # every stored run has a summary row per indicator: a far smaller table to scan
            known = {name for (name,) in self._rows(select(Summary.indicator).distinct())}
            if unknown := [name for name in indicators if name not in known]:
                raise StoreError(
                    f"unknown indicator(s) {', '.join(map(repr, unknown))}; the results store "
                    f"at {self.url} holds: {', '.join(sorted(known)) or '(none)'}"
                )
            stmt = stmt.where(indicator_column.in_(indicators))
        return self._this_code(stmt, all_code)

    @staticmethod
    def _pivot(
        long: pd.DataFrame, index: list[str], values: str, indicators: list[str] | None
    ) -> pd.DataFrame:
        columns = list(indicators) if indicators is not None else sorted(long["indicator"].unique())
        if long.empty:
            return pd.DataFrame(columns=[*index, *columns])
        long[values] = long[values].astype(np.float64)  # NULL → NaN
        wide = long.pivot(index=index, columns="indicator", values=values)
        wide = wide.reindex(columns=columns).reset_index()
        wide.columns.name = None
        return wide

    # -- export ----------------------------------------------------------------------------

    def export(self, table: str, path: Path, experiment: str | None = None, all_code: bool = False) -> Path:
        """Write a table to CSV or Parquet, chosen by the suffix of ``path``.

        Args:
            table: one of ``experiments``, ``runs``, ``panel``, ``summaries``.
            path: output file, ``.csv`` or ``.parquet``; its folder is created if missing.
            experiment: only this experiment.
            all_code: also runs made by other code than the store's.

        Returns:
            ``path``.

        Raises:
            StoreError: for an unknown table, suffix or experiment.
        """
        path = Path(path)
        if table not in EXPORT_TABLES:
            raise StoreError(f"cannot export {table!r}; tables are: {', '.join(EXPORT_TABLES)}")
        suffix = path.suffix.lower()
        if suffix not in EXPORT_SUFFIXES:
            raise StoreError(
                f"cannot export to {str(path)!r}: unknown suffix {path.suffix!r}; "
                f"use one of {', '.join(EXPORT_SUFFIXES)}"
            )
        if table == "experiments":
            frame = self.experiments()
            if experiment is not None:
                keep = frame["id"] == self._experiment_id(experiment)
                frame = frame[keep].reset_index(drop=True)
        elif table == "runs":
            frame = self.runs(experiment, all_code=all_code)
        else:
            frame = getattr(self, table)(experiment=experiment, all_code=all_code)  # panel or summaries
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        return path

    # -- lifetime --------------------------------------------------------------------------

    # -- posterior ensembles -----------------------------------------------------------------

    def save_calibration(
        self,
        name: str,
        experiment: str,
        spec: dict,
        particles: pd.DataFrame,
        generations: pd.DataFrame,
        n_simulations: int,
        wall_seconds: float,
    ) -> int:
        """Store a posterior ensemble under ``name``, replacing one stored before by that name.

        Everything is one transaction: a reader sees the old ensemble or the new one, never a mix.

        Args:
            name: the ensemble's name (``countysim calibration show NAME``).
            experiment: the experiment whose runs are its simulations.
            spec: the settings (JSON-serialisable): base, parameters, targets, method.
            particles: one row per parameter set: ``weight``, ``parameters`` (dict of key path →
                value) and ``statistics`` (dict of target → the model's value).
            generations: one row per generation: ``generation, epsilon, n_evaluations, n_accepted``.
            n_simulations: simulations the calibration asked for (runs, replications included).
            wall_seconds: its wall time, this invocation.

        Returns:
            The ensemble's id.

        Raises:
            StoreError: if the name is too long or the database fails.
        """
        if message := _too_long("experiment name", name):
            raise StoreError(message.replace("experiment name", "calibration name"))

        def write(conn: Connection) -> int:
            conn.execute(Calibration.__table__.delete().where(Calibration.name == name))
            cal_id = conn.execute(
                insert(Calibration).returning(Calibration.id),
                [{"name": name, "experiment": experiment, "created_at": utcnow(),
                  "code_fingerprint": self.fingerprint, "git_commit": self.commit,
                  "n_simulations": int(n_simulations), "wall_seconds": float(wall_seconds),
                  "spec_json": _json(spec)}],
            ).scalar_one()  # fmt: skip
            rows = [
                {"calibration_id": cal_id, "particle": i, "weight": float(p.weight),
                 "parameters_json": _json(p.parameters), "statistics_json": _json(p.statistics)}
                for i, p in enumerate(particles.itertuples())
            ]  # fmt: skip
            if rows:
                conn.execute(insert(CalibrationParticle.__table__), rows)
            gens = [
                {"calibration_id": cal_id, "generation": int(g.generation),
                 "epsilon": None if not np.isfinite(g.epsilon) else float(g.epsilon),
                 "n_evaluations": int(g.n_evaluations), "n_accepted": int(g.n_accepted)}
                for g in generations.itertuples()
            ]  # fmt: skip
            if gens:
                conn.execute(insert(CalibrationGeneration.__table__), gens)
            return cal_id

        try:
            return self._write(write)
        except SQLAlchemyError as exc:
            raise StoreError(self._failed(f"storing calibration {name!r}", exc)) from exc

    def calibrations(self) -> pd.DataFrame:
        """One row per stored posterior ensemble, oldest first.

        Columns: ``id, name, experiment, created_at, n_particles, n_generations, n_simulations,
        wall_seconds, code_fingerprint, git_commit``.
        """
        particles = (
            select(CalibrationParticle.calibration_id, func.count().label("n"))
            .group_by(CalibrationParticle.calibration_id)
            .subquery()
        )
        generations = (
            select(CalibrationGeneration.calibration_id, func.count().label("n"))
            .group_by(CalibrationGeneration.calibration_id)
            .subquery()
        )
        stmt = (
            select(
                Calibration.id, Calibration.name, Calibration.experiment, Calibration.created_at,
                func.coalesce(particles.c.n, 0).label("n_particles"),
                func.coalesce(generations.c.n, 0).label("n_generations"),
                Calibration.n_simulations, Calibration.wall_seconds, Calibration.code_fingerprint,
                Calibration.git_commit,
            )
            .outerjoin(particles, particles.c.calibration_id == Calibration.id)
            .outerjoin(generations, generations.c.calibration_id == Calibration.id)
            .order_by(Calibration.id)
        )  # fmt: skip
        return self._frame(stmt)

    def calibration(self, name: str) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
        """A stored ensemble: its record (settings in ``spec``), its particles and its generations.

        Returns:
            ``(record, particles, generations)``: ``record`` has the ``calibration`` table's
            columns with ``spec`` parsed; ``particles`` the columns ``weight, parameters,
            statistics`` (dicts); ``generations`` ``generation, epsilon, n_evaluations, n_accepted``.

        Raises:
            StoreError: if no ensemble has that name (listing those stored).
        """
        found = self._frame(select(Calibration).where(Calibration.name == name))
        if found.empty:
            known = [n for (n,) in self._rows(select(Calibration.name).order_by(Calibration.id))]
            raise StoreError(
                f"no calibration named {name!r} in the results store at {self.url}; it holds: "
                f"{', '.join(known) or '(none: run countysim calibrate first)'}"
            )
        record = found.iloc[0].to_dict()
        record["spec"] = json.loads(record.pop("spec_json"))
        cal_id = int(record["id"])
        particles = self._frame(
            select(
                CalibrationParticle.weight,
                CalibrationParticle.parameters_json,
                CalibrationParticle.statistics_json,
            )
            .where(CalibrationParticle.calibration_id == cal_id)
            .order_by(CalibrationParticle.index)
        )
        particles = pd.DataFrame(
            {
                "weight": particles["weight"].astype(float) if not particles.empty else [],
                "parameters": [json.loads(t) for t in particles.get("parameters_json", [])],
                "statistics": [json.loads(t) for t in particles.get("statistics_json", [])],
            }
        )
        generations = self._frame(
            select(
                CalibrationGeneration.generation,
                CalibrationGeneration.epsilon,
                CalibrationGeneration.n_evaluations,
                CalibrationGeneration.n_accepted,
            )
            .where(CalibrationGeneration.calibration_id == cal_id)
            .order_by(CalibrationGeneration.generation)
        )
        return record, particles, generations

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResultsStore({self.url!r})"
