"""Staff accounts: creation with a hashed password and, for change managers, their units."""

from __future__ import annotations

import re

import sqlalchemy as sa
from argon2 import PasswordHasher
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
