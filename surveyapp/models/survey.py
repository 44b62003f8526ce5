"""What the respondent flow keeps between pages: open links per unit and server-side drafts.

A draft is the only place unsubmitted answers live (never the browser), so the same link
resumes on another device and a shared kiosk keeps nothing of the previous person. Its answers
are sealed under a key derived from the link's token (services/sealing.py), which the
database never holds, so neither a copy of the database nor anyone on the staff can read them.
It is deleted, or emptied for open-link drafts, in the transaction that stores the response.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.campaigns import Campaign, Invitation
from surveyapp.models.org import LEVELS, OrgUnit


class OpenLink(Base):
    """A campaign's link for one unit, for staff without email (`/o/<code>`, QR posters)."""

    __tablename__ = "open_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"))
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: takes answers

    campaign: Mapped[Campaign] = relationship()
    unit: Mapped[OrgUnit] = relationship()

    # one live link per unit; retired links stay, since their drafts and posters point at them
    __table_args__ = (
        sa.Index(
            "uq_open_links_live_unit",
            "campaign_id",
            "unit_id",
            unique=True,
            sqlite_where=sa.text("retired_at IS NULL"),
            postgresql_where=sa.text("retired_at IS NULL"),
        ),
    )


class Draft(Base):
    """Answers saved page by page, reached by an invitation or by the draft's own token.

    A personal link's draft hangs off its invitation; an open link's draft has a token of
    its own (hash only) and carries the function and level the respondent picked.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    open_link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("open_links.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    function_id: Mapped[int | None] = mapped_column(sa.ForeignKey("functions.id"))
    level: Mapped[str | None] = mapped_column(sa.String(20))
    kiosk: Mapped[bool] = mapped_column(default=False)
    device_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)  # open-link device
    # an open link's draft on a phone: its token is remade from this and the device's cookie
    resume_salt: Mapped[str | None] = mapped_column(sa.String(32))
    locale: Mapped[str] = mapped_column(sa.String(10))
    consent: Mapped[bool] = mapped_column(default=False)
    page: Mapped[int] = mapped_column(default=0)
    sealed_answers: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # None: nothing yet
    submitted: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    invitation: Mapped[Invitation | None] = relationship()
    open_link: Mapped[OpenLink | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(invitation_id IS NULL) <> (open_link_id IS NULL)", name="one_way_in"),
        sa.CheckConstraint(
            "open_link_id IS NULL OR (token_hash IS NOT NULL AND function_id IS NOT NULL "
            "AND level IS NOT NULL)",
            name="open_draft_complete",
        ),
        sa.CheckConstraint(f"level IS NULL OR {one_of('level', LEVELS)}", name="level"),
    )
