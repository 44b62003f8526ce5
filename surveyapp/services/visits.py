"""Which link a survey token opens, read as plain records in one statement.

A token in `/s/<token>` is either a personal invitation's or an open-link draft's; both are
256-bit random values of which only the SHA-256 is stored, so looking one up tells nothing
about any other. Every respondent request starts here, and changes what it read only through
explicit statements (`services.respondents`), so the rows are read with one Core statement
into frozen records rather than ORM objects: the ORM builds its row processors afresh for each
query, which cost a third of a millisecond per request (measured in the respondent benchmark).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, Draft, Invitation, OpenLink, Person
from surveyapp.models.base import utcnow
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.sealing import Seal
from surveyapp.services.tokens import hash_token

DRAFT_LIFETIME = timedelta(days=30)
KIOSK_DRAFT_LIFETIME = timedelta(minutes=30)  # a shared device left mid-survey
State = Literal["not_open", "closed", "retired", "submitted", "expired", "ready"]


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """What the respondent's pages show of a campaign and when it takes answers."""

    id: int
    name: str
    names: dict[str, str]
    descriptions: dict[str, str]
    privacy_mode: str
    min_group_size: int
    min_comment_group_size: int
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PersonRow:
    """The roster facts a personal submission copies onto its response."""

    id: int
    unit_id: int
    function_id: int
    level: str
    locale: str


@dataclass(frozen=True, slots=True)
class InvitationRow:
    """A personal link: whether it was used, and who it was sent to."""

    id: int
    token_hash: str
    status: str
    person: PersonRow


@dataclass(frozen=True, slots=True)
class OpenLinkRow:
    """A unit's open link, whose respondents are reported in that unit."""

    id: int
    code: str
    unit_id: int
    retired_at: datetime | None


@dataclass(frozen=True, slots=True)
class DraftRow:
    """Answers saved so far; an open link's draft also has its token and the chosen groups.

    `answers` are the draft's sealed answers opened with `seal`, the key of the token the
    request came with; saving seals them again under it.
    """

    id: int
    token_hash: str | None
    function_id: int | None
    level: str | None
    kiosk: bool
    device_hash: str | None
    locale: str
    consent: bool
    page: int
    answers: dict[str, Any]
    submitted: bool
    updated_at: datetime
    seal: Seal


@dataclass
class Visit:
    """What a survey token opens: the campaign, and the invitation or open link behind it."""

    campaign: CampaignRow
    invitation: InvitationRow | None
    open_link: OpenLinkRow | None
    draft: DraftRow | None
    seal: Seal | None = None  # the token's key, which seals the draft's answers

    def state(self, now: datetime | None = None) -> State:
        """Which page the respondent should see before any question."""
        now = now or utcnow()
        submitted = (
            self.invitation.status == "submitted"
            if self.invitation is not None
            else self.draft is not None and self.draft.submitted
        )
        if submitted:
            return "submitted"
        if self.open_link is not None and self.open_link.retired_at is not None:
            return "retired"
        phase = campaign_phase(self.campaign, now)
        if phase != "open":
            return phase
        if self.draft is not None and draft_expired(self.draft, now):
            return "expired"
        return "ready"

    @property
    def kiosk(self) -> bool:
        return self.draft is not None and self.draft.kiosk


def draft_expired(draft: DraftRow | Draft, now: datetime) -> bool:
    """Drafts left alone too long are not resumed: 30 days, or 30 minutes on a kiosk."""
    lifetime = KIOSK_DRAFT_LIFETIME if draft.kiosk else DRAFT_LIFETIME
    return now - draft.updated_at > lifetime


Record = TypeVar("Record")


@cache
def _names(record: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(record))


def _labelled(table: sa.Table, record: type, prefix: str) -> list[sa.Label[Any]]:
    """The table's columns that `record` holds, labelled `<prefix><column>`."""
    return [table.c[name].label(prefix + name) for name in _names(record) if name in table.c]


def _read(record: type[Record], row: Mapping[str, Any], prefix: str, **given: Any) -> Record:
    """The `record` held in `row` under `prefix`; `given` fills fields that are not columns."""
    read = {name: row[prefix + name] for name in _names(record) if name not in given}
    return record(**read, **given)


