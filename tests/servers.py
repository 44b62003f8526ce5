"""The app under gunicorn in a subprocess, as production runs it, for tests that need real
workers (access logs, restarts, killed workers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness import REPO_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """A running gunicorn: its port and process; `log` holds its output once it stopped."""

    port: int
    process: subprocess.Popen
    log: str = ""

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


@contextmanager
def gunicorn(
    database_url: str, secret_key: str, workers: int = 2, settings: dict[str, str] | None = None
) -> Iterator[Gunicorn]:
    """Serve the app on a free port until the block ends; waits for /healthz first.

    `settings` adds SURVEYAPP_* variables (a Redis URL for shared limits, say).
    """
    port = free_port()
    env = os.environ | {
        "SURVEYAPP_BIND": f"127.0.0.1:{port}",
        "SURVEYAPP_WORKERS": str(workers),
        "SURVEYAPP_DATABASE_URL": database_url,
        "SURVEYAPP_SECRET_KEY": secret_key,
        **(settings or {}),
    }
    binary = Path(sys.executable).parent / "gunicorn"
    # A file, not a pipe: nobody reads a pipe while the test runs, and workers that log a
    # burst of errors (a database restart) would block once its 64 KiB buffer is full.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        process = subprocess.Popen(
            [str(binary), "--config", "gunicorn.conf.py", "surveyapp:create_app()"],
            cwd=REPO_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        server = Gunicorn(port, process)

        def log() -> str:
            output.seek(0)
            return output.read()

        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    assert process.poll() is None, log()
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            server.log = log()
