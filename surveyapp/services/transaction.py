"""One unit of work: commit when the block succeeds, roll back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
