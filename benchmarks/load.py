"""Many respondents at once under gunicorn: completed surveys per second, page latency, errors.

For each database (a temporary SQLite file, and a throw-away PostgreSQL database on
postgres@127.0.0.1), an open campaign of the adoption-readiness instrument (a start page and
3 pages, 20 Likert items) is built with a personal link for every survey the run can complete.
The app is served by gunicorn (the checkout's gunicorn.conf.py, 2 sync workers, access log
off) on 127.0.0.1 and driven by 200 simulated respondents at once, each a fresh browser
(cookies, CSRF token, the hidden language field) on a link of its own: GET and POST of the
start page, GET and POST of every page with each question answered, the final POST (302 to
the link) and the "Answers received" page; only then does the survey count as complete. A
request that times out, cannot connect, or answers another status or redirect is an error,
and its respondent starts over with a new link.

The respondents arrive one by one through a warm-up, then all are busy for `--seconds`; at
the end they stop, except those already submitting, who finish (the drain). Their first links
have drafts that resume at page 1, 2 or 3 (a quarter start afresh): respondents that all
began at the start page would move through the pages in step and finish in bursts a survey's
length apart (tens of seconds at 200), so a short run would count a burst, or none. The responses
stored in the database must then equal the surveys the respondents saw completed. In the
same run the bare Flask baseline of benchmarks/respondent.py is posted to the same way (32
clients), and completed surveys per second are shown as a share of its POST rate. Targets:
no errors, page p99 under 300 ms.

    .venv/bin/python benchmarks/load.py [--seconds 20] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import re
import secrets
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from common import gunicorn_server
from http_load import (
    BARE_APP,
    BARE_URL_VARIABLE,
    BENCH_DIR,
    CLIENTS,
    BareTraffic,
    Browser,
    answers,
    backend_urls,
    invited_campaign,
    load,
    percentile,
    prepare_bare,
    write_log_tail,
)

from surveyapp.models import Response

RESPONDENTS = 200
WARMUP_SECONDS = 5.0  # respondents arrive one by one through it
REQUEST_TIMEOUT = 10.0
SURVEYS_PER_SECOND_CEILING = 100  # far above what 2 workers complete; sizes the links
TARGET_P99_MS = 300.0
RECEIVED = "Your answers have been received"
TAG = re.compile(r"<[^>]+>")


class Failure(Exception):
    """A request that did not get the expected answer; `kind` groups failures in the report."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = " ".join(TAG.sub(" ", detail).split())[:300]


class Stopped(Exception):
    """The run's time is up and this respondent had not begun to submit."""


@dataclass
class Tally:
    """What the respondents saw, by stretch of the run: warm-up, measured, drain."""

    warm_until: float
    stop_at: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"GET": [], "POST": []})
    requests: int = 0  # good answers that arrived in the measured stretch
    completed: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    details: dict[str, str] = field(default_factory=dict)  # one example per kind of error
    unsure: int = 0  # surveys whose final POST or received page failed: stored or not
    ran_out: bool = False
    client_cpu: float = math.nan

    def stretch(self, moment: float) -> str:
        """Which part of the run a moment falls in; only the measured part makes the rates."""
        if moment < self.warm_until:
            return "warm-up"
        return "measured" if moment < self.stop_at else "drain"

    def answered(self, method: str, started: float, finished: float) -> None:
        """Latencies of requests sent in the measured stretch; answers that arrived in it."""
        if self.stretch(started) == "measured":
            self.latencies[method].append((finished - started) * 1000)
        if self.stretch(finished) == "measured":
            self.requests += 1

    def failed(self, failure: Failure, submitting: bool) -> None:
        """Count a failure by kind; one that came while submitting may have been stored."""
        self.errors[failure.kind] += 1
        self.details.setdefault(failure.kind, failure.detail)
        self.unsure += submitting

    async def clock(self) -> None:
        """The load generator's own CPU share over the measured stretch (it shares the cores)."""
        await asyncio.sleep(self.warm_until - time.perf_counter())
        cpu = time.process_time()
        await asyncio.sleep(self.stop_at - time.perf_counter())
        self.client_cpu = (time.process_time() - cpu) / (self.stop_at - self.warm_until)


