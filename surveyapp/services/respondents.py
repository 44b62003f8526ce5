"""The respondent's way through a campaign: which link is which, drafts, and the one submission.

A token in `/s/<token>` is either a personal invitation's or an open-link draft's; both are
256-bit random values of which only the SHA-256 is stored, so looking one up tells nothing
about any other. Submission consumes the invitation (or the open draft) with a conditional
UPDATE in the same transaction as the response insert: the database, not a check made
earlier in Python, decides which of two concurrent submissions stores a response.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from surveyapp.models import Campaign, Draft, Function, Invitation, OpenLink
from surveyapp.models.base import utcnow
from surveyapp.models.org import LEVELS
from surveyapp.services.layout import AnswerValue, CampaignLayout
from surveyapp.services.responses import Submission, record_responses
from surveyapp.services.survey_pages import SurveyPage, as_utc, campaign_phase
from surveyapp.services.tokens import hash_token, new_token

DRAFT_LIFETIME = timedelta(days=30)
KIOSK_DRAFT_LIFETIME = timedelta(minutes=30)  # a shared device left mid-survey
State = Literal["not_open", "closed", "submitted", "expired", "ready"]


@dataclass
class Visit:
    """What a survey token opens: the campaign, and the invitation or open link behind it."""

    campaign: Campaign
    invitation: Invitation | None
    open_link: OpenLink | None
    draft: Draft | None

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
        phase = campaign_phase(self.campaign, now)
        if phase != "open":
            return phase
        if self.draft is not None and draft_expired(self.draft, now):
            return "expired"
        return "ready"

    @property
    def kiosk(self) -> bool:
        return self.draft is not None and self.draft.kiosk


def draft_expired(draft: Draft, now: datetime) -> bool:
    """Drafts left alone too long are not resumed: 30 days, or 30 minutes on a kiosk."""
    lifetime = KIOSK_DRAFT_LIFETIME if draft.kiosk else DRAFT_LIFETIME
    return now - as_utc(draft.updated_at) > lifetime


def _same_hash(stored: str, computed: str) -> bool:
    """Compare hashes in constant time, so timing says nothing about near misses."""
    return hmac.compare_digest(stored.encode(), computed.encode())


# The lookups are built once, at import: building a statement costs more than running it.
INVITATION_BY_HASH = (
    sa.select(Invitation)
    .options(joinedload(Invitation.campaign), joinedload(Invitation.person))
    .where(Invitation.token_hash == sa.bindparam("digest"))
)
INVITATION_LOCKED = INVITATION_BY_HASH.with_for_update(of=Invitation)
DRAFT_OF_INVITATION_LOCKED = (
    sa.select(Draft).where(Draft.invitation_id == sa.bindparam("invitation_id")).with_for_update()
)
INVITATION_WITH_DRAFT = INVITATION_BY_HASH.add_columns(Draft).outerjoin(
    Draft, Draft.invitation_id == Invitation.id
)
INVITATION_AND_DRAFT_LOCKED = (
    INVITATION_BY_HASH.add_columns(Draft)
    .join(Draft, Draft.invitation_id == Invitation.id)
    .with_for_update(of=[Invitation, Draft])
)
OPEN_DRAFT_BY_HASH = (
    sa.select(Draft)
    .options(joinedload(Draft.open_link).joinedload(OpenLink.campaign))
    .where(Draft.token_hash == sa.bindparam("digest"))
)
OPEN_DRAFT_LOCKED = OPEN_DRAFT_BY_HASH.with_for_update(of=Draft)


def _invitation_and_draft(
    session: Session, digest: str, lock: bool
) -> tuple[Invitation | None, Draft | None]:
    """The invitation with this token hash and its draft, read together when they can be.

    Locking (PostgreSQL) takes both rows' locks in one statement when the draft exists (most
    writes are to a page of a started survey); PostgreSQL re-reads both rows once their locks
    are granted, and drops the row if either was deleted meanwhile. Without a draft joined,
    the invitation is locked first and its draft read after, so a draft made by a request
    that held the lock is seen.
    """
    if not lock:
        row = session.execute(INVITATION_WITH_DRAFT, {"digest": digest}).first()
        return (None, None) if row is None else (row[0], row[1])
    row = session.execute(INVITATION_AND_DRAFT_LOCKED, {"digest": digest}).first()
    if row is not None:
        return row[0], row[1]
    invitation = session.scalar(INVITATION_LOCKED, {"digest": digest})
    if invitation is None:
        return None, None
    return invitation, session.scalar(DRAFT_OF_INVITATION_LOCKED, {"invitation_id": invitation.id})


def find_visit(session: Session, token: str, for_update: bool = False) -> Visit | None:
    """The visit a token opens, or None for a token that no link has.

    `for_update` locks the invitation and draft rows (PostgreSQL) so that two requests of
    one respondent that both write take turns; SQLite has no row locks and gets the same from
    BEGIN IMMEDIATE, so it reads as any other request.
    """
    digest = hash_token(token)
    lock = for_update and session.get_bind().dialect.name != "sqlite"
    invitation, draft = _invitation_and_draft(session, digest, lock)
    if invitation is not None and _same_hash(invitation.token_hash, digest):
        return Visit(invitation.campaign, invitation, None, draft)
    draft = session.scalar(OPEN_DRAFT_LOCKED if lock else OPEN_DRAFT_BY_HASH, {"digest": digest})
    if draft is not None and draft.token_hash and _same_hash(draft.token_hash, digest):
        return Visit(draft.open_link.campaign, None, draft.open_link, draft)
    return None


def find_open_link(session: Session, code: str) -> OpenLink | None:
    """The open link printed as `/o/<code>`, or None."""
    return session.scalar(sa.select(OpenLink).where(OpenLink.code == code))


def start_personal_draft(session: Session, visit: Visit, locale: str, consent: bool) -> Draft:
    """Begin (or begin again) a personal link's draft; the invitation becomes 'started'."""
    assert visit.invitation is not None
    if visit.draft is not None:
        session.delete(visit.draft)
        session.flush()
    consent = consent and visit.campaign.privacy_mode == "confidential"
    draft = Draft(
        campaign_id=visit.campaign.id,
        invitation_id=visit.invitation.id,
        locale=locale,
        consent=consent,
        answers={},
    )
    session.add(draft)
    session.execute(
        sa.update(Invitation)
        .where(Invitation.id == visit.invitation.id, Invitation.status == "sent")
        .values(status="started")
    )
    session.flush()
    visit.draft = draft
    return draft


