"""Staff accounts: creation, sign-in checks, and an admin's changes to an account.

Every change an admin makes (deactivate, activate, new password, role, units) is written to
the audit trail in the same transaction, and ends the user's sessions when it changes what
they may do or how they sign in. The last active admin can be neither deactivated nor given
another role, so the organisation never locks itself out of its own administration.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session, selectinload

from surveyapp.errors import InputError, Problem, SurveyappError
from surveyapp.language import LazyText, _l
from surveyapp.models import ROLES, AuditEvent, User
from surveyapp.services.csv_input import not_one_of
from surveyapp.services.org import EMAIL_PATTERN, units_by_code
from surveyapp.services.staff_sessions import end_user_sessions

MIN_PASSWORD_LENGTH = 12
password_hasher = PasswordHasher()


def create_user(
    session: Session, email: str, role: str, unit_codes: list[str], password: str
) -> User:
    """Add a staff user; a change manager must be scoped to at least one unit, others to none."""
    problems: list[Problem] = []
    email = email.strip().lower()
    if not re.match(EMAIL_PATTERN, email):
        problems.append(
            Problem(field="email", reason=_l("%(email)r is not an email address", email=email))
        )
    elif session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        problems.append(
            Problem(field="email", reason=_l("a user %(email)r already exists", email=email))
        )
    problems += role_problems(role, unit_codes) + password_problems(password)
    if problems:
        raise InputError(problems)
    user = User(
        email=email,
        role=role,
        password_hash=password_hasher.hash(password),
        units=units_by_code(session, unit_codes, "units"),
    )
    session.add(user)
    session.flush()
    return user


def role_problems(role: str, unit_codes: list[str]) -> list[Problem]:
    """What is wrong with giving someone `role` and these units (a role's scope rule)."""
    problems = []
    if role not in ROLES:
        problems.append(Problem(field="role", reason=not_one_of(role, ROLES)))
    if role == "change_manager" and not unit_codes:
        problems.append(
            Problem(field="units", reason=_l("a change manager needs at least one unit"))
        )
    if role != "change_manager" and unit_codes:
        problems.append(
            Problem(
                field="units",
                reason=_l("units apply only to change managers, not %(role)r", role=role),
            )
        )
    return problems


def password_problems(password: str) -> list[Problem]:
    """A password too short to resist guessing, as a problem naming the parameter."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem(
                field="password",
                reason=_l(
                    "use at least %(min_password_length)s characters",
                    min_password_length=MIN_PASSWORD_LENGTH,
                ),
            )
        ]
    return []


@cache
def _dummy_hash() -> str:
    """A hash no password matches, verified for unknown emails (made once, on first use)."""
    return password_hasher.hash(secrets.token_hex(16))


def authenticate(
    session: Session, email: str, password: str, break_glass_only: bool = False
) -> User | None:
    """The active user with this email and password, or None (the caller says nothing more).

    An unknown email still costs one hash verification, so timing does not tell which
    emails exist; a hash made with older parameters is replaced by a current one. With local
    passwords turned off (`break_glass_only`), only the break-glass admin's password counts.
    """
    email = email.strip().lower()
    # a NUL is in no address, and PostgreSQL refuses it in a query
    user = None if "\x00" in email else session.scalar(sa.select(User).where(User.email == email))
    try:
        password_hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active or (break_glass_only and not user.break_glass):
        return None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
        session.flush()
    return user


def find_user(session: Session, email: str) -> User:
    """The staff user with this email, or an error naming the parameter."""
    email = email.strip().lower()
    user = None if "\x00" in email else session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        raise InputError([Problem(field="email", reason=_l("no user %(email)r", email=email))])
    return user


def list_users(session: Session, offset: int = 0, limit: int | None = None) -> list[User]:
    """Staff users by email, a page at a time when `limit` is given."""
    query = (
        sa.select(User)
        .options(selectinload(User.units))
        .order_by(User.email)
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query))


def count_users(session: Session) -> int:
    """How many staff users there are, active or not."""
    return session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def deactivate_user(session: Session, user: User, actor: str) -> None:
    """Stop the user signing in or using tokens, and end their sessions (idempotent)."""
    if user.active:
        _keep_an_admin(session, user, _l("deactivate %(email)s", email=user.email))
        user.active = False
        user.role_from = "admin"  # the provider's mapping no longer lets them back in
        _changed(session, user, actor, "user.deactivate", "account deactivated")


def activate_user(session: Session, user: User, actor: str) -> None:
    """Let a deactivated user, or one waiting since their first sign-in, in (idempotent)."""
    if not user.active:
        user.active = True
        user.role_from = "admin"
        _changed(session, user, actor, "user.activate", None)


def reset_password(session: Session, user: User, password: str, actor: str) -> None:
    """Give the user a new password; every session signed in with the old one ends."""
    problems = password_problems(password)
    if problems:
        raise InputError(problems)
    user.password_hash = password_hasher.hash(password)
    _changed(session, user, actor, "user.reset_password", "password changed")


def set_role(session: Session, user: User, role: str, unit_codes: list[str], actor: str) -> None:
    """Give the user another role (a change manager with units); their sessions end."""
    problems = role_problems(role, unit_codes)
    if problems:
        raise InputError(problems)
    if role != "admin":
        _keep_an_admin(session, user, _l("make %(email)s %(role)s", email=user.email, role=role))
    before = user.role
    user.role, user.role_from = role, "admin"  # an admin's choice outlasts the mapping
    user.units = units_by_code(session, unit_codes, "units")
    _changed(session, user, actor, "user.set_role", "role changed", before=before, role=role)


def set_units(session: Session, user: User, unit_codes: list[str], actor: str) -> None:
    """Change which units a change manager sees; their sessions end."""
    if user.role != "change_manager":
        raise InputError(
            [
                Problem(
                    field="units",
                    reason=_l("units apply only to change managers, not %(role)r", role=user.role),
                )
            ]
        )
    problems = role_problems(user.role, unit_codes)
    if problems:
        raise InputError(problems)
    user.units = units_by_code(session, unit_codes, "units")
    user.role_from = "admin"
    codes = [unit.code for unit in user.units]
    _changed(session, user, actor, "user.set_units", "units changed", units=codes)


def set_break_glass(session: Session, user: User, actor: str) -> None:
    """Make this active admin the one account that signs in with a password when local
    passwords are off; whoever held that before no longer does."""
    if user.role != "admin" or not user.active:
        raise SurveyappError(
            _l("%(email)s is not an active admin: only one can be break-glass", email=user.email)
        )
    previous = session.scalars(sa.select(User).where(User.break_glass, User.id != user.id)).all()
    for other in previous:
        other.break_glass = False
    user.break_glass = True
    before = [other.email for other in previous]
    _changed(session, user, actor, "user.break_glass", None, replaces=before)


def _keep_an_admin(session: Session, user: User, change: LazyText) -> None:
    """Refuse a change (worded with its user, for the refusal) that would leave no active
    admin."""
    if user.role != "admin" or not user.active:
        return
    others = session.scalar(
        sa.select(sa.func.count()).where(User.role == "admin", User.active, User.id != user.id)
    )
    if not others:
        raise SurveyappError(
            _l(
                "cannot %(change)s: they are the last active admin (make another admin first)",
                change=change,
            )
        )


def _changed(
    session: Session, user: User, actor: str, action: str, ends: str | None, **detail: object
) -> None:
    """Audit an admin's change to `user` and, when `ends` says why, end their sessions."""
    session.flush()
    ended = end_user_sessions(session, user.id, ends) if ends else 0
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            detail={"user": user.email, **detail, "sessions_ended": ended},
            row_count=1,
        )
    )
    session.flush()


def set_language(
    session: Session, user_id: int, language: str | None, offered: tuple[str, ...]
) -> None:
    """Keep the staff area's language a user chose (None: follow the browser's)."""
    if language is not None and language not in offered:
        raise InputError([Problem("LANGUAGE", "", not_one_of(language, offered))])
    session.execute(sa.update(User).where(User.id == user_id).values(language=language))
