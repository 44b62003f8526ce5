"""The access log gunicorn writes never holds a survey token."""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers import gunicorn


def test_gunicorn_logs_requests_to_survey_links_without_their_token(tmp_path: Path):
    token = "k2Vd0pYh1JvTqZrXWm8sN3oLbE6aGcRuFi4yHt7Q9wM"
    with gunicorn(f"sqlite:///{tmp_path / 'empty.db'}", "test", workers=1) as server:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/s/{token}/2",
            headers={"Referer": f"http://127.0.0.1:{server.port}/s/{token}"},
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
    assert '"GET /s/[token]/2 HTTP/1.1"' in server.log
    assert token not in server.log
