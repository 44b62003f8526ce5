"""A closed campaign's reporting tree: its units as they stood when it closed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.models.base import Base


class CampaignUnit(Base):
    """One unit of a closed campaign's frozen tree (issue 16, "closed campaigns stay as
    answered"): later moves and renames of the live unit leave it, and so the campaign's
    analysis, as it was. `unit_id` is no foreign key, so that deleting a unit later keeps
    the campaign's tree whole."""

    __tablename__ = "campaign_units_frozen"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_code: Mapped[str | None] = mapped_column(sa.String(40))
