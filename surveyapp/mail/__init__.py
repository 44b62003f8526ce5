"""Email templates: an invitation, a reminder and a link to carry on (`resume`, sent to an
open-link respondent who asks for it), each as subject, plain text and HTML, per locale.

The templates live in `templates/<locale>/` as plain files a translator can edit; a locale
is offered when its folder holds all of them. The HTML part is optional (a message without
its `.html` template goes out as plain text) and autoescaped, so a campaign name is text,
never markup; the plain-text part is not escaped, since nothing renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from babel.dates import format_date

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FALLBACK_LOCALE = "en"
MAIL_KINDS = ("invitation", "reminder", "resume")
REQUIRED_FILES = tuple(f"{kind}.{part}" for kind in MAIL_KINDS for part in ("subject.txt", "txt"))
MAX_REMINDERS = 3  # reminder rounds a campaign may send; the last one says it is the last


@dataclass(frozen=True)
class MailContent:
    """What a message says about its campaign, and the person's own link."""

    campaign_name: str
    link: str
    minutes: int
    confidential: bool
    opens_on: date | None = None  # only when the campaign opens later than the message goes
    closes_on: date | None = None
    round: int = 0  # 0 for the invitation, 1 to 3 for the reminders


@dataclass(frozen=True)
class RenderedMail:
    """One message ready for the wire: subject, plain text, and HTML when there is a template."""

    subject: str
    text: str
    html: str | None


@cache
def _environment() -> jinja2.Environment:
    """The templates' environment: strict about unknown names, escaping only .html files."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def mail_locales() -> tuple[str, ...]:
    """The locales with a complete set of templates, English first."""
    complete = sorted(
        folder.name
        for folder in TEMPLATES_DIR.iterdir()
        if folder.is_dir() and all((folder / name).is_file() for name in REQUIRED_FILES)
    )
    return tuple(sorted(complete, key=lambda locale: locale != FALLBACK_LOCALE))


def mail_locale(preferred: str | None, offered: list[str]) -> str:
    """The roster locale when both the mail and the survey can be in it, else English."""
    return preferred if preferred in offered else FALLBACK_LOCALE


def template_kind(kind: str) -> str:
    """`reminder_2` is written by the reminder templates; `invitation` and `resume` by their own."""
    return "reminder" if kind.startswith("reminder") else kind


def _variables(content: MailContent, locale: str) -> dict[str, object]:
    """The names the templates use, dates already written out in the message's language."""
    return {
        "locale": locale,
        "campaign_name": content.campaign_name,
        "link": content.link,
        "minutes": content.minutes,
        "confidential": content.confidential,
        "opens_on": _long_date(content.opens_on, locale),
        "closes_on": _long_date(content.closes_on, locale),
        "round": content.round,
        "final": content.round >= MAX_REMINDERS,
    }


def _long_date(day: date | None, locale: str) -> str | None:
    return format_date(day, format="long", locale=locale) if day else None


def render_subject(kind: str, locale: str, content: MailContent) -> str:
    """The subject line on one line: headers cannot carry a line break a name might hold."""
    template = _environment().get_template(f"{locale}/{template_kind(kind)}.subject.txt")
    return " ".join(template.render(_variables(content, locale)).split())[:200]


def render_mail(kind: str, locale: str, content: MailContent) -> RenderedMail:
    """The whole message in `locale` (one of `mail_locales()`)."""
    environment, variables = _environment(), _variables(content, locale)
    name = template_kind(kind)
    text = environment.get_template(f"{locale}/{name}.txt").render(variables)
    html = None
    if (TEMPLATES_DIR / locale / f"{name}.html").is_file():
        html = environment.get_template(f"{locale}/{name}.html").render(variables)
    return RenderedMail(render_subject(kind, locale, content), text, html)


def html_fragment(kind: str, locale: str, content: MailContent) -> str | None:
    """The HTML part's `content` block alone (escaped like the message), for a preview page."""
    path = f"{locale}/{template_kind(kind)}.html"
    if not (TEMPLATES_DIR / path).is_file():
        return None
    template = _environment().get_template(path)
    context = template.new_context(_variables(content, locale))
    return "".join(template.blocks["content"](context))
