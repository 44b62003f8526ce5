"""Authenticated encryption of what the database must keep but must not be able to read.

A `Seal` is AES-256-GCM under a key derived (HKDF-SHA256) from a secret the database does
not hold and a purpose, so one secret gives independent keys for independent uses: the
server's secret key for held answers, a respondent's link token (of which only the hash is
stored) for that respondent's draft. Payloads are padded to a multiple of `PAD_BYTES` before
sealing, so a ciphertext's length says little about how much was written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from surveyapp.errors import SurveyappError

NONCE_BYTES = 12
PAD_BYTES = 256
HELD_RESPONSES = b"surveyapp held response"
DRAFT_ANSWERS = b"surveyapp draft answers"


@dataclass(frozen=True)
class Seal:
    """Seals and opens JSON documents for one purpose under one secret."""

    secret: bytes
    purpose: bytes

    @cached_property
    def _cipher(self) -> AESGCM:
        """The key, derived once per seal (about 15 µs) and gone with it: a seal lives for
        one request, so no worker keeps a respondent's token or key after answering them."""
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=self.purpose)
        return AESGCM(key.derive(self.secret))

    @classmethod
    def held_responses(cls, config: Mapping[str, Any]) -> Seal:
        """The seal of held anonymous answers, from the app's secret key."""
        return cls(str(config["SECRET_KEY"]).encode(), HELD_RESPONSES)

    @classmethod
    def for_token(cls, token: str) -> Seal:
        """The seal of a draft's answers: only a request carrying the link's token opens it."""
        return cls(token.encode(), DRAFT_ANSWERS)

    def close(self, document: Any) -> bytes:
        """`document` as JSON, padded with spaces and sealed: nonce + ciphertext + tag."""
        text = json.dumps(document, separators=(",", ":")).encode()
        text += b" " * (-len(text) % PAD_BYTES)
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, text, self.purpose)

    def open(self, sealed: bytes) -> Any:
        """The document sealed in `sealed`, or an error when the key or the bytes are wrong."""
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            text = self._cipher.decrypt(nonce, body, self.purpose)
        except InvalidTag as error:
            raise SurveyappError(
                "a sealed payload does not open with this secret key (was "
                "SURVEYAPP_SECRET_KEY changed while answers were held?)"
            ) from error
        return json.loads(text)
