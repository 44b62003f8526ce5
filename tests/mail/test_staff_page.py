"""The admin's email page: previews in each language, queue buttons behind CSRF, outbox counts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign
from tests.plugins.mail import outbox, send
from tests.plugins.staff import TOKEN
from tests.staff.test_spanish_staff_words import in_spanish

PAGE = "/staff/admin/campaigns/pulse/mail"
COUNT_ROW = re.compile(r"<th scope=\"row\">Invitation</th>((?:<td class=\"num\">\d+</td>)+)")


def _invitation_counts(html: str) -> list[int]:
    """Pending, sending, sent and failed invitations, as the table shows them."""
    return [int(n) for n in re.findall(r"\d+", COUNT_ROW.search(html).group(1))]


def test_an_admin_previews_every_message_in_every_language(mail_app, campaign, login_as):
    with mail_app.app_context():
        pulse = db.session.scalar(sa.select(Campaign).where(Campaign.slug == campaign))
        pulse.name = "AI <b>pulse</b>"
        db.session.commit()
    admin = login_as("admin")

    page = admin.get(PAGE)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="preview-mark">Preview</span>') == 8  # 4 messages x 2 languages
    for subject in (
        "You are invited: AI &lt;b&gt;pulse&lt;/b&gt;",
        "Reminder: AI &lt;b&gt;pulse&lt;/b&gt;",
        "Last reminder: AI &lt;b&gt;pulse&lt;/b&gt;",
        "Le invitamos a participar: AI &lt;b&gt;pulse&lt;/b&gt;",
        "Último recordatorio: AI &lt;b&gt;pulse&lt;/b&gt;",
    ):
        assert subject in html
    assert "<b>pulse</b>" not in html
    assert "http://127.0.0.1:5000/s/PREVIEW-sample-link?lang=es" in html
    assert "the link is a sample" in html
    assert outbox(mail_app) == {}  # previewing queues nothing


def test_queuing_from_the_page_needs_its_form_and_shows_the_counts(
    mail_app, campaign, login_as, smtp_server
):
    admin = login_as("admin")
    token = TOKEN.search(admin.get(PAGE).get_data(as_text=True)).group(1)

    forged = admin.post(PAGE, data={})
    queued = admin.post(PAGE, data={"csrf_token": token}, follow_redirects=True)

    assert forged.status_code == 400
    html = queued.get_data(as_text=True)
    assert "Invitation emails queued: 3 (0 were queued before)." in html
    assert "1 invited people have no email address." in html
    assert _invitation_counts(html) == [3, 0, 0, 0]
    send(mail_app)
    assert _invitation_counts(admin.get(PAGE).get_data(as_text=True)) == [0, 0, 3, 0]

    reminded = admin.post(PAGE, data={"csrf_token": token, "round": "1"}, follow_redirects=True)

    assert "Reminder 1 emails queued: 3" in reminded.get_data(as_text=True)
    assert {kind for _, kind in outbox(mail_app)} == {"invitation", "reminder_1"}


def test_a_refused_request_is_explained(mail_app, campaign, run, login_as):
    run("campaign", "close", campaign)
    admin = login_as("admin")
    token = TOKEN.search(admin.get(PAGE).get_data(as_text=True)).group(1)

    refused = admin.post(PAGE, data={"csrf_token": token, "round": "2"}, follow_redirects=True)

    assert "Nothing was queued: campaign &#39;pulse&#39; is closed; no reminders." in (
        refused.get_data(as_text=True)
    )
    assert outbox(mail_app) == {}


def test_a_spanish_admin_reads_why_nothing_was_queued_in_spanish(mail_app, campaign, run, login_as):
    run("campaign", "close", campaign)
    admin = login_as("admin", email="admin@example.org")
    with mail_app.app_context():
        in_spanish("admin@example.org")
    token = TOKEN.search(admin.get(PAGE).get_data(as_text=True)).group(1)

    refused = admin.post(PAGE, data={"csrf_token": token, "round": "2"}, follow_redirects=True)

    assert "la campaña &#39;pulse&#39; está cerrada; no hay recordatorios" in (
        refused.get_data(as_text=True)
    )


def test_only_admins_see_the_page(mail_app, campaign, login_as):
    manager = login_as("change_manager", units=["OPS"])

    assert manager.get(PAGE).status_code == 404
    assert manager.post(PAGE, data={}).status_code in (400, 404)
    assert outbox(mail_app) == {}
