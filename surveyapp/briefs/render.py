"""One unit's brief: the analysis document in, the PDF's bytes out.

The templates and the hardened WeasyPrint settings are surveyapp.briefs.pdf's, shared with the
QR posters.
"""

from __future__ import annotations

import re
from typing import Any

from surveyapp.analytics.suppression import ORGANISATION, ORGANISATION_KEY
from surveyapp.briefs import narrative, sections
from surveyapp.briefs.labels import adkar_name
from surveyapp.briefs.meta import BriefMeta, fieldwork, fieldwork_state, index_text, share_text
from surveyapp.briefs.pdf import environment, pdf_from_html
from surveyapp.language import _, writing_in


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
        return compact(environment().get_template("suppressed.html").render(**common))
    return compact(
        environment()
        .get_template("brief.html")
        .render(**common, b=brief_content(analysis, unit, group, meta))
    )


LINE_BREAK_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def compact(html: str) -> str:
    """The templates' line breaks and indents between two tags taken out: they print nothing,
    yet WeasyPrint parses each run and builds (then drops) a box for it. Text is untouched: in
    the templates a line break never separates two words, and respondent text is escaped, so
    it holds no `>` or `<`."""
    return LINE_BREAK_BETWEEN_TAGS.sub("><", html)


def brief_content(
    analysis: dict[str, Any], unit: str, group: sections.Group, meta: BriefMeta
) -> dict[str, Any]:
    """Everything brief.html (and the dashboard) shows for a group the document shows; a
    section the campaign's instruments do not feed is None and is left out."""
    organisation = sections.find_group(analysis, ORGANISATION, ORGANISATION_KEY)
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
        "said_and_done": sections.said_and_done(analysis.get("said_and_done")),
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


def render_brief(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> bytes:
    """The PDF brief of `unit` from the campaign's analysis document, in `meta.language`."""
    with writing_in(meta.language):
        return pdf_from_html(brief_html(analysis, unit, meta))
