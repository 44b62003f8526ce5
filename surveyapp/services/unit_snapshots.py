"""A campaign reports in the unit tree fixed by its first result release, not the live one.

Moving a unit to another parent (and back), or any later reorganisation, would otherwise
re-cut a campaign's published groups: the parent's figures change by the moved unit's
respondents with no new release, and the difference between the two cuts gives a hidden
group's figures (issue 16, point 7). So the whole tree (every unit's id, code, name and
parent's code) is copied when a campaign's first result release is made, and when it
closes by hand, or by its date at the next `surveyapp drafts purge` (run daily), if it had
none; every later release and every output of the campaign, open or closed, reads that
copy. A unit made after the copy joins it under its parent as that release first sees it
(`extend_unit_tree`, at each release), so additions never re-cut a group already
published; moves made during fieldwork apply to later campaigns. Names are read from the
live units, so a rename only changes the name shown.
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


def _live_units(session: Session) -> list[sa.Row]:
    """Every live unit: id, code, name and its parent's code."""
    parent = aliased(OrgUnit)
    return session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, parent.code).outerjoin(
            parent, OrgUnit.parent_id == parent.id
        )
    ).all()


def _stored(session: Session, campaign_id: int) -> list[sa.Row]:
    """The campaign's frozen tree: unit id, code and parent's code."""
    return session.execute(
        sa.select(CampaignUnit.unit_id, CampaignUnit.code, CampaignUnit.parent_code).where(
            CampaignUnit.campaign_id == campaign_id
        )
    ).all()


def _copy(session: Session, campaign: Campaign, rows: list[sa.Row]) -> int:
    session.add_all(
        CampaignUnit(campaign_id=campaign.id, unit_id=unit_id, code=code, name=name, parent_code=up)
        for unit_id, code, name, up in rows
    )
    session.flush()
    return len(rows)


def freeze_unit_tree(session: Session, campaign: Campaign) -> int:
    """Copy today's unit tree for `campaign`, once; how many units were copied (0 if done)."""
    if is_frozen(session, campaign.id):
        return 0
    return _copy(session, campaign, _live_units(session))


def extend_unit_tree(session: Session, campaign: Campaign) -> int:
    """Freeze the campaign's tree, or add to its frozen tree the units made since, each under
    its parent as it is now (the first time a release sees it); how many units were added.

    The units already in the copy keep their place whatever the live tree says, so a release
    that adds units re-cuts no group an earlier release published.
    """
    known = {unit_id for unit_id, _, _ in _stored(session, campaign.id)}
    return _copy(session, campaign, [row for row in _live_units(session) if row[0] not in known])


def freeze_closed_campaigns(session: Session) -> int:
    """Freeze the tree of every closed campaign not frozen yet (those closed by their date
    without a result release); how many campaigns were frozen."""
    frozen = 0
    for campaign in session.scalars(sa.select(Campaign).order_by(Campaign.id)):
        if campaign_phase(campaign) == "closed" and freeze_unit_tree(session, campaign):
            frozen += 1
    return frozen


def reporting_tree(session: Session, campaign: Campaign) -> ReportingTree:
    """The campaign's frozen tree (from its first release or its close), else the live one.

    A unit made after the freeze and not in any release yet (no published figure counts
    anyone in it) joins the frozen tree as it is today, so every response has a place.
    """
    live = [(unit_id, code, up) for unit_id, code, _, up in _live_units(session)]
    frozen = _stored(session, campaign.id)
    known = {unit_id for unit_id, _, _ in frozen}
    rows = [*frozen, *(row for row in live if row[0] not in known)]
    return ReportingTree(
        {unit_id: code for unit_id, code, _ in rows}, {code: up for _, code, up in rows}
    )
