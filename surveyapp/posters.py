"""QR codes and A4 posters of open links, as bytes the staff pages and the CLI both hand out.

The poster goes through the briefs' PDF environment (surveyapp.briefs.pdf): its autoescaping
templates, its static-only fetcher and its hardened WeasyPrint options. The QR code enters the
poster as an inline SVG drawn here by segno, so the renderer never fetches anything for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from markupsafe import Markup
from sqlalchemy.orm import Session

from surveyapp.briefs.pdf import environment, pdf_from_html
from surveyapp.models import OpenLink
from surveyapp.services.open_links import open_link_url
from surveyapp.services.survey_pages import level_lengths, survey_plan

# Level Q restores up to a quarter of the code, so a scuffed or partly covered poster still scans.
ERROR_LEVEL = "q"
BORDER = 4  # the quiet zone the QR standard asks for, in modules
SVG_SCALE = 10
PNG_SCALE = 16  # about 800 px across: sharp when printed at 10 cm
DARK, LIGHT = "#000", "#fff"


@dataclass(frozen=True)
class Poster:
    """What a unit's poster prints: where to scan, for what, and how answers are protected."""

    campaign_name: str
    unit_name: str
    url: str
    privacy_mode: str
    min_group_size: int
    minutes: tuple[int, int]  # the shortest and the longest estimate among the levels asked


def qr_code(url: str) -> segno.QRCode:
    """The (never micro) QR code of `url`, at the error level posters need."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str) -> bytes:
    """A standalone SVG file of the QR code of `url`, titled with the URL it opens."""
    out = io.BytesIO()
    qr_code(url).save(
        out, kind="svg", scale=SVG_SCALE, border=BORDER, dark=DARK, light=LIGHT, title=url
    )
    return out.getvalue()


def qr_png(url: str) -> bytes:
    """A PNG file of the QR code of `url`."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=PNG_SCALE, border=BORDER, dark=DARK, light=LIGHT)
    return out.getvalue()


def qr_inline_svg(url: str) -> Markup:
    """The QR code as an `<svg>` element for the poster: sized by CSS, named for screen readers.

    segno escapes the title and writes nothing else from the input, so the markup is safe.
    """
    svg = qr_code(url).svg_inline(
        scale=1, border=BORDER, dark=DARK, light=LIGHT, omitsize=True, svgclass="qr", title=url
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def poster_of(session: Session, link: OpenLink, base_url: str) -> Poster:
    """The poster of an open link, from its campaign and unit; the time it announces is the
    campaign's estimate per level (the poster does not know who will scan it)."""
    minutes = [
        length.minutes
        for length in level_lengths(survey_plan(session, link.campaign))
        if length.questions
    ] or [0]
    return Poster(
        campaign_name=link.campaign.name,
        unit_name=link.unit.name,
        url=open_link_url(base_url, link),
        privacy_mode=link.campaign.privacy_mode,
        min_group_size=link.campaign.min_group_size,
        minutes=(min(minutes), max(minutes)),
    )


def poster_html(poster: Poster) -> str:
    """The poster as HTML, in the brief templates' autoescaping environment."""
    return (
        environment()
        .get_template("poster.html")
        .render(poster=poster, qr=qr_inline_svg(poster.url))
    )


def render_poster(poster: Poster) -> bytes:
    """The poster as a one-page A4 PDF, rendered with the brief's safe settings."""
    return pdf_from_html(poster_html(poster))
