"""The bare WeasyPrint pages benchmarks/briefs.py measures a brief against (see its docstring).

The full baseline counts the brief's volume from its HTML (`brief_volume`) and pours plain
text, tables and charts of that volume into static HTML (`full_bare_html`); the sparse one is
the old, far emptier page kept for comparison (`sparse_bare_html`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from surveyapp.briefs.meta import BriefMeta
from surveyapp.briefs.render import brief_html
from surveyapp.briefs.service import BriefJob
from surveyapp.language import writing_in

PARAGRAPH = ("Readiness for AI differs between teams, and the reasons differ too. " * 12).strip()
SHAPE = re.compile(r"<(?:rect|text|line)\b")
HEADINGS = frozenset({"h1", "h2", "h3"})
BLOCKS = frozenset({"p", "li", "blockquote", "figcaption", "div", "dd", "dt"})
VOID = frozenset({"meta", "br", "img", "link", "hr", "input"})
WORDS = [
    "readiness",
    "teams",
    "reasons",
    "differ",
    "between",
    "units",
    "and",
    "change",
    "takes",
    "time",
    "to",
    "practise",
]


@dataclass
class Chart:
    """One SVG chart as the bare render redraws it: its size and how many of each shape."""

    width: float
    height: float
    rects: int = 0
    lines: int = 0
    texts: list[int] = field(default_factory=list)  # characters of each text element


@dataclass
class Volume:
    """What a page of the brief holds, counted from its HTML: the baseline's bill of materials.

    `blocks` keeps the document order: ("h", chars), ("p", chars), ("table", rows, cols, chars)
    and ("chart", Chart).
    """

    blocks: list[tuple] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """How many blocks of `kind` the brief has."""
        return sum(1 for block in self.blocks if block[0] == kind)

    def text_chars(self) -> int:
        """Characters of text outside the charts (headings, paragraphs, table cells)."""
        return sum(b[1] if b[0] in ("h", "p") else b[3] for b in self.blocks if b[0] != "chart")


class VolumeCounter(HTMLParser):
    """Counts the brief's body: headings, paragraph-like blocks, tables and charts, each with
    its characters of text (whitespace runs count as one space)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.volume = Volume()
        self.stack: list[str] = []
        self.text: list[str] = []  # text of the innermost open heading or block
        self.table: list[int] | None = None  # rows, cells, chars
        self.chart: Chart | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID:
            return
        attributes = dict(attrs)
        if tag == "svg":
            view = [float(v) for v in attributes.get("viewbox", "0 0 600 200").split()]
            self.chart = Chart(view[2], view[3])
        elif self.chart is not None:
            if tag in ("rect", "line"):
                setattr(self.chart, tag + "s", getattr(self.chart, tag + "s") + 1)
        elif tag == "table":
            self.table = [0, 0, 0]
        elif tag == "tr" and self.table is not None:
            self.table[0] += 1
        elif tag in ("td", "th") and self.table is not None:
            self.table[1] += 1
        if tag in HEADINGS or tag in BLOCKS or tag in ("text", "td", "th"):
            self._flush()
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        if tag in HEADINGS or tag in BLOCKS or tag in ("text", "td", "th"):
            self._flush(closing=tag)
        while self.stack and self.stack.pop() != tag:
            pass
        if tag == "svg" and self.chart is not None:
            self.volume.blocks.append(("chart", self.chart))
            self.chart = None
        elif tag == "table" and self.table is not None:
            rows, cells, chars = self.table
            self.volume.blocks.append(("table", rows, round(cells / max(1, rows)), chars))
            self.table = None

    def handle_data(self, data: str) -> None:
        if "head" not in self.stack and not {"title", "desc"} & set(self.stack):
            self.text.append(data)

    def _flush(self, closing: str = "") -> None:
        """Book the text read so far to the element it belongs to."""
        chars = len(re.sub(r"\s+", " ", "".join(self.text)).strip())
        self.text = []
        if not chars:
            return
        if self.chart is not None:
            if closing == "text":
                self.chart.texts.append(chars)
        elif self.table is not None:
            self.table[2] += chars
        else:
            kind = "h" if closing in HEADINGS else "p"
            self.volume.blocks.append((kind, chars))


def brief_volume(job: BriefJob) -> Volume:
    """The brief's text, tables and charts, counted from the HTML it renders."""
    meta = BriefMeta.from_dict(job.meta)
    with writing_in(meta.language):
        html = brief_html(job.analysis, job.unit, meta)
    body = html[html.index("<body") :]
    counter = VolumeCounter()
    counter.feed(body)
    counter.close()
    return counter.volume


def filler(chars: int, start: int = 0) -> str:
    """Plain words making about `chars` characters."""
    words = itertools.cycle(WORDS[start % len(WORDS) :] + WORDS[: start % len(WORDS)])
    text = ""
    while len(text) < chars:
        text += next(words) + " "
    return text[: max(1, chars)].strip() or "x"


