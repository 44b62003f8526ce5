"""Closing the loop: a unit's action plan, its dated updates, and the unit's outcome metrics."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.org import OrgUnit
from surveyapp.models.users import User

ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
METRIC_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,59}$"


class Action(Base):
    """One action a unit took on: what, the finding it answers, who owns it and by when.

    `intervention` and `campaign_id` say which recommended action of which wave it came from
    (both empty for an action written by hand); `construct` is the measure it means to move
    (a scale key such as `adoption-readiness.knowledge`), which is what "did it work?" reads.
    `done_on` is kept so an action can be placed between two waves.
    """

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    intervention: Mapped[str | None] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    finding: Mapped[str] = mapped_column(sa.String(1000), default="")
    construct: Mapped[str | None] = mapped_column(sa.String(120))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    owner_role: Mapped[str] = mapped_column(sa.String(60), default="")
    timing: Mapped[str] = mapped_column(sa.String(60), default="")
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    started_on: Mapped[date]
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(254))

    unit: Mapped[OrgUnit] = relationship()
    owner: Mapped[User] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="ActionUpdate.id",
    )

    __table_args__ = (
        sa.CheckConstraint(one_of("status", ACTION_STATUSES), name="status"),
        sa.CheckConstraint("done_on IS NULL OR done_on >= started_on", name="done_after_start"),
    )


class ActionUpdate(Base):
    """A dated note on how an action is going, written by a staff member."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[str | None] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.String(2000), default="")

    action: Mapped[Action] = relationship(back_populates="updates")


class OutcomeValue(Base):
    """One value of an outcome metric for a unit over a period (never a person's figure).

    A unit has at most one value of a metric per period; importing the same period again
    replaces it.
    """

    __tablename__ = "outcome_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    metric: Mapped[str] = mapped_column(sa.String(60))
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[float]

    unit: Mapped[OrgUnit] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("unit_id", "metric", "period_start", "period_end"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )
