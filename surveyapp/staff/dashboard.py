"""The dashboard's content: one analysis per request, read through the brief's own sections.

Every figure comes from a group the analysis document shows (briefs.sections and narrative
already obey that); a hidden group contributes its name and "hidden", never a number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import g
from markupsafe import Markup
from sqlalchemy.orm import Session

from surveyapp.briefs import charts, narrative, render, sections
from surveyapp.briefs.meta import BriefMeta, mean_text
from surveyapp.briefs.service import unit_slice
from surveyapp.models import Campaign, Function, OrgUnit
from surveyapp.services.analysis import analyze_campaign, previous_wave
from surveyapp.services.holding import waiting_count
from surveyapp.services.jobs import cached_analysis
from surveyapp.services.org import unit_subtree_ids
from surveyapp.services.participation import invitation_counts
from surveyapp.services.result_releases import release_status
from surveyapp.staff.paging import paging

ORGANISATION = "all"
NAV_PAGE = 100  # units listed a page in the dashboard's navigation
HEATMAP_MEASURES = tuple(f"adoption-readiness.{element}" for element in sections.ADKAR)
CHART_MACROS = {"bar": "bar_chart", "stacked": "stacked", "heatmap": "heatmap"}


def campaign_analysis(session: Session, campaign: Campaign, instruments_dir: Path) -> dict:
    """The campaign's analysis document: a finished analysis job's if it read the latest
    result release, else computed now (at most once per request)."""
    cache = g.setdefault("staff_analyses", {})
    if campaign.id not in cache:
        previous = previous_wave(session, campaign)
        cache[campaign.id] = cached_analysis(session, campaign, previous) or analyze_campaign(
            session, campaign, instruments_dir, previous=previous
        )
    return cache[campaign.id]


def svg_chart(kind: str, chart: Any, chart_id: str) -> Markup:
    """A chart drawn by the brief's own SVG macros (labels escaped by their environment)."""
    module = render.environment().get_template("charts.html").module
    return Markup(getattr(module, CHART_MACROS[kind])(chart, chart_id))


def dashboard_meta(session: Session, campaign: Campaign, unit_name: str) -> BriefMeta:
    """Names the sections print: scale titles, function names, the campaign's dates."""
    from surveyapp.datasets import campaign_scales
    from surveyapp.services.layout import campaign_layout

    scales, _ = campaign_scales(campaign_layout(campaign))
    return BriefMeta(
        campaign=campaign.slug,
        campaign_name=campaign.name,
        unit_name=unit_name,
        opens=campaign.opens_at.date() if campaign.opens_at else None,
        closes=campaign.closes_at.date() if campaign.closes_at else None,
        scale_titles={s.key: s.title.get("en") or s.key for s in scales},
        function_names=dict(session.execute(sa.select(Function.code, Function.name)).all()),
    )


def drivers(group: sections.Group, meta: BriefMeta) -> dict[str, Any]:
    """What explains adoption in the group, strongest first, priorities marked."""
    found = group.get("drivers") or {}
    return {
        "reason": found.get("reason"),
        "r_squared": None if found.get("r_squared") is None else f"{found['r_squared']:.2f}",
        "rows": [
            {
                "construct": sections.scale_title(meta, d["construct"]),
                "share": f"{d['share'] * 100:.0f}%",
                "mean": mean_text(d.get("mean")),
                "priority": d["priority"],
            }
            for d in found.get("drivers", [])
        ],
    }


def scale_rows(group: sections.Group, organisation: sections.Group, meta: BriefMeta) -> list:
    """Each scale's mean beside the organisation's, with the reliability flag."""
    return [
        {
            "scale": sections.scale_title(meta, key),
            "mean": mean_text(value.get("mean")),
            "org": mean_text(organisation["scales"].get(key, {}).get("mean")),
            "flagged": bool(value.get("reliability_flag")),
        }
        for key, value in group.get("scales", {}).items()
    ]


def unit_heatmap(analysis: dict, codes: list[str], names: dict[str, str]) -> Any:
    """ADKAR means of the visible units side by side; hidden units stay blank."""
    groups = {g["key"]: g for g in analysis["groups"] if g["kind"] == "unit"}
    listed = [code for code in codes if code in groups]
    if len(listed) < 2:
        return None
    rows = []
    for measure in HEATMAP_MEASURES:
        means = [
            None
            if groups[code]["suppressed"]
            else groups[code].get("scales", {}).get(measure, {}).get("mean")
            for code in listed
        ]
        shown = [m for m in means if m is not None]
        spread = f"{max(shown) - min(shown):.1f}" if len(shown) >= 2 else ""
        rows.append((sections.short_label(measure), means, spread, False))
    return charts.heatmap(
        "Readiness across your units",
        "Mean of each ADKAR element, 1 to 5, per unit in scope; blank cells are hidden units. "
        "The last column is the range between units.",
        [names.get(code, code) for code in listed],
        rows,
    )


def _organisation_waves(analysis: dict, meta: BriefMeta) -> dict[str, Any] | None:
    """Wave changes of the organisation, read by the brief's per-unit reader."""
    waves = analysis.get("waves")
    if not waves:
        return None
    changes = [{**c, "kind": "unit"} for c in waves["changes"] if c["kind"] == "organisation"]
    return narrative.wave_changes({"waves": {**waves, "changes": changes}}, ORGANISATION, meta)


def _as_crossings(analysis: dict) -> dict:
    """Function and level groups keyed as crossings of the organisation, for the brief's reader."""
    crossings = [
        {**g, "kind": f"unit+{g['kind']}", "key": f"{ORGANISATION}/{g['key']}"}
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
    organisation = sections.find_group(analysis, "organisation", ORGANISATION)
    key = unit.code if unit is not None else ORGANISATION
    meta = dashboard_meta(session, campaign, unit.name if unit else "Whole organisation")
    group = organisation if unit is None else sections.find_group(analysis, "unit", key)
    page: dict[str, Any] = {
        "key": key,
        "name": meta.unit_name,
        "k": analysis["min_group_size"],
        "units": [{"code": c, "name": names[c]} for c in listed],
        "nav": shown,
        "heatmap": unit_heatmap(analysis, [c for c in codes if c in names], names),
        "shown": bool(group) and not group["suppressed"] and organisation is not None,
        "waiting": waiting_count(session, campaign.id),
        "release": narrative.release_note(
            release_status(session, campaign).document(), analysis["min_group_size"]
        ),
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
        invitations=invitation_counts(
            session, campaign, visible if unit is None else unit_subtree_ids(session, [unit.id])
        ),
        drivers=drivers(group, meta),
        scales=scale_rows(group, organisation, meta),
    )
    return page
