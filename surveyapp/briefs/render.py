"""One unit's brief: the analysis document in, the PDF's bytes out.

Templates render in an autoescaping Jinja environment (respondent text is data, never markup),
and WeasyPrint gets a fetcher that serves only the package's static assets, no presentational
hints, and its stylesheet as a package file passed as a string (security.md, A1).
"""

from __future__ import annotations

import atexit
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2

from surveyapp.briefs import narrative, sections
from surveyapp.briefs.labels import adkar_name
from surveyapp.briefs.language import _, ngettext, writing_in
from surveyapp.briefs.meta import BriefMeta, fieldwork, fieldwork_state, index_text, share_text

PDF_VARIANT = "pdf/ua-1"


@cache
def environment() -> jinja2.Environment:
    """The brief templates' environment; autoescaping is on for every template, and `_`
    writes in the language of the render (briefs/language.py)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("surveyapp.briefs"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


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


def brief_html(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> str:
    """The brief as HTML; a unit the document hides (or does not list) gets the short one."""
    group = sections.find_group(analysis, "unit", unit)
    common = {
        "meta": meta,
        "fieldwork": fieldwork(meta),
        "fieldwork_state": fieldwork_state(meta),
        "title": _(
            "Change-management brief: %(unit)s, %(campaign)s",
            unit=meta.unit_name,
            campaign=meta.campaign_name,
        ),
    }
    if group is None or group["suppressed"]:
        return environment().get_template("suppressed.html").render(**common)
    return (
        environment()
        .get_template("brief.html")
        .render(**common, b=brief_content(analysis, unit, group, meta))
    )


def brief_content(
    analysis: dict[str, Any], unit: str, group: sections.Group, meta: BriefMeta
) -> dict[str, Any]:
    """Everything brief.html (and the dashboard) shows for a group the document shows; a
    section the campaign's instruments do not feed is None and is left out."""
    organisation = sections.find_group(analysis, "organisation", "all")
    barrier = group.get("barrier_point")
    measured = bool(group.get("adkar"))
    return {
        "respondents": group["n"],
        "response_rate": share_text(meta.response_rate),
        "response_rate_known": meta.response_rate is not None,
        "readiness": index_text(group.get("readiness_index")) if measured else None,
        "literacy_index": index_text((group.get("literacy") or {}).get("index"))
        if group.get("literacy")
        else None,
        "barrier": (adkar_name(barrier) if barrier else _("No barrier")) if measured else None,
        "barrier_found": bool(barrier),
        "org_respondents": organisation["n"],
        "org_readiness": index_text(organisation.get("readiness_index")) if measured else None,
        "summary": narrative.executive_summary(group, organisation, meta),
        "participation": sections.participation(analysis, unit, meta),
        "adkar": sections.adkar_chart(group, organisation),
        "adkar_lead": adkar_lead(group),
        "barrier_people": sections.barrier_people(group),
        "literacy": sections.literacy(group, organisation, meta),
        "patterns": sections.patterns(analysis, group, organisation),
        "alignment": sections.alignment(group, meta),
        "themes": narrative.themes(group),
        "actions": narrative.actions(group, organisation, meta),
        "waves": narrative.wave_changes(analysis, unit, meta),
        "said_and_done": analysis.get("said_and_done"),
        "method": narrative.method(analysis, group, unit, meta),
    }


def adkar_lead(group: sections.Group) -> str:
    """One sentence on where the group stands in the ADKAR sequence."""
    barrier = group.get("barrier_point")
    if barrier:
        return _(
            "On average people are held back at %(step)s: the first step in the sequence that "
            "scores 3.0 or below. Effort on the steps after it will not hold until it is "
            "addressed.",
            step=adkar_name(barrier),
        )
    return _(
        "On average no step scores 3.0 or below, so nothing holds the group back as a whole; "
        "the lowest bar is where reinforcement pays off first."
    )


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


def render_brief(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> bytes:
    """The PDF brief of `unit` from the campaign's analysis document, in `meta.language`."""
    with writing_in(meta.language):
        return pdf_from_html(brief_html(analysis, unit, meta))
