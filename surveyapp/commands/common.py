"""What every command shares: error reporting, transactions and argument parsing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import click

from surveyapp.errors import InputError, SurveyappError

T = TypeVar("T")
OPTIONS = {  # the fields services name in their problems, as the commands call them
    "slug": "SLUG",
    "email": "EMAIL",
    "name": "--name",
    "instruments": "--instruments",
    "units": "--units",
    "all_units": "--all-units",
    "mode": "--mode",
    "min_group_size": "--min-group",
    "min_comment_group_size": "--min-comment-group",
    "opens_at": "--opens",
    "closes_at": "--closes",
    "names": "--name-in",
    "descriptions": "--description",
    "role": "--role",
}


@contextmanager
def reported() -> Iterator[None]:
    """Turn a refused request into its message on stderr and exit status 1, each problem's
    field named as the option that sets it."""
    try:
        yield
    except InputError as error:
        raise click.ClickException(error.describe(OPTIONS)) from None
    except SurveyappError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"{error.filename}: {error.strerror}") from None


def in_transaction(work: Callable[[], T]) -> T:
    """Run `work` as one transaction, reporting a refusal as a CLI error."""
    from surveyapp.services.transaction import atomic

    with reported(), atomic():
        return work()


def import_csv(file: Path, columns: tuple[str, ...], importer: Callable[..., T]) -> T:
    """Read a CSV file with exactly `columns` and hand its rows to an import service."""
    from surveyapp.extensions import db
    from surveyapp.services.csv_input import read_csv_file

    return in_transaction(lambda: importer(db.session, read_csv_file(file, columns), str(file)))


def code_list(value: str | None) -> list[str]:
    """Split a comma-separated option into its non-empty parts."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def iso_datetime(value: str | None) -> datetime | None:
    """Parse an ISO date or date-time option; naive values are taken as UTC."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
