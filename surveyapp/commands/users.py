"""`surveyapp users`: staff accounts, created and managed from the command line.

Every change is audited as `cli:<os user>` and ends the user's sessions where it changes how
they sign in or what they may see, exactly as the admin pages do (services.users).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import code_list, in_transaction

ROLE = click.option("--role", required=True, help="admin, change_manager or hr")
UNITS = click.option(
    "--units", "unit_codes", help="unit codes a change manager sees, comma-separated"
)


@click.group()
def users() -> None:
    """Staff accounts."""


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise take the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("email")
@ROLE
@UNITS
@with_appcontext
def users_create(email: str, role: str, unit_codes: str | None) -> None:
    """Create a staff user; the password is read from standard input."""
    from surveyapp.extensions import db
    from surveyapp.services.users import create_user

    password = _read_password()
    user = in_transaction(
        lambda: create_user(db.session, email, role, code_list(unit_codes), password)
    )
    click.echo(f"created {user.role} {user.email}")


def _change(email: str, change: Callable[..., None], *args: object) -> None:
    """Apply `change(session, user, *args, actor)` to the user with this email, as one
    transaction; a refusal changes nothing and exits with its message."""
    from surveyapp.extensions import db
    from surveyapp.services.audit import cli_actor
    from surveyapp.services.users import find_user

    in_transaction(lambda: change(db.session, find_user(db.session, email), *args, cli_actor()))


@users.command("list")
@with_appcontext
def users_list() -> None:
    """Every staff user: email, role, units, and whether they can sign in."""
    from surveyapp.extensions import db
    from surveyapp.services.users import list_users

    for user in list_users(db.session):
        units = ",".join(sorted(unit.code for unit in user.units)) or "-"
        state = "active" if user.active else "deactivated"
        state = "waiting" if user.role_from == "pending" and not user.active else state
        click.echo(f"{user.email}\t{user.role}\t{units}\t{state}")


@users.command("deactivate")
@click.argument("email")
@with_appcontext
def users_deactivate(email: str) -> None:
    """Stop a user signing in; their sessions and API tokens stop working at once."""
    from surveyapp.services.users import deactivate_user

    _change(email, deactivate_user)
    click.echo(f"deactivated {email.strip().lower()}")


@users.command("activate")
@click.argument("email")
@with_appcontext
def users_activate(email: str) -> None:
    """Let a deactivated user sign in again."""
    from surveyapp.services.users import activate_user

    _change(email, activate_user)
    click.echo(f"activated {email.strip().lower()}")


@users.command("reset-password")
@click.argument("email")
@with_appcontext
def users_reset_password(email: str) -> None:
    """Set a new password (read from standard input); the user's sessions end."""
    from surveyapp.services.users import reset_password

    _change(email, reset_password, _read_password())
    click.echo(f"new password set for {email.strip().lower()}; their sessions have ended")


@users.command("set-role")
@click.argument("email")
@ROLE
@UNITS
@with_appcontext
def users_set_role(email: str, role: str, unit_codes: str | None) -> None:
    """Give a user another role; their sessions end."""
    from surveyapp.services.users import set_role

    _change(email, set_role, role, code_list(unit_codes))
    click.echo(f"{email.strip().lower()} is now {role}; their sessions have ended")


@users.command("set-units")
@click.argument("email")
@click.option("--units", "unit_codes", required=True, help="unit codes, comma-separated")
@with_appcontext
def users_set_units(email: str, unit_codes: str) -> None:
    """Change the units a change manager sees; their sessions end."""
    from surveyapp.services.users import set_units

    _change(email, set_units, code_list(unit_codes))
    click.echo(f"{email.strip().lower()} now sees {unit_codes}; their sessions have ended")


@users.command("break-glass")
@click.argument("email")
@with_appcontext
def users_break_glass(email: str) -> None:
    """Make this admin the one whose password works when local passwords are off
    (SURVEYAPP_LOCAL_LOGIN=off): the way in when the identity provider is down."""
    from surveyapp.services.users import set_break_glass

    _change(email, set_break_glass)
    click.echo(f"{email.strip().lower()} is the break-glass admin; keep their password offline")
