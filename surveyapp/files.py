"""Files the app writes for people (exports, link lists): whole or not at all, owner-only."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def partial_path(out: Path) -> Path:
    """Where a file is written before it is renamed to `out` (same folder, hidden name)."""
    return out.with_name(f".{out.name}.partial")


def create_private(path: Path) -> None:
    """Create (or empty) `path` readable only by its owner: these files hold personal data."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))


@contextmanager
def written_into_place(out: Path) -> Iterator[Path]:
    """A hidden path beside `out` to write to, renamed to `out` only if the block succeeds.

    Nest the database transaction inside, so the file appears only after the commit and a
    failure leaves neither the file nor the rows.
    """
    partial = partial_path(out)
    try:
        yield partial
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def links_csv(rows: list[tuple[str, str]]) -> str:
    """Personal links as `employee_id,link` for a mail merge (the CLI file, the admin download)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["employee_id", "link"])
    writer.writerows(rows)
    return text.getvalue()
