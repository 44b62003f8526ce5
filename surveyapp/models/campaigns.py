"""Campaigns (survey waves), what they ask and whom, and the personal invitations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.instruments import InstrumentVersion
from surveyapp.models.org import OrgUnit, Person

PRIVACY_MODES = ("anonymous", "confidential")
CAMPAIGN_STATUSES = ("draft", "open", "closed")
INVITATION_STATUSES = ("sent", "started", "submitted")
MIN_GROUP_FLOOR = 3
MAX_GROUP_SIZE = 2**31 - 1  # the largest number an INTEGER column holds on every database
DEFAULT_MIN_GROUP = 5
DEFAULT_MIN_COMMENT_GROUP = 10

campaign_units = sa.Table(
    "campaign_units",
    Base.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("org_units.id"), primary_key=True),
)


class CampaignInstrument(Base):
    """An instrument version asked in a campaign, in the order respondents meet it."""

    __tablename__ = "campaign_instruments"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    instrument_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument_versions.id"), primary_key=True
    )
    position: Mapped[int]

    instrument_version: Mapped[InstrumentVersion] = relationship()


class Campaign(Base):
    """A survey wave: instruments, target units, privacy mode and reporting thresholds."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))  # shown where no language has its own
    names: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)  # locale → name
    descriptions: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)  # locale → text
    privacy_mode: Mapped[str] = mapped_column(sa.String(20))
    min_group_size: Mapped[int] = mapped_column(default=DEFAULT_MIN_GROUP)
    min_comment_group_size: Mapped[int] = mapped_column(default=DEFAULT_MIN_COMMENT_GROUP)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    instruments: Mapped[list[CampaignInstrument]] = relationship(
        order_by=CampaignInstrument.position, cascade="all, delete-orphan"
    )
    units: Mapped[list[OrgUnit]] = relationship(secondary=campaign_units)

    __table_args__ = (
        sa.CheckConstraint(one_of("privacy_mode", PRIVACY_MODES), name="privacy_mode"),
        sa.CheckConstraint(one_of("status", CAMPAIGN_STATUSES), name="status"),
        sa.CheckConstraint(f"min_group_size >= {MIN_GROUP_FLOOR}", name="min_group_floor"),
        sa.CheckConstraint(
            "min_comment_group_size >= min_group_size", name="comment_group_not_smaller"
        ),
        sa.CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="dates_ordered"
        ),
    )


class Invitation(Base):
    """A person's personal link to a campaign; only the SHA-256 of the token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    link_salt: Mapped[str | None] = mapped_column(sa.String(32))  # see services/tokens.py
    status: Mapped[str] = mapped_column(sa.String(20), default="sent")
    # Submitted to an anonymous campaign, its answers still held (services/holding.py).
    answer_held: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "person_id"),
        sa.CheckConstraint(one_of("status", INVITATION_STATUSES), name="status"),
        # A release takes the campaign's held invitations; without this it reads them all.
        sa.Index(
            "ix_invitations_held",
            "campaign_id",
            "id",
            sqlite_where=sa.column("answer_held") == sa.true(),
            postgresql_where=sa.column("answer_held"),
        ),
    )
