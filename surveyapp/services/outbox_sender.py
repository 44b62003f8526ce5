"""Draining the outbox over SMTP: one claimed message at a time, at a limited rate.

Exactly once, as far as SMTP allows. A sender claims one due message with a conditional
UPDATE (pending to sending) in its own transaction, talks to the server with no transaction
open, then records the outcome in another: sent; back to pending after an exponential
backoff; or failed, after MAX_ATTEMPTS or at once when the server refuses the address for
good (a 5xx answer to RCPT). Two senders therefore never send the same row.

A crash between the server's acceptance and the 'sent' commit leaves the row in 'sending'.
Whether that message was delivered cannot be known from here, and it usually was, so such a
row is reported as stuck once SENDING_TIMEOUT has passed and is never resent on its own; an
admin who has checked the mail server's log puts it back with `surveyapp mail requeue`. Each
message carries a stable Message-ID, so a copy sent twice can be recognised downstream.

The rate limit counts messages handed to the server in the last minute, in the database and
inside the claiming transaction, so overlapping senders (cron runs) share one budget: exactly
on SQLite, where claims take turns; on PostgreSQL two claims at the same instant may both
take the last place in the minute. A server that cannot be reached or refuses the login stops
the batch before anything is claimed: the messages stay pending, no attempt spent on them.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.mail import MailContent, RenderedMail, render_mail
from surveyapp.models import Campaign, Invitation, OutboxMessage, Person
from surveyapp.models.base import utcnow
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.campaign_words import name_in
from surveyapp.services.outbox import (
    MailError,
    campaign_content,
    reminder_round,
    stuck_messages,
)
from surveyapp.services.survey_pages import survey_plan
from surveyapp.services.tokens import PersonalLinks
from surveyapp.services.transaction import begin_writing

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4 and 8 minutes
RATE_WINDOW = timedelta(minutes=1)
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand messages over (SURVEYAPP_SMTP_*), and how many a minute."""

    host: str
    port: int
    sender: str
    security: str = "starttls"  # none | starttls | ssl
    username: str | None = None
    password: str | None = None
    rate_per_minute: int = 60

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        missing = [key for key in ("SURVEYAPP_SMTP_HOST", "SURVEYAPP_SMTP_FROM") if not config[key]]
        if missing:
            raise MailError(f"email is not set up: set {' and '.join(missing)}")
        return cls(
            host=config["SURVEYAPP_SMTP_HOST"],
            port=config["SURVEYAPP_SMTP_PORT"],
            sender=config["SURVEYAPP_SMTP_FROM"],
            security=config["SURVEYAPP_SMTP_SECURITY"],
            username=config["SURVEYAPP_SMTP_USERNAME"],
            password=config["SURVEYAPP_SMTP_PASSWORD"],
            rate_per_minute=config["SURVEYAPP_SMTP_RATE_PER_MINUTE"],
        )


