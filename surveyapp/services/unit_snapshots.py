"""Closed campaigns keep the unit tree they closed with; open ones follow the live tree.

Moving a unit to another parent and back, or any later reorganisation, would otherwise
re-cut a closed wave, and the difference between the two cuts gives a hidden group's figures
(issue 16, point 7). So the whole tree (every unit's id, code, name and parent's code) is
copied when a campaign closes by hand, and for a campaign closed by its date by the next
`surveyapp drafts purge` (run daily); the analysis of a closed campaign reads that copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from surveyapp.models import Campaign, CampaignUnit, OrgUnit
from surveyapp.services.campaign_state import campaign_phase


@dataclass(frozen=True)
class ReportingTree:
    """The units a campaign reports in: code by unit id, and parent code by code."""

    codes: dict[int, str]
    parents: dict[str, str | None]


def is_frozen(session: Session, campaign_id: int) -> bool:
    """Whether the campaign's tree has been frozen."""
    found = session.scalar(
        sa.select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign_id).limit(1)
    )
    return found is not None


def freeze_unit_tree(session: Session, campaign: Campaign) -> int:
    """Copy today's unit tree for `campaign`, once; how many units were copied (0 if done)."""
    if is_frozen(session, campaign.id):
        return 0
    parent = aliased(OrgUnit)
    rows = session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, parent.code).outerjoin(
            parent, OrgUnit.parent_id == parent.id
        )
    ).all()
    session.add_all(
        CampaignUnit(campaign_id=campaign.id, unit_id=unit_id, code=code, name=name, parent_code=up)
        for unit_id, code, name, up in rows
    )
    session.flush()
    return len(rows)


def freeze_closed_campaigns(session: Session) -> int:
    """Freeze the tree of every closed campaign not frozen yet (those closed by their date);
    how many campaigns were frozen."""
    frozen = 0
    for campaign in session.scalars(sa.select(Campaign).order_by(Campaign.id)):
        if campaign_phase(campaign) == "closed" and freeze_unit_tree(session, campaign):
            frozen += 1
    return frozen


def reporting_tree(session: Session, campaign: Campaign) -> ReportingTree:
    """The frozen tree of a closed campaign, else (open, or closed by date and not yet
    frozen) the live one.

    A unit made after the freeze (a response imported into it later) joins the frozen tree
    as it is today, so every response has a place.
    """
    parent = aliased(OrgUnit)
    rows = session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, parent.code).outerjoin(
            parent, OrgUnit.parent_id == parent.id
        )
    ).all()
    if campaign_phase(campaign) == "closed":
        frozen = session.execute(
            sa.select(CampaignUnit.unit_id, CampaignUnit.code, CampaignUnit.parent_code).where(
                CampaignUnit.campaign_id == campaign.id
            )
        ).all()
        known = {unit_id for unit_id, _, _ in frozen}
        rows = [*frozen, *(row for row in rows if row[0] not in known)]
    return ReportingTree(
        {unit_id: code for unit_id, code, _ in rows}, {code: up for _, code, up in rows}
    )
