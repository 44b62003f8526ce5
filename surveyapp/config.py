"""Settings read from SURVEYAPP_* environment variables, checked at start.

`load_config(mode, ...)` builds one mapping for the mode (development, testing, production)
from the environment when the app is created (never at import), so a test or a command can
set variables first and get a matching configuration.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

CHECKOUT_DIR = Path(__file__).resolve().parent.parent
MODES = ("development", "production", "testing")
SESSION_LIFETIME = timedelta(hours=8)  # a staff sign-in lasts one working day at most
MAX_REQUEST_BYTES = 1024 * 1024  # larger bodies get 413 (upload pages may raise it)
SMTP_SECURITY = {"none": 25, "starttls": 587, "ssl": 465}  # each mode and its usual port
DEFAULT_MAIL_RATE = 60  # messages per minute; most relays accept this without throttling
DEFAULT_OIDC_SCOPES = "openid email profile"


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app can run with."""


def _env(name: str, default: str | None = None) -> str | None:
    """Read SURVEYAPP_<name>, treating an empty value as unset."""
    value = os.environ.get(f"SURVEYAPP_{name}", "").strip()
    return value or default


def _whole_number(name: str, default: int, minimum: int) -> int:
    """SURVEYAPP_<name> as a whole number of at least `minimum`; anything else stops the app."""
    value = _env(name, str(default)) or ""
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        limit = "above 0" if minimum == 1 else f"of at least {minimum}"
        raise ConfigError(f"SURVEYAPP_{name} must be a whole number {limit}, not {value!r}")
    return int(value)


def worker_count() -> int:
    """How many gunicorn workers serve (SURVEYAPP_WORKERS; two per core plus one)."""
    return _whole_number("WORKERS", multiprocessing.cpu_count() * 2 + 1, 1)


def _limit_storage(mode: str) -> str:
    """Where the rate limits count: Redis when set, else this process's memory.

    Counted in memory, each worker keeps its own counts and every limit is multiplied by the
    number of workers, so production with several workers refuses to start without Redis.
    """
    storage = _env("REDIS_URL", "memory://") or "memory://"
    workers = worker_count()
    if mode == "production" and workers > 1 and storage.startswith("memory://"):
        raise ConfigError(
            f"SURVEYAPP_REDIS_URL must be set in production when SURVEYAPP_WORKERS is {workers}: "
            "rate limits kept in memory would count each worker apart "
            "(or set SURVEYAPP_WORKERS=1)"
        )
    return storage


