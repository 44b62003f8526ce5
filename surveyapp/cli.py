"""The `surveyapp` command group (a FlaskGroup); the commands live in their domains' modules."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from surveyapp import create_app
from surveyapp.commands.analyze import analyze_command
from surveyapp.commands.api_tokens import tokens
from surveyapp.commands.briefs import briefs
from surveyapp.commands.campaigns import campaign
from surveyapp.commands.catalog import instruments
from surveyapp.commands.demo import demo
from surveyapp.commands.drafts import drafts
from surveyapp.commands.evidence import aisystems, evidence, measures
from surveyapp.commands.exports import export
from surveyapp.commands.invitations import invitations
from surveyapp.commands.jobs import jobs, worker
from surveyapp.commands.mail import mail
from surveyapp.commands.open_links import openlinks
from surveyapp.commands.org import roster, units
from surveyapp.commands.outcomes import outcomes
from surveyapp.commands.responses import responses
from surveyapp.commands.results import results
from surveyapp.commands.users import users


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
