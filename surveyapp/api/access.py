"""What the caller may reach, by the access rules the staff area uses (surveyapp.services.access).

A role that the staff area keeps away from a page is kept away from the matching resource,
and anything outside the caller's units answers 404 exactly like something that does not
exist. Path values that no campaign slug or unit code could match are refused before any
query is made.
"""

from __future__ import annotations

import re

from flask import request

from surveyapp.api.auth import caller
from surveyapp.api.errors import ApiError
from surveyapp.extensions import db
from surveyapp.models import Campaign, OrgUnit
from surveyapp.models.org import CODE_PATTERN
from surveyapp.services.access import campaign_in_scope, unit_in_scope
from surveyapp.services.campaigns import SLUG_PATTERN

SLUG = re.compile(SLUG_PATTERN)
CODE = re.compile(CODE_PATTERN)


def require_role(*roles: str) -> None:
    """Refuse (404, as the staff area does) a caller whose role may not use this resource."""
    if caller().role not in roles:
        raise ApiError(404)


def campaign_for(slug: str) -> Campaign:
    """The campaign `slug` if the caller may see any of it; 404 otherwise."""
    if not SLUG.fullmatch(slug):
        raise ApiError(404)
    return campaign_in_scope(db.session, caller().user_id, slug)


def unit_for(campaign: Campaign, code: str) -> OrgUnit:
    """The unit `code` if the campaign surveys it and the caller may see it; 404 otherwise."""
    if not CODE.fullmatch(code):
        raise ApiError(404)
    return unit_in_scope(db.session, caller().user_id, campaign, code)


def unit_parameter(campaign: Campaign) -> OrgUnit | None:
    """The unit named by the `unit` query parameter, checked like a unit in the path."""
    code = request.args.get("unit")
    return None if code is None else unit_for(campaign, code)


def int_parameter(name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high], or 400 saying what is allowed."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not low <= int(raw) <= high:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}")
    return int(raw)
