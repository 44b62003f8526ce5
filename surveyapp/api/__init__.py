"""The read-only JSON API under /api/v1: bearer tokens, the staff area's scope, JSON errors."""

from surveyapp.api import auth, campaigns, errors, literacy, openapi, units
from surveyapp.api.blueprint import bp

__all__ = ["auth", "bp", "campaigns", "errors", "literacy", "openapi", "units"]
