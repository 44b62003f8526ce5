"""Per-connection database settings that the schema alone cannot carry.

SQLite needs four things on every connection to be a sound multi-process store: WAL so
readers never block the writer, enforced foreign keys (off by default in SQLite), a busy
timeout so a writer waits for the lock instead of failing at once, and transactions that
SQLAlchemy begins itself. The last lets a write transaction start as `BEGIN IMMEDIATE`: a
deferred transaction that reads and then writes fails with "database is locked" at once when
another worker wrote in between, whatever the busy timeout (security.md, E1).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITER_OPTION = "surveyapp_writer"  # execution option: this transaction will write


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
    dbapi_connection.isolation_level = None  # the driver no longer issues BEGIN by itself


def _begin_sqlite(connection: sa.Connection) -> None:
    """Begin SQLite transactions ourselves: IMMEDIATE for writers, DEFERRED for readers."""
    if connection.dialect.name != "sqlite":
        return
    writer = connection.get_execution_options().get(WRITER_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def install_connection_settings() -> None:
    """Register the hooks once for every engine the process creates."""
    if not sa.event.contains(sa.engine.Engine, "connect", _configure_sqlite):
        sa.event.listen(sa.engine.Engine, "connect", _configure_sqlite)
        sa.event.listen(sa.engine.Engine, "begin", _begin_sqlite)
