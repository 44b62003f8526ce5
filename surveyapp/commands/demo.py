"""`surveyapp demo build`: the demo organisation that `make demo` serves."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction


@click.group()
def demo() -> None:
    """The demo organisation."""


@demo.command("build")
@click.option("--respondents", default=3000, show_default=True, help="people who answer a wave")
@click.option("--seed", default=2026, show_default=True)
@click.option(
    "--briefs",
    "briefs_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="where the briefs go (default: instance/briefs)",
)
@with_appcontext
def demo_build(respondents: int, seed: int, briefs_dir: Path | None) -> None:
    """Build the demo organisation, its campaigns and briefs in an empty database."""
    from surveyapp.demo.build import DEMO_PASSWORD, build_demo
    from surveyapp.extensions import db
    from surveyapp.services.tokens import PersonalLinks

    out = briefs_dir or Path(current_app.instance_path) / "briefs"
    out.mkdir(parents=True, exist_ok=True)
    steps = [
        "instruments",
        "organisation",
        "waves",
        "waves",
        "literacy evidence",
        "literacy check",
        "links",
        "briefs",
    ]
    with click.progressbar(length=len(steps), label="building the demo") as bar:
        summary = in_transaction(
            lambda: build_demo(
                db.session,
                current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
                out,
                respondents,
                seed,
                PersonalLinks.from_config(current_app.config),
                lambda _step: bar.update(1),
            )
        )
    base = current_app.config["SURVEYAPP_BASE_URL"]
    click.echo(
        f"\nsurveyapp demo: {summary.people:,} people, {summary.respondents:,} responses in "
        f"{', '.join(summary.campaigns)}; {len(summary.briefs)} briefs in {out}"
    )
    click.echo(f"\nSign in at {base}/staff/login (password {DEMO_PASSWORD!r}) as:")
    for email, role in summary.users:
        click.echo(f"  {email:32} {role}")
    click.echo(
        "\nFour things to try:\n"
        "  1. As the change manager, open the Q3 pulse for Retail banking and its branches:\n"
        "     barrier points, resistance patterns, the actions recommended, the PDF brief.\n"
        f"  2. Open a brief: {out}/ai-pulse-q3-CONTACT.pdf (and the one-page brief of SMALLBIZ).\n"
        "  3. As hr, download the literacy results by unit and per consenting person.\n"
        "  4. As the admin, open Action plans (/staff/actions): overdue actions, whether the\n"
        "     Q2 actions worked, and where units say one thing and do another."
    )
    click.echo("\nAnswer the open Q3 pulse yourself (a phone-sized window shows it best):")
    for label, link in summary.respondent_links:
        click.echo(f"  {label}: {link}")