def start_open_draft(
    session: Session, link: OpenLink, function: Function, level: str, locale: str, kiosk: bool
) -> str:
    """Begin a draft for someone who came by an open link; the token that reaches it."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    token = new_token()
    session.add(
        Draft(
            campaign_id=link.campaign_id,
            open_link_id=link.id,
            token_hash=hash_token(token),
            function_id=function.id,
            level=level,
            kiosk=kiosk,
            locale=locale,
            answers={},
        )
    )
    session.flush()
    return token


def save_page(
    draft: Draft, page: SurveyPage, answers: dict[str, AnswerValue], locale: str, reached: int
) -> None:
    """Replace the page's answers in the draft and remember the furthest page reached."""
    kept: dict[str, Any] = {
        column: value
        for column, value in draft.answers.items()
        if column not in {question.column for question in page.questions}
    }
    draft.answers = kept | answers
    draft.locale = locale
    draft.page = max(draft.page, reached)
    draft.updated_at = utcnow()


def first_unanswered_page(pages: list[SurveyPage], answers: dict[str, Any]) -> int | None:
    """The index of the first page with a required question left unanswered, if any."""
    for index, page in enumerate(pages):
        if any(q.item.required and q.column not in answers for q in page.questions):
            return index
    return None


# The consuming statements of `submit`: conditional, so only one of two racing requests wins.
# Written on the tables, not the mapped classes: the ORM's bulk UPDATE/DELETE path would only
# add its own bookkeeping, and the draft object is deliberately left as it is.
INVITATIONS = Invitation.__table__
DRAFTS = Draft.__table__
CONSUME_INVITATION = (
    sa.update(INVITATIONS)
    .where(INVITATIONS.c.id == sa.bindparam("row_id"), INVITATIONS.c.status != "submitted")
    .values(status="submitted")
)
CONSUME_OPEN_DRAFT = (
    sa.update(DRAFTS)
    .where(DRAFTS.c.id == sa.bindparam("row_id"), DRAFTS.c.submitted.is_(False))
    .values(submitted=True, answers={}, page=0)
)
DELETE_DRAFT = sa.delete(DRAFTS).where(DRAFTS.c.id == sa.bindparam("draft_id"))
# PostgreSQL runs both as one statement: the draft's DELETE rides along as a CTE, and the
# UPDATE's row count still says whether this request consumed the invitation.
CONSUME_INVITATION_DROP_DRAFT = CONSUME_INVITATION.add_cte(DELETE_DRAFT.cte("dropped_draft"))


def _consume_invitation(session: Session, invitation_id: int, draft_id: int) -> bool:
    """Mark the invitation submitted and delete its draft; False if it was submitted already."""
    ids = {"row_id": invitation_id, "draft_id": draft_id}
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(CONSUME_INVITATION_DROP_DRAFT, ids).rowcount == 1
    if session.execute(CONSUME_INVITATION, ids).rowcount != 1:
        return False
    session.execute(DELETE_DRAFT, ids)
    return True


def submit(
    session: Session,
    visit: Visit,
    layout: CampaignLayout,
    answers: dict[str, AnswerValue],
    locale: str,
) -> bool:
    """Store `answers` as the visit's response, once: True if this call stored it.

    The consuming UPDATE and the insert share the caller's transaction; a second submission
    finds the row already consumed (rowcount 0) and stores nothing. The draft object is not
    touched, so a submission that lost the race has nothing left to flush.
    """
    draft = visit.draft
    assert draft is not None
    campaign = visit.campaign
    answers = {column: value for column, value in answers.items() if column in layout.by_column}
    if visit.invitation is not None:
        if not _consume_invitation(session, visit.invitation.id, draft.id):
            return False
        person = visit.invitation.person
        submission = Submission(
            unit_id=person.unit_id,
            function_id=person.function_id,
            level=person.level,
            locale=locale,
            answers=answers,
            person_id=person.id,
            invitation_id=visit.invitation.id,
            consent=draft.consent,
            submitted_on=utcnow().date(),
        )
    else:
        assert visit.open_link is not None and draft.function_id and draft.level
        consumed = session.execute(CONSUME_OPEN_DRAFT, {"row_id": draft.id}).rowcount
        if consumed != 1:
            return False
        submission = Submission(
            unit_id=visit.open_link.unit_id,
            function_id=draft.function_id,
            level=draft.level,
            locale=locale,
            answers=answers,
            submitted_on=utcnow().date(),
        )
    record_responses(session, campaign, layout, [submission])
    return True


def purge_drafts(session: Session, now: datetime | None = None) -> int:
    """Delete drafts of closed campaigns and drafts past their lifetime; how many went."""
    now = now or utcnow()
    doomed = [
        draft.id
        for draft in session.scalars(sa.select(Draft))
        if campaign_phase(_campaign(session, draft.campaign_id), now) == "closed"
        or draft_expired(draft, now)
    ]
    if doomed:
        session.execute(sa.delete(Draft).where(Draft.id.in_(doomed)))
    return len(doomed)


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    return campaign
