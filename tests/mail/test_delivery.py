"""The sender against a real SMTP server that refuses, hangs up, or is not there: nothing is lost,
nothing goes twice, and the rate limit holds."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.extensions import db
from surveyapp.models import OutboxMessage
from surveyapp.models.base import utcnow
from surveyapp.services import outbox_sender
from surveyapp.services.outbox_sender import SendReport, SmtpSettings, send_pending
from surveyapp.services.tokens import PersonalLinks
from tests.plugins.mail import outbox, send
from tests.servers import free_port

EVERYONE = ["ana@example.org", "ben@example.org", "chloe@example.org"]


@pytest.fixture
def invited(mail_app, campaign, run) -> str:
    """The campaign with its three invitations queued, not sent."""
    assert run("mail", "invite", campaign).exit_code == 0
    return campaign


def test_sending_twice_sends_each_message_once(mail_app, invited, smtp_server):
    first, second = send(mail_app), send(mail_app)

    assert (first.sent, second.sent) == (3, 0)
    assert smtp_server.recipients() == EVERYONE


def test_two_senders_at_once_never_send_the_same_message(mail_app, invited, smtp_server):
    with mail_app.app_context():
        engine = db.engine
    settings = SmtpSettings.from_config(mail_app.config)
    links = PersonalLinks.from_config(mail_app.config)
    reports: list[SendReport] = []
    start = threading.Barrier(2)

    def sender() -> None:
        with Session(engine) as session:
            start.wait()
            reports.append(send_pending(session, settings, links))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(report.sent for report in reports) in ([0, 3], [1, 2])
    assert smtp_server.recipients() == EVERYONE
    assert {row["status"] for row in outbox(mail_app).values()} == {"sent"}


def test_a_refused_message_is_retried_later_while_the_others_go(mail_app, invited, smtp_server):
    smtp_server.refuse("ana@example.org", "451 4.3.0 Mailbox busy, try later")
    now = utcnow()

    report = send(mail_app, now=now)
    too_soon = send(mail_app, now=now + timedelta(seconds=30))
    later = send(mail_app, now=now + timedelta(minutes=2))

    assert (report.sent, report.retrying) == (2, 1)
    assert too_soon.sent == 0
    assert later.sent == 1
    assert smtp_server.recipients() == EVERYONE
    ana = outbox(mail_app)[("ana@example.org", "invitation")]
    assert ana["status"] == "sent" and ana["attempts"] == 2


def test_a_dropped_connection_costs_one_attempt_and_the_batch_goes_on(
    mail_app, invited, smtp_server
):
    smtp_server.hang_ups.add("ana@example.org")
    now = utcnow()

    report = send(mail_app, now=now)

    assert (report.sent, report.retrying) == (2, 1)
    assert smtp_server.recipients() == ["ben@example.org", "chloe@example.org"]
    ana = outbox(mail_app)[("ana@example.org", "invitation")]
    assert ana["status"] == "pending" and ana["attempts"] == 1 and ana["last_error"]
    assert send(mail_app, now=now + timedelta(minutes=2)).sent == 1
    assert smtp_server.recipients() == EVERYONE


def test_after_five_refusals_a_message_fails_with_the_servers_reason(
    mail_app, invited, smtp_server, run
):
    smtp_server.refuse("ana@example.org", *["451 4.3.0 Mailbox busy, try later"] * 5)
    now = utcnow()

    for minutes in (0, 1, 3, 7, 15, 31, 63):
        send(mail_app, now=now + timedelta(minutes=minutes))
    status = run("mail", "status", invited)

    ana = outbox(mail_app)[("ana@example.org", "invitation")]
    assert ana["status"] == "failed" and ana["attempts"] == 5
    assert ana["last_error"] == "451 4.3.0 Mailbox busy, try later"
    assert "failed: invitation to ana@example.org: 451 4.3.0 Mailbox busy" in status.output
    assert smtp_server.to("ana@example.org") == []

    assert "1 message(s) queued again" in run("mail", "requeue", invited).output
    assert send(mail_app, now=now + timedelta(minutes=64)).sent == 1


def test_an_address_refused_for_good_fails_at_once(mail_app, invited, smtp_server):
    smtp_server.refuse("ana@example.org", "550 5.1.1 No such user")

    report = send(mail_app)

    assert (report.sent, report.failed) == (2, 1)
    ana = outbox(mail_app)[("ana@example.org", "invitation")]
    assert ana["status"] == "failed" and ana["attempts"] == 1
    assert ana["last_error"] == "550 5.1.1 No such user"


def test_a_crash_after_the_server_took_a_message_does_not_send_it_again(
    mail_app, invited, smtp_server, monkeypatch
):
    """The process dies between the server's 250 and the 'sent' commit."""

    class Crash(BaseException):
        pass

    def die(*_args) -> None:
        raise Crash

    now = utcnow()
    with monkeypatch.context() as patch:
        patch.setattr(outbox_sender, "_record_sent", die)
        with pytest.raises(Crash):
            send(mail_app, now=now)
    assert smtp_server.recipients() == ["ana@example.org"]

    soon = send(mail_app, now=now + timedelta(minutes=1))
    later = send(mail_app, now=now + timedelta(minutes=30))

    assert (soon.sent, soon.stuck) == (2, 0)
    assert (later.sent, later.stuck) == (0, 1)
    assert smtp_server.recipients() == EVERYONE  # Ana's message went once
    assert outbox(mail_app)[("ana@example.org", "invitation")]["status"] == "sending"


