"""Recording exports in the audit trail: one row per export, in the exporting transaction."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlalchemy.orm import Session

from surveyapp.models import AuditEvent, Campaign

LITERACY_EXPORT = "export.literacy"
INVITATIONS_ISSUED = "invitations.issue"  # a file of new personal links
INVITATION_LINKS = "invitations.links"  # a file of personal links handed out again


def cli_actor() -> str:
    """Who runs the command line: `cli:<os user>` (the uid when the system has no name)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid-{os.getuid()}"


def record_export(
    session: Session,
    *,
    actor: str,
    action: str,
    campaign: Campaign | None,
    detail: dict[str, Any],
    row_count: int,
) -> AuditEvent:
    """Add an audit event for an export (or a read of per-person data) to the session.

    The caller's transaction commits it with the export, so an export that fails leaves no
    event and an export that succeeds always has one. `actor` is a staff user's email or
    `cli_actor()`; `detail` says what was asked (format, per_person, unit).
    """
    event = AuditEvent(
        actor=actor,
        action=action,
        campaign_id=campaign.id if campaign is not None else None,
        detail=detail,
        row_count=row_count,
    )
    session.add(event)
    session.flush()
    return event
