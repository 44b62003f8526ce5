"""SURVEYAPP_SMTP_* settings: defaults that fit each security mode, and typos refused at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.config import ConfigError, load_config


def test_the_port_follows_the_security_mode_unless_given(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SURVEYAPP_SMTP_HOST", "smtp.example.org")
    for security, port in (("ssl", 465), ("starttls", 587), ("none", 25)):
        monkeypatch.setenv("SURVEYAPP_SMTP_SECURITY", security)
        assert load_config("testing", tmp_path)["SURVEYAPP_SMTP_PORT"] == port
    monkeypatch.setenv("SURVEYAPP_SMTP_PORT", "2525")
    config = load_config("testing", tmp_path)
    assert config["SURVEYAPP_SMTP_PORT"] == 2525
    assert config["SURVEYAPP_SMTP_RATE_PER_MINUTE"] == 60


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "SECURITY",
            "tls",
            "SURVEYAPP_SMTP_SECURITY must be one of none, starttls, ssl, not 'tls'",
        ),
        ("RATE_PER_MINUTE", "0", "SURVEYAPP_SMTP_RATE_PER_MINUTE must be a whole number above 0"),
        ("PORT", "smtp", "SURVEYAPP_SMTP_PORT must be a whole number above 0, not 'smtp'"),
    ],
)
def test_a_mistyped_setting_stops_the_app_with_its_name(
    monkeypatch, tmp_path: Path, name: str, value: str, message: str
):
    monkeypatch.setenv(f"SURVEYAPP_SMTP_{name}", value)
    with pytest.raises(ConfigError, match=message):
        load_config("testing", tmp_path)
