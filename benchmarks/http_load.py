"""Shared parts of the HTTP benchmarks: a browser-like asyncio client, timed phases, the bare
Flask baseline app, and a database with an open campaign and invited people.

The benchmarks drive gunicorn over real TCP on 127.0.0.1 from one asyncio process, so the
figures include what a client pays (connect, send, parse) and what the server pays (Flask,
templates, CSRF, database), as a browser's visit would.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import urlencode

import sqlalchemy as sa
from common import benchmark_app, throwaway_postgresql
from flask import Flask, abort, redirect, render_template, request
from flask_wtf import CSRFProtect
from jinja2 import DictLoader
from werkzeug.wrappers import Response

from surveyapp.catalog.loading import load_instruments
from surveyapp.database import WRITER_OPTION, install_connection_settings
from surveyapp.extensions import db
from surveyapp.models import LEVELS, Campaign, Draft, Function, Invitation, OrgUnit, Person
from surveyapp.services.campaigns import CampaignSpec, create_campaign, issue_invitations
from surveyapp.services.sealing import Seal
from surveyapp.services.survey_pages import SurveyPage, survey_plan
from surveyapp.services.tokens import PersonalLinks

CLIENTS = 32
WARMUP_SECONDS = 2.0
INSTRUMENT = "adoption-readiness"  # 3 pages, 20 Likert items
BENCH_DIR = Path(__file__).resolve().parent
BARE_URL_VARIABLE = "RESPONDENT_BENCH_BARE_DATABASE_URL"
BARE_APP = "http_load:bare_app()"  # gunicorn's app spec, with BENCH_DIR on its path
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
LANG = re.compile(r'name="lang" value="([^"]*)"')
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


def prepare_bare(url: str) -> None:
    """The baseline's one table."""
    engine = sa.create_engine(url)
    BARE_TABLE.metadata.create_all(engine)
    engine.dispose()


@dataclass
class InvitedCampaign:
    """An open campaign of `INSTRUMENT`, its invited people's link tokens, and its pages."""

    campaign: Campaign
    tokens: list[str]
    invitations: list[int]  # the invitation of each token
    pages: list[SurveyPage]

    def add_drafts(self, resume_at: dict[int, int]) -> None:
        """Drafts for invitations (id: index of the page they resume at), every question
        before that page answered, as if those people had paused there; sealed, as the app
        seals them, under each link's token."""
        token_of = dict(zip(self.invitations, self.tokens, strict=True))
        rows = []
        for invitation, page in resume_at.items():
            before = self.pages[:page]
            answered = {q.column: q.parse("4") for done in before for q in done.questions}
            rows.append(
                {
                    "campaign_id": self.campaign.id,
                    "invitation_id": invitation,
                    "locale": "en",
                    "page": page,
                    "sealed_answers": Seal.for_token(token_of[invitation]).close(answered),
                }
            )
        db.session.execute(sa.insert(Draft), rows)
        started = Invitation.id.in_(sa.select(Draft.invitation_id))
        db.session.execute(sa.update(Invitation).where(started).values(status="started"))


@contextmanager
def invited_campaign(
    url: str, people: int, secret_key: str, slug: str
) -> Iterator[InvitedCampaign]:
    """Migrate, load the instruments, and invite `people` to an open anonymous campaign.

    The links are made with the server's secret key, as `invitations issue` would make them.
    The block runs in the app context and may add rows; they are committed when it ends.
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
        name = slug.replace("-", " ").capitalize()
        spec = CampaignSpec(slug, name, [INSTRUMENT], ["BENCH"], False, "anonymous", open_now=True)
        campaign = create_campaign(db.session, spec)
        links = issue_invitations(db.session, campaign, PersonalLinks("", secret_key)).links
        tokens = [link.removeprefix("/s/") for _, link in links]
        invited = db.session.execute(
            sa.select(Person.employee_id, Invitation.id)
            .join(Invitation, Invitation.person_id == Person.id)
            .where(Invitation.campaign_id == campaign.id)
        )
        invitation_of = {employee_id: invitation for employee_id, invitation in invited}
        invitations = [invitation_of[employee_id] for employee_id, _ in links]
        pages = survey_plan(db.session, campaign).pages
        yield InvitedCampaign(campaign, tokens, invitations, pages)
        db.session.commit()
        db.engine.dispose()


@contextmanager
def backend_urls(backend: str, tmp: str, prefix: str) -> Iterator[tuple[str, str]]:
    """The survey's and the bare app's database URLs: two SQLite files, or one throw-away
    PostgreSQL database holding both (the bare app's table has a name of its own)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp}/survey.db", f"sqlite:///{tmp}/bare.db"
    else:
        with throwaway_postgresql(prefix) as url:
            yield url, url


def write_log_tail(log: IO[bytes], characters: int = 4000) -> None:
    """The end of the gunicorn log on standard error, where tracebacks of failures are."""
    log.flush()
    log.seek(0)
    sys.stderr.write(log.read().decode("utf-8", "replace")[-characters:])


class Browser:
    """One user agent: its own cookies and CSRF token, one request at a time (HTTP/1.1).

    The connection is kept when the server allows it; gunicorn's sync workers close it after
    each response, so every request pays a TCP connect, as a real client's would.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.lang: str | None = None
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
            self.close()
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
            self.close()
        return status, headers, body.decode("utf-8", "replace")

    def close(self) -> None:
        """Drop the connection (after a failure or a timeout, so no answer is read late)."""
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    def learn_form(self, html: str) -> None:
        """Keep the form's CSRF token, its hidden language, and the names of its radios."""
        found = CSRF.search(html)
        if found is None:
            raise RuntimeError("the page has no CSRF token")
        self.csrf_token = found.group(1)
        lang = LANG.search(html)
        self.lang = lang.group(1) if lang else None
        self.fields = list(dict.fromkeys(RADIO.findall(html)))


def answers(browser: Browser) -> dict[str, str]:
    """Every radio question answered at random, with the browser's CSRF token."""
    chosen = {name: random.choice("12345") for name in browser.fields}
    return chosen | {"csrf_token": browser.csrf_token}


Action = Callable[[Browser], Awaitable[bool | None]]  # True: good answer; None: nothing left


class Traffic(Protocol):
    """What one app is asked: a page to view, and a completed form to post."""

    async def prime(self, browser: Browser) -> None: ...
    async def view(self, browser: Browser) -> bool: ...
    async def submit(self, browser: Browser) -> bool | None: ...


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
        return percentile(self.latencies, share)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (NaN when there is nothing to rank)."""
    ordered = sorted(values)
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


async def load(
    app: str,
    traffic: Traffic,
    port: int,
    clients: int,
    seconds: float,
    kinds: tuple[str, ...] = ("GET", "POST"),
) -> list[Phase]:
    """Views, then submissions (or only the `kinds` asked), each after an uncounted warm-up."""
    browsers = [Browser(port) for _ in range(clients)]
    await asyncio.gather(*(traffic.prime(browser) for browser in browsers))
    actions = {"GET": traffic.view, "POST": traffic.submit}
    phases = []
    for kind in kinds:
        await drive(browsers, actions[kind], app, kind, WARMUP_SECONDS)
        phases.append(await drive(browsers, actions[kind], app, kind, seconds))
    return phases
