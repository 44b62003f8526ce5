"""Sybil guards on open links: no answers from a staff browser, few answers per device a day.

An open link takes answers from anyone who has it, so one person can answer several times
and, knowing their own answers, subtract them from a group's figures (issue 16, point 5).
These guards raise the cost of that: a browser signed in to the staff side is refused, and
a device (the open-link device cookie of `services.kiosk`) submits through one link at most
DEVICE_DAILY_LIMIT times in 24 hours, or KIOSK_DAILY_LIMIT on a shared kiosk. Neither stops a
determined person with a private window; docs/privacy.md says what does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Draft
from surveyapp.models.base import utcnow
from surveyapp.services.staff_sessions import live_session

DEVICE_DAILY_LIMIT = 1  # one person's own phone or computer answers once
KIOSK_DAILY_LIMIT = 100  # a shared tablet at a site: a day of colleagues, one at a time
LIMIT_WINDOW = timedelta(hours=24)


def staff_browser(session: Session, secret: str | None) -> bool:
    """Whether the browser's staff cookie secret belongs to a live staff session."""
    return bool(secret) and live_session(session, str(secret)) is not None


def daily_limit(kiosk: bool) -> int:
    """How many submissions a device may make through one open link in LIMIT_WINDOW."""
    return KIOSK_DAILY_LIMIT if kiosk else DEVICE_DAILY_LIMIT


def device_at_limit(
    session: Session,
    open_link_id: int,
    device_hash: str | None,
    kiosk: bool,
    now: datetime | None = None,
) -> bool:
    """Whether the device already submitted its daily share through this link.

    Every submission of the device counts, kiosk or not, so switching a phone to kiosk mode
    buys at most the kiosk's bound. A draft without a device (begun before devices were
    recorded) is not limited.
    """
    if device_hash is None:
        return False
    since = (now or utcnow()) - LIMIT_WINDOW
    submitted = session.scalar(
        sa.select(sa.func.count())
        .select_from(Draft)
        .where(
            Draft.open_link_id == open_link_id,
            Draft.device_hash == device_hash,
            Draft.submitted.is_(True),
            Draft.updated_at > since,
        )
    )
    return (submitted or 0) >= daily_limit(kiosk)
