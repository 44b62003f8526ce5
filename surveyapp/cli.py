"""The `surveyapp` command group (a FlaskGroup); the commands live in their domains' modules."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from surveyapp import create_app
from surveyapp.briefs.cli import briefs
from surveyapp.commands.api_tokens import tokens
from surveyapp.commands.campaigns import (
    analyze_command,
    campaign,
    drafts,
    invitations,
    responses,
)
from surveyapp.commands.catalog import instruments
from surveyapp.commands.demo import demo
from surveyapp.commands.evidence import aisystems, evidence, measures
from surveyapp.commands.jobs import jobs, worker
from surveyapp.commands.mail import mail
from surveyapp.commands.open_links import openlinks
from surveyapp.commands.org import roster, units
from surveyapp.commands.outcomes import outcomes
from surveyapp.commands.results import results
from surveyapp.commands.users import users
from surveyapp.exports.cli import export


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def cli() -> None:
    """Run AI-literacy, adoption and alignment surveys and report on them."""


for command in (
    instruments,
    units,
    roster,
    users,
    campaign,
    invitations,
    mail,
    openlinks,
    drafts,
    responses,
    results,
    analyze_command,
    briefs,
    export,
    demo,
    jobs,
    worker,
    tokens,
    aisystems,
    measures,
    evidence,
    outcomes,
):
    cli.add_command(command)
