"""The staff area: sign-in, admin pages, the campaigns a user may see, dashboards, downloads."""

from surveyapp.staff import (
    admin,
    api_tokens,
    audit_trail,
    auth,
    campaigns,
    downloads,
    jobs,
    mail,
    oidc,
    open_links,
    participation,
    sessions,
)
from surveyapp.staff.blueprint import bp, root

__all__ = [
    "admin",
    "api_tokens",
    "audit_trail",
    "auth",
    "bp",
    "campaigns",
    "downloads",
    "jobs",
    "mail",
    "oidc",
    "open_links",
    "participation",
    "root",
    "sessions",
]
