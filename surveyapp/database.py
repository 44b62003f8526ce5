"""Per-connection database settings that the schema alone cannot carry.

SQLite needs four things on every connection to be a sound multi-process store: WAL so
readers never block the writer, enforced foreign keys (off by default in SQLite), a busy
timeout so a writer waits for the lock instead of failing at once, and transactions that
SQLAlchemy begins itself. The last lets a write transaction start as `BEGIN IMMEDIATE`: a
deferred transaction that reads and then writes fails with "database is locked" at once when
another worker wrote in between, whatever the busy timeout (security.md, E1).

Server connections (PostgreSQL) are checked before use only after they sat idle in the pool,
which is when a database restart may have cut them: a check on every checkout is one more
round trip on every request of a busy server, whose connections are never idle for long.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITER_OPTION = "surveyapp_writer"  # execution option: this transaction will write
IDLE_PING_SECONDS = 2.0  # a server connection idle this long is checked before use
IDLE_SINCE = "surveyapp_idle_since"  # key in a pooled connection's `info`


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Apply the SQLite pragmas; other drivers are left alone."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed, not left in free space
    cursor.close()
    dbapi_connection.isolation_level = None  # the driver no longer issues BEGIN by itself


def _begin_sqlite(connection: sa.Connection) -> None:
    """Begin SQLite transactions ourselves: IMMEDIATE for writers, DEFERRED for readers."""
    if connection.dialect.name != "sqlite":
        return
    writer = connection.get_execution_options().get(WRITER_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def _note_idle(_dbapi_connection: Any, record: sa.pool.ConnectionPoolEntry) -> None:
    record.info[IDLE_SINCE] = time.monotonic()


def _ping_after_idle(
    dbapi_connection: Any, record: sa.pool.ConnectionPoolEntry, _proxy: Any
) -> None:
    """Check a server connection that has been idle; a dead one is replaced by the pool.

    Raising DisconnectionError makes the pool discard the connection and connect again
    (SQLAlchemy's documented pessimistic recipe). The ping's transaction is rolled back so
    the request starts on a clean connection.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    idle_since = record.info.get(IDLE_SINCE)
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        raise sa.exc.DisconnectionError(f"connection lost while idle: {error}") from error


def install_connection_settings() -> None:
    """Register the hooks once for every engine and pool the process creates."""
    if not sa.event.contains(sa.engine.Engine, "connect", _configure_sqlite):
        sa.event.listen(sa.engine.Engine, "connect", _configure_sqlite)
        sa.event.listen(sa.engine.Engine, "begin", _begin_sqlite)
        sa.event.listen(sa.pool.Pool, "checkin", _note_idle)
        sa.event.listen(sa.pool.Pool, "checkout", _ping_after_idle)
