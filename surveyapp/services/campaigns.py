"""Campaigns: creating a wave from loaded instruments, and issuing its personal invitations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import InputError, Problem, SurveyappError
from surveyapp.language import _l
from surveyapp.models import (
    Campaign,
    CampaignInstrument,
    Instrument,
    InstrumentVersion,
    Invitation,
    OrgUnit,
    Person,
)
from surveyapp.models.base import utcnow
from surveyapp.models.campaigns import DEFAULT_MIN_COMMENT_GROUP, DEFAULT_MIN_GROUP
from surveyapp.services.campaign_privacy import privacy_problems
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.identifying import mode_change_problems
from surveyapp.services.org import unit_subtree_ids, units_by_code
from surveyapp.services.result_releases import Published, publish
from surveyapp.services.sealing import Seal
from surveyapp.services.tokens import PersonalLinks, hash_token

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


@dataclass(frozen=True)
class CampaignSpec:
    """What a new campaign is made of, as typed on the command line or in the admin form."""

    slug: str
    name: str
    instruments: list[str]
    unit_codes: list[str]
    all_units: bool
    mode: str
    min_group_size: int = DEFAULT_MIN_GROUP
    min_comment_group_size: int = DEFAULT_MIN_COMMENT_GROUP
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    open_now: bool = False
    names: dict[str, str] = field(default_factory=dict)  # locale → name (services.campaign_words)
    descriptions: dict[str, str] = field(default_factory=dict)  # locale → description


def _instrument_version(session: Session, reference: str) -> InstrumentVersion | None:
    """`slug` means the latest loaded version; `slug@N` a given one."""
    slug, _, number = reference.partition("@")
    query = (
        sa.select(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.slug == slug)
        .order_by(InstrumentVersion.version.desc())
    )
    if number:
        if not number.isdigit():
            return None
        query = query.where(InstrumentVersion.version == int(number))
    return session.scalars(query).first()


def _check_spec(session: Session, spec: CampaignSpec) -> list[Problem]:
    """Every reason the spec cannot become a campaign."""
    problems: list[Problem] = []
    if not re.match(SLUG_PATTERN, spec.slug):
        problems.append(
            Problem(
                field="slug",
                reason=_l("%(slug)r is not a slug (a-z, 0-9, -; 2 to 63)", slug=spec.slug),
            )
        )
    elif session.scalar(sa.select(Campaign.id).where(Campaign.slug == spec.slug)) is not None:
        problems.append(
            Problem(field="slug", reason=_l("a campaign %(slug)r already exists", slug=spec.slug))
        )
    if not spec.name.strip() or len(spec.name) > 200:
        problems.append(
            Problem(field="name", reason=_l("a name of 1 to 200 characters is required"))
        )
    if not spec.instruments:
        problems.append(Problem(field="instruments", reason=_l("name at least one instrument")))
    if len(set(spec.instruments)) != len(spec.instruments):
        problems.append(Problem(field="instruments", reason=_l("an instrument is listed twice")))
    for reference in spec.instruments:
        if _instrument_version(session, reference) is None:
            problems.append(
                Problem(
                    field="instruments",
                    reason=_l(
                        "no loaded instrument %(reference)r; run `surveyapp instruments load` "
                        "first",
                        reference=reference,
                    ),
                )
            )
    if spec.all_units == bool(spec.unit_codes):
        problems.append(
            Problem(field="units", reason=_l("give either --units CODE,... or --all-units"))
        )
    problems += privacy_problems(spec.mode, spec.min_group_size, spec.min_comment_group_size)
    if spec.opens_at and spec.closes_at and spec.closes_at <= spec.opens_at:
        problems.append(
            Problem(field="closes_at", reason=_l("the campaign must close after it opens"))
        )
    return problems


def create_campaign(session: Session, spec: CampaignSpec) -> Campaign:
    """Create a campaign (draft, or open at once with `open_now`); raise with every problem."""
    problems = _check_spec(session, spec)
    if not problems and not spec.all_units:
        try:
            units = units_by_code(session, spec.unit_codes, "units")
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    if spec.all_units:
        units = list(session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
        if not units:
            raise InputError(
                [Problem(field="all_units", reason=_l("there are no units; import them first"))]
            )
    campaign = Campaign(
        slug=spec.slug,
        name=spec.name.strip(),
        names=dict(spec.names),
        descriptions=dict(spec.descriptions),
        privacy_mode=spec.mode,
        min_group_size=spec.min_group_size,
        min_comment_group_size=spec.min_comment_group_size,
        opens_at=utcnow() if spec.open_now else spec.opens_at,
        closes_at=spec.closes_at,
        status="open" if spec.open_now else "draft",
        units=units,
        instruments=[
            CampaignInstrument(instrument_version=_instrument_version(session, ref), position=index)
            for index, ref in enumerate(spec.instruments)
        ],
    )
    session.add(campaign)
    session.flush()
    return campaign


def open_campaign(session: Session, campaign: Campaign) -> None:
    """Open a draft campaign by hand, now; from here its privacy settings are fixed."""
    if campaign.status == "open":
        raise SurveyappError(_l("campaign %(slug)r is open, not a draft", slug=campaign.slug))
    if campaign.status != "draft":
        raise SurveyappError(_l("campaign %(slug)r is closed, not a draft", slug=campaign.slug))
    campaign.status = "open"
    if campaign.opens_at is None or campaign.opens_at > utcnow():
        campaign.opens_at = utcnow()
    session.flush()


@dataclass(frozen=True)
class Closed:
    """What closing a campaign did: unsubmitted drafts deleted, held answers released, and
    its closing result release (`result_releases.publish`)."""

    drafts_deleted: int
    answers_released: int
    results: Published


def close_campaign(session: Session, campaign: Campaign, seal: Seal) -> Closed:
    """Close a campaign by hand, freeze its unit tree, purge its unsubmitted drafts, release
    its held answers and make its closing result release.

    The caller commits, then calls `holding.scrub`, which cannot run inside a transaction.
    """
    from surveyapp.services.holding import release
    from surveyapp.services.respondents import purge_drafts
    from surveyapp.services.unit_snapshots import freeze_unit_tree

    if campaign.status == "closed":
        raise SurveyappError(_l("campaign %(slug)r is already closed", slug=campaign.slug))
    campaign.status = "closed"
    session.flush()
    freeze_unit_tree(session, campaign)
    drafts, released = purge_drafts(session), release(session, campaign, seal)
    return Closed(drafts, released, publish(session, campaign))


@dataclass(frozen=True)
class IssuedLinks:
    """Links created now (employee id, link), and how many people already had one."""

    links: list[tuple[str, str]]
    already_invited: int


def issue_invitations(session: Session, campaign: Campaign, links: PersonalLinks) -> IssuedLinks:
    """Invite everyone in the campaign's units (and sub-units) who has no invitation yet."""
    if campaign.status == "closed":
        raise SurveyappError(
            _l("campaign %(slug)r is closed; no new invitations", slug=campaign.slug)
        )
    unit_ids = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    invited = set(
        session.scalars(
            sa.select(Invitation.person_id).where(Invitation.campaign_id == campaign.id)
        )
    )
    people = session.execute(
        sa.select(Person.id, Person.employee_id)
        .where(Person.unit_id.in_(sorted(unit_ids)))
        .order_by(Person.employee_id)
    ).all()
    issued: list[tuple[str, str]] = []
    for person_id, employee_id in people:
        if person_id in invited:
            continue
        salt = links.new_salt()
        session.add(
            Invitation(
                campaign_id=campaign.id,
                person_id=person_id,
                link_salt=salt,
                token_hash=hash_token(links.token(salt)),
            )
        )
        issued.append((employee_id, links.url(salt)))
    session.flush()
    return IssuedLinks(issued, len(invited))


