"""Shared devices: a kiosk's drafts are bound to the device, and a new person ends them.

A browser opened on `/o/<code>?kiosk=1` gets a device cookie (a random token; the database
keeps only its hash on the drafts begun there). When someone starts on that device, every
unfinished draft begun there before is deleted, so the browser's history (Back, the address
bar) leads the next person to no earlier answers; "Start over / I'm done" ends one at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Draft
from surveyapp.services.tokens import TOKEN_BYTES, hash_token, new_token

DEVICE_COOKIE = "surveyapp_kiosk"
DEVICE_COOKIE_SECONDS = 400 * 24 * 3600  # as long as browsers keep a cookie


def device_token(cookie: str | None) -> str:
    """The device's token from its cookie, or a new one for a device seen the first time."""
    if cookie and 32 <= len(cookie) <= 2 * TOKEN_BYTES:
        return cookie
    return new_token()


def end_device_drafts(session: Session, device: str) -> int:
    """Delete every unfinished draft begun on this device; how many there were."""
    ended = session.execute(
        sa.delete(Draft).where(Draft.device_hash == hash_token(device), Draft.submitted.is_(False))
    )
    return ended.rowcount


def end_draft(session: Session, draft_id: int) -> None:
    """'Start over / I'm done' on a kiosk: the draft and its answers go now."""
    session.execute(sa.delete(Draft).where(Draft.id == draft_id, Draft.submitted.is_(False)))
