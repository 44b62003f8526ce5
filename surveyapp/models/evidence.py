"""AI-literacy evidence (EU AI Act art. 4): AI systems in use, literacy measures, who completed
them, and the evidence packs built from them.

Completions name people (identified by nature); no table here refers to a response, and no
code joins them to answers: they are only ever counted per group.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.analytics.literacy_requirements import MEASURE_KINDS, RISK_TIERS
from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.org import LEVELS, Function, OrgUnit, Person


class AiSystem(Base):
    """An AI system the organisation deploys, with its risk tier."""

    __tablename__ = "ai_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    risk_tier: Mapped[str] = mapped_column(sa.String(20))

    uses: Mapped[list[AiSystemUse]] = relationship(
        back_populates="system", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint(one_of("risk_tier", RISK_TIERS), name="risk_tier"),)


class AiSystemUse(Base):
    """Who uses a system: a unit (and its sub-units), narrowed to a function and/or level;
    an empty field means everyone on that axis."""

    __tablename__ = "ai_system_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ai_systems.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"))
    function_id: Mapped[int | None] = mapped_column(sa.ForeignKey("functions.id"))
    level: Mapped[str | None] = mapped_column(sa.String(20))

    system: Mapped[AiSystem] = relationship(back_populates="uses")
    unit: Mapped[OrgUnit | None] = relationship()
    function: Mapped[Function | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"level IS NULL OR {one_of('level', LEVELS)}", name="level"),
    )


class Measure(Base):
    """A literacy measure in the catalogue: a training, a briefing or a policy acknowledgement,
    its topics, and the risk tiers or systems it prepares people for (none: every tier)."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    tiers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    systems: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    __table_args__ = (sa.CheckConstraint(one_of("kind", MEASURE_KINDS), name="kind"),)


class MeasureCompletion(Base):
    """One person completed one measure on one day (from the learning system), recorded here
    on `recorded_on`. It counts from the later of its completion day and the day after it
    was recorded (`services.measures.counts_from`), so the figures of a day that is over never
    change: a back-dated import cannot re-cut a pack already published."""

    __tablename__ = "measure_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    completed_on: Mapped[date] = mapped_column(sa.Date())
    recorded_on: Mapped[date] = mapped_column(sa.Date())

    person: Mapped[Person] = relationship()
    measure: Mapped[Measure] = relationship()

    __table_args__ = (sa.UniqueConstraint("person_id", "measure_id", "completed_on"),)


class EvidenceBuild(Base):
    """A built evidence pack: when, for which scope and date, by whom, the checksums of its
    inputs, so the next build can say what changed, and the coverage figures it published
    organisation-wide (`coverage_disclosure.shown_figures` as [day, unit, tier, kind]; None
    for builds older than this record), which every later build's audit keeps shown."""

    __tablename__ = "evidence_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    as_of: Mapped[date] = mapped_column(sa.Date())
    unit_code: Mapped[str | None] = mapped_column(sa.String(40))
    version: Mapped[int]
    actor: Mapped[str] = mapped_column(sa.String(254))
    inputs: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    published: Mapped[list[Any] | None] = mapped_column(sa.JSON)
