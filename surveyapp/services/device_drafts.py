"""An open-link draft on someone's own device: scanning the same QR code again resumes it.

An open link is one address for a whole unit, so it cannot say whose draft to open; the
browser's device cookie can (`services.kiosk`: a random 256-bit token of which the database
keeps only the hash). A draft begun outside kiosk mode gets a token that is not drawn at
random but made from that cookie: HMAC-SHA256 under the device token of a random salt kept on
the draft. The browser that began the draft can therefore make its token again, and the
database alone cannot (it holds the salt and the device's hash, never the device token). The
draft's answers stay sealed under the draft token as every draft's are (services/sealing.py),
so resuming needs nothing stored that a copy of the database could use.

A kiosk draft keeps a random token and is never resumed: on a shared device the next person
must not land in the last person's answers, and a kiosk start ends the device's drafts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Draft
from surveyapp.models.base import utcnow
from surveyapp.services.tokens import SALT_BYTES, hash_token
from surveyapp.services.visits import draft_expired

PURPOSE = b"surveyapp open draft on a device:"


def new_resume_salt() -> str:
    """The random part of a device draft's token, kept on the draft."""
    return secrets.token_hex(SALT_BYTES)


def device_draft_token(device: str, salt: str) -> str:
    """The token of the draft begun with `salt` on the device whose cookie token is `device`."""
    digest = hmac.new(device.encode(), PURPOSE + salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def resumable_token(
    session: Session, open_link_id: int, device: str, now: datetime | None = None
) -> str | None:
    """The token of the device's latest unfinished draft through this link, if it has one.

    Only drafts begun outside kiosk mode on this device, not expired, qualify; the token is
    remade from the cookie and checked against the draft's stored hash.
    """
    now = now or utcnow()
    drafts = session.scalars(
        sa.select(Draft)
        .where(
            Draft.open_link_id == open_link_id,
            Draft.device_hash == hash_token(device),
            Draft.kiosk.is_(False),
            Draft.submitted.is_(False),
            Draft.resume_salt.is_not(None),
        )
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    for draft in drafts:
        if draft_expired(draft, now):
            continue
        token = device_draft_token(device, str(draft.resume_salt))
        if hmac.compare_digest(hash_token(token), str(draft.token_hash)):
            return token
    return None
