"""The evidence pack as PDF (WeasyPrint, with the briefs' static-only fetcher) and as XLSX.

The PDF is rendered from an autoescaping template through `briefs.render.pdf_from_html`, so it
has the briefs' safety: no URL but the package's own assets is fetched (security.md, A1).
Every text cell of the XLSX goes through `exports.cells.neutralise`.
"""

from __future__ import annotations

import io
from functools import cache

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Font

from surveyapp.briefs.pdf import pdf_from_html, template_environment
from surveyapp.evidence.tables import Build, Table, Value
from surveyapp.exports.cells import neutralise

PAGE_BREAKS = frozenset({"literacy", "coverage", "gaps", "actions", "effect", "changes"})
NUMBER_FORMATS = {"share": "0.0%", "number": "0.0", "count": "0"}
COLUMN_WIDTH = 18
WIDE_COLUMNS = {
    "finding": 90,
    "value": 90,
    "description": 40,
    "verdict": 40,
    "action": 40,
    "finding it answers": 60,
    "checksum (SHA-256)": 70,
}


def show(kind: str, cell: Value) -> str:
    """A cell as the PDF shows it: shares as percents, numbers to one place, blanks as a dash."""
    if cell is None or cell == "":
        return "\N{EN DASH}" if kind != "text" else ""
    if isinstance(cell, str):
        return cell
    if kind == "share":
        return f"{cell * 100:.0f}%"
    if kind == "number":
        return f"{cell:.1f}"
    return str(cell)


def cell_class(kind: str, cell: Value, column: str) -> str:
    """The CSS class of a PDF cell: numbers right-aligned, hidden and status cells marked."""
    if column == "status" and cell in ("gap", "met"):
        return f"status-{cell}"
    if isinstance(cell, str) and cell.startswith(("hidden", "fewer than")):
        return "num hidden"
    if column.startswith("checksum"):
        return "checksum"
    return "num" if kind != "text" else ""


@cache
def environment() -> jinja2.Environment:
    """The pack template's environment: the printed documents' own, with its helpers."""
    environment = template_environment("surveyapp.evidence")
    environment.globals.update(show=show, cell_class=cell_class)
    return environment


def pack_html(build: Build, tables: list[Table], sentences: list[str], effects: list[str]) -> str:
    """The pack as HTML."""
    return (
        environment()
        .get_template("pack.html")
        .render(
            title=f"AI-literacy evidence, {build.scope}, {build.as_of.isoformat()}, "
            f"version {build.version}",
            build=build,
            tables=tables,
            sentences=sentences,
            effects=effects,
            breaks=PAGE_BREAKS,
        )
    )


def pack_pdf(build: Build, tables: list[Table], sentences: list[str], effects: list[str]) -> bytes:
    """The pack as PDF bytes."""
    return pdf_from_html(pack_html(build, tables, sentences, effects))


def pack_xlsx(build: Build, tables: list[Table]) -> bytes:
    """The pack's tables as an XLSX workbook, one sheet per table, header bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.key)
        sheet.append([neutralise(column) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(value) if isinstance(value, str) else value for value in row])
        for position, (column, kind) in enumerate(zip(table.columns, table.kinds, strict=True)):
            letter = sheet.cell(row=1, column=position + 1).column_letter
            sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(column, COLUMN_WIDTH)
            if kind in NUMBER_FORMATS:
                for (cell,) in sheet.iter_rows(
                    min_row=2, min_col=position + 1, max_col=position + 1
                ):
                    cell.number_format = NUMBER_FORMATS[kind]
        sheet.freeze_panes = "A2"
        if table.note:
            sheet.append([])
            sheet.append([neutralise(table.note)])
    workbook.properties.title = f"AI-literacy evidence, {build.scope}, {build.as_of.isoformat()}"
    workbook.properties.version = str(build.version)
    workbook.properties.creator = "surveyapp"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
