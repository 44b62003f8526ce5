"""A real OpenID provider (node `oidc-provider`, pinned by package-lock.json) on the loopback
address, and a person signing in at it with `requests`, as their browser would."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from tests.harness import REPO_DIR

SCRIPT = REPO_DIR / "tests" / "sso" / "provider.mjs"
PACKAGE = REPO_DIR / "node_modules" / "oidc-provider"
CLIENT_ID = "surveyapp"
CLIENT_SECRET = "a-test-client-secret-of-some-length"
CALLBACK = "/staff/login/sso/callback"


def provider_settings(port: int, **more: Any) -> dict[str, Any]:
    """The app settings that sign staff in through the provider on `port` (started or not:
    the app reads its discovery document only at the first sign-in)."""
    return {
        "SURVEYAPP_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        "SURVEYAPP_OIDC_CLIENT_ID": CLIENT_ID,
        "SURVEYAPP_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "SURVEYAPP_OIDC_SCOPES": "openid email profile groups",
        "SURVEYAPP_OIDC_NAME": "Test IdP",
        **more,
    }


@contextmanager
def oidc_provider(
    port: int, base_url: str, accounts: dict[str, dict[str, Any]], fault: str | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Run the provider on `port` until the block ends, with a client whose redirect is at
    `base_url`. Each start makes new signing keys: starting again on the same port is a key
    rotation at the same issuer."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        pytest.skip("node or node_modules/oidc-provider is missing (run `npm ci`)")
    settings = {
        "port": port,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{base_url}{CALLBACK}"],
            "post_logout_redirect_uris": [f"{base_url}/staff/login"],
        },
        "accounts": accounts,
        "fault": fault,
    }
    process = subprocess.Popen(
        [node, str(SCRIPT), json.dumps(settings)],
        cwd=REPO_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    said = ""
    for line in process.stdout:  # until it listens, or ends with its error
        said += line
        if line.startswith("ready "):
            break
    else:
        raise AssertionError(f"the provider did not start: {said}{process.communicate()[0]}")
    try:
        yield process
    finally:
        process.terminate()
        process.communicate(timeout=30)


class _Form(HTMLParser):
    """The first form of a page: where it posts, and its hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = named.get("action") or ""
        if tag == "input" and named.get("type") == "hidden" and named.get("name"):
            self.fields[named["name"] or ""] = named.get("value") or ""


def sign_in_at_provider(authorize_url: str, login: str) -> str:
    """Follow the app's redirect to the provider, type `login` into its form, and return the
    URL the provider sends the browser back to (the app's callback with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        answer = browser.get(url, allow_redirects=False, timeout=30)
        if answer.status_code == 200:
            form = _Form()
            form.feed(answer.text)
            assert form.action is not None, answer.text
            data = {**form.fields, "login": login, "password": "any"}
            answer = browser.post(
                urljoin(url, form.action), data=data, allow_redirects=False, timeout=30
            )
        location = urljoin(answer.url, answer.headers["Location"])
        if CALLBACK in location:
            return location
        url = location
    raise AssertionError("the provider never sent the browser back")
