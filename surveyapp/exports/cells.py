"""Text cells made inert before any export writer sees them (docs/security.md, section B)."""

from __future__ import annotations

from collections.abc import Iterable
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


def neutralise_cells(cells: Iterable[Any]) -> list[Any]:
    """The cells (a row or a column) with every text cell passed through `neutralise`.

    Other cells are returned as they are; an ordinary cell costs no function call, so a
    column of a million cells is checked in a few hundredths of a second.
    """
    return [
        neutralise(cell) if cell.__class__ is str and cell[:1] in RISKY_FIRST else cell
        for cell in cells
    ]