def bare_svg(chart: Chart) -> str:
    """A plain SVG of the chart's size with as many rectangles, lines and texts (of the same
    lengths) as the brief's chart, in one colour and no styling."""
    rows = max(1, len(chart.texts), chart.rects, chart.lines)
    step = chart.height / rows
    shapes = [
        f'<rect x="250" y="{i * step:.1f}" width="{60 + i * 37 % 280}" height="{step * 0.6:.1f}"/>'
        for i in range(chart.rects)
    ]
    shapes += [
        f'<line x1="{250 + i * 11 % 300}" x2="{250 + i * 11 % 300}" y1="0" y2="{chart.height:g}"'
        ' stroke="#999"/>'
        for i in range(chart.lines)
    ]
    shapes += [
        f'<text x="{(i % 3) * 200 + 4}" y="{(i // 3 + 1) * 3 * step % chart.height + 10:.1f}">'
        f"{filler(chars, i)}</text>"
        for i, chars in enumerate(chart.texts)
    ]
    return (
        f'<svg viewBox="0 0 {chart.width:g} {chart.height:g}" width="{chart.width:g}" '
        f'height="{chart.height:g}" font-size="10" style="width: 90%; height: auto">'
        f"{''.join(shapes)}</svg>"
    )


def bare_block(block: tuple, index: int) -> str:
    """One block of the baseline: a heading, a paragraph, a table or a chart."""
    kind = block[0]
    if kind == "h":
        return f"<h2>{filler(block[1], index)}</h2>"
    if kind == "p":
        return f"<p>{filler(block[1], index)}</p>"
    if kind == "chart":
        return bare_svg(block[1])
    _, rows, cols, chars = block
    cell = max(1, chars // max(1, rows * cols))
    body = "".join(
        "<tr>" + "".join(f"<td>{filler(cell, r + c)}</td>" for c in range(cols)) + "</tr>"
        for r in range(rows)
    )
    return f"<table>{body}</table>"


LINE_CHARS = 95  # characters of 9 pt text on a line of an A4 page with the brief's margins
CHART_UNITS_PER_LINE = 14.6  # SVG user units of a 90 %-wide chart per line of 9 pt text


def lines(block: tuple) -> float:
    """About how many lines of 9 pt text a block of the baseline fills, margins included."""
    kind = block[0]
    if kind == "chart":
        return block[1].height / CHART_UNITS_PER_LINE + 1
    if kind == "table":
        return block[1] * 1.2 + 1
    return -(-block[1] // LINE_CHARS) + (2 if kind == "h" else 1)


def full_bare_html(volume: Volume, pages: int) -> str:
    """The brief's blocks in its order, plain, cut into `pages` pages of about equal height,
    in the brief's type size."""
    total = sum(lines(b) for b in volume.blocks)
    html, done, page = [], 0.0, 0
    for index, block in enumerate(volume.blocks):
        if done >= total * (page + 1) / pages and page < pages - 1:
            page += 1
            html.append('<div style="break-before: page"></div>')
        html.append(bare_block(block, index))
        done += lines(block)
    style = (
        "<style>@page { size: A4; margin: 24mm 18mm 20mm } "
        "body { font: 9pt 'DejaVu Sans' } svg { display: block }</style>"
    )
    return f"<!DOCTYPE html><html lang='en'><head>{style}</head><body>{''.join(html)}</body></html>"


def volume_chars(block: tuple) -> int:
    """A text block's characters (a table's are its last figure)."""
    return block[1] if block[0] in ("h", "p") else block[3]


def brief_charts(job: BriefJob) -> tuple[int, int]:
    """How many SVG charts the job's brief draws, and their average number of shapes."""
    html = brief_html(job.analysis, job.unit, BriefMeta.from_dict(job.meta))
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    shapes = sum(len(SHAPE.findall(chart)) for chart in charts)
    return len(charts), shapes // max(1, len(charts))


def bare_chart(shapes: int) -> str:
    """The sparse baseline's SVG bar chart of about `shapes` shapes (a bar and a label a row)."""
    rows = max(1, shapes // 2)
    body = "".join(
        f'<rect x="200" y="{i * 13}" width="{120 + i * 7 % 200}" height="11" fill="#1d3557"/>'
        f'<text x="190" y="{i * 13 + 10}" text-anchor="end">Row {i}</text>'
        for i in range(rows)
    )
    return (
        f'<svg viewBox="0 0 600 {rows * 13}" width="600" height="{rows * 13}" '
        f'font-size="10" style="width: 90%; height: auto">{body}</svg>'
    )


def sparse_bare_html(pages: int, charts: int = 0, shapes: int = 0) -> str:
    """The old baseline: `pages` A4 pages of one heading, one short paragraph and an 8-row
    table each, with `charts` charts of `shapes` shapes spread over them (far emptier than a
    page of the brief; kept so the change of baseline stays visible)."""
    rows = "".join(f"<tr><td>Row {i}</td><td>{i * 7}</td></tr>" for i in range(8))
    page = f"<h2>Section</h2><p>{PARAGRAPH}</p><table>{rows}</table>"
    per_page = [charts // pages + (1 if i < charts % pages else 0) for i in range(pages)]
    sections = "".join(
        f'<section style="break-before: page">{page}{bare_chart(shapes) * count}</section>'
        for count in per_page
    )
    style = "<style>@page { size: A4 } body { font-family: 'DejaVu Sans' }</style>"
    return f"<!DOCTYPE html><html lang='en'><head>{style}</head><body>{sections}</body></html>"
