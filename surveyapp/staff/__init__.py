"""The staff area: sign-in, admin pages, the campaigns a user may see, dashboards, downloads."""

from surveyapp.staff import (
    action_effects,
    actions,
    admin_campaigns,
    admin_org,
    admin_users,
    api_tokens,
    audit,
    auth,
    campaigns,
    downloads,
    jobs,
    mail,
    oidc,
    open_links,
    outcomes,
    sessions,
)
from surveyapp.staff.blueprint import bp, root

__all__ = [
    "action_effects",
    "actions",
    "admin_campaigns",
    "admin_org",
    "admin_users",
    "api_tokens",
    "audit",
    "auth",
    "bp",
    "campaigns",
    "downloads",
    "jobs",
    "mail",
    "oidc",
    "open_links",
    "outcomes",
    "root",
    "sessions",
]
