"""`surveyapp units`, `roster` and `users`: the organisation and its staff accounts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from surveyapp.commands.common import code_list, import_csv, in_transaction


@click.group()
def units() -> None:
    """Business units."""


@units.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def units_import(file: Path) -> None:
    """Create or update units from a CSV file `code,name,parent_code`."""
    from surveyapp.services.org import UNIT_COLUMNS, import_units

    click.echo(f"units: {import_csv(file, UNIT_COLUMNS, import_units)}")


@click.group()
def roster() -> None:
    """The roster of people who can be invited."""


@roster.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def roster_import(file: Path) -> None:
    """Create or update people from a CSV `employee_id,email,unit,function,level,locale`."""
    from surveyapp.services.org import ROSTER_COLUMNS, import_roster

    click.echo(f"people: {import_csv(file, ROSTER_COLUMNS, import_roster)}")


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
@click.option("--role", required=True, help="admin, change_manager or hr")
@click.option("--units", "unit_codes", help="unit codes a change manager sees, comma-separated")
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
