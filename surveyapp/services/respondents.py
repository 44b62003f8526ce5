"""The respondent's drafts and the one submission, for the visits `services.visits` finds.

Submission consumes the invitation (or the open draft) with a conditional UPDATE in the same
transaction as the response insert: the database, not a check made earlier in Python, decides
which of two concurrent submissions stores a response. An anonymous campaign's answers are
held rather than stored (services/holding.py), so that transaction writes no response row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, Draft, Function, Invitation, OpenLink
from surveyapp.models.base import utcnow
from surveyapp.models.org import LEVELS
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.device_drafts import device_draft_token, new_resume_salt
from surveyapp.services.holding import hold, spend_and_hold
from surveyapp.services.kiosk import end_device_drafts
from surveyapp.services.layout import AnswerValue, CampaignLayout
from surveyapp.services.open_guard import LIMIT_WINDOW
from surveyapp.services.responses import Submission, record_responses
from surveyapp.services.sealing import Seal
from surveyapp.services.spending import (
    CONSUME_INVITATION,
    CONSUME_INVITATION_DROP_DRAFT,
    CONSUME_OPEN_DRAFT,
    DELETE_DRAFT,
)
from surveyapp.services.survey_pages import SurveyPage
from surveyapp.services.tokens import hash_token, new_token
from surveyapp.services.visits import DRAFTS, DraftRow, Visit, as_record, draft_expired

# SET: the columns given at execution (sealed_answers, locale, page, updated_at).
SAVE_DRAFT = sa.update(DRAFTS).where(DRAFTS.c.id == sa.bindparam("draft_id"))


def start_personal_draft(session: Session, visit: Visit, locale: str, consent: bool) -> None:
    """Begin (or begin again) a personal link's draft; the invitation becomes 'started'."""
    assert visit.invitation is not None and visit.seal is not None
    if visit.draft is not None:
        session.execute(DELETE_DRAFT, {"draft_id": visit.draft.id})
    consent = consent and visit.campaign.privacy_mode == "confidential"
    draft = Draft(
        campaign_id=visit.campaign.id,
        invitation_id=visit.invitation.id,
        locale=locale,
        consent=consent,
    )
    session.add(draft)
    session.execute(
        sa.update(Invitation)
        .where(Invitation.id == visit.invitation.id, Invitation.status == "sent")
        .values(status="started")
    )
    session.flush()
    visit.draft = as_record(DraftRow, draft, answers={}, seal=visit.seal)


def start_open_draft(
    session: Session,
    link: OpenLink,
    function: Function,
    level: str,
    locale: str,
    device: str,
    kiosk: bool,
) -> str:
    """Begin a draft for someone who came by an open link; the token that reaches it.

    `device` is the browser's device token, kept hashed on the draft so that the device's
    submissions can be counted (services/open_guard.py). On a kiosk the unfinished drafts
    begun on the device before end now, and the token is random; elsewhere the token is made
    from the device token, so that the same browser can resume (services/device_drafts.py).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if kiosk:
        end_device_drafts(session, device)
    salt = None if kiosk else new_resume_salt()
    token = new_token() if salt is None else device_draft_token(device, salt)
    session.add(
        Draft(
            campaign_id=link.campaign_id,
            open_link_id=link.id,
            token_hash=hash_token(token),
            function_id=function.id,
            level=level,
            kiosk=kiosk,
            device_hash=hash_token(device),
            resume_salt=salt,
            locale=locale,
        )
    )
    session.flush()
    return token


def save_page(
    session: Session,
    draft: DraftRow,
    page: SurveyPage,
    answers: dict[str, AnswerValue],
    locale: str,
    reached: int,
) -> None:
    """Replace the page's answers in the draft and remember the furthest page reached."""
    kept: dict[str, Any] = {
        column: value
        for column, value in draft.answers.items()
        if column not in {question.column for question in page.questions}
    }
    values = {
        "sealed_answers": draft.seal.close(kept | answers),
        "locale": locale,
        "page": max(draft.page, reached),
    }
    session.execute(SAVE_DRAFT, {"draft_id": draft.id, **values, "updated_at": utcnow()})


