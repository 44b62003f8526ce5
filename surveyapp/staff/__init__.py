"""The staff area: sign-in, the campaigns a user may see, dashboards, downloads, open links."""

from surveyapp.staff import auth, campaigns, downloads, jobs, open_links
from surveyapp.staff.blueprint import bp, root

__all__ = ["auth", "bp", "campaigns", "downloads", "jobs", "open_links", "root"]
