"""Under real gunicorn workers: the logs never hold a survey token or an API key, however it
was encoded, and the sign-in limit is one limit across workers when Redis holds it."""

from __future__ import annotations

import http.client
import json
import re
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from surveyapp.serving import redact
from tests.servers import gunicorn

TOKEN = "k2Vd0pYh1JvTqZrXWm8sN3oLbE6aGcRuFi4yHt7Q9wM"
API_KEY = "sapi_Zq3xW8vN1mK5pR7tY2uI9oL4kJ6hG0fD3sA8dF1gH5j"
ENCODED = "".join(f"%{ord(char):02X}" for char in TOKEN)  # every character escaped
SURVEY_PATHS = [
    f"/s/{TOKEN}",
    f"/s/{TOKEN}/2",
    f"/%73/{TOKEN}",
    f"/s%2F{TOKEN}",
    f"/s%2f{TOKEN}/2",
    f"/%2573/{TOKEN}",
    f"/%73%2F{ENCODED}",
    f"//s//{TOKEN}",
    f"/s/./{TOKEN}",
    f"/S/{TOKEN}",
    f"/staff/login?next=/s/{TOKEN}",
    f"/staff/login?next={quote(f'/s/{TOKEN}', safe='')}",
]
API_PATHS = [
    f"/api/v1/campaigns?access_token={API_KEY}",
    f"/api/v1/campaigns?access%5Ftoken={API_KEY}",
    f"/api/v1/campaigns?token={quote(API_KEY)}",
    f"/api/v1/campaigns?x=1&ACCESS_TOKEN={API_KEY}",
]


def _forms(secret: str) -> list[str]:
    """Every way the secret could be written into a log line."""
    return [secret, quote(secret), "".join(f"%{ord(c):02X}" for c in secret), secret[:20]]


def test_gunicorn_logs_every_encoding_of_a_secret_redacted(tmp_path: Path):
    answers: dict[str, tuple[int, dict]] = {}
    with gunicorn(f"sqlite:///{tmp_path / 'empty.db'}", "test", workers=1) as server:
        for path in SURVEY_PATHS + API_PATHS:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            referer = f"http://127.0.0.1:{server.port}{path}"
            headers = {"Referer": referer, "Authorization": f"Bearer {API_KEY}"}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            answers[path] = (
                response.status,
                json.loads(body)["error"] if path in API_PATHS else {},
            )
            connection.close()
    for form in _forms(TOKEN) + _forms(API_KEY):
        assert form not in server.log, form
    assert '"GET /s/[token]/2 HTTP/1.1"' in server.log
    assert server.log.count("/s/[token]") >= 2 * len(SURVEY_PATHS) - 2  # path and Referer
    assert "access_token=[redacted]" in server.log
    for path in API_PATHS:
        status, error = answers[path]
        assert status == 400 and error["code"] == "token_in_url", path
        assert "Authorization: Bearer" in error["message"]


def test_redaction_reads_parts_as_the_router_would_and_leaves_the_rest():
    assert redact(f'"GET /%2573%252F{TOKEN} HTTP/1.1"') == '"GET /s/[token] HTTP/1.1"'
    assert redact(f"http://host/s/{TOKEN}") == "http://host/s/[token]"
    assert redact(f"/\\s\\{TOKEN}") == "/s/[token]"
    assert redact(f"Authorization: Bearer {API_KEY}") == "Authorization: Bearer [redacted]"
    untouched = '127.0.0.1 - - "GET /staff/campaigns/x%20y/?page=2 HTTP/1.1" 200 "http://h//a"'
    assert redact(untouched) == untouched


def _sign_in_attempt(port: int, email: str) -> int:
    """One wrong password from a fresh connection (either worker may take it): the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/staff/login")
    form = connection.getresponse()
    page = form.read().decode()
    cookie = form.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"email": email, "password": "not the password", "csrf_token": token})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/staff/login", body=body, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_two_workers_count_wrong_passwords_as_one_limit_through_redis(database_url):
    email = f"guess-{uuid.uuid4().hex}@example.org"  # a key no other run has counted
    redis = {"SURVEYAPP_REDIS_URL": "redis://127.0.0.1:6379/13"}
    with gunicorn(database_url, "test", workers=2, settings=redis) as server:
        statuses = [_sign_in_attempt(server.port, email) for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