def test_stuck_messages_are_reported_and_sent_again_only_when_an_admin_asks(
    mail_app, invited, smtp_server, run
):
    with mail_app.app_context():  # as a sender that died half an hour ago left it
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.recipient == "ana@example.org")
            .values(status="sending", next_attempt_at=utcnow() - timedelta(minutes=30))
        )
        db.session.commit()

    status = run("mail", "status", invited)
    sent = run("mail", "send")
    requeued = run("mail", "requeue", invited)
    again = run("mail", "send")

    assert "1 stuck in 'sending'" in status.output
    assert "2 sent" in sent.output
    assert "1 message(s) stuck in 'sending'" in sent.output
    assert "1 message(s) queued again" in requeued.output
    assert "1 sent" in again.output and "stuck" not in again.output
    assert smtp_server.recipients() == EVERYONE


def test_the_rate_limit_holds_across_calls(mail_app, invited, smtp_server):
    now = utcnow()

    first = send(mail_app, now=now, rate_per_minute=2)
    same_minute = send(mail_app, now=now + timedelta(seconds=59), rate_per_minute=2)
    next_minute = send(mail_app, now=now + timedelta(seconds=61), rate_per_minute=2)

    assert first.sent == 2
    assert first.rate_limited_until == now + timedelta(minutes=1)
    assert same_minute.sent == 0
    assert next_minute.sent == 1 and next_minute.rate_limited_until is None
    assert smtp_server.recipients() == EVERYONE


def test_limit_caps_one_call(mail_app, invited, smtp_server, run):
    capped = run("mail", "send", "--limit", "1")

    assert "1 sent" in capped.output
    assert len(smtp_server.received) == 1


def test_a_server_that_cannot_be_reached_leaves_every_message_pending(
    mail_app, invited, smtp_server, run
):
    mail_app.config["SURVEYAPP_SMTP_PORT"] = free_port()

    result = run("mail", "send")

    assert result.exit_code == 1
    assert "cannot use 127.0.0.1" in result.output
    rows = outbox(mail_app).values()
    assert {(row["status"], row["attempts"]) for row in rows} == {("pending", 0)}


def test_the_sender_signs_in_when_a_username_is_set(mail_app, invited, smtp_server):
    smtp_server.password = "s3cret pass"

    refused = send(mail_app, username="mailer", password="wrong")
    accepted = send(mail_app, username="mailer", password="s3cret pass")

    assert refused.error and refused.sent == 0
    assert accepted.sent == 3
    assert smtp_server.recipients() == EVERYONE


def test_mail_send_says_when_email_is_not_set_up(app, run):
    result = run("mail", "send")

    assert result.exit_code == 1
    assert "email is not set up: set SURVEYAPP_SMTP_HOST and SURVEYAPP_SMTP_FROM" in result.output
