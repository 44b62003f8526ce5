"""The outbox: invitations and reminders queued as rows, for `outbox_sender` to send.

Rendered at send time. A queued row holds the recipient, language and subject but no body:
the body, with the personal link, is rendered from the templates as the message goes out,
the link remade then from the invitation's salt (services/tokens.py). So the database never
holds a usable link, which is what personal links were built for; a secret key rotated while
messages wait still yields working links; and `body` is never written, so nothing is left to
clear. The price, that a template fixed after queuing reaches the messages still waiting, is
what an admin who fixed a typo wants anyway.

Each person gets at most one message of each kind (the outbox's unique constraint). Reminder
N goes only to people who have not submitted and were sent the message before it; the
sender also drops a queued message whose person submitted, or whose campaign closed, in the
meantime. Stuck messages (see outbox_sender) are put back only by `requeue`, an admin's call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from surveyapp.errors import SurveyappError
from surveyapp.language import _l
from surveyapp.mail import (
    FALLBACK_LOCALE,
    MAX_REMINDERS,
    MailContent,
    html_fragment,
    mail_locale,
    mail_locales,
    render_mail,
    render_subject,
)
from surveyapp.models import Campaign, Invitation, OutboxMessage, Person
from surveyapp.models.base import utcnow
from surveyapp.models.mail import MESSAGE_KINDS, MESSAGE_STATUSES
from surveyapp.services.audit import record_export
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.campaign_words import name_in
from surveyapp.services.campaigns import issue_invitations
from surveyapp.services.survey_pages import (
    SurveyPlan,
    campaign_locales,
    estimated_minutes,
    survey_plan,
)
from surveyapp.services.tokens import PersonalLinks

SENDING_TIMEOUT = timedelta(minutes=10)  # far beyond one SMTP conversation's timeout
PREVIEW_TOKEN = "PREVIEW-sample-link"


class MailError(SurveyappError):
    """A mail request the app refuses, or a mail server it cannot use."""


@dataclass(frozen=True)
class Queued:
    """What queuing did: new messages, people already queued, and people left out for now."""

    queued: int
    already: int
    without_email: int = 0
    waiting: int = 0  # the previous message has not gone out to them yet


def _offered(plan: SurveyPlan) -> list[str]:
    """The languages a message can be in: templates exist and every instrument speaks it."""
    return campaign_locales(plan, mail_locales()) or [FALLBACK_LOCALE]


def campaign_content(
    campaign: Campaign, plan: SurveyPlan, now: datetime, level: str | None = None
) -> MailContent:
    """What every message of the campaign to someone at `level` says (the time it takes is
    theirs); the link and round are filled in per message."""
    opens = campaign.opens_at
    return MailContent(
        campaign_name=campaign.name,
        link="",
        minutes=estimated_minutes(plan.pages_for(level)),
        confidential=campaign.privacy_mode == "confidential",
        opens_on=opens.date() if opens and opens > now else None,
        closes_on=campaign.closes_at.date() if campaign.closes_at else None,
    )


def reminder_round(kind: str) -> int:
    """0 for the invitation, N for `reminder_N`."""
    return int(kind.rpartition("_")[2]) if kind.startswith("reminder") else 0


def _without(kind: str) -> sa.ColumnElement[bool]:
    """Invitations that have no message of `kind` yet."""
    return ~sa.exists().where(
        OutboxMessage.invitation_id == Invitation.id, OutboxMessage.kind == kind
    )


def _queue(session: Session, campaign: Campaign, kind: str, query: sa.Select, actor: str) -> Queued:
    """Add a `kind` message for each (invitation id, email, locale) row; audit the batch."""
    plan = survey_plan(session, campaign)
    offered = _offered(plan)
    content = replace(campaign_content(campaign, plan, utcnow()), round=reminder_round(kind))
    subjects = {
        locale: render_subject(
            kind, locale, replace(content, campaign_name=name_in(campaign, locale))
        )
        for locale in offered
    }
    already = session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .join(Invitation, OutboxMessage.invitation_id == Invitation.id)
        .where(Invitation.campaign_id == campaign.id, OutboxMessage.kind == kind)
    )
    queued = without_email = 0
    for invitation_id, email, preferred in session.execute(query):
        if not (email or "").strip():
            without_email += 1
            continue
        locale = mail_locale(preferred, offered)
        session.add(
            OutboxMessage(
                invitation_id=invitation_id,
                kind=kind,
                recipient=email.strip(),
                locale=locale,
                subject=subjects[locale],
            )
        )
        queued += 1
    if queued:
        record_export(
            session,
            actor=actor,
            action=f"mail.{kind}",
            campaign=campaign,
            detail={},
            row_count=queued,
        )
    session.flush()
    return Queued(queued, already, without_email)


def _invited(campaign: Campaign) -> sa.Select:
    """The campaign's unsubmitted invitations that can have a link, with the person's address."""
    return (
        sa.select(Invitation.id, Person.email, Person.locale)
        .join(Person, Invitation.person_id == Person.id)
        .where(
            Invitation.campaign_id == campaign.id,
            Invitation.status != "submitted",
            Invitation.link_salt.is_not(None),
        )
        .order_by(Person.employee_id)
    )


def enqueue_invitations(
    session: Session, campaign: Campaign, links: PersonalLinks, actor: str
) -> Queued:
    """Invite everyone in the campaign's units who has no link yet, then queue one invitation
    email for each invited person with an address who has none."""
    if campaign_phase(campaign) == "closed":
        raise MailError(_l("campaign %(slug)r is closed; no invitations", slug=campaign.slug))
    issue_invitations(session, campaign, links)
    return _queue(
        session, campaign, "invitation", _invited(campaign).where(_without("invitation")), actor
    )


def enqueue_reminders(
    session: Session, campaign: Campaign, round_number: int, actor: str
) -> Queued:
    """Queue reminder `round_number` to people who have not submitted and were sent the one before.

    Someone whose previous message is still queued is counted as waiting; running the same
    round again later reaches them, and never anyone twice.
    """
    if not 1 <= round_number <= MAX_REMINDERS:
        raise MailError(
            _l(
                "reminder rounds are 1 to %(max_reminders)s, not %(round_number)s",
                max_reminders=MAX_REMINDERS,
                round_number=round_number,
            )
        )
    phase = campaign_phase(campaign)
    if phase == "closed":
        raise MailError(_l("campaign %(slug)r is closed; no reminders", slug=campaign.slug))
    if phase != "open":
        raise MailError(_l("campaign %(slug)r is not open yet; no reminders", slug=campaign.slug))
    kind = f"reminder_{round_number}"
    previous = aliased(OutboxMessage)
    earlier = "invitation" if round_number == 1 else f"reminder_{round_number - 1}"
    candidates = (
        _invited(campaign)
        .join(previous, sa.and_(previous.invitation_id == Invitation.id, previous.kind == earlier))
        .where(_without(kind))
    )
    queued = _queue(session, campaign, kind, candidates.where(previous.status == "sent"), actor)
    waiting = session.scalar(
        sa.select(sa.func.count()).select_from(
            candidates.where(previous.status.in_(("pending", "sending"))).subquery()
        )
    )
    return replace(queued, waiting=waiting)


@dataclass(frozen=True)
class Preview:
    """One message as a person would get it, with a sample link."""

    kind: str
    locale: str
    subject: str
    text: str
    html: str | None  # the HTML part's body, for showing inside a page


def preview_messages(session: Session, campaign: Campaign, base_url: str) -> list[Preview]:
    """The invitation and each reminder in every language the campaign's mail can be in."""
    plan = survey_plan(session, campaign)
    content = campaign_content(campaign, plan, utcnow())
    previews = []
    for locale in _offered(plan):
        link = f"{base_url}/s/{PREVIEW_TOKEN}?lang={locale}"
        for kind in MESSAGE_KINDS:
            sample = replace(
                content,
                link=link,
                round=reminder_round(kind),
                campaign_name=name_in(campaign, locale),
            )
            mail = render_mail(kind, locale, sample)
            previews.append(
                Preview(kind, locale, mail.subject, mail.text, html_fragment(kind, locale, sample))
            )
    return previews


