"""Result releases: the sets of responses a campaign's published figures cover (issue 16)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.models.base import Base


class ResultRelease(Base):
    """One release of a campaign's results: every output reads the latest one only.

    A response belongs to the release that first published it (`Response.result_release`);
    the latest release covers every response with a number. Only the day is kept, like a
    response's. `withheld` lists the groups ([kind, key]) the audit across this release and
    the one before it hid beyond what the release alone would hide, so every reader rebuilds
    the same suppression pattern.
    """

    __tablename__ = "result_releases"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    released_on: Mapped[date]
    withheld: Mapped[list[list[str]]] = mapped_column(sa.JSON, default=list)
