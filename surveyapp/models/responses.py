"""Submitted responses and their answers.

Answers are stored twice, on purpose, both written once in the submitting transaction: as
`Answer` rows (what was chosen or written, item by item) and as `Response.answer_vector`, the
numeric answers of the campaign's Likert and knowledge items packed as little-endian float32
(NaN where unanswered; knowledge items as 1 right, 0 wrong) in the campaign's item order. The
analysis of a campaign reads one small blob per response instead of a hundred rows.

Privacy rule 2 shapes this table: a response has a random UUID key, stores only the day it
was submitted, and in anonymous campaigns has neither invitation nor person. On SQLite the
tables are WITHOUT ROWID, so not even the hidden row number records the insertion order.
"""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, one_of
from surveyapp.models.org import LEVELS


class Response(Base):
    """One person's submitted answers to a campaign, with their unit, function and level."""

    __tablename__ = "responses"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"))
    function_id: Mapped[int] = mapped_column(sa.ForeignKey("functions.id"))
    level: Mapped[str] = mapped_column(sa.String(20))
    locale: Mapped[str] = mapped_column(sa.String(10))
    consent: Mapped[bool] = mapped_column(default=False)
    submitted_on: Mapped[date]
    answer_vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The result release that first published this response (None: not in any figure yet).
    result_release: Mapped[int | None]

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "person_id"),
        sa.CheckConstraint(one_of("level", LEVELS), name="level"),
        sa.CheckConstraint("NOT consent OR person_id IS NOT NULL", name="consent_needs_person"),
        {"sqlite_with_rowid": False},
    )


class Answer(Base):
    """The answer to one item: a Likert point in `number`, option ids or comment in `text`.

    Multiple-choice answers list their option ids separated by commas.
    """

    __tablename__ = "answers"

    response_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id"), primary_key=True)
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (
        sa.CheckConstraint("number IS NOT NULL OR text IS NOT NULL", name="has_value"),
        {"sqlite_with_rowid": False},
    )
