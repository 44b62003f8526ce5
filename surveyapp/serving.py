"""gunicorn's access log without survey tokens: a logged link would be a usable link.

Personal and draft links carry their secret in the path (`/s/<token>`), and same-origin
pages send it again as the Referer; every string the access log could print is redacted.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"/s/[^/?#\s\"]+")
REDACTED = "/s/[token]"


def redact(text: str) -> str:
    """`text` with every survey token replaced."""
    return TOKEN_IN_PATH.sub(REDACTED, text)


class RedactingLogger(Logger):
    """The standard gunicorn logger, with tokens removed from every access-log field."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: timedelta) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
