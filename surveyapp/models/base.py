"""Declarative base with a naming convention, so constraint names match on every database,
and the one datetime column type every model uses."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata is what Alembic compares against."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A moment in time: stored as UTC, always read back as an aware UTC datetime.

    SQLite has no time zones: SQLAlchemy writes an aware datetime's wall-clock digits and
    reads back a naive one, so `now - stored` raised TypeError there while PostgreSQL, which
    returns aware values, worked. This type is the one rule for both: a naive value is refused
    when written (it names no moment), any zone is converted to UTC before it is stored (so
    SQLite's text comparisons order moments correctly), and every value read, through the ORM
    or a Core statement on the table, is aware UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime names no moment: {value!r} (use utcnow())")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Current time in UTC, used as a column default (called per row, never once)."""
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for a check constraint that keeps `column` within `values`."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
