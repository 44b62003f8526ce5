"""Reminders: up to three rounds, only to people who have not submitted, each in turn."""

from __future__ import annotations

from flask import Flask

from tests.plugins.mail import SmtpServer, outbox, send
from tests.plugins.staff import new_client
from tests.plugins.survey import answer_pages, begin


def _submit_through_the_link(app: Flask, smtp_server: SmtpServer, address: str) -> None:
    """The person opens their emailed link and answers every page, as they would."""
    browser = new_client(app)
    link = smtp_server.to(address)[0].link.removeprefix("http://127.0.0.1:5000")
    location = answer_pages(browser, begin(browser, link))
    assert browser.get(location).status_code == 200
    assert "Answers received" in browser.get(link.partition("?")[0]).get_data(as_text=True)


def test_a_reminder_skips_people_who_have_submitted(mail_app, campaign, run, smtp_server):
    run("mail", "invite", campaign)
    send(mail_app)
    _submit_through_the_link(mail_app, smtp_server, "ben@example.org")
    smtp_server.received.clear()

    queued = run("mail", "remind", campaign, "--round", "1")
    send(mail_app)

    assert "2 round-1 reminders queued" in queued.output
    assert smtp_server.recipients() == ["ana@example.org", "chloe@example.org"]
    (ana,) = smtp_server.to("ana@example.org")
    assert ana.message["Subject"] == "Recordatorio: AI pulse"
    assert "todavía no hemos recibido sus respuestas" in ana.text
    assert (
        new_client(mail_app).get(ana.link.removeprefix("http://127.0.0.1:5000")).status_code == 200
    )


def test_each_round_goes_only_to_people_sent_the_one_before(mail_app, campaign, run, smtp_server):
    run("mail", "invite", campaign)

    early = run("mail", "remind", campaign, "--round", "1")
    send(mail_app)
    skipped = run("mail", "remind", campaign, "--round", "2")
    first = run("mail", "remind", campaign, "--round", "1")
    send(mail_app)
    second = run("mail", "remind", campaign, "--round", "2")
    third = run("mail", "remind", campaign, "--round", "3")
    send(mail_app)
    last = run("mail", "remind", campaign, "--round", "3")
    send(mail_app)

    assert "0 round-1 reminders queued" in early.output
    assert "3 not yet sent the previous message" in early.output
    assert "0 round-2 reminders queued" in skipped.output
    assert "3 round-1 reminders queued" in first.output
    assert "3 round-2 reminders queued" in second.output
    assert "0 round-3 reminders queued" in third.output
    assert "3 round-3 reminders queued" in last.output
    subjects = [mail.message["Subject"] for mail in smtp_server.to("ben@example.org")]
    assert subjects == [
        "You are invited: AI pulse",
        "Reminder: AI pulse",
        "Reminder: AI pulse",
        "Last reminder: AI pulse",
    ]
    assert "This is the last reminder" in smtp_server.to("ben@example.org")[-1].text


def test_there_are_three_rounds_at_most(mail_app, campaign, run):
    run("mail", "invite", campaign)
    send(mail_app)

    fourth = run("mail", "remind", campaign, "--round", "4")

    assert fourth.exit_code == 1
    assert "reminder rounds are 1 to 3, not 4" in fourth.output
    assert {kind for _, kind in outbox(mail_app)} == {"invitation"}


def test_someone_who_submits_after_queuing_is_not_reminded(mail_app, campaign, run, smtp_server):
    run("mail", "invite", campaign)
    send(mail_app)
    run("mail", "remind", campaign, "--round", "1")
    _submit_through_the_link(mail_app, smtp_server, "ana@example.org")

    report = send(mail_app)

    assert report.withdrawn == 1 and report.sent == 2
    assert [mail.message["Subject"] for mail in smtp_server.to("ana@example.org")] == [
        "Le invitamos a participar: AI pulse"
    ]


def test_a_closed_campaign_gets_no_reminders(mail_app, campaign, run):
    run("mail", "invite", campaign)
    send(mail_app)
    run("campaign", "close", campaign)

    refused = run("mail", "remind", campaign, "--round", "1")

    assert refused.exit_code == 1
    assert "campaign 'pulse' is closed; no reminders" in refused.output
