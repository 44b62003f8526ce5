"""The audit trail: who exported or read which results, when, and how many rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.models.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """One export or read of results, kept so admins can see where data went.

    `actor` is the staff user's email, or `cli:<os user>` for the command line. The campaign
    link is cleared, not the event deleted, when a campaign goes: the trail outlives its data.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(60))
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    row_count: Mapped[int]
