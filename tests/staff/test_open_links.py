"""Open links in the staff area: QR codes that open exactly the unit's link, A4 posters, scope."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pypdf
import pytest
import segno
import sqlalchemy as sa
from PIL import Image

from surveyapp.extensions import db
from surveyapp.models import OpenLink, OrgUnit
from surveyapp.posters import Poster, poster_html, poster_of, render_poster
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.open_links import create_open_links
from tests import factories
from tests.plugins.survey import make_campaign

BASE = "http://127.0.0.1:5000"
PAGE = "/staff/campaigns/pulse/open-links"
SVG_NS = "{http://www.w3.org/2000/svg}"
A4_POINTS = (595.28, 841.89)
SOUTH_NAME = "Operations South & <Yard>"


@pytest.fixture
def links(app, run) -> dict[str, str]:
    """An open campaign of OPS with open links for OPS-N and OPS-S: unit code → link code."""
    setup = make_campaign(app, run, open_now=True)
    with app.app_context():
        top = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS"))
        south = factories.unit(db.session, "OPS-S", parent=top)
        south.name = SOUTH_NAME
        north = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "OPS-N"))
        north.name = "Operations North"
        factories.unit(db.session, "RET")  # a unit the campaign does not survey
        codes = create_open_links(db.session, campaign_by_slug(db.session, "pulse"), [south])
        db.session.commit()
    return setup.open_codes | codes


def reference(url: str) -> list[list[bool]]:
    """The modules of the standard QR code of `url` (level Q, as posters use)."""
    return [[bool(v) for v in row] for row in segno.make(url, error="q", micro=False).matrix]


def svg_modules(svg: ET.Element) -> list[list[bool]]:
    """The dark modules of segno's SVG, read from its path: `M x y`, `m dx dy`, `h length` runs."""
    (path,) = [p for p in svg.iter() if p.tag.endswith("path") and p.get("class") == "qrline"]
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d", "")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return grid(dark)