def first_unanswered_page(pages: list[SurveyPage], answers: dict[str, Any]) -> int | None:
    """The index of the first page with a required question left unanswered, if any."""
    for index, page in enumerate(pages):
        if any(q.item.required and q.column not in answers for q in page.questions):
            return index
    return None


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submission: whether this call stored it, and how many held answers
    it released (the batch its answer filled)."""

    stored: bool
    released: int = 0

    def __bool__(self) -> bool:
        return self.stored


def _spend(session: Session, visit: Visit, held: bool) -> bool:
    """Use up the visit's invitation (deleting its draft) or its open draft; False if it was
    submitted already."""
    draft = visit.draft
    assert draft is not None
    if visit.invitation is None:
        return session.execute(CONSUME_OPEN_DRAFT, {"row_id": draft.id}).rowcount == 1
    ids = {"row_id": visit.invitation.id, "draft_id": draft.id, "held": held}
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(CONSUME_INVITATION_DROP_DRAFT, ids).rowcount == 1
    if session.execute(CONSUME_INVITATION, ids).rowcount != 1:
        return False
    session.execute(DELETE_DRAFT, ids)
    return True


def _submission(visit: Visit, answers: dict[str, AnswerValue], locale: str) -> Submission:
    """What the visit submits: the person's place (personal link) or the draft's (open link)."""
    draft = visit.draft
    assert draft is not None
    today = utcnow().date()
    if visit.invitation is None:
        assert visit.open_link is not None and draft.function_id and draft.level
        return Submission(
            unit_id=visit.open_link.unit_id,
            function_id=draft.function_id,
            level=draft.level,
            locale=locale,
            answers=answers,
            submitted_on=today,
        )
    person = visit.invitation.person
    return Submission(
        unit_id=person.unit_id,
        function_id=person.function_id,
        level=person.level,
        locale=locale,
        answers=answers,
        person_id=person.id,
        invitation_id=visit.invitation.id,
        consent=draft.consent,
        submitted_on=today,
    )


def submit(
    session: Session,
    visit: Visit,
    layout: CampaignLayout,
    answers: dict[str, AnswerValue],
    locale: str,
    seal: Seal,
) -> Submitted:
    """Store `answers` as the visit's response, once: true if this call stored it.

    The consuming UPDATE and the insert share the caller's transaction; a second submission
    finds the row already consumed (rowcount 0) and stores nothing. In an anonymous campaign
    the answers are sealed into the holding table instead of `responses`, and the batch they
    fill is released with them (`holding.hold`; on PostgreSQL `holding.spend_and_hold` spends
    and holds in one statement).
    """
    draft = visit.draft
    assert draft is not None
    campaign = visit.campaign
    anonymous = campaign.privacy_mode == "anonymous"
    answers = {column: value for column, value in answers.items() if column in layout.by_column}
    submission = _submission(visit, answers, locale)
    if anonymous and session.get_bind().dialect.name == "postgresql":
        invitation_id = None if visit.invitation is None else visit.invitation.id
        released = spend_and_hold(session, campaign, submission, seal, invitation_id, draft.id)
        return Submitted(False) if released is None else Submitted(True, released)
    if not _spend(session, visit, anonymous):
        return Submitted(False)
    if anonymous:
        return Submitted(True, hold(session, campaign, submission, seal))
    record_responses(session, campaign, layout, [submission])
    return Submitted(True)


def purge_drafts(session: Session, now: datetime | None = None) -> int:
    """Delete drafts of closed campaigns and drafts past their lifetime; how many went.

    A submitted open-link draft is kept for LIMIT_WINDOW whatever its lifetime, since it is
    what the device's daily limit counts (a kiosk's would otherwise go after 30 minutes).
    """
    now = now or utcnow()
    doomed = [
        draft.id
        for draft in session.scalars(sa.select(Draft))
        if campaign_phase(_campaign(session, draft.campaign_id), now) == "closed"
        or (draft_expired(draft, now) and not _counted_today(draft, now))
    ]
    if doomed:
        session.execute(sa.delete(Draft).where(Draft.id.in_(doomed)))
    return len(doomed)


def _counted_today(draft: Draft, now: datetime) -> bool:
    """Whether the draft is a submission the device's daily limit still counts."""
    return draft.submitted and now - draft.updated_at < LIMIT_WINDOW


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    return campaign
