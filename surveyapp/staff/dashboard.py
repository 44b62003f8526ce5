"""The dashboard's content: one analysis per request, read through the brief's own sections.

Every figure comes from a group the analysis document shows (briefs.sections and narrative
already obey that); a hidden group contributes its name and "hidden", never a number.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from surveyapp.analytics.suppression import ORGANISATION_KEY
from surveyapp.briefs import charts, narrative, render, sections
from surveyapp.briefs.labels import scale_label
from surveyapp.briefs.meta import BriefMeta, fieldwork_state, mean_text
from surveyapp.briefs.pdf import environment
from surveyapp.briefs.service import campaign_meta, response_rate, unit_slice
from surveyapp.language import _, band_words, current_language
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.org import unit_subtree_ids
from surveyapp.services.participation import invitation_counts
from surveyapp.services.result_releases import release_status
from surveyapp.staff.paging import paging

NAV_PAGE = 100  # units listed a page in the dashboard's navigation
ADKAR_MEASURES = tuple(f"adoption-readiness.{element}" for element in sections.ADKAR)
CHART_MACROS = {"bar": "bar_chart", "stacked": "stacked", "heatmap": "heatmap"}


def svg_chart(kind: str, chart: Any, chart_id: str) -> Markup:
    """A chart drawn by the brief's own SVG macros (labels escaped by their environment), in
    both its layouts: the stylesheet shows the wide one on a laptop and the phone one (labels
    above bars, 12-unit text on 300 units) below 60rem, so a phone never scrolls a chart."""
    draw = getattr(environment().get_template("charts.html").module, CHART_MACROS[kind])
    return Markup(draw(chart, chart_id, "wide") + draw(chart.phone, f"{chart_id}-phone", "phone"))


def method_html(content: dict[str, Any]) -> Markup:
    """The brief's method section (the statistics behind the plain words), for the page."""
    return Markup(environment().get_template("method.html").render(b=content))


def drivers(group: sections.Group, meta: BriefMeta) -> dict[str, Any]:
    """What weighs on the intention to use AI in the group, strongest first, priorities marked."""
    found = group.get("drivers") or {}
    return {
        "reason": found.get("reason"),
        "rows": [
            {
                "construct": scale_label(meta, d["construct"]),
                "share": f"{d['share'] * 100:.0f}%",
                "mean": mean_text(d.get("mean")),
                "priority": d["priority"],
            }
            for d in found.get("drivers", [])
        ],
    }


def scale_rows(group: sections.Group, organisation: sections.Group, meta: BriefMeta) -> list:
    """Each scale's average beside the organisation's, with a word on its reliability."""
    return [
        {
            "scale": scale_label(meta, key),
            "mean": mean_text(value.get("mean")),
            "org": mean_text(organisation["scales"].get(key, {}).get("mean")),
            "flagged": bool(value.get("reliability_flag")),
        }
        for key, value in group.get("scales", {}).items()
    ]


def unit_heatmap(analysis: dict, codes: list[str], names: dict[str, str], meta: BriefMeta) -> Any:
    """The visible units side by side on the ADKAR steps (or, where readiness is not measured,
    on the campaign's other scales); hidden units are left out, not drawn blank."""
    groups = {
        g["key"]: g for g in analysis["groups"] if g["kind"] == "unit" and not g["suppressed"]
    }
    listed = [code for code in codes if code in groups]
    if len(listed) < 2:
        return None
    measured = {key for code in listed for key in groups[code].get("scales", {})}
    measures = [m for m in ADKAR_MEASURES if m in measured] or sorted(measured)
    rows = []
    for measure in measures:
        means = [groups[code].get("scales", {}).get(measure, {}).get("mean") for code in listed]
        shown = [m for m in means if m is not None]
        spread = mean_text(max(shown) - min(shown)) if len(shown) >= 2 else ""
        rows.append((scale_label(meta, measure), means, spread, False))
    return charts.heatmap(
        _("Your units side by side"),
        _(
            "Average of each measure, 1 to 5, per unit in scope. "
            "The last column is the range between units."
        ),
        [names.get(code, code) for code in listed],
        rows,
    )


def _organisation_waves(analysis: dict, meta: BriefMeta) -> dict[str, Any] | None:
    """Wave changes of the organisation, read by the brief's per-unit reader."""
    waves = analysis.get("waves")
    if not waves:
        return None
    changes = [{**c, "kind": "unit"} for c in waves["changes"] if c["kind"] == "organisation"]
    return narrative.wave_changes({"waves": {**waves, "changes": changes}}, ORGANISATION_KEY, meta)


def _as_crossings(analysis: dict) -> dict:
    """Function and level groups keyed as crossings of the organisation, for the brief's reader."""
    crossings = [
        {**g, "kind": f"unit+{g['kind']}", "key": f"{ORGANISATION_KEY}/{g['key']}"}
        for g in analysis["groups"]
        if g["kind"] in ("function", "level")
    ]
    return {"min_group_size": analysis["min_group_size"], "groups": crossings}


def dashboard(
    session: Session, campaign: Campaign, analysis: dict, unit: OrgUnit | None, visible: set[int]
) -> dict[str, Any]:
    """Everything the dashboard page shows for a unit (or, for `unit=None`, the organisation).

    The units in scope are listed a page at a time (an admin may see 100,000): codes are read
    for all of them, names only for those the page shows.
    """
    ordered = session.execute(sa.select(OrgUnit.id, OrgUnit.code).order_by(OrgUnit.code))
    codes = [code for unit_id, code in ordered if unit_id in visible]
    shown = paging(len(codes), NAV_PAGE)
    listed = codes[shown.offset : shown.offset + shown.size]
    in_heatmap = [g["key"] for g in analysis["groups"] if g["kind"] == "unit"]
    names = dict(
        session.execute(
            sa.select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(listed + in_heatmap))
        ).all()
    )
    organisation = sections.find_group(analysis, "organisation", ORGANISATION_KEY)
    key = unit.code if unit is not None else ORGANISATION_KEY
    group = organisation if unit is None else sections.find_group(analysis, "unit", key)
    invitations = invitation_counts(
        session, campaign, visible if unit is None else unit_subtree_ids(session, [unit.id])
    )
    shown_n = group["n"] if group and not group["suppressed"] else None
    meta = replace(
        campaign_meta(
            session,
            campaign,
            analysis,
            unit.name if unit else _("Whole organisation"),
            current_language(),
        ),
        response_rate=response_rate(shown_n, invitations.invited if invitations else None),
    )
    status = release_status(session, campaign)
    page: dict[str, Any] = {
        "key": key,
        "name": meta.unit_name,
        "k": analysis["min_group_size"],
        "units": [{"code": c, "name": names[c]} for c in listed],
        "nav": shown,
        "heatmap": unit_heatmap(analysis, [c for c in codes if c in names], names, meta),
        "shown": bool(group) and not group["suppressed"] and organisation is not None,
        "waiting": band_words(status.held_band, capital=True) if status.held_band else None,
        "fieldwork": fieldwork_state(meta),
        "release": narrative.release_note(status.document(), analysis["min_group_size"]),
    }
    if not page["shown"]:
        return page
    sliced = analysis if unit is None else unit_slice(analysis, key)
    content = render.brief_content(sliced, key, group, meta)
    if unit is None:
        content["waves"] = _organisation_waves(analysis, meta)
        content["participation"] = sections.participation(_as_crossings(analysis), key, meta)
    page.update(
        b=content,
        invitations=invitations,
        drivers=drivers(group, meta),
        scales=scale_rows(group, organisation, meta),
        method=method_html(content),
    )
    return page
