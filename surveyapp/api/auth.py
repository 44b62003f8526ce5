"""Who is asking: the bearer token on every API request, resolved to its user's role and scope.

Only the OpenAPI document is public. Everything else needs `Authorization: Bearer <token>`;
a missing, unknown or revoked token, or one whose user is deactivated, gets 401 and no hint
of which it was. A token anywhere else (`?access_token=`, `?token=`) is refused unread: URLs
end up in logs, histories and Referers (the access log redacts them, see serving.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from surveyapp.api.blueprint import bp
from surveyapp.api.errors import ApiError
from surveyapp.extensions import db
from surveyapp.services.api_tokens import (
    authenticate_api_token,
    touch_api_token,
    use_is_stale,
)

PUBLIC_ENDPOINTS = frozenset({"api.openapi_json"})
MAX_TOKEN_LENGTH = 200
CREDENTIAL_PARAMETERS = frozenset({"access_token", "token", "api_key", "apikey", "key", "bearer"})
IN_THE_HEADER = "Send the API token only as 'Authorization: Bearer <token>', never in the URL."


@dataclass(frozen=True)
class Caller:
    """The user behind the request's token, as the scope checks and the audit trail need it."""

    user_id: int
    email: str
    role: str
    token_id: int

    @property
    def actor(self) -> str:
        """How the audit trail names this caller: the user's email, marked as an API read."""
        return f"{self.email} (api)"


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if the request has one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


@bp.before_request
def authenticate() -> None:
    """Resolve the token before any resource runs; refuse the request without a live one."""
    if any(name.lower() in CREDENTIAL_PARAMETERS for name in request.args):
        raise ApiError(400, IN_THE_HEADER, "token_in_url")
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    secret = bearer_token()
    token = authenticate_api_token(db.session, secret) if secret else None
    if token is None:
        db.session.rollback()
        raise ApiError(401)
    g.api_caller = Caller(token.user_id, token.user.email, token.user.role, token.id)
    if use_is_stale(token):
        db.session.commit()  # end the read, so that the update below starts as a writer
        touch_api_token(db.session, token.id)
        db.session.commit()


def caller() -> Caller:
    """The authenticated caller of this request."""
    return g.api_caller