@dataclass(frozen=True)
class HandedLinks:
    """Personal links handed out again (employee id, link), and how many were withheld."""

    links: list[tuple[str, str]]
    withheld: int


def invitation_links(
    session: Session, campaign: Campaign, links: PersonalLinks, unsubmitted_only: bool = False
) -> HandedLinks:
    """Personal links again (employee id, link), e.g. for a mail merge or a reminder.

    The link of someone who has started is never handed out: it opens their draft, and only
    they may see, change or submit what they saved (privacy rule 2). Their own email
    (`mail remind`) still reaches them. With `unsubmitted_only`, links of people who
    submitted are left out too.
    """
    handed = ("sent",) if unsubmitted_only else ("sent", "submitted")
    query = (
        sa.select(Person.employee_id, Invitation.link_salt, Invitation.status)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.campaign_id == campaign.id, Invitation.link_salt.is_not(None))
        .order_by(Person.employee_id)
    )
    rows = session.execute(query).all()
    return HandedLinks(
        [(employee_id, links.url(salt)) for employee_id, salt, status in rows if status in handed],
        sum(status == "started" for _employee_id, _salt, status in rows),
    )


@dataclass(frozen=True)
class CampaignChanges:
    """A campaign's settings as an admin edits them: every field, changed or not."""

    name: str
    unit_codes: list[str]
    mode: str
    min_group_size: int
    min_comment_group_size: int
    opens_at: datetime | None
    closes_at: datetime | None
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)


