"""The organisation: business units as a tree, functions, job levels and the roster."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.analytics import LEVELS
from surveyapp.models.base import Base, one_of

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"


class OrgUnit(Base):
    """A business unit; `parent` makes the tree, `code` is how files and URLs name it."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"), index=True)

    # parent_id is written after the rows themselves: a file that turns a child into its
    # parent's parent is a cycle between the two rows' updates, not in the finished tree
    parent: Mapped[OrgUnit | None] = relationship(
        remote_side=[id], back_populates="children", post_update=True
    )
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")

    __table_args__ = (
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )


class Function(Base):
    """A business function (finance, operations, ...); the first migration seeds the usual ones."""

    __tablename__ = "functions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))


class Person(Base):
    """A roster row: who can be invited, and where they sit in the organisation."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    function_id: Mapped[int] = mapped_column(sa.ForeignKey("functions.id"))
    level: Mapped[str] = mapped_column(sa.String(20))
    locale: Mapped[str] = mapped_column(sa.String(10), default="en")

    unit: Mapped[OrgUnit] = relationship()
    function: Mapped[Function] = relationship()

    __table_args__ = (sa.CheckConstraint(one_of("level", LEVELS), name="level"),)
