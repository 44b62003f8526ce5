"""Mail fixtures: a real SMTP server (aiosmtpd) on 127.0.0.1, and a campaign with a roster.

The server keeps every message it accepted, parsed, so tests read what people would get.
It can be told to refuse an address (an SMTP reply per attempt), to drop the connection
while a message is being handed over, or to require a login.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

from surveyapp.extensions import db
from surveyapp.services.outbox_sender import SendReport, SmtpSettings, send_pending
from surveyapp.services.tokens import PersonalLinks
from tests.harness import TEST_INSTRUMENTS
from tests.servers import free_port

SENDER = "surveys@example.org"
LINK = re.compile(r"(http://\S+/s/\S+)")
ROSTER = {  # employee id: (email, roster locale)
    "E-ANA": ("ana@example.org", "es"),
    "E-BEN": ("ben@example.org", "en"),
    "E-CHLOE": ("chloe@example.org", "fr"),  # no French templates: English
    "E-DAN": ("", "en"),  # no address: invited, never emailed
}


@dataclass
class Received:
    """A message the server accepted: the envelope recipients and the parsed message."""

    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    @property
    def link(self) -> str:
        found = LINK.search(self.text)
        assert found, self.text
        return found.group(1)


@dataclass
class SmtpServer:
    """What the server accepted, and how it should misbehave next."""

    port: int
    received: list[Received] = field(default_factory=list)
    refusals: dict[str, list[str]] = field(default_factory=dict)  # address: replies, in turn
    hang_ups: set[str] = field(default_factory=set)  # drop the line on these, once each
    password: str | None = None  # require a login with this password
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.recipients]

    def recipients(self) -> list[str]:
        return sorted(address for mail in self.received for address in mail.recipients)

    def refuse(self, address: str, *replies: str) -> None:
        self.refusals[address] = list(replies)

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.password is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        with self.lock:
            replies = self.refusals.get(address)
            if replies:
                return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            dropped = self.hang_ups.intersection(envelope.rcpt_tos)
            if dropped:
                self.hang_ups -= dropped
                server.transport.close()
                return "421 4.3.0 Closing"
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 2.0.0 Accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        accepted = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"mailer"
            and auth_data.password == (self.password or "").encode()
        )
        return AuthResult(success=accepted, handled=False)  # the server answers 535


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free local port for the test's length."""
    server = SmtpServer(port=free_port())
    controller = Controller(
        server,
        hostname="127.0.0.1",
        port=server.port,
        authenticator=server.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield server
    controller.stop()


@pytest.fixture
def mail_app(app: Flask, smtp_server: SmtpServer) -> Flask:
    """The test app sending through the test server, plain SMTP, 60 messages a minute."""
    app.config.update(
        SURVEYAPP_SMTP_HOST="127.0.0.1",
        SURVEYAPP_SMTP_PORT=smtp_server.port,
        SURVEYAPP_SMTP_SECURITY="none",
        SURVEYAPP_SMTP_FROM=SENDER,
        SURVEYAPP_SMTP_RATE_PER_MINUTE=60,
    )
    return app


@pytest.fixture
def campaign(mail_app: Flask, run, tmp_path: Path) -> str:
    """An open campaign of the mini instrument over unit OPS, its roster in four languages."""
    units = tmp_path / "units.csv"
    units.write_text("code,name,parent_code\nOPS,Operations,\nOPS-N,North,OPS\n")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_id,email,unit,function,level,locale\n"
        + "".join(
            f"{employee},{email},OPS-N,operations,frontline,{locale}\n"
            for employee, (email, locale) in ROSTER.items()
        )
    )
    for command in (
        ("instruments", "load", str(TEST_INSTRUMENTS / "valid")),
        ("units", "import", str(units)),
        ("roster", "import", str(roster)),
        (
            "campaign", "create", "pulse", "--name", "AI pulse", "--instruments", "mini-pulse",
            "--units", "OPS", "--mode", "anonymous", "--open",
        ),
    ):  # fmt: skip
        result = run(*command)
        assert result.exit_code == 0, result.output
    return "pulse"


def send(
    app: Flask, now: datetime | None = None, limit: int | None = None, **settings
) -> SendReport:
    """One `send_pending` call with the app's settings (some overridden), as cron would make."""
    with app.app_context():
        smtp = replace(SmtpSettings.from_config(app.config), **settings)
        links = PersonalLinks.from_config(app.config)
        return send_pending(db.session, smtp, links, now=now, limit=limit)


def outbox(app: Flask) -> dict[tuple[str, str], dict]:
    """Every outbox row by (recipient, kind), as plain values."""
    import sqlalchemy as sa

    from surveyapp.models import OutboxMessage

    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        return {
            (row.recipient, row.kind): {
                column.name: getattr(row, column.name) for column in OutboxMessage.__table__.c
            }
            for row in rows
        }