def settings_fixed(campaign: Campaign) -> bool:
    """Whether the campaign has opened (by hand or by date): its privacy mode, group sizes and
    opening date are then fixed, since answers were given under them."""
    return campaign_phase(campaign) != "not_open"


def _locked_problems(campaign: Campaign, changes: CampaignChanges) -> list[Problem]:
    """Changes the campaign's phase forbids: privacy once open, all but the name once closed."""
    phase = campaign_phase(campaign)
    problems: list[Problem] = []
    if phase == "not_open":
        return problems
    if phase == "open":
        since = _l("once the campaign has opened")
    else:
        since = _l("once the campaign has closed")
    fixed = {
        "mode": (campaign.privacy_mode, changes.mode, _l("the privacy mode")),
        "min_group_size": (
            campaign.min_group_size,
            changes.min_group_size,
            _l("the minimum group size"),
        ),
        "min_comment_group_size": (
            campaign.min_comment_group_size,
            changes.min_comment_group_size,
            _l("the minimum group size for comments"),
        ),
        "opens_at": (campaign.opens_at, changes.opens_at, _l("the opening date")),
    }
    if phase == "closed":
        fixed["closes_at"] = (campaign.closes_at, changes.closes_at, _l("the closing date"))
    for name, (before, after, label) in fixed.items():
        if before != after:
            reason = _l("%(label)s cannot change %(since)s", label=label, since=since)
            problems.append(Problem(field=name, reason=reason))
    current = {unit.code for unit in campaign.units}
    removed = sorted(current - set(changes.unit_codes))
    added = sorted(set(changes.unit_codes) - current)
    if removed:
        problems.append(
            Problem(
                field="units",
                reason=_l(
                    "units cannot be removed %(since)s: %(units)s",
                    since=since,
                    units=", ".join(removed),
                ),
            )
        )
    if added and phase == "closed":
        problems.append(
            Problem(field="units", reason=_l("units cannot be added to a closed campaign"))
        )
    return problems


def update_campaign(session: Session, campaign: Campaign, changes: CampaignChanges) -> Campaign:
    """Apply an admin's edit, or raise with every problem and change nothing.

    The rule the CLI and the admin pages share: once a campaign has opened, its privacy mode,
    minimum group sizes and opening date stay as they were and no target unit is removed; once
    it has closed, only its name can change.
    """
    problems = _locked_problems(campaign, changes)
    if changes.mode != campaign.privacy_mode:
        problems += mode_change_problems(session, campaign)
    if not changes.name.strip() or len(changes.name) > 200:
        problems.append(
            Problem(field="name", reason=_l("a name of 1 to 200 characters is required"))
        )
    if not changes.unit_codes:
        problems.append(Problem(field="units", reason=_l("choose at least one unit")))
    problems += privacy_problems(
        changes.mode, changes.min_group_size, changes.min_comment_group_size
    )
    opens, closes = changes.opens_at, changes.closes_at
    if opens and closes and closes <= opens:
        problems.append(
            Problem(field="closes_at", reason=_l("the campaign must close after it opens"))
        )
    units: list[OrgUnit] = []
    if changes.unit_codes:
        try:
            units = units_by_code(session, changes.unit_codes, "units")
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    campaign.name = changes.name.strip()
    campaign.names, campaign.descriptions = dict(changes.names), dict(changes.descriptions)
    campaign.units = units
    campaign.privacy_mode = changes.mode
    campaign.min_group_size = changes.min_group_size
    campaign.min_comment_group_size = changes.min_comment_group_size
    campaign.opens_at = changes.opens_at
    campaign.closes_at = changes.closes_at
    session.flush()
    return campaign
