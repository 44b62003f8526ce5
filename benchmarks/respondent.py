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
import math
import os
import random
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import urlencode

import sqlalchemy as sa
from common import benchmark_app, gunicorn_server, throwaway_postgresql
from flask import Flask, abort, redirect, render_template, request
from flask_wtf import CSRFProtect
from jinja2 import DictLoader
from werkzeug.wrappers import Response

from surveyapp.catalog.loading import load_instruments
from surveyapp.database import WRITER_OPTION, install_connection_settings
from surveyapp.extensions import db
from surveyapp.models import LEVELS, Draft, Function, Invitation, OrgUnit, Person
from surveyapp.services.campaigns import CampaignSpec, create_campaign, issue_invitations
from surveyapp.services.survey_pages import survey_plan
from surveyapp.services.tokens import PersonalLinks

CLIENTS = 32
WARMUP_SECONDS = 2.0
LINKS_PER_SECOND = 1000  # more than 2 workers can submit, so the links never run out
TARGET_POST_RATIO = 0.5
TARGET_P99_MS = 150.0
INSTRUMENT = "adoption-readiness"
BENCH_DIR = Path(__file__).resolve().parent
BARE_URL_VARIABLE = "RESPONDENT_BENCH_BARE_DATABASE_URL"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
RADIO = re.compile(r'name="(q\d+)" type="radio"')

BARE_QUESTIONS = range(1, 21)
BARE_TABLE = sa.Table(
    "bare_answers",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    *(sa.Column(f"q{number}", sa.SmallInteger, nullable=False) for number in BARE_QUESTIONS),
)
BARE_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare form</title></head><body>
<form method="post" action="/">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
{% for number in questions %}<fieldset><legend>Statement {{ number }}</legend>
{% for label in labels %}<label><input name="q{{ number }}" type="radio" value="{{ loop.index }}">
{{ label }}</label>{% endfor %}</fieldset>
{% endfor %}<button type="submit">Submit</button></form></body></html>"""
BARE_LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


def bare_app() -> Flask:
    """The baseline: what any app must do to show a 20-question form and store one answer row."""
    install_connection_settings()  # the same SQLite pragmas and BEGIN IMMEDIATE as the app
    engine = sa.create_engine(os.environ[BARE_URL_VARIABLE]).execution_options(
        **{WRITER_OPTION: True}
    )
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SURVEYAPP_SECRET_KEY"]
    app.jinja_loader = DictLoader({"form.html": BARE_FORM})  # compiled once, as a file would be
    CSRFProtect(app)

    @app.get("/")
    def form() -> str:
        return render_template("form.html", questions=BARE_QUESTIONS, labels=BARE_LABELS)

    @app.post("/")
    def submit() -> Response:
        try:
            row = {f"q{number}": int(request.form[f"q{number}"]) for number in BARE_QUESTIONS}
        except (KeyError, ValueError):
            abort(422)
        if not all(1 <= value <= len(BARE_LABELS) for value in row.values()):
            abort(422)
        with engine.begin() as connection:
            connection.execute(sa.insert(BARE_TABLE).values(row))
        return redirect("/")

    return app


def prepare_survey(url: str, people: int, secret_key: str) -> tuple[list[str], int]:
    """Migrate, load, invite `people` and give each a draft at the last page; (tokens, pages).

    The links are made with the server's secret key, as `invitations issue` would make them.
    """
    with benchmark_app(url) as app:
        instruments_dir = app.config["SURVEYAPP_INSTRUMENTS_DIR"]
        load_instruments(db.session, instruments_dir, instruments_dir / "schema.json")
        top = OrgUnit(code="BENCH", name="Bench")
        units = [OrgUnit(code=f"BENCH-{n}", name=f"Bench {n}", parent=top) for n in range(4)]
        db.session.add_all([top, *units])
        db.session.flush()
        functions = db.session.scalars(sa.select(Function.id)).all()
        db.session.execute(
            sa.insert(Person),
            [
                {
                    "employee_id": f"E{number:07d}",
                    "unit_id": units[number % len(units)].id,
                    "function_id": functions[number % len(functions)],
                    "level": LEVELS[number % len(LEVELS)],
                    "locale": "en",
                }
                for number in range(people)
            ],
        )
        spec = CampaignSpec(
            "respondent-bench",
            "Respondent bench",
            [INSTRUMENT],
            ["BENCH"],
            False,
            "anonymous",
            open_now=True,
        )
        campaign = create_campaign(db.session, spec)
        links = issue_invitations(db.session, campaign, PersonalLinks("", secret_key)).links
        pages = survey_plan(db.session, campaign).pages
        answered = {q.column: q.parse("4") for page in pages[:-1] for q in page.questions}
        invitations = db.session.scalars(
            sa.select(Invitation.id).where(Invitation.campaign_id == campaign.id)
        ).all()
        db.session.execute(
            sa.insert(Draft),
            [
                {
                    "campaign_id": campaign.id,
                    "invitation_id": invitation,
                    "locale": "en",
                    "page": len(pages) - 1,
                    "answers": answered,
                }
                for invitation in invitations
            ],
        )
        db.session.execute(sa.update(Invitation).values(status="started"))
        db.session.commit()
        db.engine.dispose()
    return [link.removeprefix("/s/") for _, link in links], len(pages)


def prepare_bare(url: str) -> None:
    """The baseline's one table."""
    engine = sa.create_engine(url)
    BARE_TABLE.metadata.create_all(engine)
    engine.dispose()


