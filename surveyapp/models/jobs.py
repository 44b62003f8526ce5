"""Background jobs (brief batches, large analyses): what was asked, by whom, and how it went.

The row is the staff area's view of a job whichever way it runs (an RQ worker when Redis is
configured, in-process otherwise), so progress and failures read the same in both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow

JOB_KINDS = ("briefs", "analysis")
JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    """One piece of heavy work on a campaign, with its progress (0 to 1) and outcome."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[str] = mapped_column(sa.String(254))
    parameters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    progress: Mapped[float] = mapped_column(default=0.0)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint(one_of("kind", JOB_KINDS), name="kind"),
        sa.CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
    )
