"""The access log gunicorn writes never holds a survey token."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO_DIR


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_logs_requests_to_survey_links_without_their_token(tmp_path: Path):
    port = _free_port()
    token = "k2Vd0pYh1JvTqZrXWm8sN3oLbE6aGcRuFi4yHt7Q9wM"
    env = os.environ | {
        "SURVEYAPP_BIND": f"127.0.0.1:{port}",
        "SURVEYAPP_WORKERS": "1",
        "SURVEYAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "SURVEYAPP_SECRET_KEY": "test",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "surveyapp:create_app()"],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/s/{token}/2",
                    headers={"Referer": f"http://127.0.0.1:{port}/s/{token}"},
                )
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        log, _ = server.communicate(timeout=30)
    assert '"GET /s/[token]/2 HTTP/1.1"' in log
    assert token not in log