def as_record(record: type[Record], source: Any, **given: Any) -> Record:
    """The `record` of an ORM object (a draft just made, an open link found by its code);
    `given` fills fields that are not attributes."""
    read = {name: getattr(source, name) for name in _names(record) if name not in given}
    return record(**read, **given)


# The lookups are built once, at import: building a statement costs more than running it.
INVITATIONS, PERSONS, CAMPAIGNS = Invitation.__table__, Person.__table__, Campaign.__table__
DRAFTS, OPEN_LINKS = Draft.__table__, OpenLink.__table__
INVITATION_COLUMNS = [
    *_labelled(INVITATIONS, InvitationRow, "i_"),
    *_labelled(PERSONS, PersonRow, "p_"),
    *_labelled(CAMPAIGNS, CampaignRow, "c_"),
]
DRAFT_COLUMNS = [*_labelled(DRAFTS, DraftRow, "d_"), DRAFTS.c.sealed_answers.label("d_sealed")]
NO_DRAFT = dict.fromkeys((column.name for column in DRAFT_COLUMNS), None)
INVITED = INVITATIONS.join(CAMPAIGNS, CAMPAIGNS.c.id == INVITATIONS.c.campaign_id).join(
    PERSONS, PERSONS.c.id == INVITATIONS.c.person_id
)
BY_INVITATION_HASH = INVITATIONS.c.token_hash == sa.bindparam("digest")
OF_INVITATION = DRAFTS.c.invitation_id == INVITATIONS.c.id
INVITATION_WITH_DRAFT = (
    sa.select(*INVITATION_COLUMNS, *DRAFT_COLUMNS)
    .select_from(INVITED.outerjoin(DRAFTS, OF_INVITATION))
    .where(BY_INVITATION_HASH)
)
INVITATION_AND_DRAFT_LOCKED = (
    sa.select(*INVITATION_COLUMNS, *DRAFT_COLUMNS)
    .select_from(INVITED.join(DRAFTS, OF_INVITATION))
    .where(BY_INVITATION_HASH)
    .with_for_update(of=[INVITATIONS, DRAFTS])
)
INVITATION_LOCKED = (
    sa.select(*INVITATION_COLUMNS)
    .select_from(INVITED)
    .where(BY_INVITATION_HASH)
    .with_for_update(of=INVITATIONS)
)
DRAFT_OF_INVITATION_LOCKED = (
    sa.select(*DRAFT_COLUMNS)
    .where(DRAFTS.c.invitation_id == sa.bindparam("invitation_id"))
    .with_for_update()
)
OPEN_DRAFT_BY_HASH = (
    sa.select(
        *DRAFT_COLUMNS,
        *_labelled(OPEN_LINKS, OpenLinkRow, "o_"),
        *_labelled(CAMPAIGNS, CampaignRow, "c_"),
    )
    .select_from(
        DRAFTS.join(OPEN_LINKS, OPEN_LINKS.c.id == DRAFTS.c.open_link_id).join(
            CAMPAIGNS, CAMPAIGNS.c.id == OPEN_LINKS.c.campaign_id
        )
    )
    .where(DRAFTS.c.token_hash == sa.bindparam("digest"))
)
OPEN_DRAFT_LOCKED = OPEN_DRAFT_BY_HASH.with_for_update(of=DRAFTS)
# What a visit with a draft depends on, read again under SQLite's write lock (`unchanged`).
VISIT_VERSION = (
    sa.select(
        DRAFTS.c.updated_at,
        DRAFTS.c.submitted,
        INVITATIONS.c.status,
        OPEN_LINKS.c.retired_at,
        CAMPAIGNS.c.status,
        CAMPAIGNS.c.opens_at,
        CAMPAIGNS.c.closes_at,
    )
    .select_from(
        DRAFTS.join(CAMPAIGNS, CAMPAIGNS.c.id == DRAFTS.c.campaign_id)
        .outerjoin(INVITATIONS, INVITATIONS.c.id == DRAFTS.c.invitation_id)
        .outerjoin(OPEN_LINKS, OPEN_LINKS.c.id == DRAFTS.c.open_link_id)
    )
    .where(DRAFTS.c.id == sa.bindparam("draft_id"))
)


