"""Action plans read beside a campaign's analysis: recommended actions turned into plan
entries, units whose findings have no plan yet, and what respondents are told was done.

The analysis document is the campaign's latest result release (services.analysis), so a
recommendation is only offered for a unit whose figures that release shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Action, Campaign, OrgUnit
from surveyapp.services.actions import ActionFields
from surveyapp.services.analysis import previous_wave

TIMING_DAYS = {"next 2 weeks": 14, "next 30 days": 30, "next quarter": 91}
DEFAULT_DAYS = 30
READINESS = "readiness_index"
LITERACY = "literacy_index"


def shown_units(analysis: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The unit groups the release shows (hidden ones are left out), by unit code."""
    return {g["key"]: g for g in analysis["groups"] if g["kind"] == "unit" and not g["suppressed"]}


def finding_construct(finding: dict[str, Any], scales: dict[str, Any]) -> str:
    """The measure an action on this finding means to move: a barrier's ADKAR scale, a
    driver's construct, literacy for a literacy finding, readiness for anything else."""
    kind, key = finding["kind"], finding["key"]
    if kind == "barrier" and f"adoption-readiness.{key}" in scales:
        return f"adoption-readiness.{key}"
    if kind == "driver" and key in scales:
        return key
    if kind == "literacy":
        return LITERACY
    return READINESS


def recommendation(analysis: dict[str, Any], unit_code: str, intervention: str) -> dict | None:
    """The unit's recommended action `intervention`, if the released analysis shows one."""
    group = shown_units(analysis).get(unit_code)
    if group is None:
        return None
    found = (r for r in group.get("recommendations", []) if r["intervention"] == intervention)
    return next(found, None)


def fields_from_recommendation(
    analysis: dict[str, Any],
    unit_code: str,
    recommended: dict[str, Any],
    owner: str,
    today: date,
    language: str,
    finding: str,
) -> ActionFields:
    """An action that keeps the recommendation's finding, owner role and timing; it is due
    at the end of that timing, and owned by `owner` until someone reassigns it. Once stored
    its words are the user's own, so they are kept in `language`, the language of the user
    who adds it, with the finding as their page worded it (`finding`)."""
    group = shown_units(analysis)[unit_code]
    findings = recommended.get("findings", [])
    title, action = recommended["title"], recommended.get("action") or {}
    return ActionFields(
        title=title.get(language) or title.get("en") or next(iter(title.values())),
        owner=owner,
        due_on=today + timedelta(days=TIMING_DAYS.get(recommended["timing"], DEFAULT_DAYS)),
        finding=finding[:1000],
        construct=finding_construct(findings[0], group.get("scales", {})) if findings else None,
        owner_role=recommended["owner"],
        timing=recommended["timing"],
        notes=action.get(language) or action.get("en", ""),
    )


@dataclass(frozen=True)
class UnitWithoutPlan:
    """A unit whose released figures carry recommended actions but which has no open or done
    action: the report on managers with no plan."""

    code: str
    name: str
    findings: int


def units_without_plan(
    session: Session, analysis: dict[str, Any], unit_ids: set[int] | None
) -> list[UnitWithoutPlan]:
    """Units in scope with findings in the release and no action that is not dropped."""
    groups = {code: g for code, g in shown_units(analysis).items() if g.get("recommendations")}
    if not groups:
        return []
    query = sa.select(OrgUnit).where(OrgUnit.code.in_(sorted(groups))).order_by(OrgUnit.code)
    units = [u for u in session.scalars(query) if unit_ids is None or u.id in unit_ids]
    planned = set(
        session.scalars(
            sa.select(Action.unit_id)
            .where(Action.unit_id.in_([u.id for u in units]), Action.status != "dropped")
            .distinct()
        )
    )
    return [
        UnitWithoutPlan(u.code, u.name, len(groups[u.code]["recommendations"]))
        for u in units
        if u.id not in planned
    ]


def since_last_wave(session: Session, campaign_id: int, unit_id: int) -> list[tuple[str, str]]:
    """What a campaign's first page tells a unit's respondents was done since the last wave
    (the latest earlier campaign of the same questions): nothing when there was none."""
    campaign = session.get(Campaign, campaign_id)
    previous = previous_wave(session, campaign) if campaign is not None else None
    if previous is None:
        return []
    return you_said_we_did(session, unit_id, previous.opens_at or previous.created_at)


def you_said_we_did(session: Session, unit_id: int, since: datetime) -> list[tuple[str, str]]:
    """Titles and statuses of the unit's actions (and its parents') taken on since `since`,
    for respondents: nothing else of a plan, and nothing that was dropped."""
    chain: list[int] = []
    current: int | None = unit_id
    parents = dict(session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id)).all())
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    rows = session.execute(
        sa.select(Action.title, Action.status)
        .where(
            Action.unit_id.in_(chain),
            Action.status != "dropped",
            Action.created_at >= since,
        )
        .order_by(Action.status != "done", Action.id)
    )
    return [(title, status) for title, status in rows]


def plan_since(session: Session, unit_code: str, since: datetime) -> list[dict[str, Any]]:
    """The unit's action plan since `since`, as the next brief prints it ("What we said,
    what we did"): the finding answered, what was done, by whom, and how far it got."""
    unit_id = session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == unit_code))
    rows = session.scalars(
        sa.select(Action)
        .where(Action.unit_id == unit_id, Action.created_at >= since)
        .order_by(Action.id)
    )
    return [
        {
            "title": a.title,
            "finding": a.finding,
            "owner_role": a.owner_role,
            "status": a.status,
            "due_on": a.due_on.isoformat(),
            "done_on": a.done_on.isoformat() if a.done_on else None,
            "late": a.status in ("planned", "in_progress") and a.due_on < date.today(),
        }
        for a in rows
    ]
