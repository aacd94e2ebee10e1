"""Results store: SQLAlchemy tables and ``ResultsStore`` (SQLite by default, PostgreSQL by URL)."""

from countysim.store.store import DEFAULT_DB_URL, ResultsStore, StoreError, resolve_db_url

__all__ = ["DEFAULT_DB_URL", "ResultsStore", "StoreError", "resolve_db_url"]
