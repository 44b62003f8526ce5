"""The API blueprint object, apart from the resource modules that attach to it.

The API only reads, and it authenticates by bearer token, never by cookie: a cross-site page
cannot make a browser send the token, so CSRF protection does not apply to it. Requests are
rate-limited per token.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, request
from flask_limiter.util import get_remote_address

from surveyapp.extensions import csrf, limiter

DEFAULT_RATE_LIMIT = "300/minute"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def rate_limit() -> str:
    """Requests one token may make (SURVEYAPP_API_RATE_LIMIT, in Flask-Limiter's notation)."""
    return current_app.config.get("SURVEYAPP_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def rate_limit_key() -> str:
    """Count requests per token (by a hash of the header, never the token itself), else per
    address for requests without one."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()
    return f"api-address:{get_remote_address()}"


limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
