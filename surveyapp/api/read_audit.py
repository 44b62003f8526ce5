"""Recording API reads of per-person data and brief downloads in the audit trail.

The actor is the token's user, marked `(api)`; the detail says it came through the API and
with which token. The event gets a write transaction of its own once the data is read, and
the data is sent only after the event is committed: no unrecorded read leaves the server.
"""

from __future__ import annotations

from typing import Any

from surveyapp.api.auth import caller
from surveyapp.extensions import db
from surveyapp.models import Campaign
from surveyapp.services.audit import record_export
from surveyapp.services.transaction import atomic, begin_writing

PEOPLE_READ = "api.literacy.people"
BRIEF_READ = "api.brief"


def record_read(campaign: Campaign, action: str, rows: int, **detail: Any) -> None:
    """Commit one audit event for a read of `rows` rows made through the API."""
    who = caller()
    db.session.commit()  # end the read transaction, so the write below starts as a writer
    begin_writing()
    with atomic():
        record_export(
            db.session,
            actor=who.actor,
            action=action,
            campaign=campaign,
            detail={"via": "api", "token_id": who.token_id, **detail},
            row_count=rows,
        )
