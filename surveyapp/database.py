"""Per-connection database settings that the schema alone cannot carry.

SQLite needs four things on every connection to be a sound multi-process store: WAL so
readers never block the writer, enforced foreign keys (off by default in SQLite), a busy
timeout so a writer waits for the lock instead of failing at once, and transactions that
SQLAlchemy begins itself. The last lets a write transaction start as `BEGIN IMMEDIATE`: a
deferred transaction that reads and then writes fails with "database is locked" at once when
another worker wrote in between, whatever the busy timeout (docs/security.md, E1).

Server connections (PostgreSQL) are checked before use only after they sat idle in the pool,
which is when a database restart may have cut them: a check on every checkout is one more
round trip on every request of a busy server, whose connections are never idle for long.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from typing import Any

import sqlalchemy as sa

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITER_OPTION = "surveyapp_writer"  # execution option: this transaction will write
IDLE_PING_SECONDS = 2.0  # a server connection idle this long is checked before use
IDLE_SINCE = "surveyapp_idle_since"  # key in a pooled connection's `info`
WRITER_LOCK = "surveyapp_writer_lock"  # key: the connection's descriptor of the writers' lock
HOLDS_WRITER_LOCK = "surveyapp_holds_writer_lock"  # key: set while that lock is held
_thread = threading.local()  # .writing: this thread holds the writers' lock


def _configure_sqlite(dbapi_connection: Any, record: sa.pool.ConnectionPoolEntry) -> None:
    """Apply the SQLite pragmas and open the writers' lock file; other drivers are left alone."""
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
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    path = next((file for _seq, name, file in rows if name == "main"), "")
    if path:  # a file, not an in-memory database
        record.info[WRITER_LOCK] = os.open(f"{path}-writer", os.O_CREAT | os.O_RDWR, 0o600)


def _begin_sqlite(connection: sa.Connection) -> None:
    """Begin SQLite transactions ourselves: IMMEDIATE for writers, DEFERRED for readers.

    A writer first takes the writers' lock, an exclusive `flock` on a file beside the
    database, and keeps it until its connection goes back to the pool (right after the
    commit or rollback). Writers waiting on it wake the moment it is free; waiting on
    SQLite's own lock instead, a writer sleeps in SQLite's busy handler for 1, 2, 5, 10 ms
    and more at a time, so with two workers much of the time went to sleeping. A thread
    that holds the lock already (a second connection inside one unit of work) does not
    wait for it again, which would never end; it waits on SQLite's busy timeout as before.
    """
    if connection.dialect.name != "sqlite":
        return
    writer = connection.get_execution_options().get(WRITER_OPTION, False)
    lock = connection.info.get(WRITER_LOCK)
    if writer and lock is not None and not getattr(_thread, "writing", False):
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection.info[HOLDS_WRITER_LOCK] = _thread.writing = True
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def _release_writer_lock(_dbapi_connection: Any, record: sa.pool.ConnectionPoolEntry) -> None:
    """Give the writers' lock back as the connection returns to the pool."""
    if record.info.pop(HOLDS_WRITER_LOCK, False):
        fcntl.flock(record.info[WRITER_LOCK], fcntl.LOCK_UN)
        _thread.writing = False


def _close_writer_lock(_dbapi_connection: Any, record: sa.pool.ConnectionPoolEntry) -> None:
    _release_writer_lock(_dbapi_connection, record)
    lock = record.info.pop(WRITER_LOCK, None)
    if lock is not None:
        os.close(lock)


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
        sa.event.listen(sa.pool.Pool, "checkin", _release_writer_lock)
        sa.event.listen(sa.pool.Pool, "close", _close_writer_lock)
        sa.event.listen(sa.pool.Pool, "checkout", _ping_after_idle)
