"""The staff blueprint: sign-in, the campaigns a user may see, dashboards and downloads."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from surveyapp.staff import auth, campaigns, downloads  # noqa: E402, F401  (routes attach to bp)
