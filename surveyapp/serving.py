"""gunicorn's logs without secrets: a logged link or key would be a usable link or key.

Personal and draft links carry their secret in the path (`/s/<token>`), same-origin pages
send it again as the Referer, and a client may put an API key where it does not belong (a
`?access_token=` the API refuses). The check runs on each finished log line, so every field
and any log format is covered, and it judges each part of the line as the app would route
it: percent-decoded (again, for double encoding) and with slashes normalised, so
`/%73/<token>`, `/s%2F<token>` and `//s//<token>` are caught like `/s/<token>`. A part that
held a secret is logged in its decoded, redacted form.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote

from gunicorn.glogging import Logger

PART = re.compile(r'[^\s"]+')  # the line's pieces between spaces and quotes
SURVEY_TOKEN = re.compile(r"/s/[^/?#&\s]+", re.IGNORECASE)
API_KEY = re.compile(r"sapi_[A-Za-z0-9_\-]+")
CREDENTIAL_PARAMETER = re.compile(
    r"\b(access_token|token|api_key|apikey|key|bearer|password)=[^&\s#]*", re.IGNORECASE
)
BEARER = re.compile(r"(Bearer)\s+\S+", re.IGNORECASE)
SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?")  # a Referer's http:// stays as it is
DOT_SEGMENT = re.compile(r"/\.(?=/|$)|/[^/]+/\.\.(?=/|$)")
DECODE_ROUNDS = 3  # %2573 is %73 is s: enough for any encoding a client might stack


def _normalised(part: str) -> str:
    """The part as the router would see it: decoded until stable, one slash at a time."""
    for _ in range(DECODE_ROUNDS):
        decoded = unquote(part)
        if decoded == part:
            break
        part = decoded
    scheme = SCHEME.match(part)
    head = scheme.end() if scheme else 0
    path = re.sub(r"/{2,}", "/", part[head:].replace("\\", "/"))
    previous = None
    while path != previous:  # "/s/./<token>" and "/s/x/../<token>" name the same page
        previous = path
        path = DOT_SEGMENT.sub("", path)
    return part[:head] + path


def _redacted_part(match: re.Match[str]) -> str:
    part = match.group(0)
    plain = _normalised(part)
    cleaned = SURVEY_TOKEN.sub("/s/[token]", plain)
    cleaned = API_KEY.sub("sapi_[redacted]", cleaned)
    cleaned = CREDENTIAL_PARAMETER.sub(r"\1=[redacted]", cleaned)
    return part if cleaned == plain else cleaned


def redact(text: str) -> str:
    """`text` with every survey token, API key and credential parameter replaced."""
    return PART.sub(_redacted_part, BEARER.sub(r"\1 [redacted]", text))


class RedactingFilter(logging.Filter):
    """Rewrites each record's finished message, so no format or field can slip past."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


class RedactingLogger(Logger):
    """The standard gunicorn logger, with secrets removed from its access and error logs."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactingFilter())
