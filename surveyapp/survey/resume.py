"""After 'Save and finish later': how to come back, and, on an open link where email is set
up, 'send me a link to continue' (services/resume_mail.py: the address is used, never kept).

Sending is limited per draft and per address, since a page that mails any address on request
would otherwise be a way to send mail in the app's name.
"""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address

from surveyapp.extensions import db
from surveyapp.mail import MailContent, mail_locale, mail_locales
from surveyapp.rate_limits import count
from surveyapp.services.campaign_words import name_in
from surveyapp.services.outbox import MailError
from surveyapp.services.outbox_sender import SmtpSettings
from surveyapp.services.resume_mail import mail_set_up, send_resume_link
from surveyapp.services.tokens import hash_token
from surveyapp.services.visits import Visit
from surveyapp.survey.blueprint import bp
from surveyapp.survey.forms import ResumeMailForm
from surveyapp.survey.views import Page, _offered, _state_page, _use_locale, _visit

MAILS_PER_DRAFT = "3 per hour"
MAILS_PER_ADDRESS = "10 per hour"


def _may_mail(visit: Visit) -> bool:
    """An open link's draft outside kiosk mode, in an app that can send email."""
    return visit.open_link is not None and not visit.kiosk and mail_set_up(current_app.config)


def _draft_visit(token: str) -> Visit | Page:
    """The token's visit with a draft that takes answers, its page in the draft's language;
    or the page saying why not."""
    visit = _visit(token)
    if visit is None:
        return _state_page("unknown")
    state = visit.state()
    if state != "ready" or visit.draft is None:
        return _state_page(state, visit, token)
    _use_locale(_offered(visit.campaign), visit.draft.locale)
    return visit


@bp.get("/s/<token>/saved")
def saved(token: str) -> Page:
    """The answers are kept; the same link (or, on an open link, the same phone) resumes."""
    visit = _draft_visit(token)
    if not isinstance(visit, Visit):
        return visit
    form = ResumeMailForm(formdata=None) if _may_mail(visit) else None
    return _saved_page(visit, token, form, sent=request.args.get("sent") == "1")


@bp.post("/s/<token>/send-link")
def send_link(token: str) -> Page:
    """Email the draft's own link to the address typed, once; the address goes nowhere else."""
    visit = _draft_visit(token)
    if not isinstance(visit, Visit):
        return visit
    if not _may_mail(visit):
        return _state_page("unknown")
    form = ResumeMailForm()
    if not form.validate_on_submit():
        return _saved_page(visit, token, form), 422
    if not (
        count(MAILS_PER_DRAFT, "resume-mail", hash_token(token))
        and count(MAILS_PER_ADDRESS, "resume-mail", get_remote_address())
    ):
        return _saved_page(visit, token, form, failure="limit"), 429
    config = current_app.config
    mail_in = mail_locale(str(g.locale), list(mail_locales()))
    content = MailContent(
        campaign_name=name_in(visit.campaign, mail_in),
        link=f"{config['SURVEYAPP_BASE_URL']}/s/{token}?lang={mail_in}",
        minutes=0,  # the message names no length: part of the survey is done
        confidential=visit.campaign.privacy_mode == "confidential",
        closes_on=visit.campaign.closes_at.date() if visit.campaign.closes_at else None,
    )
    db.session.rollback()  # no transaction (nor PostgreSQL's row lock) held while mailing
    try:
        send_resume_link(SmtpSettings.from_config(config), form.email.data, mail_in, content)
    except MailError:
        return _saved_page(visit, token, form, failure="mail"), 503
    return redirect(url_for("survey.saved", token=token, sent=1))


def _saved_page(
    visit: Visit,
    token: str,
    form: ResumeMailForm | None,
    sent: bool = False,
    failure: str | None = None,
) -> str:
    return render_template(
        "survey/saved.html", visit=visit, token=token, form=form, sent=sent, failure=failure
    )
