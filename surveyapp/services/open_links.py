"""Open links: one per campaign and unit, for staff who have no email to receive a link.

The code is printed on posters, so it is short, but random (72 bits) so that codes of other
units or campaigns cannot be guessed from one seen on a wall.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign, OpenLink, OrgUnit
from surveyapp.services.org import unit_subtree_ids

CODE_BYTES = 9


def create_open_links(session: Session, campaign: Campaign, units: list[OrgUnit]) -> dict[str, str]:
    """Give each unit an open link to the campaign (keeping existing ones): unit code → code."""
    if campaign.status == "closed":
        raise SurveyappError(f"campaign {campaign.slug!r} is closed; no new open links")
    targets = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    outside = [unit.code for unit in units if unit.id not in targets]
    if outside:
        raise SurveyappError(
            f"{', '.join(outside)} not among the units of campaign {campaign.slug!r}"
        )
    existing = {link.unit_id: link for link in campaign_open_links(session, campaign)}
    codes: dict[str, str] = {}
    for unit in units:
        link = existing.get(unit.id)
        if link is None:
            link = OpenLink(campaign_id=campaign.id, unit_id=unit.id, code=new_code())
            session.add(link)
        codes[unit.code] = link.code
    session.flush()
    return codes


def campaign_open_links(session: Session, campaign: Campaign) -> list[OpenLink]:
    """The campaign's open links, by unit code."""
    return list(
        session.scalars(
            sa.select(OpenLink)
            .join(OrgUnit, OpenLink.unit_id == OrgUnit.id)
            .where(OpenLink.campaign_id == campaign.id)
            .order_by(OrgUnit.code)
        )
    )


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def open_link_url(base_url: str, link: OpenLink, kiosk: bool = False) -> str:
    """The address printed on the poster (or set on a kiosk's browser)."""
    return f"{base_url}/o/{link.code}" + ("?kiosk=1" if kiosk else "")
