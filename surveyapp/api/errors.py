"""JSON errors of one stable shape, for every failure under /api/v1 (never an HTML page).

`{"error": {"status": 404, "code": "not_found", "message": "..."}}`: `status` repeats the
HTTP status, `code` is a stable machine-readable word, `message` tells a person what to do.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from surveyapp.api.blueprint import bp
from surveyapp.errors import NotFound
from surveyapp.extensions import db

CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
    500: "server_error",
}
MESSAGES = {
    401: "Send a valid API token: 'Authorization: Bearer <token>' (unknown, revoked or "
    "deactivated tokens are refused).",
    404: "No such resource, or it is outside your scope.",
    405: "The API is read-only: use GET.",
    429: "Too many requests for this token; wait a minute and try again.",
    500: "Something went wrong on our side; nothing was changed. Please try again.",
}


class ApiError(Exception):
    """A refusal with its status, stable code and message, raised by the resource modules."""

    def __init__(self, status: int, message: str | None = None, code: str | None = None) -> None:
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, message: str | None = None, code: str | None = None) -> Response:
    """The API's one error shape, with the status set and, for 401, the bearer challenge."""
    body = {
        "status": status,
        "code": code or CODES.get(status, "error"),
        "message": message or MESSAGES.get(status, "The request cannot be answered."),
    }
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="surveyapp"'
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    """A refusal raised on purpose."""
    return error_response(error.status, error.message, error.code)


@bp.errorhandler(NotFound)
def not_found(_error: NotFound) -> Response:
    """Out of the caller's scope, or not there at all (services.access): the same JSON 404."""
    return error_response(404, MESSAGES[404])


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (abort(404) from the scope checks, 405, 429) as JSON.

    Our own messages replace werkzeug's HTML-minded descriptions; a 400 keeps its
    description, which says what was wrong with the request.
    """
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    message = error.description if status == 400 else MESSAGES.get(status)
    return error_response(status, message)


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    """Anything else: logged with its traceback, rolled back, answered without details."""
    db.session.rollback()
    current_app.logger.exception("API error: %s", error)
    return error_response(500)


@bp.route("/", defaults={"path": ""}, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:path>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown(path: str) -> Response:
    """Any other address under /api/v1 (or a method the API does not offer): JSON, not HTML.

    Unmatched URLs belong to no blueprint, so without this route the app's HTML error pages
    would answer them; a known path with another method lands here as well.
    """
    if request.method in ("GET", "HEAD"):
        return error_response(404)
    response = error_response(405)
    response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response
