"""Respondent traffic under gunicorn: survey page views and final-page submissions per second.

For each database (a temporary SQLite file, and a throw-away PostgreSQL database on
postgres@127.0.0.1), an open campaign of the adoption-readiness instrument (3 pages, 20
Likert items) is built with enough invited people that every submission in the run has a link
of its own; each link already has a draft with pages 1 and 2 answered, so the measured POST is
the last page submitting the survey. The app is served by gunicorn (the checkout's
gunicorn.conf.py, 2 sync workers, access log off) and driven by concurrent clients that keep
their session cookie and CSRF token like a browser: GET of page 1, then POST of the last page
(`action=next`), each to a different link, expecting 302 to `/s/<token>`.

In the same run, a bare Flask app (a 20-radio form from a Jinja template, CSRF on,
a POST that inserts one row of 20 integers with SQLAlchemy Core into the same kind of
database) is served with the same settings and driven the same way, as the baseline. Targets:
submissions at least half the bare rate, survey p99 under 150 ms at 32 clients.

    .venv/bin/python benchmarks/respondent.py [--seconds 10] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from common import gunicorn_server
from http_load import (
    BARE_APP,
    BARE_URL_VARIABLE,
    BENCH_DIR,
    CLIENTS,
    WARMUP_SECONDS,
    BareTraffic,
    Browser,
    Phase,
    answers,
    backend_urls,
    invited_campaign,
    load,
    prepare_bare,
    write_log_tail,
)

LINKS_PER_SECOND = 1000  # more than 2 workers can submit, so the links never run out
TARGET_POST_RATIO = 0.5
TARGET_P99_MS = 150.0


def prepare_survey(url: str, people: int, secret_key: str) -> tuple[list[str], int]:
    """Invite `people` and give each a draft at the last page; (tokens, pages)."""
    with invited_campaign(url, people, secret_key, "respondent-bench") as survey:
        survey.add_drafts(dict.fromkeys(survey.invitations, len(survey.pages) - 1))
    return survey.tokens, len(survey.pages)


@dataclass
class SurveyTraffic:
    """Page 1 views across all links; last-page submissions, one link each."""

    tokens: list[str]
    pages: int
    viewed: int = 0
    unused: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.unused = self.tokens[1:]  # the first link is kept unsubmitted, to prime browsers

    async def prime(self, browser: Browser) -> None:
        status, _, html = await browser.request("GET", f"/s/{self.tokens[0]}/{self.pages}")
        if status != 200:
            raise RuntimeError(f"the survey's last page answered {status}")
        browser.learn_form(html)

    async def view(self, browser: Browser) -> bool:
        self.viewed += 1
        token = self.tokens[self.viewed % len(self.tokens)]
        status, _, _ = await browser.request("GET", f"/s/{token}/1")
        return status == 200

    async def submit(self, browser: Browser) -> bool | None:
        if not self.unused:
            return None
        token = self.unused.pop()
        form = answers(browser) | {"lang": "en", "action": "next"}
        status, headers, _ = await browser.request("POST", f"/s/{token}/{self.pages}", form)
        return status == 302 and headers.get("location", "").endswith(f"/s/{token}")


def bench_backend(
    backend: str, urls: tuple[str, str], args: argparse.Namespace, log: IO[bytes]
) -> list[Phase]:
    """Build both databases, then serve and load the survey and the bare app in turn."""
    survey_url, bare_url = urls
    started = time.perf_counter()
    secret_key = secrets.token_hex(32)
    tokens, pages = prepare_survey(survey_url, args.people, secret_key)
    prepare_bare(bare_url)
    print(
        f"{backend}: {len(tokens)} links with drafts ready in {time.perf_counter() - started:.0f} s"
    )
    env = {"SURVEYAPP_ENV": "production", "SURVEYAPP_SECRET_KEY": secret_key}
    phases: list[Phase] = []
    with gunicorn_server(
        "surveyapp:create_app()", env | {"SURVEYAPP_DATABASE_URL": survey_url}, log
    ) as port:
        phases += asyncio.run(
            load("survey", SurveyTraffic(tokens, pages), port, args.clients, args.seconds)
        )
    with gunicorn_server(
        BARE_APP,
        env | {BARE_URL_VARIABLE: bare_url},
        log,
        ready_path="/",
        pythonpath=BENCH_DIR,
    ) as port:
        phases += asyncio.run(load("bare", BareTraffic(), port, args.clients, args.seconds))
    return phases


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(backend: str, phases: list[Phase], clients: int) -> None:
    """The table rows of one backend, the survey/bare ratios, and whether the targets hold."""
    for phase in phases:
        note = "  (ran out of links: raise --people)" if phase.ran_out else ""
        print(
            f"{backend:<11}{phase.app:<8}{phase.kind:<6}{phase.rate:>9.1f}{phase.percentile(0.5):>9.1f}"
            f"{phase.percentile(0.99):>9.1f}{len(phase.latencies):>10}{phase.errors:>8}"
            f"{phase.client_cpu:>12.0%}{note}"
        )
    by = {(phase.app, phase.kind): phase for phase in phases}
    get_ratio = by["survey", "GET"].rate / by["bare", "GET"].rate
    post_ratio = by["survey", "POST"].rate / by["bare", "POST"].rate
    worst_p99 = max(by["survey", kind].percentile(0.99) for kind in ("GET", "POST"))
    print(
        f"{'':<11}survey/bare rate: GET {get_ratio:.2f}, POST {post_ratio:.2f} "
        f"(target >= {TARGET_POST_RATIO}: {verdict(post_ratio >= TARGET_POST_RATIO)}); "
        f"survey p99 {worst_p99:.0f} ms at {clients} clients "
        f"(target < {TARGET_P99_MS:.0f}: {verdict(worst_p99 < TARGET_P99_MS)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per phase")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--people", type=int, help="invited people (default: enough links)")
    args = parser.parse_args()
    args.people = args.people or int((args.seconds + WARMUP_SECONDS) * LINKS_PER_SECOND) + 100
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results: dict[str, list[Phase]] = {}
    with tempfile.TemporaryDirectory() as tmp, (Path(tmp) / "gunicorn.log").open("w+b") as log:
        try:
            for backend in backends:
                with backend_urls(backend, tmp, "respondent_bench") as urls:
                    results[backend] = bench_backend(backend, urls, args, log)
        except Exception:
            write_log_tail(log)
            raise
    print(
        f"\n{args.clients} clients, {args.seconds:g} s per phase after {WARMUP_SECONDS:g} s warm-up"
    )
    print(
        f"{'backend':<11}{'app':<8}{'kind':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'requests':>10}{'errors':>8}{'client cpu':>12}"
    )
    for backend, phases in results.items():
        report(backend, phases, args.clients)


if __name__ == "__main__":
    main()
