"""`surveyapp tokens create|list|revoke`: personal API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import in_transaction


@click.group("tokens")
def tokens() -> None:
    """API tokens (the token acts as its user: same role, same units)."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", required=True, help="what the token is for, e.g. 'HR dashboard sync'")
@with_appcontext
def tokens_create(email: str, name: str) -> None:
    """Create a token for the user EMAIL and print it; it is shown this once and never again."""
    from surveyapp.extensions import db
    from surveyapp.services.api_tokens import create_api_token, user_by_email

    issued = in_transaction(
        lambda: create_api_token(db.session, user_by_email(db.session, email), name)
    )
    click.echo(f"token {issued.token.id} ({issued.token.name}) for {email.strip().lower()}:")
    click.echo(issued.secret)
    click.echo("Keep it now: only its hash is stored, it cannot be shown again.", err=True)


@tokens.command("list")
@click.argument("email", required=False)
@with_appcontext
def tokens_list(email: str | None) -> None:
    """List tokens (one user's with EMAIL): id, user, name, created, last used, revoked."""
    from surveyapp.extensions import db
    from surveyapp.services.api_tokens import list_api_tokens, user_by_email

    user_id = in_transaction(lambda: user_by_email(db.session, email).id) if email else None
    for token in list_api_tokens(db.session, user_id):
        used = token.last_used_at.isoformat(" ", "minutes") if token.last_used_at else "never"
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        click.echo(
            f"{token.id}\t{token.user.email}\t{token.name}\t"
            f"created {token.created_at:%Y-%m-%d}\tused {used}\t{state}"
        )


@tokens.command("revoke")
@click.argument("token_id", type=int, metavar="ID")
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke the token ID at once (its next request gets 401)."""
    from surveyapp.extensions import db
    from surveyapp.services.api_tokens import revoke_api_token

    token = in_transaction(lambda: revoke_api_token(db.session, token_id))
    click.echo(f"revoked token {token.id} ({token.name}) of {token.user.email}")
