"""Open links: one live link per campaign and unit, for staff who have no email to receive one.

The code is printed on posters, so it is short, but random (72 bits) so that codes of other
units or campaigns cannot be guessed from one seen on a wall. A link is retired rather than
deleted (its poster may still hang somewhere, and its drafts point at it): a retired link
answers a page saying so, and the unit may be given a new link with a new code. Making and
retiring links are audited with the actor (a staff user's email or `cli:<os user>`), whether
they come from the admin pages or the CLI, since each code is a way into the survey.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import InputError, Problem, SurveyappError
from surveyapp.language import _l
from surveyapp.models import AuditEvent, Campaign, OpenLink, OrgUnit
from surveyapp.models.base import utcnow
from surveyapp.services.org import unit_subtree_ids, units_by_code

CODE_BYTES = 9
CREATED = "openlinks.create"
RETIRED = "openlinks.retire"


@dataclass(frozen=True)
class Made:
    """The units' live links (in the order the units were asked for) and how many are new."""

    links: list[OpenLink]
    new: int


def create_open_links(session: Session, campaign: Campaign, units: list[OrgUnit]) -> dict[str, str]:
    """Give each unit a live open link to the campaign (keeping live ones): unit code → code."""
    if campaign.status == "closed":
        raise SurveyappError(
            _l("campaign %(slug)r is closed; no new open links", slug=campaign.slug)
        )
    targets = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    outside = [unit.code for unit in units if unit.id not in targets]
    if outside:
        raise SurveyappError(
            _l(
                "%(allowed)s not among the units of campaign %(slug)r",
                allowed=", ".join(outside),
                slug=campaign.slug,
            )
        )
    existing = {link.unit_id: link for link in campaign_open_links(session, campaign)}
    codes: dict[str, str] = {}
    for unit in units:
        link = existing.get(unit.id)
        if link is None:
            link = OpenLink(campaign_id=campaign.id, unit_id=unit.id, code=new_code())
            session.add(link)
            existing[unit.id] = link
        codes[unit.code] = link.code
    session.flush()
    return codes


def make_open_links(
    session: Session, campaign: Campaign, unit_codes: list[str], all_units: bool, actor: str
) -> Made:
    """Open links for the units named by code, or for every unit the campaign surveys (its
    targets and their sub-units), made where missing and audited; the CLI and the admin page
    both come here."""
    codes = list(dict.fromkeys(unit_codes))
    if all_units == bool(codes):
        raise InputError(
            [Problem(field="units", reason=_l("give either --units CODE,... or --all-units"))]
        )
    if all_units:
        surveyed = unit_subtree_ids(session, [unit.id for unit in campaign.units])
        units = list(
            session.scalars(
                sa.select(OrgUnit).where(OrgUnit.id.in_(sorted(surveyed))).order_by(OrgUnit.code)
            )
        )
    else:
        units = units_by_code(session, codes, "units")
    before = len(campaign_open_links(session, campaign))
    create_open_links(session, campaign, units)
    live = {link.unit_id: link for link in campaign_open_links(session, campaign)}
    made = Made([live[unit.id] for unit in units], len(live) - before)
    if made.new:
        _audit(session, actor, CREATED, campaign, {"units": [u.code for u in units]}, made.new)
    return made


def retire_open_link(session: Session, link: OpenLink, actor: str) -> bool:
    """Stop `link` taking answers, its unfinished drafts with it; False if it was retired."""
    if link.retired_at is not None:
        return False
    link.retired_at = utcnow()
    _audit(session, actor, RETIRED, link.campaign, {"unit": link.unit.code}, 1)
    return True


def _audit(
    session: Session,
    actor: str,
    action: str,
    campaign: Campaign,
    detail: dict[str, object],
    count: int,
) -> None:
    session.add(
        AuditEvent(
            actor=actor, action=action, campaign_id=campaign.id, detail=detail, row_count=count
        )
    )
    session.flush()


def campaign_open_links(
    session: Session, campaign: Campaign, retired: bool = False
) -> list[OpenLink]:
    """The campaign's live open links (or its retired ones), by unit code."""
    state = OpenLink.retired_at.is_not(None) if retired else OpenLink.retired_at.is_(None)
    return list(
        session.scalars(
            sa.select(OpenLink)
            .join(OrgUnit, OpenLink.unit_id == OrgUnit.id)
            .where(OpenLink.campaign_id == campaign.id, state)
            .order_by(OrgUnit.code, OpenLink.retired_at)
        )
    )


def open_link_by_code(session: Session, campaign: Campaign, code: str) -> OpenLink | None:
    """The campaign's open link (live or retired) printed as `/o/<code>`, or None."""
    return session.scalar(
        sa.select(OpenLink).where(OpenLink.campaign_id == campaign.id, OpenLink.code == code)
    )


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def open_link_url(base_url: str, link: OpenLink, kiosk: bool = False) -> str:
    """The address printed on the poster (or set on a kiosk's browser)."""
    return f"{base_url}/o/{link.code}" + ("?kiosk=1" if kiosk else "")
