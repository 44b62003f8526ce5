"""The evidence pack as PDF (WeasyPrint, with the briefs' static-only fetcher) and as XLSX.

The PDF is rendered from an autoescaping template through `briefs.render.pdf_from_html`, so it
has the briefs' safety: no URL but the package's own assets is fetched (security.md, A1).
Every text cell of the XLSX goes through `exports.cells.neutralise`.
"""

from __future__ import annotations

import io
from functools import cache

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.styles import Font

from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.briefs.meta import long_date, share_text, utc_moment
from surveyapp.briefs.pdf import pdf_from_html, template_environment
from surveyapp.evidence.tables import Build, Table, Value
from surveyapp.exports.cells import neutralise
from surveyapp.language import N_, _, current_language

# The pack's sheets, and the words its tables put in cells (translated where shown).
SHEET_NAMES = {
    "scope": N_("scope"),
    "systems": N_("systems"),
    "literacy": N_("literacy"),
    "measures": N_("measures"),
    "coverage": N_("coverage"),
    "gaps": N_("gaps"),
    "actions": N_("actions"),
    "effect": N_("effect"),
    "changes": N_("changes"),
}
CELL_WORDS = frozenset({HIDDEN_REASON, N_("gap"), N_("met"), N_("unknown"), N_("yes"), N_("no")})
# The tables' titles, column names and notes (evidence.tables), marked for the catalogue
# here and translated where shown; tests/evidence checks that none is missing.
TABLE_WORDS = (
    N_("Scope and method"),
    N_("item"),
    N_("value"),
    N_("AI systems by group and risk tier"),
    N_("unit"),
    N_("unit name"),
    N_("system"),
    N_("risk tier"),
    N_("description"),
    N_("people using this tier"),
    N_("A unit counts its sub-units. People are counted from the roster."),
    N_("Literacy by group and wave"),
    N_("wave"),
    N_("figures to"),
    N_("respondents"),
    N_("literacy index"),
    N_("quiz %"),
    N_("Measures catalogue"),
    N_("measure"),
    N_("kind"),
    N_("topics"),
    N_("for tiers or systems"),
    N_("How many people completed the measures is in the coverage table."),
    N_("Measures and coverage"),
    N_("required measure"),
    N_("people using the tier"),
    N_("completed"),
    N_("coverage"),
    N_(
        "Hidden where fewer than k people use the tier, where fewer than k completed or fewer "
        "than k did not, or where the figure could be worked out from other figures of any "
        "unit, day or scope. A rate is shown only beside both counts."
    ),
    N_("Gaps against requirements"),
    N_("systems"),
    N_("required level"),
    N_("target share"),
    N_("share at level"),
    N_("lowest coverage"),
    N_("status"),
    N_("finding"),
    N_("Effect across waves"),
    N_("waves"),
    N_("index before"),
    N_("index after"),
    N_("change"),
    N_("95% CI low"),
    N_("95% CI high"),
    N_("significant"),
    N_("coverage before"),
    N_("coverage after"),
    N_("verdict"),
    N_(
        "Change and interval from the wave comparison (Welch interval; significance after"
        " Benjamini-Hochberg across all changes); coverage counted on the day each wave "
        "closed (the pack's day while a wave is open)."
    ),
    N_("Actions planned"),
    N_("action"),
    N_("finding it answers"),
    N_("addresses"),
    N_("owner role"),
    N_("due"),
    N_("last update"),
    N_(
        "Every action of the units in scope created by the evidence day, those on AI "
        "literacy first; the others address AI adoption (the construct they mean to "
        "move). Status as it stands now; last update is the latest dated note by the "
        "evidence day."
    ),
    N_("Change log"),
    N_("input"),
    N_("checksum (SHA-256)"),
    N_("share foundational"),
    N_("share developing"),
    N_("share proficient"),
    N_("share advanced"),
)
PAGE_BREAKS = frozenset({"literacy", "coverage", "gaps", "actions", "effect", "changes"})
NUMBER_FORMATS = {"share": "0.0%", "number": "0.0", "count": "0", "date": "yyyy-mm-dd"}
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
    """A cell as the PDF shows it, in the pack's language: shares as percents, numbers to one
    place, dates in the language's medium form, blanks as a dash, the pack's own words (hidden,
    gap, met ...) translated."""
    if cell is None or cell == "":
        return "\N{EN DASH}" if kind != "text" else ""
    if isinstance(cell, str):
        return _(cell) if cell in CELL_WORDS else cell
    if kind == "share":
        return share_text(cell)
    if kind == "number":
        return format_decimal(round(cell, 1), "0.0", locale=current_language())
    if kind == "date":
        return format_date(cell, "medium", locale=current_language())
    return str(cell)


def cell_class(kind: str, cell: Value, column: str) -> str:
    """The CSS class of a PDF cell: numbers right-aligned, hidden and status cells marked."""
    if column == "status" and cell in ("gap", "met"):
        return f"status-{cell}"
    if cell == HIDDEN_REASON:
        return "num hidden"
    if column.startswith("checksum"):
        return "checksum"
    return "num" if kind != "text" else ""


@cache
def environment() -> jinja2.Environment:
    """The pack template's environment: the printed documents' own, with its helpers."""
    environment = template_environment("surveyapp.evidence")
    environment.globals.update(
        show=show, cell_class=cell_class, long_date=long_date, moment=utc_moment, translated=_
    )
    return environment


def pack_html(build: Build, tables: list[Table], sentences: list[str], effects: list[str]) -> str:
    """The pack as HTML."""
    return (
        environment()
        .get_template("pack.html")
        .render(
            title=_(
                "AI-literacy evidence, %(scope)s, %(day)s, version %(version)s",
                scope=build.scope,
                day=long_date(build.as_of),
                version=build.version,
            ),
            build=build,
            tables=tables,
            sentences=sentences,
            effects=effects,
            breaks=PAGE_BREAKS,
            language=current_language(),
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
        sheet = workbook.create_sheet(_(SHEET_NAMES.get(table.key, table.key))[:31])
        sheet.append([neutralise(_(column)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(show("text", v)) if isinstance(v, str) else v for v in row])
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
            sheet.append([neutralise(_(table.note))])
    workbook.properties.title = _(
        "AI-literacy evidence, %(scope)s, %(day)s", scope=build.scope, day=long_date(build.as_of)
    )
    workbook.properties.version = str(build.version)
    workbook.properties.creator = "surveyapp"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
