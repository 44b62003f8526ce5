"""Staff accounts and the units a change manager is scoped to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.models.base import Base, UTCDateTime, one_of, utcnow
from surveyapp.models.org import OrgUnit

ROLES = ("admin", "change_manager", "hr")
# Who decides the role and units: an admin (pages or CLI), the identity provider's claim at
# each sign-in, or nobody yet (an account made at a first sign-in, waiting for approval).
ROLE_FROM = ("admin", "provider", "pending")

user_units = sa.Table(
    "user_units",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("org_units.id"), primary_key=True),
)


class User(Base):
    """A staff member who signs in; a change manager sees only their units and sub-units.

    One who signs in through the identity provider is found by (issuer, subject), which the
    provider never reuses, not by email, which can be renamed or given to someone else. The
    break-glass admin is the one account whose password still works when local passwords
    are turned off (SURVEYAPP_LOCAL_LOGIN=off), for the day the provider is down.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    oidc_issuer: Mapped[str | None] = mapped_column(sa.String(255))
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255))
    role_from: Mapped[str] = mapped_column(sa.String(10), default="admin", server_default="admin")
    break_glass: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The staff area's language this user chose; None follows the browser.
    language: Mapped[str | None] = mapped_column(sa.String(5))

    units: Mapped[list[OrgUnit]] = relationship(secondary=user_units)

    __table_args__ = (
        sa.CheckConstraint(one_of("role", ROLES), name="role"),
        sa.CheckConstraint(one_of("role_from", ROLE_FROM), name="role_from"),
        sa.UniqueConstraint("oidc_issuer", "oidc_subject"),
    )


class ApiToken(Base):
    """A user's key to the read-only JSON API: only its SHA-256 is kept; revoking ends it.

    A token acts as its user, so it sees exactly what the user's role and units allow, and
    a deactivated user's tokens stop working with the account.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class StaffSession(Base):
    """One sign-in of a staff user: the cookie holds its secret, the database its SHA-256.

    The server decides whether a session still counts on every request (not ended, within
    8 hours of sign-in and not idle too long), so ending a row ends the session at once,
    wherever its cookie was copied to.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_because: Mapped[str | None] = mapped_column(sa.String(40))
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User] = relationship()
