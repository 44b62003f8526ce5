"""Browser fixtures: the app on a live local server, Chromium through Playwright, axe-core.

The tests skip only when Debian's `chromium` or the npm package axe-core is missing (`make
test` installs both); any other failure is a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from tests.browser.axe import Axe
from tests.harness import REPO_DIR

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served by a real HTTP server on a free local port; its base URL.

    The server thread shares the test database (SQLite file or PostgreSQL) with the test, so
    rows the test writes are what the browser sees, and what the browser submits is checked
    in the database afterwards.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for this package's tests; Playwright downloads none."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """The axe-core auditor, from the version package-lock.json pins."""
    if not AXE_SOURCE.exists():
        pytest.skip(f"{AXE_SOURCE.relative_to(REPO_DIR)} is missing (run `npm ci`)")
    return Axe(AXE_SOURCE.read_text(encoding="utf-8"))
