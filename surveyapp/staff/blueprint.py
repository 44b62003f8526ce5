"""The staff blueprint object, apart from the route modules that attach to it."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")
root = Blueprint("root", __name__)


@root.get("/")
def index() -> Response:
    """The site's front door leads to the staff area (respondents arrive by their own links)."""
    return redirect(url_for("staff.home"))
