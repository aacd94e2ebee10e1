"""``ResultsStore``: where finished runs go, and where every analysis reads them from.

The store never imports the model: it takes ``RunResult`` objects and hands back pandas tables.
Only the experiment driver writes, in batches, each batch in one transaction, so the store never
holds a half-written run.
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import pandas as pd
from sqlalchemy import (
    URL,
    Engine,
    Select,
    create_engine,
    event,
    func,
    make_url,
    select,
)
from sqlalchemy.exc import IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from countysim.store.schema import Base, Experiment, IndicatorValue, Run, Summary, utcnow

if TYPE_CHECKING:
    from countysim.results import RunResult

DEFAULT_DB_URL = "sqlite:///results/countysim.db"
URL_FORMS = "sqlite:///path/to/file.db or postgresql+psycopg://user:pass@host:5432/db"
EXPORT_TABLES = ("experiments", "runs", "panel", "summaries")
EXPORT_SUFFIXES = (".csv", ".parquet")
_RUN_COLUMNS = ("run_id", "scenario_name", "scenario_hash", "seed")


class StoreError(Exception):
    """The results store cannot be opened, or was asked for something it cannot do."""


def resolve_db_url(url: str | None) -> str:
    """The database URL to use: ``url`` if given, else ``$COUNTYSIM_DB``, else the default.

    Args:
        url: an explicit URL (e.g. from ``--db``); ``None`` or empty to fall back.

    Returns:
        The URL string, unparsed.
    """
    return url or os.environ.get("COUNTYSIM_DB") or DEFAULT_DB_URL


def _code_version() -> str:
    try:
        return version("countysim")
    except PackageNotFoundError:
        return "unknown"


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


def _validate(result: RunResult) -> None:
    """Raise ``StoreError`` if ``result`` is not a well-formed panel."""
    where = f"run {result.scenario_name!r} (hash {result.scenario_hash}, seed {result.seed})"
    values = np.asarray(result.values)
    expected = (len(result.months), len(result.indicators))
    if values.shape != expected or 0 in expected:
        raise StoreError(
            f"{where}: values have shape {values.shape} but months × indicators is {expected} "
            "(both must be non-empty); nothing of this batch was saved"
        )
    if len(set(result.indicators)) != len(result.indicators):
        raise StoreError(f"{where}: indicator names repeat; nothing of this batch was saved")


class ResultsStore:
    """A results database: SQLite file by default, PostgreSQL by URL.

    Runs are keyed by (experiment, scenario hash, seed). Saving a run whose key is already
    ``done`` is a no-op (the stored run is kept), which is what lets an interrupted experiment
    resume by simply saving everything again; a ``failed`` run is replaced by a later success.

    Example:
        >>> with ResultsStore("sqlite:///results/countysim.db") as store:  # doctest: +SKIP
        ...     store.save_run(result, experiment="baseline")
        ...     store.panel(experiment="baseline")
    """

    def __init__(self, url: str | None = None) -> None:
        """Open (and if needed create) the store, testing the connection now.

        Args:
            url: SQLAlchemy URL; ``None`` means ``$COUNTYSIM_DB`` or ``DEFAULT_DB_URL``.
                ``postgresql://`` is taken to mean the psycopg 3 driver.

        Raises:
            StoreError: if the URL cannot be parsed, its driver loaded, its folder created, or
                the database reached.
        """
        raw = resolve_db_url(url)
        self.url = _mask(raw)
        self._password: str | None = None
        try:
            parsed = make_url(raw)
        except SQLAlchemyError as exc:
            raise self._error("the URL cannot be parsed", exc) from None
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed.render_as_string(hide_password=True)
        self._password = parsed.password

        try:
            self._engine = self._make_engine(parsed)
        except NoSuchModuleError:
            raise self._error(f"no database driver is known as {parsed.drivername!r}") from None
        except (SQLAlchemyError, ImportError) as exc:
            raise self._error("the database driver cannot be loaded", exc) from None
        try:
            # create_all connects, so a bad server fails here, before any run starts
            Base.metadata.create_all(self._engine)
        except (SQLAlchemyError, OSError) as exc:
            self._engine.dispose()
            raise self._error("cannot connect or create the tables", exc) from None
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def _make_engine(self, url: URL) -> Engine:
        if url.get_backend_name() != "sqlite":
            connect_args = {"connect_timeout": 5} if url.get_backend_name() == "postgresql" else {}
            return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            try:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._error("cannot create the database's folder", exc) from None
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers (notebooks, reports) work while a sweep writes
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine

    def _error(self, what: str, exc: BaseException | None = None) -> StoreError:
        detail = ""
        if exc is not None:
            detail = str(getattr(exc, "orig", None) or exc)
            if self._password:
                detail = detail.replace(self._password, "***")
            detail = ": " + " ".join(detail.split())
        end = "" if detail.endswith((".", "?", "!")) else "."
        return StoreError(
            f"cannot open the results store at {self.url}: {what}{detail}{end} "
            f"Give a URL of the form {URL_FORMS} (with --db or the COUNTYSIM_DB environment "
            "variable)."
        )

    # -- writing ---------------------------------------------------------------------------

    def experiment(self, name: str, kind: str = "run", spec: dict | None = None) -> int:
        """Get or create an experiment by name.

        An existing experiment is returned as it is (its kind and spec are not changed).

        Args:
            name: unique experiment name.
            kind: what made it, e.g. ``"run"``, ``"compare"``, ``"sweep"``.
            spec: the experiment's design, stored as JSON for the record.

        Returns:
            The experiment's id.
        """
        stmt = select(Experiment.id).where(Experiment.name == name)
        with self._sessions() as session:
            if (found := session.scalar(stmt)) is not None:
                return found
            row = Experiment(
                name=name,
                kind=kind,
                spec_json=None if spec is None else _json(spec),
                code_version=_code_version(),
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                # another writer created it between our select and insert
                session.rollback()
                return session.scalars(stmt).one()
            return row.id

    def done_keys(self, experiment_id: int) -> set[tuple[str, int]]:
        """The ``(scenario_hash, seed)`` keys of the experiment's finished runs."""
        stmt = select(Run.scenario_hash, Run.seed).where(
            Run.experiment_id == experiment_id, Run.status == "done"
        )
        with self._sessions() as session:
            return {(h, int(s)) for h, s in session.execute(stmt)}

    def save_runs(self, experiment_id: int, results: list[RunResult]) -> None:
        """Save finished runs, all or nothing.

        Keys already ``done`` (in the store or earlier in ``results``) are skipped; ``failed``
        or ``running`` rows with the same key are replaced.

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
        try:
            with self._sessions.begin() as session:
                existing = {
                    (row.scenario_hash, int(row.seed)): row
                    for row in session.scalars(
                        select(Run).where(
                            Run.experiment_id == experiment_id,
                            Run.scenario_hash.in_(sorted({r.scenario_hash for r in results})),
                        )
                    )
                }
                ids: list[int] = []
                for result in results:
                    key = (result.scenario_hash, int(result.seed))
                    old = existing.get(key)
                    if old is not None and old.status == "done":
                        ids.append(old.id)
                        continue
                    _validate(result)
                    if old is not None:
                        session.delete(old)
                        session.flush()
                    run = self._run_row(experiment_id, result)
                    session.add(run)
                    session.flush()  # assigns run.id
                    existing[key] = run
                    ids.append(run.id)
                    self._insert_values(session, run.id, result)
                return ids
        except SQLAlchemyError as exc:
            raise StoreError(
                f"the results store at {self.url} rejected a batch of {len(results)} runs; "
                f"nothing of it was saved: {' '.join(str(exc).split())}"
            ) from exc

    @staticmethod
    def _run_row(experiment_id: int, result: RunResult) -> Run:
        # the store only sees results once they are back, so the start is inferred
        finished = utcnow()
        return Run(
            experiment_id=experiment_id,
            scenario_name=result.scenario_name,
            scenario_hash=result.scenario_hash,
            seed=int(result.seed),
            status="done",
            started_at=finished - timedelta(seconds=float(result.wall_seconds)),
            finished_at=finished,
            wall_seconds=float(result.wall_seconds),
            persons=int(result.persons),
            months=len(result.months),
            code_version=result.code_version,
            scenario_json=result.scenario_json,
            meta_json=_json(result.meta),
        )

    @staticmethod
    def _insert_values(session: Session, run_id: int, result: RunResult) -> None:
        values = np.asarray(result.values, dtype=np.float64)
        n_months, n_ind = values.shape
        # column-major flattening matches repeating indicators and tiling months; plain tuples
        # through the driver's executemany: the store is the single writer, keep it quick
        rows = list(
            zip(
                [run_id] * (n_months * n_ind),
                np.repeat(np.asarray(result.indicators, dtype=object), n_months).tolist(),
                np.tile(np.arange(n_months), n_ind).tolist(),
                list(result.months) * n_ind,
                _nulls(values.ravel(order="F")),
                strict=True,
            )
        )
        finals = list(zip([run_id] * n_ind, result.indicators, _nulls(values[-1]), strict=True))
        conn = session.connection()
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            "INSERT INTO indicator_value (run_id, indicator, month_index, month, value) "
            f"VALUES ({', '.join([mark] * 5)})",
            rows,
        )
        conn.exec_driver_sql(
            f"INSERT INTO summary (run_id, indicator, final_value) VALUES ({mark}, {mark}, {mark})", finals
        )

    def save_failure(
        self,
        experiment_id: int,
        scenario_name: str,
        scenario_hash: str,
        seed: int,
        error: str,
        scenario_json: str = "",
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
        """
        with self._sessions.begin() as session:
            run = session.scalars(
                select(Run).where(
                    Run.experiment_id == experiment_id,
                    Run.scenario_hash == scenario_hash,
                    Run.seed == int(seed),
                )
            ).one_or_none()
            if run is not None and run.status == "done":
                return
            if run is None:
                run = Run(experiment_id=experiment_id, scenario_hash=scenario_hash, seed=int(seed))
                session.add(run)
            run.scenario_name = scenario_name
            run.status = "failed"
            run.error = error
            run.scenario_json = scenario_json
            run.finished_at = utcnow()
            run.code_version = _code_version()

    def save_run(self, result: RunResult, experiment: str = "default") -> int:
        """Save one run under an experiment (created with kind ``"run"`` if missing).

        Returns:
            The run's id (the stored run's id if this key was already done).
        """
        return self._save_runs(self.experiment(experiment, kind="run"), [result])[0]

    # -- reading ---------------------------------------------------------------------------

    def _frame(self, stmt: Select) -> pd.DataFrame:
        with self._engine.connect() as conn:
            rows = conn.execute(stmt)
            # plain tuples: pandas probes Row objects attribute by attribute, which is slow
            return pd.DataFrame([tuple(r) for r in rows], columns=list(rows.keys()))

    def _experiment_id(self, name: str) -> int:
        with self._sessions() as session:
            found = session.scalar(select(Experiment.id).where(Experiment.name == name))
            if found is None:
                known = session.scalars(select(Experiment.name).order_by(Experiment.id)).all()
                raise StoreError(
                    f"no experiment named {name!r} in the results store at {self.url}; "
                    f"it holds: {', '.join(known) or '(none)'}"
                )
            return found

    def experiment_spec(self, name: str) -> dict | None:
        """The description stored with an experiment (its design, settings), or None.

        Raises:
            StoreError: if ``name`` names no experiment.
        """
        exp_id = self._experiment_id(name)
        with self._sessions() as session:
            text = session.scalar(select(Experiment.spec_json).where(Experiment.id == exp_id))
        return None if text is None else json.loads(text)

    def experiments(self) -> pd.DataFrame:
        """One row per experiment: id, name, kind, created_at, n_runs, n_done, n_failed."""
        stmt = (
            select(
                Experiment.id,
                Experiment.name,
                Experiment.kind,
                Experiment.created_at,
                func.count(Run.id).label("n_runs"),
                func.count(Run.id).filter(Run.status == "done").label("n_done"),
                func.count(Run.id).filter(Run.status == "failed").label("n_failed"),
            )
            .outerjoin(Run, Run.experiment_id == Experiment.id)
            .group_by(Experiment.id, Experiment.name, Experiment.kind, Experiment.created_at)
            .order_by(Experiment.id)
        )
        return self._frame(stmt)

    def runs(self, experiment: str | None = None) -> pd.DataFrame:
        """One row per run (scenario and meta JSON left out), optionally of one experiment.

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
                Run.error,
            )
            .join(Experiment, Experiment.id == Run.experiment_id)
            .order_by(Run.id)
        )
        if experiment is not None:
            stmt = stmt.where(Run.experiment_id == self._experiment_id(experiment))
        return self._frame(stmt)

    def panel(
        self,
        run_ids: list[int] | None = None,
        experiment: str | None = None,
        indicators: list[str] | None = None,
    ) -> pd.DataFrame:
        """Monthly indicator panel, wide.

        Args:
            run_ids: only these runs.
            experiment: only this experiment's runs.
            indicators: only these indicators, in this column order (default: all, sorted).

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
        stmt = self._filter(stmt, run_ids, experiment, indicators, IndicatorValue.indicator)
        index = [*_RUN_COLUMNS, "month_index", "month"]
        wide = self._pivot(self._frame(stmt), index, "value", indicators)
        return wide.drop(columns="month_index")

    def summaries(
        self,
        run_ids: list[int] | None = None,
        experiment: str | None = None,
        indicators: list[str] | None = None,
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
        stmt = self._filter(stmt, run_ids, experiment, indicators, Summary.indicator)
        return self._pivot(self._frame(stmt), list(_RUN_COLUMNS), "final_value", indicators)

    def _filter(
        self,
        stmt: Select,
        run_ids: list[int] | None,
        experiment: str | None,
        indicators: list[str] | None,
        indicator_column: Any,
    ) -> Select:
        if run_ids is not None:
            stmt = stmt.where(Run.id.in_([int(i) for i in run_ids]))
        if experiment is not None:
            stmt = stmt.where(Run.experiment_id == self._experiment_id(experiment))
        if indicators is not None:
            with self._sessions() as session:
                known = set(session.scalars(select(IndicatorValue.indicator).distinct()))
            if unknown := [name for name in indicators if name not in known]:
                raise StoreError(
                    f"unknown indicator(s) {', '.join(map(repr, unknown))}; the results store "
                    f"at {self.url} holds: {', '.join(sorted(known)) or '(none)'}"
                )
            stmt = stmt.where(indicator_column.in_(indicators))
        return stmt

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

    def export(self, table: str, path: Path, experiment: str | None = None) -> Path:
        """Write a table to CSV or Parquet, chosen by the suffix of ``path``.

        Args:
            table: one of ``experiments``, ``runs``, ``panel``, ``summaries``.
            path: output file, ``.csv`` or ``.parquet``; its folder is created if missing.
            experiment: only this experiment.

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
            frame = self.runs(experiment)
        else:
            frame = getattr(self, table)(experiment=experiment)  # panel or summaries
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        return path

    # -- lifetime --------------------------------------------------------------------------

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
