"""Anonymous answers waiting to be released into `responses` in a shuffled batch.

A submission to an anonymous campaign spends its invitation and stores its answers here, in
one transaction; the release step moves a batch of at least the campaign's minimum group size
into `responses` at once (see services/holding.py). The row holds the campaign and a sealed
payload only: the answers, groups and day are encrypted under a key derived from the server's
secret key, so neither a copy of the database nor a dead tuple or WAL frame of this table
shows what was answered, and the payload's length is padded so it does not show either.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.models.base import Base


class HeldResponse(Base):
    """One submitted, not yet released anonymous response: its campaign and sealed answers."""

    __tablename__ = "held_responses"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[bytes] = mapped_column(sa.LargeBinary)

    __table_args__ = ({"sqlite_with_rowid": False},)