def _dev_secret_key(instance_path: Path) -> str:
    """Return the development secret kept under instance/, creating it once.

    Generated rather than hard-coded so that no two checkouts share a key and sessions
    survive restarts of the development server.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def load_config(mode: str | None, instance_path: Path) -> dict[str, Any]:
    """Build the Flask configuration for `mode` (default: SURVEYAPP_ENV or development)."""
    mode = mode or _env("ENV", "development")
    if mode not in MODES:
        raise ConfigError(f"SURVEYAPP_ENV must be one of {', '.join(MODES)}, not {mode!r}")
    secret_key = _env("SECRET_KEY")
    if secret_key is None:
        if mode == "production":
            raise ConfigError("SURVEYAPP_SECRET_KEY must be set in production")
        secret_key = secrets.token_hex(32) if mode == "testing" else _dev_secret_key(instance_path)
    database_url = _env("DATABASE_URL")
    if database_url is None:
        instance_path.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance_path / 'surveyapp.db'}"
    return {
        "ENV_MODE": mode,
        "TESTING": mode == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SURVEYAPP_INSTRUMENTS_DIR": Path(
            _env("INSTRUMENTS_DIR", str(CHECKOUT_DIR / "instruments"))
        ),
        "SURVEYAPP_BASE_URL": _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SURVEYAPP_LOCALES": tuple(_env("LOCALES", "en,es").split(",")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "PERMANENT_SESSION_LIFETIME": SESSION_LIFETIME,
        "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # valid for the session: a respondent may pause for hours
        "WTF_I18N_ENABLED": False,  # our forms carry their own translated messages
        "SURVEYAPP_REDIS_URL": _env("REDIS_URL"),
        "SURVEYAPP_BRIEFS_DIR": Path(_env("BRIEFS_DIR", str(instance_path / "briefs"))),
        "SURVEYAPP_QUEUE": _env("QUEUE", "surveyapp"),
        # Proxies in front that set X-Forwarded-For/-Proto; 0 trusts no such header.
        "SURVEYAPP_PROXY_HOPS": _whole_number("PROXY_HOPS", 0, 0),
        # Limits must be shared by every worker: Redis when there are several.
        "RATELIMIT_STORAGE_URI": _limit_storage(mode),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        **_smtp_settings(),
        **_oidc_settings(),
    }


def _smtp_settings() -> dict[str, Any]:
    """The outgoing mail server; unset SURVEYAPP_SMTP_HOST means email is not set up.

    Checked here, when the app starts, so a typo in the security mode or the rate is a clear
    error at once rather than a failed batch of invitations later.
    """
    security = _env("SMTP_SECURITY", "starttls").lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(
            f"SURVEYAPP_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}"
        )
    rate = _whole_number("SMTP_RATE_PER_MINUTE", DEFAULT_MAIL_RATE, 1)
    return {
        "SURVEYAPP_SMTP_HOST": _env("SMTP_HOST"),
        "SURVEYAPP_SMTP_PORT": _whole_number("SMTP_PORT", SMTP_SECURITY[security], 1),
        "SURVEYAPP_SMTP_USERNAME": _env("SMTP_USERNAME"),
        # not stripped: a password may begin or end with a space
        "SURVEYAPP_SMTP_PASSWORD": os.environ.get("SURVEYAPP_SMTP_PASSWORD") or None,
        "SURVEYAPP_SMTP_FROM": _env("SMTP_FROM"),
        "SURVEYAPP_SMTP_SECURITY": security,
        "SURVEYAPP_SMTP_RATE_PER_MINUTE": rate,
    }


def _oidc_settings() -> dict[str, Any]:
    """Sign-in through the company's identity provider (docs/sso.md); unset issuer means none.

    Half a configuration (an issuer without its client, local passwords off with no provider
    to sign in through) stops the app at start rather than locking staff out at sign-in.
    """
    issuer = _env("OIDC_ISSUER")
    client_id = _env("OIDC_CLIENT_ID")
    # not stripped: a secret may begin or end with a space
    client_secret = os.environ.get("SURVEYAPP_OIDC_CLIENT_SECRET") or None
    if issuer and not (client_id and client_secret):
        raise ConfigError(
            "SURVEYAPP_OIDC_ISSUER needs SURVEYAPP_OIDC_CLIENT_ID and SURVEYAPP_OIDC_CLIENT_SECRET"
        )
    local_login = (_env("LOCAL_LOGIN", "on") or "on").lower()
    if local_login not in ("on", "off"):
        raise ConfigError(f"SURVEYAPP_LOCAL_LOGIN must be on or off, not {local_login!r}")
    if local_login == "off" and not issuer:
        raise ConfigError("SURVEYAPP_LOCAL_LOGIN=off needs SURVEYAPP_OIDC_ISSUER to sign in with")
    return {
        "SURVEYAPP_OIDC_ISSUER": issuer,
        "SURVEYAPP_OIDC_CLIENT_ID": client_id,
        "SURVEYAPP_OIDC_CLIENT_SECRET": client_secret,
        "SURVEYAPP_OIDC_SCOPES": _env("OIDC_SCOPES", DEFAULT_OIDC_SCOPES),
        "SURVEYAPP_OIDC_NAME": _env("OIDC_NAME", "your company account"),
        "SURVEYAPP_OIDC_ROLE_CLAIM": _env("OIDC_ROLE_CLAIM", "groups"),
        "SURVEYAPP_OIDC_ROLE_MAP": _env("OIDC_ROLE_MAP", ""),
        "SURVEYAPP_LOCAL_LOGIN": local_login == "on",
    }
