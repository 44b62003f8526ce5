"""API tokens: made once and shown once, kept only as a SHA-256, revocable, acting as their user.

A token carries no rights of its own: every request re-reads the user's role and units, so a
change manager's token sees their units only, and deactivating a user ends their tokens.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import SurveyappError
from surveyapp.language import _l
from surveyapp.models import ApiToken, User
from surveyapp.models.base import utcnow
from surveyapp.services.tokens import hash_token, new_token

TOKEN_PREFIX = "sapi_"  # lets secret scanners and people recognise a leaked key
NAME_LENGTH = 100
TOUCH_INTERVAL = timedelta(minutes=5)  # last_used_at is kept to this precision, to spare writes


@dataclass(frozen=True)
class IssuedToken:
    """A new token's row and its secret, which exists only in this object and nowhere else."""

    token: ApiToken
    secret: str


def user_by_email(session: Session, email: str) -> User:
    """The staff user with this email, or an error naming it."""
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise SurveyappError(_l("no user %(strip)r", strip=email.strip()))
    return user


def create_api_token(session: Session, user: User, name: str) -> IssuedToken:
    """A new token for `user` called `name`; the caller shows `secret` once and forgets it."""
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise SurveyappError(
            _l("a token needs a name of 1 to %(name_length)s characters", name_length=NAME_LENGTH)
        )
    if not user.active:
        raise SurveyappError(
            _l("user %(email)s is deactivated: a token would not work", email=user.email)
        )
    secret = f"{TOKEN_PREFIX}{new_token()}"
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret))
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def list_api_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first: one user's, or everyone's when `user_id` is None."""
    query = sa.select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query))


def revoke_api_token(session: Session, token_id: int, owner_id: int | None = None) -> ApiToken:
    """Revoke a token (idempotent); with `owner_id`, only if it belongs to that user.

    Someone else's token is reported exactly like a missing one, so the staff page cannot be
    used to learn which token ids exist.
    """
    token = session.get(ApiToken, token_id)
    if token is None or (owner_id is not None and token.user_id != owner_id):
        raise SurveyappError(_l("no API token %(token_id)s", token_id=token_id))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def authenticate_api_token(session: Session, secret: str) -> ApiToken | None:
    """The live token whose secret this is, or None (unknown, revoked, or user deactivated).

    The row is found by its hash and the hashes compared in constant time, so neither the
    database nor the timing holds anything that helps guess a token.
    """
    digest = hash_token(secret)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or not token.user.active:
        return None
    return token


def use_is_stale(token: ApiToken) -> bool:
    """Whether the token's last use is unrecorded or older than TOUCH_INTERVAL."""
    last = token.last_used_at
    return last is None or last < utcnow() - TOUCH_INTERVAL


def touch_api_token(session: Session, token_id: int) -> None:
    """Record that the token was used now, unless another request just did.

    Callers run it only when `use_is_stale`, as the first statement of a transaction: most
    requests stay readers, and the rest take the write lock first rather than upgrading a
    read transaction (which SQLite may refuse at once).
    """
    now = utcnow()
    session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token_id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_INTERVAL),
        )
        .values(last_used_at=now)
    )