@dataclass
class Respondent:
    """One person after another on the same phone: each survey in a fresh browser."""

    port: int
    tally: Tally
    timeout: float
    think: float
    arrival: float  # seconds after the start: arrivals are spread over the warm-up
    first: tuple[str, int]  # the first link and the page it resumes at (0: the start page)
    browser: Browser = field(init=False)  # a fresh one for each survey
    submitting: bool = False  # the final POST was sent: finish even after the stop

    async def run(self, links: list[str], pages: int) -> None:
        """Complete surveys on new links until the time is up; start over after a failure."""
        await asyncio.sleep(self.arrival)
        link, resume = self.first
        while time.perf_counter() < self.tally.stop_at:
            self.browser, self.submitting = Browser(self.port), False
            try:
                await self.survey(link, pages, resume)
            except Stopped:
                return
            except Failure as failure:
                self.tally.failed(failure, self.submitting)
            finally:
                self.browser.close()
            if not links:
                self.tally.ran_out = True
                return
            link, resume = links.pop(), 0

    async def survey(self, token: str, pages: int, resume: int) -> None:
        """The start page, every page answered, the submission and the thank-you page (from
        page `resume` on, if not 0: the link has a draft that stopped there)."""
        start = f"/s/{token}"
        if not resume:
            await self.fetch("GET", start, "start", 200)
            await self.fetch("POST", start, "start", 302, f"{start}/1", self.form())
        for number in range(resume or 1, pages + 1):
            path = f"{start}/{number}"
            await self.fetch("GET", path, f"page {number}", 200)
            last = number == pages
            after = start if last else f"{start}/{number + 1}"
            form = self.form() | {"action": "next"}
            await self.fetch("POST", path, f"page {number}", 302, after, form, final=last)
        if RECEIVED not in await self.fetch("GET", start, "received", 200):
            raise Failure("GET received: no thank-you text")
        self.tally.completed[self.tally.stretch(time.perf_counter())] += 1

    def form(self) -> dict[str, str]:
        """Every question on the page answered, the CSRF token, and the hidden language."""
        lang = {"lang": self.browser.lang} if self.browser.lang is not None else {}
        return answers(self.browser) | lang

    async def fetch(
        self,
        method: str,
        path: str,
        page: str,
        status: int,
        location: str | None = None,
        form: dict[str, str] | None = None,
        final: bool = False,
    ) -> str:
        """One request after the respondent's pause; a failure if the answer is not `status`
        (and, for a redirect, `location`). The page's form is learnt from every 200. Once the
        `final` POST is sent, the respondent goes on to the received page after the stop."""
        if self.think:
            await asyncio.sleep(random.uniform(0, 2 * self.think))
        if time.perf_counter() >= self.tally.stop_at and not self.submitting:
            raise Stopped
        self.submitting = self.submitting or final
        kind = f"{method} {page}"
        started = time.perf_counter()
        try:
            request = self.browser.request(method, path, form)
            got, headers, body = await asyncio.wait_for(request, self.timeout)
        except TimeoutError:
            raise Failure(f"{kind}: no answer within {self.timeout:g} s") from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            raise Failure(f"{kind}: {type(error).__name__}", str(error)) from None
        finished = time.perf_counter()
        if got != status:
            raise Failure(f"{kind}: {got}", body)
        if location is not None and not headers.get("location", "").endswith(location):
            raise Failure(f"{kind}: redirected elsewhere", headers.get("location", ""))
        self.tally.answered(method, started, finished)
        if status == 200 and page != "received":
            try:
                self.browser.learn_form(body)
            except RuntimeError as error:
                raise Failure(f"{kind}: {error}", body) from None
        return body


async def run_load(
    port: int, first: list[tuple[str, int]], links: list[str], pages: int, args: argparse.Namespace
) -> Tally:
    """Respondents arriving through the warm-up, all of them busy in the measured time, then
    the drain; each first link resumes at the page given with it."""
    now = time.perf_counter()
    tally = Tally(now + args.warmup, now + args.warmup + args.seconds)
    spacing = args.warmup / len(first)
    respondents = [
        Respondent(port, tally, args.timeout, args.think, number * spacing, link)
        for number, link in enumerate(first)
    ]
    await asyncio.gather(tally.clock(), *(person.run(links, pages) for person in respondents))
    return tally


def stored_responses(url: str) -> int:
    """Responses in the database, counted apart from the app."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(sa.select(sa.func.count()).select_from(Response))
    engine.dispose()
    return count or 0


@dataclass
class Result:
    """One backend's figures."""

    backend: str
    tally: Tally
    pages: int
    stored: int
    bare_post_rate: float