def png_modules(png: bytes) -> tuple[list[list[bool]], int]:
    """Sample the PNG at module centres; the module size comes from the 7-module finder pattern.

    Also returns the quiet zone left of the code, in modules.
    """
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    dark_rows = [y for y in range(height) if any(pixels[x, y] < 128 for x in range(width))]
    top = dark_rows[0]
    left = next(x for x in range(width) if pixels[x, top] < 128)
    run = next(x for x in range(left, width) if pixels[x, top] >= 128) - left
    assert run % 7 == 0
    module = run // 7
    size = (dark_rows[-1] - top + 1) // module
    dark = {
        (col, row)
        for row in range(size)
        for col in range(size)
        if pixels[left + col * module + module // 2, top + row * module + module // 2] < 128
    }
    return grid(dark), left // module


def grid(dark: set[tuple[int, int]]) -> list[list[bool]]:
    """The dark cells as rows of booleans, from the symbol's top-left corner (always dark)."""
    left = min(x for x, _ in dark)
    top = min(y for _, y in dark)
    size = max(x for x, _ in dark) - left + 1
    return [[(left + col, top + row) in dark for col in range(size)] for row in range(size)]


def test_the_page_lists_each_link_with_its_kiosk_link_and_downloads(app, links, login_as):
    html = login_as("admin").get(PAGE).get_data(as_text=True)
    for unit, code in links.items():
        assert f"{BASE}/o/{code}</code>" in html, unit
        assert f"{BASE}/o/{code}?kiosk=1</code>" in html, unit
        for suffix in (".svg", ".png", "/poster.pdf"):
            assert f'href="{PAGE}/{code}{suffix}"' in html
    assert "Operations South &amp; &lt;Yard&gt;" in html and "<Yard>" not in html


def test_the_qr_codes_encode_exactly_the_unit_open_link(app, links, login_as):
    admin = login_as("admin")
    code = links["OPS-N"]
    url = f"{BASE}/o/{code}"
    served_svg = admin.get(f"{PAGE}/{code}.svg")
    assert served_svg.status_code == 200
    assert served_svg.mimetype == "image/svg+xml"
    assert served_svg.headers["Content-Disposition"] == "attachment; filename=pulse-OPS-N-qr.svg"
    svg = ET.fromstring(served_svg.data)
    assert svg.tag == f"{SVG_NS}svg" and svg.findtext(f"{SVG_NS}title") == url
    assert svg_modules(svg) == reference(url)
    assert svg_modules(svg) != reference(f"{BASE}/o/{links['OPS-S']}")

    served_png = admin.get(f"{PAGE}/{code}.png")
    assert served_png.status_code == 200 and served_png.mimetype == "image/png"
    assert served_png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert served_png.headers["Content-Disposition"] == "attachment; filename=pulse-OPS-N-qr.png"
    modules, quiet_zone = png_modules(served_png.data)
    assert modules == reference(url)
    assert quiet_zone >= 4  # the margin scanners need
    assert Image.open(io.BytesIO(served_png.data)).width >= 600  # sharp when printed


def test_the_poster_is_one_a4_page_with_the_link_the_unit_and_its_qr_code(app, links, login_as):
    code = links["OPS-S"]
    url = f"{BASE}/o/{code}"
    served = login_as("admin").get(f"{PAGE}/{code}/poster.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"] == "attachment; filename=pulse-OPS-S-poster.pdf"
    reader = pypdf.PdfReader(io.BytesIO(served.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.5)
    text = " ".join(reader.pages[0].extract_text().split())
    assert url in text and SOUTH_NAME in text and "AI pulse" in text
    assert "Scan to answer the AI survey" in text and "Escanee para responder" in text
    assert "anonymous" in text and "anónimas" in text and "at least 5 people" in text
    with app.app_context():
        link = db.session.scalar(sa.select(OpenLink).where(OpenLink.code == code))
        html = poster_html(poster_of(db.session, link, BASE))
    printed = ET.fromstring(re.search(r"<svg .*?</svg>", html, re.DOTALL).group(0))
    assert svg_modules(printed) == reference(url)


def test_a_change_manager_reaches_only_the_links_of_their_units(app, links, login_as):
    manager = login_as("change_manager", units=["OPS-N"])
    page = manager.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert links["OPS-N"] in html and links["OPS-S"] not in html and "Operations South" not in html
    assert manager.get(f"{PAGE}/{links['OPS-N']}.svg").status_code == 200
    for suffix in (".svg", ".png", "/poster.pdf"):
        assert manager.get(f"{PAGE}/{links['OPS-S']}{suffix}").status_code == 404, suffix
        assert manager.get(f"{PAGE}/no-such-code{suffix}").status_code == 404, suffix
    outsider = login_as("change_manager", units=["RET"])
    hr = login_as("hr")
    visitor = app.test_client()
    for client, status in ((outsider, 404), (hr, 404), (visitor, 302)):
        assert client.get(PAGE).status_code == status
        for suffix in (".svg", ".png", "/poster.pdf"):
            assert client.get(f"{PAGE}/{links['OPS-N']}{suffix}").status_code == status, suffix
    assert visitor.get(PAGE).location.startswith("/staff/login?next=")


def test_the_dashboard_leads_to_the_open_links(app, links, login_as):
    for client, path in (
        (login_as("admin"), "/staff/campaigns/pulse/"),
        (login_as("change_manager", units=["OPS-N"]), "/staff/campaigns/pulse/units/OPS-N"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert f'href="{PAGE}">Open links and QR posters</a>' in html


def test_without_open_links_an_admin_is_told_how_to_make_them(app, run, login_as):
    make_campaign(app, run, open_now=True)
    with app.app_context():
        db.session.execute(sa.delete(OpenLink))
        db.session.commit()
    html = login_as("admin").get(PAGE).get_data(as_text=True)
    assert "surveyapp openlinks create pulse --all-units" in html


def test_a_confidential_campaign_poster_says_so_in_both_languages():
    poster = Poster("Wave 2", "Legal", f"{BASE}/o/abc", "confidential", 7, (9, 13))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", poster_html(poster)))
    assert "Your answers are confidential" in text and "son confidenciales" in text
    assert "anonymous" not in text and "anónimas" not in text
    assert "at least 7 people" in text and "al menos 7 personas" in text
    assert "About 9 to 13 minutes, depending on your role" in text
    assert "Entre 9 y 13 minutos, según su puesto" in text


def test_the_longest_names_and_a_long_address_still_fit_on_one_page():
    url = "https://surveys.a-rather-long-company-domain.example.com/survey/o/AbC-dEf_gHiJ"
    poster = Poster("Campaign " * 22, "Business unit " * 14, url, "anonymous", 5, (9, 9))
    reader = pypdf.PdfReader(io.BytesIO(render_poster(poster)))
    assert len(reader.pages) == 1
    assert url in " ".join(reader.pages[0].extract_text().split())
