"""`surveyapp mail`: queue invitations and reminders, send the outbox (from cron), and check it."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction, reported


@click.group()
def mail() -> None:
    """Invitations and reminders by email (SURVEYAPP_SMTP_* settings)."""


def _queued_line(what: str, queued, slug: str) -> str:
    """One line on what queuing did, naming everyone it left out."""
    parts = [f"{queued.queued} {what} queued for {slug}", f"{queued.already} already queued"]
    if queued.without_email:
        parts.append(f"{queued.without_email} invited people have no email address")
    if queued.waiting:
        parts.append(f"{queued.waiting} not yet sent the previous message (run this again later)")
    return "; ".join(parts)


@mail.command("invite")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@with_appcontext
def mail_invite(campaign_slug: str) -> None:
    """Invite everyone in the campaign's units, and queue an email to each who has an address.

    People invited before get an email too, once. `surveyapp mail send` delivers them.
    """
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.outbox import enqueue_invitations
    from surveyapp.services.tokens import PersonalLinks

    links = PersonalLinks.from_config(current_app.config)
    queued = in_transaction(
        lambda: enqueue_invitations(
            db.session, campaign_by_slug(db.session, campaign_slug), links, cli_actor()
        )
    )
    click.echo(_queued_line("invitations", queued, campaign_slug))


@mail.command("remind")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@click.option("--round", "round_number", type=int, required=True, help="1, 2 or 3")
@with_appcontext
def mail_remind(campaign_slug: str, round_number: int) -> None:
    """Queue reminder N to everyone not yet submitted who was sent the message before it."""
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.outbox import enqueue_reminders

    queued = in_transaction(
        lambda: enqueue_reminders(
            db.session, campaign_by_slug(db.session, campaign_slug), round_number, cli_actor()
        )
    )
    click.echo(_queued_line(f"round-{round_number} reminders", queued, campaign_slug))


@mail.command("send")
@click.option("--limit", type=click.IntRange(min=1), help="send at most this many messages")
@click.option("--no-wait", is_flag=True, help="stop at the rate limit instead of waiting")
@with_appcontext
def mail_send(limit: int | None, no_wait: bool) -> None:
    """Send the messages that are due, at SURVEYAPP_SMTP_RATE_PER_MINUTE; safe to run from cron.

    Runs that overlap share the rate and never send a message twice. Messages to retry later
    wait for a later run.
    """
    from surveyapp.extensions import db
    from surveyapp.models.base import utcnow
    from surveyapp.services.outbox_sender import SendReport, SmtpSettings, send_pending
    from surveyapp.services.tokens import PersonalLinks

    with reported():
        settings = SmtpSettings.from_config(current_app.config)
    links = PersonalLinks.from_config(current_app.config)
    total = SendReport()
    while True:
        tried = total.sent + total.retrying + total.failed
        report = send_pending(
            db.session, settings, links, limit=None if limit is None else limit - tried
        )
        for name in ("sent", "retrying", "failed", "withdrawn"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.stuck, total.error = report.stuck, report.error
        tried = total.sent + total.retrying + total.failed
        finished = report.error or (limit is not None and tried >= limit)
        if report.rate_limited_until is None or no_wait or finished:
            break
        time.sleep(max(1.0, (report.rate_limited_until - utcnow()).total_seconds()))
    click.echo(
        f"{total.sent} sent, {total.retrying} to retry later, {total.failed} failed, "
        f"{total.withdrawn} withdrawn (submitted or closed before sending)"
    )
    if total.stuck:
        click.echo(
            f"warning: {total.stuck} message(s) stuck in 'sending' since a sender stopped "
            "mid-send; they may have been delivered. Check the mail server's log, then "
            "`surveyapp mail requeue CAMPAIGN` sends them again.",
            err=True,
        )
    if total.error:
        raise click.ClickException(total.error)


@mail.command("status")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@with_appcontext
def mail_status(campaign_slug: str) -> None:
    """The campaign's messages per kind and status, with the last errors of failed ones."""
    from surveyapp.extensions import db
    from surveyapp.models.mail import MESSAGE_STATUSES
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.outbox import failed_messages, outbox_counts

    with reported():
        campaign = campaign_by_slug(db.session, campaign_slug)
    counts = outbox_counts(db.session, campaign)
    click.echo(f"{'kind':<12}" + "".join(f"{status:>9}" for status in MESSAGE_STATUSES))
    for kind, by_status in counts.by_kind.items():
        click.echo(f"{kind:<12}" + "".join(f"{by_status[s]:>9}" for s in MESSAGE_STATUSES))
    if counts.stuck:
        click.echo(f"{counts.stuck} stuck in 'sending' (see `surveyapp mail requeue`)")
    for recipient, kind, error in failed_messages(db.session, campaign):
        click.echo(f"failed: {kind} to {recipient}: {error}")


@mail.command("requeue")
@click.argument("campaign_slug", metavar="CAMPAIGN")
@with_appcontext
def mail_requeue(campaign_slug: str) -> None:
    """Try failed and stuck messages again. A stuck one may already have been delivered."""
    from surveyapp.extensions import db
    from surveyapp.services.campaign_state import campaign_by_slug
    from surveyapp.services.outbox import requeue

    count = in_transaction(lambda: requeue(db.session, campaign_by_slug(db.session, campaign_slug)))
    click.echo(f"{count} message(s) queued again")