@dataclass
class SendReport:
    """What one call did, what it found stuck, and why it stopped early if it did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    withdrawn: int = 0  # the person submitted, or the campaign closed, before it went out
    stuck: int = 0
    rate_limited_until: datetime | None = None
    error: str | None = None  # the server could not be used; nothing was claimed for it


@dataclass(frozen=True)
class _Claimed:
    """A message this sender now owns, written out, and the attempts made before this one."""

    id: int
    recipient: str
    attempts: int
    message: EmailMessage


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, secured and signed-in SMTP session, as the settings ask."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if settings.security == "starttls":
            server.starttls(context=context)
        if settings.username:
            server.login(settings.username, settings.password or "")
    except BaseException:
        server.close()
        raise
    return server


def _describe(error: Exception) -> str:
    """A short reason for `last_error`: the server's own answer when it gave one."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"{code} {text.decode(errors='replace')}"[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def _permanent(error: Exception) -> bool:
    """The server refused the address for good; trying again would be refused again."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values()
    )


def _write(
    row: OutboxMessage, content: MailContent, settings: SmtpSettings, now: datetime
) -> EmailMessage:
    """The outbox row's message as it goes on the wire, with a stable Message-ID.

    Written while the claim is still open, so a template that fails to render leaves the
    row pending (and the batch stopped with the error) rather than stuck in 'sending'.
    """
    mail = replace(render_mail(row.kind, row.locale, content), subject=row.subject)
    stamp = row.created_at.strftime("%Y%m%d%H%M%S")
    local_id = f"surveyapp.{stamp}.{row.id}.{row.kind}"
    return compose(mail, settings, row.recipient, row.locale, local_id, now)


def compose(
    mail: RenderedMail,
    settings: SmtpSettings,
    recipient: str,
    locale: str,
    local_id: str,
    now: datetime,
) -> EmailMessage:
    """A rendered message with its headers: plain text, and HTML as an alternative."""
    domain = settings.sender.rpartition("@")[2].strip("> ") or "surveyapp.invalid"
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = settings.sender
    message["To"] = recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{local_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = locale  # after the parts, which take Content-*
    return message


def _rate_full_until(session: Session, now: datetime, rate: int) -> datetime | None:
    """When the next message may go, if `rate` were handed over in the minute before `now`."""
    since = now - RATE_WINDOW
    moments = sorted(
        moment
        for moment in session.scalars(
            sa.select(
                sa.case(
                    (OutboxMessage.status == "sent", OutboxMessage.sent_at),
                    else_=OutboxMessage.next_attempt_at,
                )
            ).where(
                sa.or_(
                    sa.and_(OutboxMessage.status == "sent", OutboxMessage.sent_at > since),
                    sa.and_(
                        OutboxMessage.status == "sending", OutboxMessage.next_attempt_at > since
                    ),
                )
            )
        )
    )
    if len(moments) < rate:
        return None
    return moments[len(moments) - rate] + RATE_WINDOW


def _claim(
    session: Session,
    now: datetime,
    links: PersonalLinks,
    settings: SmtpSettings,
    report: SendReport,
    contents: dict[tuple[int, str], MailContent],
) -> _Claimed | None:
    """Take the next due message for this sender; None when none is due or the rate is used up.

    A message whose person has submitted, or whose campaign has closed, is withdrawn here
    (deleted) rather than sent.
    """
    while True:
        session.commit()  # each claim is a transaction of its own
        begin_writing(session)
        row = session.execute(
            sa.select(
                OutboxMessage, Invitation.link_salt, Invitation.status, Campaign, Person.level
            )
            .join(Invitation, OutboxMessage.invitation_id == Invitation.id)
            .join(Campaign, Invitation.campaign_id == Campaign.id)
            .join(Person, Invitation.person_id == Person.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
        ).first()
        if row is None:
            session.commit()
            return None
        report.rate_limited_until = _rate_full_until(session, now, settings.rate_per_minute)
        if report.rate_limited_until is not None:
            session.commit()
            return None
        message, salt, invitation_status, campaign, level = row
        still_wanted = (
            salt is not None
            and invitation_status != "submitted"
            and campaign_phase(campaign, now) != "closed"
        )
        mine = sa.and_(OutboxMessage.id == message.id, OutboxMessage.status == "pending")
        if not still_wanted:
            report.withdrawn += session.execute(
                sa.delete(OutboxMessage).where(mine).execution_options(synchronize_session=False)
            ).rowcount
            continue
        if (campaign.id, level) not in contents:
            plan = survey_plan(session, campaign)
            contents[campaign.id, level] = campaign_content(campaign, plan, now, level)
        content = replace(
            contents[campaign.id, level],
            link=f"{links.url(salt)}?lang={message.locale}",
            round=reminder_round(message.kind),
            campaign_name=name_in(campaign, message.locale),
        )
        written = _write(message, content, settings, now)  # before the claim commits
        claimed = _Claimed(message.id, message.recipient, message.attempts, written)
        taken = session.execute(
            sa.update(OutboxMessage)
            .where(mine)
            .values(status="sending", next_attempt_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if taken == 1:
            return claimed


def _record_sent(session: Session, claimed: _Claimed, now: datetime) -> None:
    """The server took the message: it is sent, and its body (if any) is cleared."""
    _finish(session, claimed, status="sent", sent_at=now, last_error=None)


def _record_failure(
    session: Session, claimed: _Claimed, now: datetime, error: Exception, report: SendReport
) -> None:
    """Back to pending after a growing delay, or failed for good; the reason is kept."""
    attempts, reason = claimed.attempts + 1, _describe(error)
    if attempts < MAX_ATTEMPTS and not _permanent(error):
        delay = FIRST_RETRY * 2 ** (attempts - 1)
        _finish(session, claimed, status="pending", next_attempt_at=now + delay, last_error=reason)
        report.retrying += 1
    else:
        _finish(session, claimed, status="failed", last_error=reason)
        report.failed += 1


def _finish(session: Session, claimed: _Claimed, **values: Any) -> None:
    """Record the outcome of this sender's attempt at a message it claimed, in one commit."""
    session.commit()
    begin_writing(session)
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == claimed.id, OutboxMessage.status == "sending")
        .values(attempts=claimed.attempts + 1, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _due(session: Session, now: datetime) -> bool:
    query = sa.select(OutboxMessage.id).where(
        OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
    )
    return session.scalar(query.limit(1)) is not None


def send_pending(
    session: Session,
    settings: SmtpSettings,
    links: PersonalLinks,
    now: datetime | None = None,
    limit: int | None = None,
) -> SendReport:
    """Send due messages, one claim at a time, until none is due, `limit` were tried, or the
    rate is used up. Commits as it goes: each claim and each outcome is its own transaction.

    `now` is the moment the whole batch is taken to happen (tests pass a fake clock).
    """
    now = now or utcnow()
    report = SendReport()
    session.commit()
    report.stuck = session.scalar(sa.select(sa.func.count()).where(stuck_messages(now)))
    contents: dict[tuple[int, str], MailContent] = {}
    server: smtplib.SMTP | None = None
    try:
        while limit is None or report.sent + report.retrying + report.failed < limit:
            if server is None:
                if not _due(session, now):
                    break
                try:
                    server = connect(settings)
                except (smtplib.SMTPException, OSError) as error:
                    report.error = f"cannot use {settings.host}:{settings.port}: {_describe(error)}"
                    break
            claimed = _claim(session, now, links, settings, report, contents)
            if claimed is None:
                break
            try:
                server.send_message(claimed.message, settings.sender, [claimed.recipient])
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(session, claimed, now, error, report)
                server.close()  # its state is unknown now: the next message starts afresh
                server = None
            else:
                _record_sent(session, claimed, now)
                report.sent += 1
    finally:
        session.rollback()  # every outcome is committed already; a crash leaves the claim
        if server is not None:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                server.close()
    return report