class Browser:
    """One user agent: its own cookies and CSRF token, one request at a time (HTTP/1.1).

    The connection is kept when the server allows it; gunicorn's sync workers close it after
    each response, so every request pays a TCP connect, as a real client's would.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.fields: list[str] = []
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Send one request; the status, the headers (lower-case names) and the body."""
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Accept-Language: en"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        reused = self._streams is not None
        try:
            return await self._exchange(payload)
        except (ConnectionError, asyncio.IncompleteReadError):
            self._close()
            if not reused:
                raise
            return await self._exchange(payload)  # the server closed a kept connection

    async def _exchange(self, payload: bytes) -> tuple[int, dict[str, str], str]:
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self._streams
        writer.write(payload)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers: dict[str, str] = {}
        for line in head[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie_name, _, cookie_value = value.split(";", 1)[0].partition("=")
                self.cookies[cookie_name] = cookie_value
            headers[name] = value
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self._close()
        return status, headers, body.decode("utf-8", "replace")

    def _close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    def learn_form(self, html: str) -> None:
        """Keep the form's CSRF token and the names of its radio questions."""
        found = CSRF.search(html)
        if found is None:
            raise RuntimeError("the page has no CSRF token")
        self.csrf_token = found.group(1)
        self.fields = list(dict.fromkeys(RADIO.findall(html)))


Action = Callable[[Browser], Awaitable[bool | None]]  # True: good answer; None: nothing left


class Traffic(Protocol):
    """What one app is asked: a page to view, and a completed form to post."""

    async def prime(self, browser: Browser) -> None: ...
    async def view(self, browser: Browser) -> bool: ...
    async def submit(self, browser: Browser) -> bool | None: ...


def answers(browser: Browser) -> dict[str, str]:
    """Every radio question answered at random, with the browser's CSRF token."""
    chosen = {name: random.choice("12345") for name in browser.fields}
    return chosen | {"csrf_token": browser.csrf_token}


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


class BareTraffic:
    """The baseline's one form, viewed and posted."""

    async def prime(self, browser: Browser) -> None:
        browser.learn_form((await browser.request("GET", "/"))[2])

    async def view(self, browser: Browser) -> bool:
        return (await browser.request("GET", "/"))[0] == 200

    async def submit(self, browser: Browser) -> bool | None:
        return (await browser.request("POST", "/", answers(browser)))[0] == 302


@dataclass
class Phase:
    """One measured stretch of one request kind: the latencies of the good answers, in ms."""

    app: str
    kind: str
    seconds: float
    latencies: list[float]
    errors: int
    ran_out: bool
    client_cpu: float  # share of one core the load generator itself used

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


async def drive(
    browsers: list[Browser], action: Action, app: str, kind: str, seconds: float
) -> Phase:
    """Every browser repeats `action` back to back until `seconds` have passed."""
    latencies: list[float] = []
    errors = 0
    ran_out = False
    stop_at = time.perf_counter() + seconds

    async def client(browser: Browser) -> None:
        nonlocal errors, ran_out
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                outcome = await action(browser)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                outcome = False
            if outcome is None:
                ran_out = True
                return
            if outcome:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client(browser) for browser in browsers))
    elapsed = time.perf_counter() - started
    client_cpu = (time.process_time() - cpu) / elapsed
    return Phase(app, kind, elapsed, latencies, errors, ran_out, client_cpu)


async def load(app: str, traffic: Traffic, port: int, clients: int, seconds: float) -> list[Phase]:
    """Views, then submissions, each after a warm-up that is not counted."""
    browsers = [Browser(port) for _ in range(clients)]
    await asyncio.gather(*(traffic.prime(browser) for browser in browsers))
    phases = []
    for kind, action in (("GET", traffic.view), ("POST", traffic.submit)):
        await drive(browsers, action, app, kind, WARMUP_SECONDS)
        phases.append(await drive(browsers, action, app, kind, seconds))
    return phases


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
        "respondent:bare_app()",
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
                if backend == "sqlite":
                    urls = (f"sqlite:///{tmp}/survey.db", f"sqlite:///{tmp}/bare.db")
                    results[backend] = bench_backend(backend, urls, args, log)
                else:
                    with throwaway_postgresql("respondent_bench") as url:
                        results[backend] = bench_backend(backend, (url, url), args, log)
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace")[-4000:])
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
