"""An export as self-describing columns and a stream of column chunks, whatever the format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

Cell = str | float | int | None
# A run of rows held column by column (one list per column, all the same length): the
# writers neutralise a text column in one pass and SPSS takes columns whole.
ColumnChunk = list[list[Cell]]
ColumnKind = Literal["text", "number", "integer", "coded"]


@dataclass(frozen=True)
class CodedValue:
    """One value a column can hold, what it means, and its numeric code and label in SPSS."""

    value: str | int
    meaning: str
    code: int | None = None
    label: str | None = None

    @property
    def value_label(self) -> str:
        """The short name SPSS shows for the code: `label`, else the value itself."""
        return self.label or str(self.value)


@dataclass(frozen=True)
class Column:
    """A column of an export: its name, a label for SPSS and the codebook, and its values.

    `label` is the SPSS variable label (kept under 256 characters); `detail` adds what the
    codebook should say beyond it, such as the rule that derives the column.

    `text` columns hold strings, `number` floats, `integer` whole numbers; `coded` columns hold
    one of `values` as text, written as its `code` (with value labels) in SPSS files. `values`
    on other kinds only document what the codebook should explain.
    """

    name: str
    label: str
    kind: ColumnKind
    values: tuple[CodedValue, ...] = ()
    detail: str = ""
    measure: Literal["nominal", "ordinal", "scale"] = "nominal"
    decimals: int = 2  # number columns: shown (Excel) and kept (SPSS) to this many places
    share: bool = False  # a 0-1 share, shown as a percent in Excel

    @property
    def excel_format(self) -> str:
        """How a spreadsheet shows the column: shares as percents, counts whole, text as is."""
        if self.share:
            return "0.0%"
        if self.kind == "integer":
            return "0"
        if self.kind == "number":
            return "0." + "0" * self.decimals if self.decimals else "0"
        return "@"

    @property
    def spss_format(self) -> str:
        """The SPSS print format: counts F8.0, numbers to their places, text as a string."""
        if self.kind == "integer":
            return "F8.0"
        if self.kind == "number":
            return f"F8.{4 if self.share else self.decimals}"
        return ""

    def code_of(self, value: Cell) -> int | None:
        """The SPSS code of a coded column's value (None stays None)."""
        if value is None:
            return None
        return next(coded.code for coded in self.values if coded.value == value)


@dataclass
class ExportTable:
    """What an export writes: a title, the columns and the chunks of rows (consumed once)."""

    title: str
    columns: list[Column]
    chunks: Iterable[ColumnChunk]
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> Iterator[tuple[Cell, ...]]:
        """The rows one by one, in order (consumes the chunks)."""
        for chunk in self.chunks:
            yield from zip(*chunk, strict=True)


def chunk_of(rows: Sequence[Sequence[Cell]], width: int) -> ColumnChunk:
    """Rows of `width` cells as one column chunk."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]
