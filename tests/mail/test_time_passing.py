"""The outbox's back-off with the real clock: a refused message waits, then goes."""

from __future__ import annotations

from surveyapp.services.outbox_sender import FIRST_RETRY
from tests.clock import advance
from tests.plugins.mail import outbox, send


def test_a_refused_message_goes_once_its_back_off_has_passed(mail_app, campaign, run, smtp_server):
    assert run("mail", "invite", campaign).exit_code == 0
    smtp_server.refuse("ana@example.org", "451 4.3.0 Mailbox busy, try later")

    first = send(mail_app)
    advance(mail_app, FIRST_RETRY / 2)
    too_soon = send(mail_app)
    advance(mail_app, FIRST_RETRY)
    later = send(mail_app)

    assert (first.sent, first.retrying, too_soon.sent, later.sent) == (2, 1, 0, 1)
    ana = outbox(mail_app)[("ana@example.org", "invitation")]
    assert ana["status"] == "sent" and ana["attempts"] == 2
    assert ana["sent_at"].tzinfo is not None and ana["sent_at"] > ana["created_at"]
