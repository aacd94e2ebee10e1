"""Tables of the results store (SQLAlchemy 2 ORM).

One experiment holds many runs; a run is keyed by (experiment, scenario hash, seed). Indicator
series are stored long (one row per run × indicator × month) so that any subset can be queried
and pivoted without schema changes when indicators are added.
"""

from __future__ import annotations

from datetime import UTC, datetime

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
        UniqueConstraint("experiment_id", "scenario_hash", "seed", name="uq_run_key"),
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
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    scenario_json: Mapped[str] = mapped_column(Text, default="")
    meta_json: Mapped[str] = mapped_column(Text, default="{}")


class IndicatorValue(Base):
    """One indicator's value in one month of one run (NULL where the indicator is undefined)."""

    __tablename__ = "indicator_value"
    __table_args__ = (Index("ix_indicator_value_indicator", "indicator"),)

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
