"""Reading uploaded or command-line CSV files into rows that carry their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from surveyapp.errors import InputError, Problem
from surveyapp.language import LazyText, _l

MAX_FIELD = 10_000
MAX_BYTES = 32 * 1024 * 1024  # a roster of 100,000 people is about 8 MB
MAX_ROWS = 200_000  # twice the largest organisation we plan for (100,000 units or people)
HEADER = _l("header")  # the place of a problem with the header row's columns


@dataclass(frozen=True)
class CsvRow:
    """One data row, keyed by column name, with its line in the file (the header is line 1)."""

    line: int
    values: dict[str, str]


class RowProblems:
    """Collects the problems of a CSV file, each named by row and column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, row: CsvRow, column: str | None, reason: str | LazyText) -> None:
        self.problems.append(Problem(self.source, reason=reason, row=row.line, column=column))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def read_csv_text(
    text: str, source: str, required: Iterable[str], optional: Iterable[str] = ()
) -> list[CsvRow]:
    """Parse CSV text with a header; unknown, missing or repeated columns are errors.

    Cells are stripped of surrounding spaces; a byte-order mark is ignored.
    """
    required, optional = list(required), list(optional)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(
            [Problem(source, "", _l("the file is empty; expected a header row"))]
        ) from None
    problems = [
        Problem(source, HEADER, _l("missing column %(name)r", name=name))
        for name in required
        if name not in header
    ]
    problems += [
        Problem(
            source,
            HEADER,
            _l(
                "unknown column %(name)r; expected %(expected)s",
                name=name,
                expected=", ".join(required + optional),
            ),
        )
        for name in header
        if name not in required and name not in optional
    ]
    problems += [
        Problem(source, HEADER, _l("column %(name)r appears twice", name=name))
        for name in sorted({name for name in header if header.count(name) > 1})
    ]
    if problems:
        raise InputError(problems)
    rows: list[CsvRow] = []
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                reason = _l(
                    "more than %(max)s rows; split the file and import each part",
                    max=f"{MAX_ROWS:,}",
                )
                raise InputError([Problem(source, reason=reason, row=reader.line_num)])
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(
                        source,
                        reason=_l(
                            "%(cells)s cells where the header has %(columns)s",
                            cells=len(record),
                            columns=len(header),
                        ),
                        row=reader.line_num,
                    )
                )
                continue
            cells = [cell.strip() for cell in record]
            if any(len(cell) > MAX_FIELD for cell in cells):
                problems.append(
                    Problem(source, reason=_l("a cell is too long"), row=reader.line_num)
                )
                continue
            with_nul = [name for name, cell in zip(header, cells, strict=True) if "\x00" in cell]
            if with_nul:  # no text holds one, and PostgreSQL refuses to store it
                reason = _l("a NUL character; save the file as text")
                problems.append(
                    Problem(source, reason=reason, row=reader.line_num, column=with_nul[0])
                )
                continue
            rows.append(CsvRow(reader.line_num, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        reason = _l("not valid CSV: %(error)s", error=error)
        problems.append(Problem(source, reason=reason, row=reader.line_num))
    if problems:
        raise InputError(problems)
    return rows


def read_csv_file(
    path: Path, required: Iterable[str], optional: Iterable[str] = ()
) -> list[CsvRow]:
    """Read a UTF-8 CSV file from disk, refusing one over MAX_BYTES before reading it;
    see `read_csv_text`."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError([Problem(str(path), "", too_large(MAX_BYTES))])
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", _l("no such file"))]) from None
    except UnicodeDecodeError as error:
        raise InputError([Problem(str(path), "", not_utf8(error, "UTF-8"))]) from None
    return read_csv_text(text, str(path), required, optional)


def too_large(limit: int) -> LazyText:
    """The message for a file over `limit` bytes, in the unit people think in."""
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
    return _l("the file is larger than %(size)s; split it and import each part", size=size)


def not_utf8(error: UnicodeDecodeError, save_as: str) -> LazyText:
    """The message for a file that is not UTF-8: where it fails and how to save it instead
    (`save_as`: the format's name in the tool people save from)."""
    return _l(
        "not UTF-8 text (byte %(byte)s); save it as %(save_as)s", byte=error.start, save_as=save_as
    )


def not_one_of(value: str, allowed: Iterable[str]) -> LazyText:
    """A value (a cell, a form field, an option) that is none of those allowed."""
    return _l("%(value)r is not one of %(allowed)s", value=value, allowed=", ".join(allowed))


def already_on_row(value: str, line: int) -> LazyText:
    """A cell repeating what an earlier row of the file already holds."""
    return _l("%(value)r is already on row %(line)s", value=value, line=line)


def not_a_locale(value: str) -> LazyText:
    """A cell that is no locale code."""
    return _l("%(value)r is not a locale such as en or es-MX", value=value)


def unknown_unit_code(code: str) -> LazyText:
    """A unit code the organisation does not have."""
    return _l("unknown unit code %(code)r", code=code)


def unknown_function(code: str, known: Iterable[str]) -> LazyText:
    """A function code the organisation does not have, with the codes it has."""
    return _l(
        "unknown function %(code)r; known: %(known)s", code=code, known=", ".join(sorted(known))
    )
