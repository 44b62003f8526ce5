"""One unit of work: commit when the block succeeds, roll back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, scoped_session

from surveyapp.database import WRITER_OPTION
from surveyapp.extensions import db


@contextmanager
def atomic() -> Iterator[None]:
    """Run the block as one transaction of the app's session, so a failure changes nothing."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def begin_writing(session: Session | scoped_session | None = None) -> None:
    """Open the session's transaction (the app's, unless another is given) as a writer,
    before its first query.

    On SQLite this is `BEGIN IMMEDIATE`: the write lock is taken first, so two requests that
    both read and then write queue on the busy timeout instead of one failing. A session
    that already holds a connection would ignore the option, so that is a programming error.
    """
    target = db.session if session is None else session
    if isinstance(target, scoped_session):
        target = target()
    if target.in_transaction():
        raise RuntimeError("begin_writing() must come before the transaction's first query")
    target.connection(execution_options={WRITER_OPTION: True})


def read_without_transaction() -> None:
    """Let a request that only reads skip BEGIN and ROLLBACK on a server database.

    Under PostgreSQL's READ COMMITTED each statement takes its own snapshot whether or not a
    transaction spans them, so a read-only request gains nothing from one but two round
    trips. SQLite keeps its deferred transaction: it costs nothing in-process and gives the
    request's reads one snapshot.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
