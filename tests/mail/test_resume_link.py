"""'Send me a link to continue' on an open link: the draft's own link arrives by email, the
address is kept nowhere (no table, no audit row, no log line), and no mail set up, no form."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from surveyapp.extensions import db
from tests.plugins.staff import new_client
from tests.plugins.survey import begin, form_token, make_campaign, radio_answers, saved_answers

ADDRESS = "maria.lopez@example.org"
LOCAL = "http://localhost"


def pause_on_the_first_page(client, code: str) -> str:
    """Begin on the open link in Spanish, answer the first page and press 'Save and finish
    later'; the saved page's address."""
    first = begin(client, f"/o/{code}?lang=es", function="sales", level="frontline")
    html = client.get(first).get_data(as_text=True)
    data = radio_answers(html) | {"csrf_token": form_token(html), "action": "save"}
    saved = client.post(first, data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    return saved.location.removeprefix(LOCAL)


def send_to(client, saved: str, address: str):
    """Type `address` into the form and send it (the CSRF token read from the first page)."""
    token = saved.split("/")[2]
    html = client.get(f"/s/{token}/1").get_data(as_text=True)
    data = {"csrf_token": form_token(html), "email": address}
    return client.post(f"/s/{token}/send-link", data=data)


def everything_stored(app) -> str:
    """Every value of every row of every table, as one text."""
    with app.app_context():
        return " ".join(
            str(value)
            for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.select(table)).all()
            for value in row
        )


def test_the_link_arrives_and_the_address_is_kept_nowhere(mail_app, run, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    setup = make_campaign(mail_app, run, open_now=True)
    phone = new_client(mail_app)
    saved = pause_on_the_first_page(phone, setup.open_codes["OPS-N"])
    page = phone.get(saved).get_data(as_text=True)
    assert "Envíeme un enlace para continuar" in page

    sent = send_to(phone, saved, f"  {ADDRESS} ")
    assert sent.status_code == 302
    assert "El enlace va de camino" in phone.get(sent.location).get_data(as_text=True)
    (mail,) = smtp_server.received
    assert mail.recipients == [ADDRESS]
    token = saved.split("/")[2]
    assert mail.link == f"http://127.0.0.1:5000/s/{token}?lang=es"  # the draft's own link
    assert "AI pulse" in mail.message["Subject"] and mail.message["Content-Language"] == "es"
    assert "la encuesta no la ha guardado" in mail.text

    elsewhere = new_client(mail_app).get(mail.link.removeprefix("http://127.0.0.1:5000"))
    assert elsewhere.status_code == 302  # the link opens the draft on any device
    assert saved_answers(mail_app, f"/s/{token}")

    stored = everything_stored(mail_app)
    assert ADDRESS not in stored and "maria" not in stored
    assert ADDRESS not in caplog.text


def test_a_refused_address_says_so_and_logs_nothing(mail_app, run, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    setup = make_campaign(mail_app, run, open_now=True)
    phone = new_client(mail_app)
    saved = pause_on_the_first_page(phone, setup.open_codes["OPS-N"])
    smtp_server.refuse(ADDRESS, "550 5.1.1 No such user")
    refused = send_to(phone, saved, ADDRESS)
    assert refused.status_code == 503
    assert "no se pudo enviar" in refused.get_data(as_text=True)
    assert smtp_server.received == []
    assert ADDRESS not in caplog.text and ADDRESS not in everything_stored(mail_app)

    for typo_address in ("maria.lopez@", "maria@[example.org", "maria lopez@example.org"):
        typo = send_to(phone, saved, typo_address)  # the last two pass the shape, not a header
        assert typo.status_code == 422
        assert "Escriba una dirección de correo completa." in typo.get_data(as_text=True)
    assert smtp_server.received == []


def test_no_mail_set_up_no_kiosk_and_no_personal_link_offer_it(app, run):
    setup = make_campaign(app, run, open_now=True)
    phone = new_client(app)
    saved = pause_on_the_first_page(phone, setup.open_codes["OPS-N"])
    assert "Envíeme un enlace" not in phone.get(saved).get_data(as_text=True)
    assert send_to(phone, saved, ADDRESS).status_code == 404

    app.config.update(SURVEYAPP_SMTP_HOST="127.0.0.1", SURVEYAPP_SMTP_FROM="s@example.org")
    kiosk = new_client(app)
    first = begin(
        kiosk, f"/o/{setup.open_codes['OPS-N']}?kiosk=1", function="sales", level="manager"
    )
    token = first.split("/")[2]
    html = kiosk.get(first).get_data(as_text=True)
    assert "Save and finish later" not in html
    posted = kiosk.post(
        f"/s/{token}/send-link", data={"csrf_token": form_token(html), "email": ADDRESS}
    )
    assert posted.status_code == 404
