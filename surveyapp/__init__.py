"""surveyapp: the application factory. Importing the package stays cheap; create_app wires."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000"  # a year of HTTPS only, once a browser has seen the site over it
PRIVATE_BLUEPRINTS = ("staff", "api")  # pages and answers about people and their results
PUBLIC_ENDPOINTS = ("api.openapi_json",)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `test_config` (testing mode) overrides settings."""
    from surveyapp import config

    app = Flask(__name__, instance_relative_config=True)
    mode = "testing" if test_config is not None else None
    app.config.update(config.load_config(mode, Path(app.instance_path)))
    app.config.update(test_config or {})
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    app.before_request(refuse_nul_in_address)
    app.after_request(add_security_headers)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind SURVEYAPP_PROXY_HOPS proxies, take the client's address and scheme from them.

    The per-address limits (sign-in, missed survey links, the API) then count each user, not
    the proxy; with no proxy configured the headers are ignored, so a client cannot forge an
    address to escape its limit.
    """
    hops = app.config["SURVEYAPP_PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and the per-connection database settings."""
    from surveyapp.database import install_connection_settings
    from surveyapp.extensions import babel, csrf, db, limiter, login_manager, migrate
    from surveyapp.i18n import select_locale

    install_connection_settings()
    babel.init_app(app, locale_selector=select_locale)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    app.teardown_appcontext(close_session_quietly)


def close_session_quietly(_error: BaseException | None) -> None:
    """End the request's session even if its connection died after the page was made.

    When PostgreSQL restarts between a request's last query and its end, the closing ROLLBACK
    fails; the page is already right, so the connection is discarded instead of turning the
    answer into a 500. Runs before Flask-SQLAlchemy's own teardown (teardowns run in reverse).
    """
    from sqlalchemy.exc import DBAPIError

    from surveyapp.extensions import db

    try:
        db.session.remove()
    except DBAPIError:
        db.session().invalidate()
        db.session.remove()


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints; each feature brings its own."""
    from surveyapp.api import bp as api_bp
    from surveyapp.health import bp as health_bp
    from surveyapp.staff import bp as staff_bp
    from surveyapp.staff import root as root_bp
    from surveyapp.staff.oidc import init_oidc
    from surveyapp.survey import bp as survey_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(staff_bp)
    init_oidc(app)  # the staff sign-in through the identity provider, when one is set
    app.register_blueprint(root_bp)
    app.register_blueprint(api_bp)


def register_errorhandlers(app: Flask) -> None:
    """Plain error pages: the status and what to do, never a stack trace.

    Respondents get theirs in their language and layout; a database that is down or
    restarting is a 503 to try again (the survey's draft is kept), not a 500.
    """
    from flask import render_template, request
    from sqlalchemy.exc import InterfaceError, OperationalError
    from werkzeug.exceptions import (
        HTTPException,
        InternalServerError,
        NotFound,
        ServiceUnavailable,
    )

    from surveyapp import errors
    from surveyapp.extensions import db

    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        if status >= 500:
            db.session.rollback()
        template = "survey/error.html" if request.blueprint == "survey" else "errors/error.html"
        return render_template(template, error=error, status=status), status

    def database_unavailable(error: Exception) -> tuple[str, int]:
        app.logger.warning("database unavailable: %s", error)
        db.session.rollback()
        page, status = http_error(ServiceUnavailable())
        return page, status, {"Retry-After": "5"}

    def unexpected(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("unhandled error: %s", error)
        return http_error(InternalServerError())

    def not_found(_error: errors.NotFound) -> tuple[str, int]:
        return http_error(NotFound())

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(errors.NotFound, not_found)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)
    app.register_error_handler(Exception, unexpected)


def refuse_nul_in_address() -> None:
    """A NUL in the path or a query parameter names no page, and PostgreSQL refuses it in
    the lookup a view would make with it (a 500): answer 404 before any view runs."""
    from flask import abort, request

    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        abort(404)


def add_security_headers(response: Any) -> Any:
    """Every response forbids inline script, framing and MIME sniffing (docs/security.md, C6).

    Staff pages and API answers are never stored by a browser or proxy (a shared computer's
    back button or cache would show the next person results, rosters or audit entries), and
    where cookies are Secure, HSTS keeps browsers on HTTPS.
    """
    from flask import current_app, request

    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.blueprint in PRIVATE_BLUEPRINTS and request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
