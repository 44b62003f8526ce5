"""Text cells made inert before any export writer sees them (security.md, section B)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel shows these as error values, and openpyxl stores a string equal to one as an error.
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# First characters worth a closer look: a row of ordinary cells costs no function call.
RISKY_FIRST = frozenset((*FORMULA_TRIGGERS, "#"))


def neutralise(text: str) -> str:
    """`text` with a leading `'` when a spreadsheet would evaluate it rather than show it.

    Every writer (CSV, XLSX, SAV) passes every text cell through here, so a unit named
    `=HYPERLINK(...)` or a comment starting with `+` arrives as the text it is.
    """
    if text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES:
        return f"'{text}"
    return text


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    """The row with every text cell passed through `neutralise`; other cells unchanged."""
    return [
        neutralise(cell) if cell.__class__ is str and cell[:1] in RISKY_FIRST else cell
        for cell in row
    ]


def neutralise_cells(row: Sequence[Any], positions: Sequence[int]) -> list[Any]:
    """`neutralise_row` for a row whose text can only stand at `positions` (its text columns).

    Checking a few known cells instead of every cell keeps a million-row CSV export close to
    the speed of a bare csv.writer loop.
    """
    cells = row if isinstance(row, list) else list(row)
    for position in positions:
        cell = cells[position]
        if cell.__class__ is str and cell[:1] in RISKY_FIRST:
            cells[position] = neutralise(cell)
    return cells
