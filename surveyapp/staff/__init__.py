"""The staff area: sign-in, admin pages, the campaigns a user may see, dashboards, downloads."""

from surveyapp.staff import (
    action_effects,
    actions,
    admin,
    api_tokens,
    audit_trail,
    auth,
    campaigns,
    downloads,
    evidence,
    jobs,
    language,
    mail,
    oidc,
    open_links,
    outcomes,
    participation,
    sessions,
)
from surveyapp.staff.blueprint import bp, root

__all__ = [
    "action_effects",
    "actions",
    "admin",
    "api_tokens",
    "audit_trail",
    "auth",
    "bp",
    "campaigns",
    "downloads",
    "evidence",
    "jobs",
    "language",
    "mail",
    "oidc",
    "open_links",
    "outcomes",
    "participation",
    "root",
    "sessions",
]
