"""One rule for moments on every database: stored as UTC, read back aware, naive refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from surveyapp.extensions import db
from surveyapp.models import ApiToken, Base, User
from surveyapp.models.base import UTCDateTime, utcnow
from surveyapp.services.api_tokens import create_api_token
from surveyapp.services.users import create_user

PASSWORD = "correct horse battery staple"


@pytest.fixture
def token(app):
    with app.app_context():
        user = create_user(db.session, "ops@example.org", "hr", [], PASSWORD)
        issued = create_api_token(db.session, user, "sync")
        db.session.commit()
        yield issued.token.id
        db.session.rollback()


def test_every_datetime_column_uses_the_one_rule():
    for table in Base.metadata.sorted_tables:
        for column in table.c:
            if isinstance(column.type, sa.DateTime):
                raise AssertionError(f"{table.name}.{column.name} is a plain DateTime")


def test_moments_come_back_aware_in_utc_through_the_orm_and_core(app, token):
    tokyo = timezone(timedelta(hours=9))
    written = datetime(2026, 3, 1, 9, 30, tzinfo=tokyo)  # 00:30 UTC
    token_row = db.session.get(ApiToken, token)
    token_row.last_used_at = written
    db.session.commit()
    db.session.expire_all()

    read = db.session.get(ApiToken, token).last_used_at
    core = db.session.execute(sa.select(ApiToken.__table__.c.last_used_at)).scalar_one()
    assert read == core == written
    assert read.tzinfo is UTC and core.tzinfo is UTC and read.hour == 0
    created = db.session.get(User, db.session.get(ApiToken, token).user_id).created_at
    assert created.tzinfo is UTC and abs(utcnow() - created) < timedelta(minutes=1)


def test_stored_moments_order_by_the_instant_not_the_wall_clock(app, token):
    """Two moments typed in different zones compare in SQL by when they happened."""
    early = datetime(2026, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=9)))  # 23:00 UTC before
    late = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    token_row = db.session.get(ApiToken, token)
    token_row.last_used_at = early
    token_row.revoked_at = late
    db.session.commit()
    found = db.session.scalar(
        sa.select(sa.func.count()).where(ApiToken.last_used_at < ApiToken.revoked_at)
    )
    before = db.session.scalar(
        sa.select(sa.func.count()).where(ApiToken.last_used_at < datetime(2026, 3, 1, tzinfo=UTC))
    )
    assert (found, before) == (1, 1)


def test_a_naive_datetime_is_refused_when_written(app, token):
    db.session.get(ApiToken, token).last_used_at = datetime(2026, 3, 1, 9, 30)
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    assert UTCDateTime().process_bind_param(None, db.engine.dialect) is None
