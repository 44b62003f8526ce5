"""Staff accounts: creation with a hashed password and, for change managers, their units."""

from __future__ import annotations

import re
import secrets
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from surveyapp.errors import InputError, Problem
from surveyapp.models import ROLES, User
from surveyapp.services.org import EMAIL_PATTERN, units_by_code

MIN_PASSWORD_LENGTH = 12
password_hasher = PasswordHasher()


def create_user(
    session: Session, email: str, role: str, unit_codes: list[str], password: str
) -> User:
    """Add a staff user; a change manager must be scoped to at least one unit, others to none."""
    problems: list[Problem] = []
    email = email.strip().lower()
    if not re.match(EMAIL_PATTERN, email):
        problems.append(Problem("EMAIL", "", f"{email!r} is not an email address"))
    elif session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        problems.append(Problem("EMAIL", "", f"a user {email!r} already exists"))
    if role not in ROLES:
        problems.append(Problem("--role", "", f"{role!r} is not one of {', '.join(ROLES)}"))
    if role == "change_manager" and not unit_codes:
        problems.append(Problem("--units", "", "a change manager needs at least one unit"))
    if role != "change_manager" and unit_codes:
        problems.append(
            Problem("--units", "", f"units apply only to change managers, not {role!r}")
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem("password", "", f"use at least {MIN_PASSWORD_LENGTH} characters"))
    if problems:
        raise InputError(problems)
    user = User(
        email=email,
        role=role,
        password_hash=password_hasher.hash(password),
        units=units_by_code(session, unit_codes, "--units"),
    )
    session.add(user)
    session.flush()
    return user


@cache
def _dummy_hash() -> str:
    """A hash no password matches, verified for unknown emails (made once, on first use)."""
    return password_hasher.hash(secrets.token_hex(16))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (the caller says nothing more).

    An unknown email still costs one hash verification, so timing does not tell which
    emails exist; a hash made with older parameters is replaced by a current one.
    """
    email = email.strip().lower()
    # a NUL is in no address, and PostgreSQL refuses it in a query
    user = None if "\x00" in email else session.scalar(sa.select(User).where(User.email == email))
    try:
        password_hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
        session.flush()
    return user
