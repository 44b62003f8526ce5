"""Per-connection database settings that the schema alone cannot carry.

SQLite needs three things on every connection to be a sound multi-process store: WAL so
readers never block the writer, enforced foreign keys (off by default in SQLite), and a busy
timeout so a writer waits for the lock instead of failing at once.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Apply the SQLite pragmas; other drivers are left alone."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_connection_settings() -> None:
    """Register the connect hook once for every engine the process creates."""
    if not sa.event.contains(sa.engine.Engine, "connect", _configure_sqlite):
        sa.event.listen(sa.engine.Engine, "connect", _configure_sqlite)
