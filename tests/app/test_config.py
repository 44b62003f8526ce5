"""Configuration comes from SURVEYAPP_* variables; production refuses to run without a secret."""

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.config import ConfigError, load_config
from surveyapp.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.delenv("SURVEYAPP_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SURVEYAPP_SECRET_KEY"):
        create_app()


def test_production_uses_the_given_secret_and_secure_cookies(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "s" * 64)
    monkeypatch.setenv("SURVEYAPP_WORKERS", "1")
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    config = load_config("production", tmp_path / "instance")
    assert config["SECRET_KEY"] == "s" * 64
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_secret_is_generated_once_and_kept_private(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("SURVEYAPP_SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    first = load_config("development", instance)["SECRET_KEY"]
    second = load_config("development", instance)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_database_defaults_to_a_sqlite_file_under_instance(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("SURVEYAPP_DATABASE_URL", raising=False)
    config = load_config("testing", tmp_path / "instance")
    assert (
        config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'surveyapp.db'}"
    )


def test_an_unknown_mode_is_named(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SURVEYAPP_ENV", "staging")
    with pytest.raises(ConfigError, match="'staging'"):
        load_config(None, tmp_path)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite connection settings")
    with app.app_context():
        pragma = lambda name: db.session.execute(sa.text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000


@pytest.mark.parametrize("value", ["one", "-1", "\u0661"])
def test_a_proxy_count_that_is_not_a_whole_number_stops_the_app(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SURVEYAPP_PROXY_HOPS", value)
    with pytest.raises(
        ConfigError, match="SURVEYAPP_PROXY_HOPS must be a whole number of at least 0"
    ):
        load_config("testing", tmp_path)


def test_production_with_several_workers_refuses_limits_kept_in_memory(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "s" * 64)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.delenv("SURVEYAPP_REDIS_URL", raising=False)
    monkeypatch.setenv("SURVEYAPP_WORKERS", "3")
    with pytest.raises(
        ConfigError, match=r"SURVEYAPP_REDIS_URL must be set .* SURVEYAPP_WORKERS is 3"
    ):
        load_config("production", tmp_path / "instance")
    assert load_config("development", tmp_path / "instance")["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("SURVEYAPP_REDIS_URL", "redis://127.0.0.1:6379/15")
    shared = load_config("production", tmp_path / "instance")
    assert shared["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"
    monkeypatch.delenv("SURVEYAPP_REDIS_URL")
    monkeypatch.setenv("SURVEYAPP_WORKERS", "1")
    assert load_config("production", tmp_path / "instance")["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"OIDC_ISSUER": "https://idp.example.org"}, "needs SURVEYAPP_OIDC_CLIENT_ID"),
        ({"LOCAL_LOGIN": "off"}, "needs SURVEYAPP_OIDC_ISSUER"),
        ({"LOCAL_LOGIN": "maybe"}, "must be on or off, not 'maybe'"),
    ],
)
def test_half_a_sign_in_setup_stops_the_app(monkeypatch, tmp_path, settings, message):
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "LOCAL_LOGIN"):
        monkeypatch.delenv(f"SURVEYAPP_{name}", raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(f"SURVEYAPP_{name}", value)
    with pytest.raises(ConfigError, match=message):
        load_config("testing", tmp_path)


@pytest.mark.parametrize(
    ("role_map", "message"),
    [
        ("admins", r"entry 1 \('admins'\): write claim-value=role"),
        ("a=admin; b=boss", r"entry 2 \('b=boss'\): 'boss' is not one of"),
        ("cm=change_manager", "units go with change_manager, and it needs some"),
        ("hr=hr:OPS", "units go with change_manager"),
        ("a=admin;a=hr", "'a' is mapped twice"),
    ],
)
def test_a_role_map_typo_stops_the_app_naming_the_entry(role_map, message):
    settings = {
        "SURVEYAPP_OIDC_ISSUER": "https://idp.example.org",
        "SURVEYAPP_OIDC_CLIENT_ID": "surveyapp",
        "SURVEYAPP_OIDC_CLIENT_SECRET": "secret",
        "SURVEYAPP_OIDC_ROLE_MAP": role_map,
    }
    with pytest.raises(ConfigError, match=message):
        create_app(settings)
