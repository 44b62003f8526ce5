"""Respondent text cannot make the renderer fetch, read or attach anything (security.md, A1)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from surveyapp.briefs.fetcher import RefusedURL, StaticAssetFetcher
from surveyapp.briefs.pdf import environment, pdf_from_html
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Campaign, Function, OrgUnit
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish
from tests.briefs.helpers import embedded_files, pdf_text, read_pdf

TEMPLATES = Path(__file__).resolve().parents[2] / "surveyapp" / "briefs" / "templates"


class Listener:
    """A real HTTP server on 127.0.0.1 that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args) -> None:
                """Keep the test output quiet."""

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A local listener for the payloads to point at; it must never hear from the renderer."""
    server = Listener()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file the payloads name; its content must never reach a PDF."""
    path = tmp_path / "secret.txt"
    path.write_text("CANARY-7f3a9 do not read", encoding="utf-8")
    return path


def payloads(listener: Listener, secret: Path) -> list[str]:
    """Comments written to make a naive renderer fetch, read or attach something."""
    return [
        f'<img src="file://{secret}"> training please',
        f'<link rel=stylesheet href="{listener.url("x.css")}"> training please',
        f"<style>@import url({listener.url('y.css')})</style> training please",
        f'<p style="background: url({listener.url("z.png")})">training please</p>',
        f'<svg><image xlink:href="{listener.url("s.svg")}"/></svg> training please',
        f'<iframe src="{listener.url("frame")}"></iframe> training please',
        f'<a rel="attachment" href="file://{secret}">training please</a>',
    ]


def store_hostile_wave(layout, hostile: list[str]) -> None:
    """A wave of wave-1 in which most of Branches north's comments are payloads."""
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-1"))
    wave = demo.synthesize(layout, demo.scaled_units(demo.DEMO_UNITS, 900), 3)
    in_unit = (wave.respondents["unit"] == "BR-NORTH").to_numpy()
    for question in layout.questions:
        if question.item.type != "text":
            continue
        texts = wave.values[question.column]
        for count, row in enumerate(np.flatnonzero(in_unit & (texts != None))):  # noqa: E711
            if count % 3 != 2:
                texts[row] = hostile[count % len(hostile)]
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    record_responses(
        db.session, campaign, layout, demo.to_submissions(wave, layout, units, functions)
    )
    publish(db.session, campaign)
    db.session.commit()


def test_hostile_comments_are_printed_as_text_and_fetch_nothing(
    survey_layout, run, tmp_path, listener, secret
):
    hostile = payloads(listener, secret)
    store_hostile_wave(survey_layout, hostile)
    out = tmp_path / "out"
    result = run("briefs", "build", "wave-1", "--out", str(out), "--unit", "BR-NORTH")
    assert result.exit_code == 0, result.output

    reader = read_pdf(out / "wave-1-BR-NORTH.pdf")
    text = pdf_text(reader)
    quoted = [payload for payload in hostile if payload in text]
    assert quoted, "no payload was quoted; the test proves nothing"
    assert listener.requests == []
    assert embedded_files(reader) == []
    assert "CANARY" not in text and b"CANARY" not in (out / "wave-1-BR-NORTH.pdf").read_bytes()


def test_even_raw_markup_cannot_make_the_renderer_fetch(listener, secret):
    fetcher = StaticAssetFetcher()
    html = "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{}</body></html>"
    pdf = pdf_from_html(html.format("".join(payloads(listener, secret))), fetcher)

    assert listener.requests == []
    assert embedded_files(read_pdf(pdf)) == []
    assert b"CANARY" not in pdf
    assert any(url.startswith("file:") for url in fetcher.refused)
    assert any(url.startswith(f"http://127.0.0.1:{listener.port}/") for url in fetcher.refused)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "surveyapp-static:../render.py",
        "surveyapp-static:fonts/../../render.py",
        "surveyapp-static:fonts/README.md",
        "surveyapp-static:/etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_but_static_assets(url):
    fetcher = StaticAssetFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_packages_fonts_and_stylesheet():
    fetcher = StaticAssetFetcher()
    assert fetcher.fetch("surveyapp-static:fonts/BriefSans-Regular.ttf").read()[:4] == b"\0\1\0\0"
    assert b"@page" in fetcher.fetch("surveyapp-static:brief.css").read()


def test_templates_escape_everything():
    assert environment().autoescape is True
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "Markup" not in source, template.name
