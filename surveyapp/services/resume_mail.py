"""'Send me a link to continue': an open-link draft's own link, emailed once, address forgotten.

The address is used for one SMTP conversation and kept nowhere: not in the outbox (whose rows
exist so that invitations can be retried and audited, which is exactly what this must not
leave behind), not in the audit trail, not in a log line. A refusal is reported without it,
and the SMTP error (whose text can hold the address) is not chained to what is raised, so no
error handler can log it. The link is the draft's token, under which its answers are sealed;
docs/privacy.md says what that hands to whoever reads the mailbox.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from surveyapp.mail import MailContent, render_mail
from surveyapp.models.base import utcnow
from surveyapp.services.outbox import MailError
from surveyapp.services.outbox_sender import SmtpSettings, compose, connect


def mail_set_up(config: Mapping[str, Any]) -> bool:
    """Whether the app can send email (SURVEYAPP_SMTP_HOST and SURVEYAPP_SMTP_FROM set)."""
    return bool(config["SURVEYAPP_SMTP_HOST"] and config["SURVEYAPP_SMTP_FROM"])


def send_resume_link(
    settings: SmtpSettings,
    recipient: str,
    locale: str,
    content: MailContent,
    now: datetime | None = None,
) -> None:
    """Hand the message with the draft's link to the mail server now, or raise MailError."""
    mail = render_mail("resume", locale, content)
    local_id = f"surveyapp.resume.{secrets.token_hex(8)}"  # says nothing of draft or person
    message = compose(mail, settings, recipient, locale, local_id, now or utcnow())
    try:
        server = connect(settings)
    except (smtplib.SMTPException, OSError):
        raise MailError("the mail server cannot be reached") from None
    try:
        server.send_message(message, settings.sender, [recipient])
    except (smtplib.SMTPException, OSError):
        raise MailError("the mail server did not take the message") from None
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
