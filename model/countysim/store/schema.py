"""Tables of the results store (SQLAlchemy 2 ORM).

One experiment holds many runs; a run is keyed by (experiment, scenario hash, seed, code
fingerprint): the same inputs run by other code are another run, so a store keeps the runs of
older code rather than reusing or overwriting them. Indicator series are stored long (one row
per run × indicator × month) so that any subset can be queried and pivoted without schema
changes when indicators are added.

``PREVIOUS_RUN_COLUMNS`` is the ``run`` table of the layout before code fingerprints; the store
migrates such a table when it opens it (``countysim.store.store``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

RUN_STATUSES = ("done", "failed", "running")
#: what identifies a run: the same scenario and seed made by other code is another run
RUN_KEY = ("experiment_id", "scenario_hash", "seed", "code_fingerprint")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so without this the same column would read back naive there
    and aware on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Convert to UTC before writing (naive values are taken to be UTC already)."""
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Attach UTC to naive values read back (SQLite)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of the results store's tables."""


class Experiment(Base):
    """A named set of runs (one ``run``, ``compare`` or ``sweep`` invocation, resumable)."""

    __tablename__ = "experiment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="run")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    spec_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    code_version: Mapped[str] = mapped_column(String(50), default="")


class Run(Base):
    """One run of one scenario with one seed, finished or failed."""

    __tablename__ = "run"
    __table_args__ = (
        UniqueConstraint(*RUN_KEY, name="uq_run_code_key"),
        Index("ix_run_experiment_status", "experiment_id", "status"),
        Index("ix_run_scenario_hash", "scenario_hash"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in RUN_STATUSES) + ")", name="ck_run_status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id", ondelete="CASCADE"))
    scenario_name: Mapped[str] = mapped_column(String(200))
    scenario_hash: Mapped[str] = mapped_column(String(64))
    # numpy seeds are often drawn from the full 63-bit range
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    wall_seconds: Mapped[float | None] = mapped_column(Double, nullable=True)
    persons: Mapped[int | None] = mapped_column(Integer, nullable=True)
    months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    code_version: Mapped[str] = mapped_column(String(50), default="")
    # countysim.version.code_fingerprint of the code that made the run ('' if not recorded)
    code_fingerprint: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # the git commit of that code, where known (None: not a checkout, or another process's code)
    git_commit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    scenario_json: Mapped[str] = mapped_column(Text, default="")
    meta_json: Mapped[str] = mapped_column(Text, default="{}")


class IndicatorValue(Base):
    """One indicator's value in one month of one run (NULL where the indicator is undefined).

    The largest table by far, written a run at a time and read by run: on SQLite its rows live
    in the primary key's b-tree (``WITHOUT ROWID``), and no other index is kept up to date on
    every insert (the indicators a store holds are looked up in ``summary``).
    """

    __tablename__ = "indicator_value"
    __table_args__: ClassVar[dict] = {"sqlite_with_rowid": False}

    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(100), primary_key=True)
    month_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    value: Mapped[float | None] = mapped_column(Double, nullable=True)


class Summary(Base):
    """One indicator's value in the last recorded month of one run."""

    __tablename__ = "summary"

    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(100), primary_key=True)
    final_value: Mapped[float | None] = mapped_column(Double, nullable=True)


#: the ``run`` table's columns in the layout before code fingerprints were stored
PREVIOUS_RUN_COLUMNS = frozenset(Run.__table__.columns.keys()) - {"code_fingerprint", "git_commit"}


class Calibration(Base):
    """A named posterior ensemble: what was fitted, to what, how, and by which code.

    ``spec_json`` holds the calibration file's settings (base scenario and its hash, parameters
    and priors, targets with values, uncertainties and sources, scale, replications, method);
    the particles and the sampler's generations are the two tables below.
    """

    __tablename__ = "calibration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    experiment: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    code_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    git_commit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    n_simulations: Mapped[int] = mapped_column(Integer, default=0)
    wall_seconds: Mapped[float | None] = mapped_column(Double, nullable=True)
    spec_json: Mapped[str] = mapped_column(Text, default="{}")


class CalibrationParticle(Base):
    """One parameter set of a posterior ensemble, its weight and the target statistics it gave."""

    __tablename__ = "calibration_particle"

    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("calibration.id", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column("particle", Integer, primary_key=True)
    weight: Mapped[float] = mapped_column(Double)
    parameters_json: Mapped[str] = mapped_column(Text)
    statistics_json: Mapped[str] = mapped_column(Text, default="{}")


class CalibrationGeneration(Base):
    """One generation of the sampler: its threshold ε, simulations and acceptance."""

    __tablename__ = "calibration_generation"

    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("calibration.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    epsilon: Mapped[float | None] = mapped_column(Double, nullable=True)
    n_evaluations: Mapped[int] = mapped_column(Integer)
    n_accepted: Mapped[int] = mapped_column(Integer)
