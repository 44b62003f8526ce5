"""The PDF environment every printed document shares: briefs and QR posters.

Templates render in an autoescaping Jinja environment (respondent text is data, never markup),
and WeasyPrint gets a fetcher that serves only the package's static assets, no presentational
hints, and its stylesheet as a package file passed as a string (docs/security.md, A1).
"""

from __future__ import annotations

import atexit
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2

from surveyapp.language import _, ngettext, pgettext

PDF_VARIANT = "pdf/ua-1"


def template_environment(package: str) -> jinja2.Environment:
    """A printed document's template environment for `package` (briefs, evidence packs):
    autoescaping is on for every template, undefined names fail, and `_` writes in the
    language of the render (surveyapp/language.py)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    return env


@cache
def environment() -> jinja2.Environment:
    """The brief templates' environment."""
    return template_environment("surveyapp.briefs")


@cache
def stylesheet_text() -> str:
    """The print stylesheet shipped with the package."""
    return files("surveyapp.briefs").joinpath("static/brief.css").read_text(encoding="utf-8")


@cache
def stylesheet() -> tuple[Any, Any]:
    """The parsed stylesheet and the font configuration holding its fonts, once per process.

    The fonts are the package's own (static/fonts), fetched through the static-only fetcher.
    """
    from surveyapp.briefs.fetcher import STATIC_SCHEME, StaticAssetFetcher

    from weasyprint import CSS  # isort: skip (after the fetcher, which imports WeasyPrint)
    from weasyprint.text.fonts import FontConfiguration  # isort: skip

    fonts = FontConfiguration()
    parsed = CSS(
        string=stylesheet_text(),
        base_url=STATIC_SCHEME,
        url_fetcher=StaticAssetFetcher(),
        font_config=fonts,
    )
    atexit.register(stylesheet.cache_clear)  # free the fonts while WeasyPrint still can
    return parsed, fonts


def pdf_from_html(html: str, fetcher: Any = None) -> bytes:
    """Render HTML with the brief's stylesheet; the document's URLs go to the static fetcher."""
    from surveyapp.briefs.fetcher import STATIC_SCHEME, StaticAssetFetcher

    from weasyprint import HTML  # isort: skip (after the fetcher, which imports WeasyPrint)

    parsed, fonts = stylesheet()
    document = HTML(
        string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher or StaticAssetFetcher()
    )
    return document.write_pdf(
        stylesheets=[parsed],
        font_config=fonts,
        presentational_hints=False,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
