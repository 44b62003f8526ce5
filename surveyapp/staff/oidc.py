"""Signing in through the company's identity provider: OpenID Connect with Authlib.

The authorization code flow with PKCE (S256), `state` and `nonce`: Authlib keeps all three
in the signed session cookie, swaps the code for tokens over the back channel with the
client secret and the PKCE verifier, and checks the ID token's signature against the
provider's JWKS (fetched again when a token names a key it has not seen: key rotation) and
its issuer, audience, expiry and nonce. Everything the provider sends is checked before
services/sso.py decides who the person is here.

A provider that cannot be reached or is set up wrong gets a page that says so, with the
detail in the server's log only: no trace, no secret, no token reaches the browser.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from surveyapp.config import ConfigError
from surveyapp.extensions import db, limiter
from surveyapp.services.sso import Grant, Refusal, RoleMapError, parse_role_map, refuse, sign_in
from surveyapp.services.transaction import begin_writing
from surveyapp.staff.auth import (
    PER_ADDRESS_LIMIT,
    SIGNED_IN_BY_PROVIDER,
    open_session,
    safe_next,
)
from surveyapp.staff.blueprint import bp

CLIENT = "oidc"
GRANTS = "surveyapp.oidc_grants"  # app.extensions key: the parsed SURVEYAPP_OIDC_ROLE_MAP
NEXT = "sso_next"  # where to go after signing in, kept in the session across the round trip
TIMEOUT_SECONDS = 10  # a provider slower than this is treated as unreachable


class ProviderProblem(Exception):
    """The provider is unreachable or its discovery document does not fit the settings."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def init_oidc(app: Flask) -> None:
    """Register the provider with Authlib when SURVEYAPP_OIDC_ISSUER is set; check the map."""
    issuer = app.config["SURVEYAPP_OIDC_ISSUER"]
    if not issuer:
        return
    try:
        app.extensions[GRANTS] = parse_role_map(app.config["SURVEYAPP_OIDC_ROLE_MAP"])
    except RoleMapError as error:
        raise ConfigError(str(error)) from None
    OAuth(app).register(
        CLIENT,
        client_id=app.config["SURVEYAPP_OIDC_CLIENT_ID"],
        client_secret=app.config["SURVEYAPP_OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config["SURVEYAPP_OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def _client() -> Any:
    """The registered provider client, after its discovery document was read and checked."""
    oauth = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        abort(404)
    client = oauth.create_client(CLIENT)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderProblem("unreachable", f"discovery: {error}") from None
    expected = current_app.config["SURVEYAPP_OIDC_ISSUER"]
    if metadata.get("issuer") != expected:
        client.server_metadata.clear()  # read again next time, once the settings are fixed
        raise ProviderProblem(
            "misconfigured", f"discovery names issuer {metadata.get('issuer')!r}, not {expected!r}"
        )
    return client


def _redirect_uri() -> str:
    return f"{current_app.config['SURVEYAPP_BASE_URL']}{url_for('staff.sso_callback')}"


@bp.errorhandler(ProviderProblem)
def provider_problem(error: ProviderProblem) -> ResponseReturnValue:
    """The provider is down or misconfigured: say so, keep the detail for the log."""
    current_app.logger.warning("identity provider %s", error)
    db.session.rollback()
    return render_template("staff/sso_error.html", kind=error.kind), 502


@bp.get("/login/sso")
def sso_start() -> ResponseReturnValue:
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    client = _client()
    session[NEXT] = safe_next(request.args.get("next"))
    return client.authorize_redirect(_redirect_uri())


@bp.get("/login/sso/callback")
@limiter.limit(PER_ADDRESS_LIMIT)
def sso_callback() -> ResponseReturnValue:
    """Check what the provider sent back, then sign the person in or say why not."""
    client = _client()
    try:
        token = client.authorize_access_token(claims_options=_claims_options())
    except MismatchingStateError:
        return _refused("state does not match this browser's sign-in")
    except OAuthError as error:
        return _refused(f"provider refused: {error.error}")
    except JoseError as error:
        return _refused(f"ID token rejected: {error.error}")
    except (requests.RequestException, ValueError) as error:
        raise ProviderProblem("unreachable", f"token: {error}") from None
    claims = token.get("userinfo")
    if not claims:
        return _refused("no ID token (is `openid` in SURVEYAPP_OIDC_SCOPES?)")
    begin_writing()
    grants: dict[str, Grant] = current_app.extensions[GRANTS]
    outcome = sign_in(db.session, claims, current_app.config["SURVEYAPP_OIDC_ROLE_CLAIM"], grants)
    if isinstance(outcome, Refusal):
        db.session.commit()
        return render_template("staff/sso_error.html", kind="refused", reason=outcome.reason), 403
    target = session.get(NEXT) or url_for("staff.home")
    open_session((outcome.id, outcome.email, outcome.role))
    session[SIGNED_IN_BY_PROVIDER] = True
    return Response(status=303, headers={"Location": target})


def _claims_options() -> dict[str, dict[str, Any]]:
    """The ID token must come from our issuer and be meant for us.

    Authlib checks the audience only through `azp` unless told: a token for another client
    that named us as its authorized party would pass. Given anew each time: Authlib changes it.
    """
    return {
        "iss": {"essential": True, "value": current_app.config["SURVEYAPP_OIDC_ISSUER"]},
        "aud": {"essential": True, "value": current_app.config["SURVEYAPP_OIDC_CLIENT_ID"]},
    }


def _refused(reason: str) -> ResponseReturnValue:
    """Audit a sign-in stopped before anyone was known, and say it did not work."""
    begin_writing()
    refuse(db.session, reason, {"address": request.remote_addr or ""})
    db.session.commit()
    return render_template("staff/sso_error.html", kind="refused", reason=None), 400


@bp.get("/logout/sso")
def sso_logout() -> ResponseReturnValue:
    """After signing out here, sign out at the provider too, when it offers that.

    A page that moves on by itself rather than a redirect: the sign-out form may only post to
    this site (Content-Security-Policy form-action 'self'), and browsers hold a form's
    redirects to that rule, so the step to the provider starts from a page of ours.
    """
    try:
        client = _client()
    except ProviderProblem as error:  # signed out here already; the provider can wait
        current_app.logger.warning("identity provider %s", error)
        client = None
    if client is None or not client.server_metadata.get("end_session_endpoint"):
        return Response(status=303, headers={"Location": url_for("staff.login")})
    back = f"{current_app.config['SURVEYAPP_BASE_URL']}{url_for('staff.login')}"
    url = client.create_logout_url(
        post_logout_redirect_uri=back, client_id=current_app.config["SURVEYAPP_OIDC_CLIENT_ID"]
    )["url"]
    return render_template("staff/sso_logout.html", url=url)
