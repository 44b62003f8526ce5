"""The JSON API under /api/v1 (reads, and writes of action plans): bearer tokens, the staff
area's scope, JSON errors."""

from surveyapp.api import actions, auth, campaigns, errors, literacy, openapi, units
from surveyapp.api.blueprint import bp

__all__ = ["actions", "auth", "bp", "campaigns", "errors", "literacy", "openapi", "units"]