@dataclass(frozen=True)
class OutboxCounts:
    """A campaign's messages per kind and status, and how many are stuck in 'sending'."""

    by_kind: dict[str, dict[str, int]]
    stuck: int

    def total(self, status: str) -> int:
        return sum(counts[status] for counts in self.by_kind.values())


def stuck_messages(now: datetime) -> sa.ColumnElement[bool]:
    """Messages claimed so long ago that their sender must have died mid-send."""
    return sa.and_(
        OutboxMessage.status == "sending", OutboxMessage.next_attempt_at <= now - SENDING_TIMEOUT
    )


def _of_campaign(campaign: Campaign) -> sa.ColumnElement[bool]:
    """The campaign's messages (the outbox reaches its campaign through the invitation)."""
    invitations = sa.select(Invitation.id).where(Invitation.campaign_id == campaign.id)
    return OutboxMessage.invitation_id.in_(invitations.scalar_subquery())


def outbox_counts(
    session: Session, campaign: Campaign, now: datetime | None = None
) -> OutboxCounts:
    """Counts for the status command and the admin page."""
    now = now or utcnow()
    by_kind = {kind: dict.fromkeys(MESSAGE_STATUSES, 0) for kind in MESSAGE_KINDS}
    rows = session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.status, sa.func.count())
        .where(_of_campaign(campaign))
        .group_by(OutboxMessage.kind, OutboxMessage.status)
    )
    for kind, status, count in rows:
        by_kind[kind][status] = count
    stuck = session.scalar(
        sa.select(sa.func.count()).where(_of_campaign(campaign), stuck_messages(now))
    )
    return OutboxCounts(by_kind, stuck)


def failed_messages(
    session: Session, campaign: Campaign, limit: int = 20
) -> list[tuple[str, str, str]]:
    """The latest failed messages (recipient, kind, last error), so an admin can see why."""
    rows = session.execute(
        sa.select(OutboxMessage.recipient, OutboxMessage.kind, OutboxMessage.last_error)
        .where(_of_campaign(campaign), OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [(recipient, kind, error or "") for recipient, kind, error in rows]


def requeue(session: Session, campaign: Campaign, now: datetime | None = None) -> int:
    """Give failed and stuck messages a fresh start; how many. A stuck one may be sent twice."""
    now = now or utcnow()
    return session.execute(
        sa.update(OutboxMessage)
        .where(
            _of_campaign(campaign),
            sa.or_(OutboxMessage.status == "failed", stuck_messages(now)),
        )
        .values(status="pending", attempts=0, next_attempt_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    ).rowcount
