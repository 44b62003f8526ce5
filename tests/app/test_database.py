"""SQLite writers queue on the writers' lock file, not in SQLite's sleeping busy handler.

Two processes or threads that write take turns through an exclusive `flock` beside the
database, held from BEGIN IMMEDIATE until the connection goes back to the pool; a thread
that already holds it and opens a second writing connection must not wait for itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp.database import WRITER_OPTION
from surveyapp.extensions import db
from surveyapp.services.transaction import begin_writing


def _lock_file(app) -> Path:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the writers' lock is SQLite's")
    return Path(f"{url.removeprefix('sqlite:///')}-writer")


def _free(lock: Path) -> bool:
    """Whether another process could take the writers' lock now."""
    descriptor = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return True
    finally:
        os.close(descriptor)


def test_a_writer_holds_the_lock_until_its_commit_and_readers_never_take_it(app):
    lock = _lock_file(app)
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # a reader
        assert _free(lock)
        db.session.rollback()
        begin_writing()
        db.session.execute(sa.text("UPDATE org_units SET name = name WHERE id = -1"))
        assert not _free(lock)
        db.session.commit()
        assert _free(lock)
        begin_writing()
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
        assert _free(lock)


def test_a_second_writer_waits_for_the_first_and_goes_on_the_moment_it_commits(app):
    lock = _lock_file(app)
    first_holds, second_done = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with app.app_context():
            begin_writing()
            db.session.execute(sa.text("SELECT 1"))
            first_holds.set()
            time.sleep(0.3)
            order.append("first commits")
            db.session.commit()

    def second() -> None:
        first_holds.wait()
        with app.app_context():
            begin_writing()
            db.session.execute(sa.text("SELECT 1"))
            order.append("second writes")
            db.session.commit()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert second_done.is_set()
    assert order == ["first commits", "second writes"]
    assert _free(lock)


def test_a_thread_holding_the_lock_does_not_wait_for_itself(app):
    _lock_file(app)
    with app.app_context():
        begin_writing()
        db.session.execute(sa.text("SELECT 1"))
        db.session.commit()
        with db.engine.connect() as other:  # a second connection of the same thread, reading
            assert other.execute(sa.text("SELECT 1")).scalar_one() == 1
        begin_writing()
        db.session.execute(sa.text("SELECT 1"))
        writer = db.engine.connect()
        writer.connection.driver_connection.execute("PRAGMA busy_timeout = 100")
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            writer.execution_options(**{WRITER_OPTION: True}).execute(sa.text("SELECT 1"))
        writer.close()
        assert time.monotonic() - started < 5  # SQLite's busy timeout, not an endless wait
        db.session.rollback()
