"""Secret link tokens: generated with 256 bits of entropy, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A URL-safe random token for a personal survey link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 kept in the database in place of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
