"""Invitations by email: the right people, each in their language, with a link that works."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign, OutboxMessage
from tests.harness import REPO_DIR
from tests.plugins.mail import SENDER, outbox, send
from tests.plugins.staff import new_client


def test_each_person_with_an_address_gets_one_invitation_in_their_language(
    mail_app, campaign, run, smtp_server
):
    queued = run("mail", "invite", campaign)
    assert queued.exit_code == 0, queued.output
    assert "3 invitations queued" in queued.output
    assert "1 invited people have no email address" in queued.output

    sent = run("mail", "send")

    assert sent.exit_code == 0, sent.output
    assert "3 sent" in sent.output
    assert smtp_server.recipients() == ["ana@example.org", "ben@example.org", "chloe@example.org"]
    (ana,) = smtp_server.to("ana@example.org")
    assert ana.message["Subject"] == "Le invitamos a participar: AI pulse"
    assert ana.message["Content-Language"] == "es"
    assert "Su enlace personal" in ana.text and "Empezar la encuesta" in ana.html
    for english in ("ben@example.org", "chloe@example.org"):  # Chloe's French falls back
        (mail,) = smtp_server.to(english)
        assert mail.message["Subject"] == "You are invited: AI pulse"
        assert "Your personal link" in mail.text and "Start the survey" in mail.html
        assert mail.message["From"] == SENDER
    assert len({mail.link for mail in smtp_server.received}) == 3


def test_the_link_in_the_email_opens_that_persons_survey_in_their_language(
    mail_app, campaign, run, smtp_server
):
    run("mail", "invite", campaign)
    send(mail_app)
    browser = new_client(mail_app)

    (ana,) = smtp_server.to("ana@example.org")
    page = browser.get(ana.link.removeprefix("http://127.0.0.1:5000"))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Comenzar la encuesta" in html  # the start page, in Spanish
    assert 'lang="es"' in html


def test_the_database_never_holds_a_link(mail_app, campaign, run, smtp_server):
    """The body is rendered as the message goes out: no row carries the token, before or after."""
    run("mail", "invite", campaign)
    queued = outbox(mail_app)
    assert all(row["status"] == "pending" for row in queued.values())

    send(mail_app)

    sent = outbox(mail_app)
    assert all(row["status"] == "sent" for row in sent.values())
    assert all(row["sent_at"] is not None for row in sent.values())
    tokens = [mail.link.rpartition("/s/")[2].partition("?")[0] for mail in smtp_server.received]
    stored = repr(queued) + repr(sent)
    assert not any(token in stored for token in tokens)


def test_inviting_again_reaches_only_people_new_to_the_campaign(
    mail_app, campaign, run, smtp_server, tmp_path
):
    run("mail", "invite", campaign)
    send(mail_app)
    newcomer = tmp_path / "newcomer.csv"
    newcomer.write_text(
        "employee_id,email,unit,function,level,locale\n"
        "E-EVA,eva@example.org,OPS-N,operations,frontline,es\n"
    )
    assert run("roster", "import", str(newcomer)).exit_code == 0

    again = run("mail", "invite", campaign)
    send(mail_app)
    send(mail_app)

    assert "1 invitations queued" in again.output and "3 already queued" in again.output
    assert smtp_server.recipients() == [
        "ana@example.org",
        "ben@example.org",
        "chloe@example.org",
        "eva@example.org",
    ]


def test_a_closed_campaign_is_refused_and_its_queued_mail_withdrawn(
    mail_app, campaign, run, smtp_server
):
    run("mail", "invite", campaign)
    assert run("campaign", "close", campaign).exit_code == 0

    report = send(mail_app)
    refused = run("mail", "invite", campaign)

    assert smtp_server.received == []
    assert report.withdrawn == 3 and report.sent == 0
    assert refused.exit_code == 1
    assert "campaign 'pulse' is closed" in refused.output
    assert outbox(mail_app) == {}


def test_a_campaign_name_is_text_in_the_html_part_and_one_line_in_the_subject(
    mail_app, campaign, run, smtp_server
):
    with mail_app.app_context():
        pulse = db.session.scalar(sa.select(Campaign).where(Campaign.slug == campaign))
        pulse.name = 'AI <script>alert("x")</script>\nBcc: victim@example.org'
        db.session.commit()
    run("mail", "invite", campaign)
    send(mail_app)

    (ben,) = smtp_server.to("ben@example.org")
    assert "<script>" not in ben.html
    assert "&lt;script&gt;" in ben.html
    assert ben.message["Bcc"] is None
    assert smtp_server.recipients() == ["ana@example.org", "ben@example.org", "chloe@example.org"]
    with mail_app.app_context():
        subjects = db.session.scalars(sa.select(OutboxMessage.subject)).all()
    assert all("\n" not in subject for subject in subjects)


def test_each_invitation_tells_the_time_the_survey_takes_for_that_persons_role(
    mail_app, run, smtp_server, tmp_path
):
    units = tmp_path / "units.csv"
    units.write_text("code,name,parent_code\nOPS,Operations,\n")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_id,email,unit,function,level,locale\n"
        "E1,front@example.org,OPS,operations,frontline,en\n"
        "E2,lead@example.org,OPS,operations,senior_leader,en\n"
    )
    for command in (
        ("instruments", "load", str(REPO_DIR / "instruments")),
        ("units", "import", str(units)),
        ("roster", "import", str(roster)),
        (
            "campaign", "create", "lead", "--name", "Leads", "--instruments",
            "adoption-readiness,stakeholder-alignment", "--units", "OPS", "--mode", "anonymous",
            "--open",
        ),
        ("mail", "invite", "lead"),
    ):  # fmt: skip
        assert run(*command).exit_code == 0
    send(mail_app)
    (front,) = smtp_server.to("front@example.org")
    (lead,) = smtp_server.to("lead@example.org")
    # 15 statements at 8 s = 2 minutes; the leader adds 21 statements and a comment = 6 minutes
    assert "It takes about 2 minutes." in front.text
    assert "It takes about 6 minutes." in lead.text
