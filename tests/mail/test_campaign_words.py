"""A campaign's name in each language reaches each person's email: subject and body."""

from __future__ import annotations

from tests.plugins.mail import outbox


def test_spanish_mail_names_the_campaign_in_spanish_and_english_mail_falls_back(
    mail_app, campaign, run, smtp_server
):
    named = run(
        "campaign", "create", "pulso", "--name", "AI pulse Q2", "--name-in", "es=Pulso de IA",
        "--instruments", "mini-pulse", "--units", "OPS", "--mode", "anonymous", "--open",
    )  # fmt: skip
    assert named.exit_code == 0, named.output
    assert run("mail", "invite", "pulso").exit_code == 0
    assert outbox(mail_app)[("ana@example.org", "invitation")]["subject"] == (
        "Le invitamos a participar: Pulso de IA"
    )
    assert run("mail", "send").exit_code == 0
    (ana,) = smtp_server.to("ana@example.org")
    assert "«Pulso de IA»" in ana.text and "AI pulse" not in ana.text
    (ben,) = smtp_server.to("ben@example.org")
    assert ben.message["Subject"] == "You are invited: AI pulse Q2"
