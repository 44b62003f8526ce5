"""The staff area: sign-in, the campaigns a user may see, dashboards and downloads."""

from surveyapp.staff import auth, campaigns, downloads
from surveyapp.staff.blueprint import bp, root

__all__ = ["auth", "bp", "campaigns", "downloads", "root"]
