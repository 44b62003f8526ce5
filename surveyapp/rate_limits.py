"""Limits counted by hand where a decorator would count the wrong requests.

Flask-Limiter's decorators check a limit before the view runs, so once it is used up every
request of that kind is refused, a valid survey link or the owner's right password included.
These helpers count only the events that should cost (a link that found nothing, a wrong
password) in the same store as the decorators (Redis when several workers serve), and refuse
only those events once the limit is spent.
"""

from __future__ import annotations

from flask import current_app
from limits import parse_many

from surveyapp.extensions import limiter


def spent(limits: str, *key: str) -> bool:
    """Whether any of `limits` ("5/minute;20/hour") is used up for `key`, without counting."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    return any(not limiter.limiter.test(item, *key) for item in parse_many(limits))


def count(limits: str, *key: str) -> bool:
    """Count one event for `key` against every one of `limits`; False if one is now exceeded."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    return all([limiter.limiter.hit(item, *key) for item in parse_many(limits)])
