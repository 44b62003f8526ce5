"""The outbox: every invitation and reminder email, written before it is sent.

A message is a row first and an SMTP conversation second, so a crash mid-batch leaves each
message either marked sent or still pending, never lost; the unique (invitation, kind) pair
means a person cannot be sent the same invitation or reminder twice. There is no body: it is
rendered when the message is sent, with the personal link remade from the invitation's salt,
so the outbox never holds a usable link.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.campaigns import Invitation

MESSAGE_KINDS = ("invitation", "reminder_1", "reminder_2", "reminder_3")
MESSAGE_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(Base):
    """One email to one invited person, with its delivery state and attempts."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    locale: Mapped[str] = mapped_column(sa.String(10))
    subject: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invitation: Mapped[Invitation] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("invitation_id", "kind"),
        sa.CheckConstraint(one_of("kind", MESSAGE_KINDS), name="kind"),
        sa.CheckConstraint(one_of("status", MESSAGE_STATUSES), name="status"),
    )
