"""Nothing a respondent was told is stored gets lost: PostgreSQL restarts and killed workers.

Respondents walk whole surveys against gunicorn on PostgreSQL while the test restarts the
database server and then kills a web worker mid-load. Every failure must be a 503 page or a
dropped connection, and a respondent who retries with the same link finishes: in the end
every link is acknowledged with the received page and stored exactly once.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Invitation, Response
from tests.plugins.survey import LANG, PAGE_URL, form_token, make_campaign, radio_answers
from tests.servers import gunicorn

PEOPLE = 48
CLIENTS = 8
RECEIVED = "Your answers have been received"
DATABASE_URL = os.environ.get("SURVEYAPP_TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql") or shutil.which("pg_ctlcluster") is None,
    reason="restarts the PostgreSQL server: runs in the PostgreSQL pass of .ci/run",
)


class Unavailable(Exception):
    """A 503 page or a connection that dropped: the respondent tries again."""


class Browser:
    """A respondent's browser: keeps its cookie, never follows redirects by itself."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Accept-Language": "en", "Cookie": self.cookie}
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
        except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
            raise Unavailable(type(error).__name__) from None
        finally:
            connection.close()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        if response.status == 503:
            raise Unavailable("503")
        assert response.status in (200, 302), (response.status, text[:300])
        return response.status, response.getheader("Location") or "", text


def walk(browser: Browser, start: str) -> None:
    """From the link to the received page, resuming the draft wherever it stands."""
    status, location, html = browser.send("GET", start)
    if RECEIVED in html:
        return
    if status == 200:
        _, location, _ = browser.send("POST", start, {"csrf_token": form_token(html)})
    while PAGE_URL.search(location):
        _, _, html = browser.send("GET", location)
        form = radio_answers(html) | {"csrf_token": form_token(html), "action": "next"}
        form["lang"] = LANG.search(html).group(1)
        _, location, _ = browser.send("POST", location, form)
    _, _, html = browser.send("GET", location)
    assert RECEIVED in html


def restart_postgresql() -> None:
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        timeout=60,
    )


def test_a_database_restart_and_a_killed_worker_lose_no_acknowledged_submission(app, run):
    setup = make_campaign(app, run, mode="confidential", people=PEOPLE, open_now=True)
    starts = [setup.path(person) for person in setup.people]
    pending = list(starts)
    acknowledged: list[str] = []
    failures: list[str] = []
    broken: list[str] = []
    lock = threading.Lock()

    with gunicorn(DATABASE_URL, app.config["SECRET_KEY"]) as server:

        def respondent() -> None:
            browser = Browser(server.port)
            while True:
                with lock:
                    if not pending:
                        return
                    start = pending.pop()
                    browser.cookie = ""
                for _attempt in range(100):
                    try:
                        walk(browser, start)
                    except Unavailable as why:
                        with lock:
                            failures.append(str(why))
                        time.sleep(0.1)
                    except Exception as error:  # anything else fails the test, below
                        with lock:
                            broken.append(f"{start}: {error!r}")
                        return
                    else:
                        with lock:
                            acknowledged.append(start)
                        break

        threads = [threading.Thread(target=respondent) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        while len(acknowledged) < PEOPLE // 3:
            time.sleep(0.05)
        restart_postgresql()
        while len(acknowledged) < 2 * PEOPLE // 3:
            time.sleep(0.05)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=300)

    assert not broken, (broken, server.log[-3000:])
    assert sorted(acknowledged) == sorted(starts)
    assert set(failures) <= {"503", "RemoteDisconnected", "ConnectionResetError"}, failures
    with app.app_context():
        stored = db.session.scalars(sa.select(Response.invitation_id)).all()
        submitted = db.session.scalars(
            sa.select(Invitation.id).where(Invitation.status == "submitted")
        ).all()
    assert len(stored) == len(set(stored)) == PEOPLE
    assert sorted(stored) == sorted(submitted)
