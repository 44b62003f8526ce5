"""Instruments as loaded from instruments/*.yaml: versions, response scales, scales and items.

A version is immutable once loaded: responses point at its items, so changing an item's
text or keying would silently change what old answers mean.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow

ADKAR_ELEMENTS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
ITEM_TYPES = ("likert", "single", "multi", "text", "knowledge")
LocalizedText = dict[str, str]


class Instrument(Base):
    """A questionnaire, named by its slug; its content lives in versions."""

    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)

    versions: Mapped[list[InstrumentVersion]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.version"
    )


class InstrumentVersion(Base):
    """One loaded version of an instrument, with the checksum of the file it came from."""

    __tablename__ = "instrument_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id"))
    version: Mapped[int]
    title: Mapped[LocalizedText] = mapped_column(sa.JSON)
    description: Mapped[LocalizedText] = mapped_column(sa.JSON)
    locales: Mapped[list[str]] = mapped_column(sa.JSON)
    pages: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    checksum: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="versions")
    response_scales: Mapped[list[ResponseScale]] = relationship(
        back_populates="instrument_version", cascade="all, delete-orphan"
    )
    scales: Mapped[list[Scale]] = relationship(
        back_populates="instrument_version", cascade="all, delete-orphan", order_by="Scale.position"
    )
    items: Mapped[list[Item]] = relationship(
        back_populates="instrument_version", cascade="all, delete-orphan", order_by="Item.position"
    )

    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )


class ResponseScale(Base):
    """The answer options of Likert items: number of points and their labels per locale."""

    __tablename__ = "response_scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    key: Mapped[str] = mapped_column(sa.String(63))
    points: Mapped[int]
    labels: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON)

    instrument_version: Mapped[InstrumentVersion] = relationship(back_populates="response_scales")

    __table_args__ = (
        sa.UniqueConstraint("instrument_version_id", "key"),
        sa.CheckConstraint("points BETWEEN 2 AND 11", name="points_range"),
    )


class Scale(Base):
    """A construct measured by several Likert items (e.g. ADKAR 'desire', 'job security')."""

    __tablename__ = "scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    key: Mapped[str] = mapped_column(sa.String(63))
    position: Mapped[int]
    title: Mapped[LocalizedText] = mapped_column(sa.JSON)
    adkar: Mapped[str | None] = mapped_column(sa.String(20))
    cluster: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[bool] = mapped_column(default=False)

    instrument_version: Mapped[InstrumentVersion] = relationship(back_populates="scales")

    __table_args__ = (
        sa.UniqueConstraint("instrument_version_id", "key"),
        sa.CheckConstraint(f"adkar IS NULL OR {one_of('adkar', ADKAR_ELEMENTS)}", name="adkar"),
    )


class Item(Base):
    """A question. Likert items belong to a scale; knowledge items carry their correct option."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_versions.id"))
    key: Mapped[str] = mapped_column(sa.String(63))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[LocalizedText] = mapped_column(sa.JSON)
    required: Mapped[bool] = mapped_column(default=False)
    scale_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scales.id"))
    response_scale_id: Mapped[int | None] = mapped_column(sa.ForeignKey("response_scales.id"))
    reverse: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    answer: Mapped[str | None] = mapped_column(sa.String(63))
    max_length: Mapped[int | None]
    # The levels asked this item once its page's and scale's `levels` are applied; NULL: all.
    levels: Mapped[list[str] | None] = mapped_column(sa.JSON)
    # A Likert item that offers "Don't know / not applicable" (quiz items always offer it).
    dont_know: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    instrument_version: Mapped[InstrumentVersion] = relationship(back_populates="items")
    scale: Mapped[Scale | None] = relationship()
    response_scale: Mapped[ResponseScale | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("instrument_version_id", "key"),
        sa.CheckConstraint(one_of("type", ITEM_TYPES), name="type"),
        sa.CheckConstraint("NOT reverse OR type = 'likert'", name="reverse_only_likert"),
        sa.CheckConstraint("NOT dont_know OR type = 'likert'", name="dont_know_only_likert"),
        sa.CheckConstraint(
            "type <> 'likert' OR (scale_id IS NOT NULL AND response_scale_id IS NOT NULL)",
            name="likert_has_scale",
        ),
        sa.CheckConstraint("type <> 'knowledge' OR answer IS NOT NULL", name="knowledge_answer"),
    )