def _same_hash(stored: str, computed: str) -> bool:
    """Compare hashes in constant time, so timing says nothing about near misses."""
    return hmac.compare_digest(stored.encode(), computed.encode())


def _invitation_row(session: Session, digest: str, lock: bool) -> Mapping[str, Any] | None:
    """The invitation with this token hash, its person and campaign, and its draft if any.

    Locking (PostgreSQL) takes both rows' locks in one statement when the draft exists (most
    writes are to a page of a started survey); PostgreSQL re-reads both rows once their locks
    are granted, and drops the row if either was deleted meanwhile. Without a draft joined,
    the invitation is locked first and its draft read after, so a draft made by a request
    that held the lock is seen.
    """
    connection = session.connection()
    if not lock:
        return connection.execute(INVITATION_WITH_DRAFT, {"digest": digest}).mappings().first()
    row = connection.execute(INVITATION_AND_DRAFT_LOCKED, {"digest": digest}).mappings().first()
    if row is not None:
        return row
    invitation = connection.execute(INVITATION_LOCKED, {"digest": digest}).mappings().first()
    if invitation is None:
        return None
    ids = {"invitation_id": invitation["i_id"]}
    draft = connection.execute(DRAFT_OF_INVITATION_LOCKED, ids).mappings().first()
    return {**invitation, **(draft or NO_DRAFT)}


def find_visit(session: Session, token: str, for_update: bool = False) -> Visit | None:
    """The visit a token opens, or None for a token that no link has.

    `for_update` locks the invitation and draft rows (PostgreSQL) so that two requests of
    one respondent that both write take turns; SQLite has no row locks and gets the same from
    BEGIN IMMEDIATE, so it reads as any other request.
    """
    digest = hash_token(token)
    seal = Seal.for_token(token)
    lock = for_update and session.get_bind().dialect.name != "sqlite"
    row = _invitation_row(session, digest, lock)
    if row is not None and _same_hash(row["i_token_hash"], digest):
        person = _read(PersonRow, row, "p_")
        draft = None if row["d_id"] is None else _draft(row, seal)
        invitation = _read(InvitationRow, row, "i_", person=person)
        return Visit(_read(CampaignRow, row, "c_"), invitation, None, draft, seal)
    statement = OPEN_DRAFT_LOCKED if lock else OPEN_DRAFT_BY_HASH
    row = session.connection().execute(statement, {"digest": digest}).mappings().first()
    if row is not None and _same_hash(row["d_token_hash"], digest):
        campaign = _read(CampaignRow, row, "c_")
        open_link = _read(OpenLinkRow, row, "o_")
        return Visit(campaign, None, open_link, _draft(row, seal), seal)
    return None


def unchanged(session: Session, visit: Visit) -> bool:
    """Whether the visit's draft, invitation, open link and campaign still read as they did.

    SQLite checks a page before taking the write lock (survey.views); under the lock this
    one small read tells whether the visit read before it still holds, which is cheaper than
    reading (and unsealing) it again.
    """
    draft, campaign = visit.draft, visit.campaign
    assert draft is not None
    now = session.execute(VISIT_VERSION, {"draft_id": draft.id}).first()
    then = (
        draft.updated_at,
        draft.submitted,
        None if visit.invitation is None else visit.invitation.status,
        None if visit.open_link is None else visit.open_link.retired_at,
        campaign.status,
        campaign.opens_at,
        campaign.closes_at,
    )
    return now is not None and tuple(now) == then


def _draft(row: Mapping[str, Any], seal: Seal) -> DraftRow:
    """The draft in `row`, its answers opened with the token's seal."""
    sealed = row["d_sealed"]
    answers = {} if sealed is None else seal.open(sealed)
    return _read(DraftRow, row, "d_", answers=answers, seal=seal)


def find_open_link(session: Session, code: str) -> OpenLink | None:
    """The open link printed as `/o/<code>`, or None."""
    return session.scalar(sa.select(OpenLink).where(OpenLink.code == code))