def bench_backend(
    backend: str, urls: tuple[str, str], args: argparse.Namespace, log: IO[bytes]
) -> Result:
    """Build both databases, load the survey, count what was stored, then post the bare app."""
    survey_url, bare_url = urls
    started = time.perf_counter()
    secret_key = secrets.token_hex(32)
    with invited_campaign(survey_url, args.people, secret_key, "load-bench") as survey:
        links, pages = survey.tokens[args.respondents :], len(survey.pages)
        resume = [number % (pages + 1) for number in range(args.respondents)]
        first = list(zip(survey.tokens, resume, strict=False))
        drafts = zip(survey.invitations, resume, strict=False)
        survey.add_drafts({invitation: page - 1 for invitation, page in drafts if page})
    prepare_bare(bare_url)
    print(f"{backend}: {args.people} invited people ready in {time.perf_counter() - started:.0f} s")
    env = {"SURVEYAPP_ENV": "production", "SURVEYAPP_SECRET_KEY": secret_key}
    with gunicorn_server(
        "surveyapp:create_app()", env | {"SURVEYAPP_DATABASE_URL": survey_url}, log
    ) as port:
        tally = asyncio.run(run_load(port, first, links, pages, args))
    stored = stored_responses(survey_url)
    with gunicorn_server(
        BARE_APP, env | {BARE_URL_VARIABLE: bare_url}, log, ready_path="/", pythonpath=BENCH_DIR
    ) as port:
        bare = asyncio.run(load("bare", BareTraffic(), port, CLIENTS, args.seconds, ("POST",)))
    result = Result(backend, tally, pages, stored, bare[0].rate)
    report(result, args)
    return result


def verdict(met: bool) -> str:
    """A target's outcome, loud when missed."""
    return "met" if met else "NOT met"


def report(result: Result, args: argparse.Namespace) -> None:
    """One backend's rates, latencies, errors, stored-count check, ratio and targets."""
    tally = result.tally
    everything = tally.latencies["GET"] + tally.latencies["POST"]
    p99 = percentile(everything, 0.99)
    surveys = tally.completed["measured"] / args.seconds
    seen = sum(tally.completed.values())
    errors = sum(tally.errors.values())
    ratio = surveys / result.bare_post_rate
    print(f"\n{result.backend}: {args.respondents} respondents, {args.seconds:g} s measured")
    note = "  (ran out of links: raise --people)" if tally.ran_out else ""
    print(f"  completed surveys/s  {surveys:8.1f}  ({tally.completed['measured']} surveys){note}")
    print(f"  requests/s           {tally.requests / args.seconds:8.1f}  ({tally.requests})")
    print(
        f"  page latency ms      p50 {percentile(everything, 0.5):.0f}, p99 {p99:.0f}"
        f"  (GET p99 {percentile(tally.latencies['GET'], 0.99):.0f}, "
        f"POST p99 {percentile(tally.latencies['POST'], 0.99):.0f})"
    )
    print(f"  errors               {errors}  (whole run, warm-up and drain included)")
    for kind, count in tally.errors.most_common():
        print(f"    {count:6}  {kind}  {tally.details[kind]}".rstrip())
    print(f"  load generator CPU   {tally.client_cpu:.0%} of one core")
    print(
        f"  stored responses     {result.stored}; surveys the respondents saw completed {seen} "
        f"(warm-up {tally.completed['warm-up']}, measured {tally.completed['measured']}, "
        f"drain {tally.completed['drain']}): "
        + ("equal" if result.stored == seen else "DIFFERENT")
        + (f"; {tally.unsure} failed while submitting" if tally.unsure else "")
    )
    print(f"  bare POST/s          {result.bare_post_rate:8.1f}  ({CLIENTS} clients)")
    requests = 2 * result.pages + 3  # the start page and each page, GET and POST; received
    print(
        f"  surveys/s / bare POST/s  {ratio:.3f}  (1/{requests} = {1 / requests:.3f} "
        f"if each of a survey's {requests} requests cost what a bare POST does)"
    )
    print(
        f"  targets: zero errors {verdict(errors == 0)}; "
        f"p99 < {TARGET_P99_MS:.0f} ms {verdict(p99 < TARGET_P99_MS)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=WARMUP_SECONDS, help="uncounted start")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    parser.add_argument("--timeout", type=float, default=REQUEST_TIMEOUT, help="per request")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause before each request, in seconds"
    )
    parser.add_argument("--people", type=int, help="invited people (default: enough links)")
    args = parser.parse_args()
    run_seconds = args.warmup + args.seconds + args.timeout
    args.people = args.people or int(run_seconds * SURVEYS_PER_SECOND_CEILING) + args.respondents
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp, (Path(tmp) / "gunicorn.log").open("w+b") as log:
        try:
            results = []
            for backend in backends:
                with backend_urls(backend, tmp, "load_bench") as urls:
                    results.append(bench_backend(backend, urls, args, log))
        except Exception:
            write_log_tail(log)
            raise
        if any(result.tally.errors for result in results):
            print("\nThe end of the gunicorn log (tracebacks of server errors are here):")
            write_log_tail(log)


if __name__ == "__main__":
    main()
