"""Staff sessions kept on the server: started at sign-in, checked on every request, endable.

The cookie carries only a random secret (signed by Flask); the database keeps its SHA-256
and decides whether it still counts. A session ends when its user signs out or ends it from
the sessions page, when an admin changes the user's password, role, units or deactivates
them, 8 hours after sign-in whatever happens, and after an hour without a request.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.config import SESSION_LIFETIME
from surveyapp.models import StaffSession
from surveyapp.models.base import utcnow
from surveyapp.services.tokens import hash_token, new_token

IDLE_TIMEOUT = timedelta(hours=1)  # a screen left signed in over lunch asks again
TOUCH_INTERVAL = timedelta(minutes=1)  # last_seen_at is kept to this precision, sparing writes
USER_AGENT_LENGTH = 200


def start_session(session: Session, user_id: int, user_agent: str) -> tuple[int, str]:
    """A new session for the user: its id, and the secret for the cookie (kept nowhere else).

    The user's sessions that are over are deleted here, so the table holds about one row
    per signed-in device rather than one per sign-in ever made.
    """
    now = utcnow()
    session.execute(sa.delete(StaffSession).where(StaffSession.user_id == user_id, over(now)))
    secret = new_token()
    row = StaffSession(
        user_id=user_id,
        token_hash=hash_token(secret),
        created_at=now,
        last_seen_at=now,
        user_agent=user_agent[:USER_AGENT_LENGTH],
    )
    session.add(row)
    session.flush()
    return row.id, secret


def over(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: the session has ended, reached its 8 hours, or sat idle past the timeout."""
    return sa.or_(
        StaffSession.ended_at.is_not(None),
        StaffSession.created_at <= now - SESSION_LIFETIME,
        StaffSession.last_seen_at <= now - IDLE_TIMEOUT,
    )


def is_live(row: StaffSession, now: datetime) -> bool:
    """Whether the session still counts (the Python twin of `over`, for one loaded row)."""
    return (
        row.ended_at is None
        and now - row.created_at < SESSION_LIFETIME
        and now - row.last_seen_at < IDLE_TIMEOUT
    )


def live_session(session: Session, secret: str) -> StaffSession | None:
    """The live session this cookie secret belongs to, with an active user; else None."""
    digest = hash_token(secret)
    row = session.scalar(sa.select(StaffSession).where(StaffSession.token_hash == digest))
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if not is_live(row, utcnow()) or not row.user.active:
        return None
    return row


def seen_is_stale(row: StaffSession) -> bool:
    """Whether the session's last request is older than TOUCH_INTERVAL."""
    return row.last_seen_at < utcnow() - TOUCH_INTERVAL


def touch_session(session: Session, session_id: int) -> None:
    """Record a request now; like API tokens, run first in a writer transaction."""
    now = utcnow()
    session.execute(
        sa.update(StaffSession)
        .where(
            StaffSession.id == session_id,
            StaffSession.ended_at.is_(None),
            StaffSession.last_seen_at < now - TOUCH_INTERVAL,
        )
        .values(last_seen_at=now)
    )


def end_session(session: Session, user_id: int, session_id: int, because: str) -> bool:
    """End one of the user's own sessions; False when it is not theirs or already over."""
    ended = _end(session, because, StaffSession.user_id == user_id, StaffSession.id == session_id)
    return ended == 1


def end_secret(session: Session, secret: str, because: str) -> None:
    """End the session whose cookie secret this is (signing out)."""
    _end(session, because, StaffSession.token_hash == hash_token(secret))


def end_user_sessions(
    session: Session, user_id: int, because: str, keep_id: int | None = None
) -> int:
    """End every live session of the user (but `keep_id`); how many were ended."""
    where = [StaffSession.user_id == user_id]
    if keep_id is not None:
        where.append(StaffSession.id != keep_id)
    return _end(session, because, *where)


def _end(session: Session, because: str, *where: sa.ColumnElement[bool]) -> int:
    result = session.execute(
        sa.update(StaffSession)
        .where(*where, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_because=because)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def live_sessions(session: Session, user_id: int) -> list[StaffSession]:
    """The user's sessions that still count, most recently used first."""
    return list(
        session.scalars(
            sa.select(StaffSession)
            .where(StaffSession.user_id == user_id, sa.not_(over(utcnow())))
            .order_by(StaffSession.last_seen_at.desc(), StaffSession.id.desc())
        )
    )
