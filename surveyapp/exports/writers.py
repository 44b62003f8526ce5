"""Writing an export table as CSV (streamed), XLSX (write-only, with a codebook) or SPSS .sav.

Every text cell goes through `cells.neutralise` here, in one place, whatever the format.
Files are written to a hidden path beside their destination (`surveyapp.files.partial_path`);
the service renames them into place once the export is recorded.
"""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from surveyapp.exports.cells import neutralise, neutralise_cells
from surveyapp.exports.table import Cell, Column, ColumnChunk, ExportTable
from surveyapp.files import create_private

FORMATS = ("csv", "xlsx", "sav")
BOM = "\ufeff"
SPSS_LABEL_LIMIT = 255
SPSS_NOTE_WIDTH = 80  # SPSS keeps documents as lines of at most 80 bytes
CODEBOOK_HEADER = ("column", "type", "description", "value", "spss_code", "meaning")


TEXT_KINDS = ("text", "coded")  # the column kinds whose cells can hold text


def _neutralised(table: ExportTable, chunk: ColumnChunk) -> ColumnChunk:
    """The chunk with its text columns (the only ones that can hold text) neutralised."""
    return [
        neutralise_cells(cells) if column.kind in TEXT_KINDS else cells
        for column, cells in zip(table.columns, chunk, strict=True)
    ]


def write_csv_stream(table: ExportTable, handle: TextIO, bom: bool = False) -> int:
    """Write the table as CSV to an open text stream; the number of rows written.

    The table arrives a chunk at a time and leaves through csv.writer the same way, so memory
    stays constant at any size; only the text columns are checked for formulas. `bom` starts
    the text with a byte-order mark, which Excel needs to read UTF-8.
    """
    if bom:
        handle.write(BOM)
    writer = csv.writer(handle)
    writer.writerow(neutralise_cells(column.name for column in table.columns))
    count = 0
    for chunk in table.chunks:
        rows = list(zip(*_neutralised(table, chunk), strict=True))
        writer.writerows(rows)
        count += len(rows)
    return count


def write_csv(table: ExportTable, path: Path, bom: bool = False) -> int:
    """Write the table to a UTF-8 CSV file (see `write_csv_stream`)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        return write_csv_stream(table, handle, bom)


def codebook_rows(table: ExportTable) -> Iterator[tuple[Cell, ...]]:
    """One row per column, then one per value a coded or explained column can take."""
    for column in table.columns:
        description = f"{column.label}. {column.detail}" if column.detail else column.label
        yield (column.name, column.kind, description, None, None, None)
        for coded in column.values:
            yield (column.name, None, None, coded.value, coded.code, coded.meaning)


def _width(column: Column) -> float:
    """A column wide enough for its header and its usual values."""
    usual = 28 if column.kind in TEXT_KINDS else 10
    return float(max(len(column.name) + 3, usual))


def write_xlsx(table: ExportTable, path: Path) -> int:
    """Write the table, its codebook and notes as an .xlsx workbook in write-only mode.

    The data sheet is ready for an analyst: shares as percents, numbers to their places,
    columns wide enough to read, the header frozen and filters on every column.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("literacy")
    letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
    for letter, column in zip(letters, table.columns, strict=True):
        data.column_dimensions[letter].width = _width(column)
    data.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in neutralise_cells(column.name for column in table.columns):
        cell = WriteOnlyCell(data, value=name)
        cell.font = bold
        header.append(cell)
    data.append(header)
    formats = [column.excel_format for column in table.columns]
    count = 0
    for chunk in table.chunks:
        for row in zip(*_neutralised(table, chunk), strict=True):
            cells = []
            for value, number_format in zip(row, formats, strict=True):
                if value is None or number_format == "@":
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(data, value=value)
                cell.number_format = number_format
                cells.append(cell)
            data.append(cells)
            count += 1
    data.auto_filter.ref = f"A1:{letters[-1]}{count + 1}"
    codebook = workbook.create_sheet("codebook")
    codebook.append(neutralise_cells(CODEBOOK_HEADER))
    for row in codebook_rows(table):
        codebook.append(neutralise_cells(row))
    notes = workbook.create_sheet("notes")
    for line in (table.title, *table.notes):
        notes.append(neutralise_cells([line]))
    workbook.save(path)
    return count


def _spss_values(column: Column, values: list[Cell]) -> list[Cell]:
    if column.kind == "coded":
        return [column.code_of(value) for value in values]
    if column.kind == "text":
        return ["" if value is None else neutralise(value) for value in values]
    return values


def write_sav(table: ExportTable, path: Path) -> int:
    """Write the table as an SPSS .sav file with variable labels and value labels.

    SPSS files are written whole, so this holds the table in memory (unlike CSV).
    """
    import pandas as pd
    import pyreadstat

    by_column: ColumnChunk = [[] for _ in table.columns]
    for chunk in table.chunks:
        for values, cells in zip(by_column, chunk, strict=True):
            values.extend(cells)
    frame = pd.DataFrame(
        {
            column.name: pd.Series(
                _spss_values(column, values),
                dtype=object if column.kind == "text" else "float64",
            )
            for column, values in zip(table.columns, by_column, strict=True)
        }
    )
    pyreadstat.write_sav(
        frame,
        path,
        file_label=table.title[:64],
        column_labels={column.name: column.label[:SPSS_LABEL_LIMIT] for column in table.columns},
        note=[
            line
            for note in table.notes
            for line in textwrap.wrap(neutralise(note), SPSS_NOTE_WIDTH)
        ],
        variable_value_labels={
            column.name: {float(v.code): v.value_label for v in column.values}
            for column in table.columns
            if column.kind != "text" and any(v.code is not None for v in column.values)
        },
        variable_measure={column.name: column.measure for column in table.columns},
        variable_format={
            column.name: column.spss_format for column in table.columns if column.spss_format
        },
    )
    return len(frame)


def write_file(table: ExportTable, fmt: str, partial: Path, bom: bool = False) -> int:
    """Write the table in `fmt` to `partial`, readable only by its owner; rows written."""
    create_private(partial)
    if fmt == "csv":
        return write_csv(table, partial, bom)
    if fmt == "xlsx":
        return write_xlsx(table, partial)
    return write_sav(table, partial)
