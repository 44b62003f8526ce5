"""Secret link tokens: 256 bits, stored only as a SHA-256 hash.

Personal links are computed, not kept: the token is an HMAC of a random per-invitation salt
under the app's secret key. The database alone (salt and hash) gives no usable link, yet the
app can show a person's link again (a mail merge file, a reminder) without storing it.
Rotating the secret key therefore retires every personal link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TOKEN_BYTES = 32
SALT_BYTES = 16


def new_token() -> str:
    """A URL-safe random token (open-link drafts, API keys)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 kept in the database in place of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PersonalLinks:
    """Makes and remakes personal survey links from the app's secret key."""

    base_url: str
    secret: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PersonalLinks:
        return cls(config["SURVEYAPP_BASE_URL"], config["SECRET_KEY"])

    @staticmethod
    def new_salt() -> str:
        return secrets.token_hex(SALT_BYTES)

    def token(self, salt: str) -> str:
        """The link token of the invitation with this salt."""
        message = f"surveyapp personal link:{salt}".encode()
        digest = hmac.new(self.secret.encode(), message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def url(self, salt: str) -> str:
        return f"{self.base_url}/s/{self.token(salt)}"
