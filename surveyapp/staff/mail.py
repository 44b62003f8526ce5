"""Admin page for a campaign's email: preview each message, queue invitations and reminders,
and see the outbox. Sending is `surveyapp mail send` (cron), never a web request: a batch at
the server's rate takes minutes.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, Optional

from surveyapp.errors import SurveyappError
from surveyapp.extensions import db
from surveyapp.models.mail import MESSAGE_STATUSES
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.outbox import (
    MAX_REMINDERS,
    PREVIEW_TOKEN,
    Queued,
    enqueue_invitations,
    enqueue_reminders,
    outbox_counts,
    preview_messages,
)
from surveyapp.services.tokens import PersonalLinks
from surveyapp.services.transaction import atomic
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import campaign_or_404, role_required, writes

ROUNDS = [str(number) for number in range(1, MAX_REMINDERS + 1)]


class QueueForm(FlaskForm):
    """Queue the invitations (no `round`) or reminder `round`; only the CSRF token is typed."""

    round = HiddenField(validators=[Optional(), AnyOf(ROUNDS)])


@bp.get("/admin/campaigns/<slug>/mail")
@role_required("admin")
def campaign_mail(slug: str) -> ResponseReturnValue:
    """The outbox counts, the queue buttons, and every message as people will get it."""
    campaign = campaign_or_404(slug)
    config = current_app.config
    return render_template(
        "staff/mail.html",
        campaign=campaign,
        phase=campaign_phase(campaign),
        counts=outbox_counts(db.session, campaign),
        statuses=MESSAGE_STATUSES,
        previews=preview_messages(db.session, campaign, config["SURVEYAPP_BASE_URL"]),
        preview_token=PREVIEW_TOKEN,
        rounds=ROUNDS,
        form=QueueForm(formdata=None),
        smtp_ready=bool(config["SURVEYAPP_SMTP_HOST"] and config["SURVEYAPP_SMTP_FROM"]),
    )


@bp.post("/admin/campaigns/<slug>/mail")
@writes
@role_required("admin")
def campaign_mail_queue(slug: str) -> ResponseReturnValue:
    """Queue the invitations, or one round of reminders; say what was queued and why not more."""
    campaign = campaign_or_404(slug)
    form = QueueForm()
    if not form.validate_on_submit():
        flash(gettext("Nothing was queued: the form had expired. Try again."), "error")
        return redirect(url_for("staff.campaign_mail", slug=slug))
    try:
        with atomic():
            if form.round.data:
                what = gettext("Reminder %(round)s", round=form.round.data)
                queued = enqueue_reminders(
                    db.session, campaign, int(form.round.data), current_user.email
                )
            else:
                what = gettext("Invitation")
                links = PersonalLinks.from_config(current_app.config)
                queued = enqueue_invitations(db.session, campaign, links, current_user.email)
    except SurveyappError as error:
        flash(gettext("Nothing was queued: %(error)s.", error=error), "error")
    else:
        flash(_summary(what, queued), "notice")
    return redirect(url_for("staff.campaign_mail", slug=slug))


def _summary(what: str, queued: Queued) -> str:
    """What queuing did, and whom it left out, in a sentence an admin can act on."""
    parts = [
        gettext(
            "%(what)s emails queued: %(count)s (%(before)s were queued before).",
            what=what,
            count=queued.queued,
            before=queued.already,
        )
    ]
    if queued.without_email:
        parts.append(
            gettext("%(count)s invited people have no email address.", count=queued.without_email)
        )
    if queued.waiting:
        parts.append(
            gettext(
                "%(count)s people have not been sent the previous message yet; queue this round "
                "again once it has gone out.",
                count=queued.waiting,
            )
        )
    return " ".join(parts)
