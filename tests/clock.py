"""Time passing, for tests: every stored moment moved back is the app's clock moved forward.

Moving the rows rather than the clock lets the app run with its real `utcnow()` everywhere
(views, services, SQL comparisons), on SQLite and PostgreSQL alike, and it sends every stored
moment through UTCDateTime both ways: read as aware datetimes, written back as UTC.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from surveyapp.extensions import db
from surveyapp.models.base import UTCDateTime


def advance(app: Flask, by: timedelta) -> None:
    """Make `by` pass for everything the database remembers (sessions, tokens, drafts, mail)."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            moments = [column for column in table.c if isinstance(column.type, UTCDateTime)]
            if not moments:
                continue
            keys = list(table.primary_key.columns)
            for row in db.session.execute(sa.select(*keys, *moments)).mappings().all():
                earlier = {
                    column.name: row[column] - by for column in moments if row[column] is not None
                }
                if earlier:
                    where = [key == row[key] for key in keys]
                    db.session.execute(table.update().where(*where).values(earlier))
        db.session.commit()
