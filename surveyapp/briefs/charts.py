"""Geometry of the brief's charts: numbers and labels in, shapes for the SVG templates out.

The templates draw the shapes (so every label passes through the autoescaping environment);
this module only decides where things go and what colour they take. Each chart comes in two
layouts: wide (the brief, a laptop: labels beside the bars, 10-unit text on 600 units) and
`phone` (labels above the bars, a heatmap as one block per row, 12-unit text on 300 units),
so that a 390 px phone shows the whole chart at 12 px or more without scrolling.

Numbers are rounded to a tenth of a unit and shapes of one kind share one element where the
drawing allows (grid lines and markers are single paths): WeasyPrint parses every attribute in
Python, so the markup's size is part of what a brief costs.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from surveyapp.briefs.meta import mean_text

LABEL_WIDTH = 250.0
CHART_WIDTH = 600.0  # user units; pages draw charts full width, so 10-unit text stays readable
PHONE_WIDTH = 300.0  # a phone's chart: 12-unit text drawn at about 1.08 px a unit at 390 px
PHONE_FONT = 12
PHONE_LINE = 42  # characters of 12-unit text on a phone chart's full width
VALUE_WIDTH = 48.0
ROW_HEIGHT = 24.0
PHONE_ROW = 42.0  # a label line above a bar
BAR_HEIGHT = 14.0
AXIS_HEIGHT = 20.0
INK = "#1d3557"
ACCENT = "#c8553d"
MUTED = "#8d99ae"


def r1(value: float) -> float | int:
    """A coordinate rounded to a tenth, written without a trailing .0."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def rules(xs: list[float], spans: list[tuple[float, float]]) -> str:
    """One SVG path of vertical rules at `xs`, each drawn over every (top, bottom) span."""
    return "".join(f"M{x} {r1(top)}V{r1(bottom)}" for x in xs for top, bottom in spans)


def label_lines(label: str) -> list[str]:
    """A phone chart's label, wrapped to the chart's width (at most two lines)."""
    lines = textwrap.wrap(label, PHONE_LINE) or [""]
    return [lines[0], " ".join(lines[1:])] if len(lines) > 2 else lines


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart, with the organisation's value as a marker."""

    label: str
    value: float | None
    text: str
    reference: float | None = None
    highlight: bool = False


def spoken(bars: list[Bar]) -> str:
    """The bars as a chart's description reads them: each label with the value it shows."""
    return ", ".join(f"{bar.label} {bar.text}" for bar in bars)


@dataclass
class BarChart:
    """A horizontal bar chart laid out in SVG user units; `phone` is the same chart with each
    label above its bar."""

    title: str
    description: str
    rows: list[dict]
    ticks: list[dict]
    grid: str  # one path: every tick's rule
    markers: str  # one path: every organisation marker
    width: float
    height: float
    plot_left: float
    label_x: float
    label_anchor: str
    threshold: str = ""  # one path: the dashed rule, if any
    font_size: int = 10
    phone: BarChart | None = None


def bar_chart(
    title: str,
    description: str,
    bars: list[Bar],
    domain: tuple[float, float],
    ticks: list[float],
    tick_format: str = "{:g}",
    threshold: float | None = None,
    phone: bool = False,
) -> BarChart:
    """Rows of bars on a common axis; `threshold` draws a dashed rule (e.g. 3.0 for ADKAR)."""
    low, high = domain
    width = PHONE_WIDTH if phone else CHART_WIDTH
    left = 8.0 if phone else LABEL_WIDTH  # a phone keeps room for the first tick label
    plot_width = width - left - VALUE_WIDTH
    row_height = PHONE_ROW if phone else ROW_HEIGHT
    bar_offset = 20.0 if phone else (ROW_HEIGHT - BAR_HEIGHT) / 2

    def x(value: float) -> float:
        clipped = min(max(value, low), high)
        return r1(left + (clipped - low) / (high - low) * plot_width)

    rows, markers, top = [], [], 0.0
    for bar in bars:
        labels = label_lines(bar.label) if phone else [bar.label]
        if phone:
            top += (len(labels) - 1) * 14
        bar_y = top + bar_offset
        rows.append(
            {
                "labels": [
                    {"text": text, "y": r1(top + 14 - (len(labels) - 1 - i) * 14)}
                    for i, text in enumerate(labels)
                ]
                if phone
                else [{"text": bar.label, "y": r1(top + ROW_HEIGHT / 2 + 4)}],
                "text": bar.text,
                "value_y": r1(bar_y + 11.5 if phone else top + ROW_HEIGHT / 2 + 4),
                "bar_y": r1(bar_y),
                "bar_width": None if bar.value is None else r1(x(bar.value) - left),
                "colour": ACCENT if bar.highlight else INK,
            }
        )
        if bar.reference is not None:
            markers.append(f"M{r1(x(bar.reference) - 1.2)} {r1(bar_y - 3)}h2.4v20h-2.4z")
        top += row_height
    plot_height = top
    # vertical rules: one span down the plot; on a phone one per bar, clear of the labels
    spans = (
        [(row["bar_y"] - 3, row["bar_y"] + 17) for row in rows]
        if phone
        else [(0.0, plot_height + 6)]
    )
    return BarChart(
        title=title,
        description=description,
        rows=rows,
        ticks=[{"x": x(t), "text": tick_format.format(t)} for t in ticks],
        grid=rules([x(t) for t in ticks], spans),
        markers="".join(markers),
        width=width,
        height=r1(plot_height + AXIS_HEIGHT + (4 if phone else 0)),
        plot_left=left,
        label_x=0 if phone else left - 8,
        label_anchor="start" if phone else "end",
        threshold="" if threshold is None else rules([x(threshold)], spans),
        font_size=PHONE_FONT if phone else 10,
        phone=None
        if phone
        else bar_chart(title, description, bars, domain, ticks, tick_format, threshold, True),
    )


@dataclass
class StackedBars:
    """Rows of 100 % stacked bars (e.g. the four AI-literacy levels)."""

    title: str
    description: str
    rows: list[dict]
    legend: list[dict]
    width: float
    height: float
    font_size: int = 10
    phone: StackedBars | None = None


LEVEL_COLOURS = ("#e9c46a", "#a8c5da", "#457b9d", "#1d3557")
LEVEL_TEXT = ("#1d3557", "#1d3557", "#ffffff", "#ffffff")


def stacked_bars(
    title: str,
    description: str,
    rows: list[tuple[str, list[float]]],
    names: list[str],
    phone: bool = False,
) -> StackedBars:
    """Each row's shares (summing to about 1) as consecutive segments, labelled when wide enough;
    on a phone each label sits above its bar and the legend takes two columns."""
    width = PHONE_WIDTH if phone else CHART_WIDTH
    start = 0.0 if phone else 120.0
    row_height = 46.0 if phone else 28.0
    bar_top = 20.0 if phone else 2.0
    plot_width = width - start
    laid_out = []
    for index, (label, shares) in enumerate(rows):
        left, segments, y = start, [], index * row_height
        for position, share in enumerate(shares):
            segment_width = share * plot_width
            segments.append(
                {
                    "x": r1(left),
                    "width": r1(segment_width),
                    "middle": r1(left + segment_width / 2),
                    "colour": LEVEL_COLOURS[position % len(LEVEL_COLOURS)],
                    "text_colour": LEVEL_TEXT[position % len(LEVEL_TEXT)],
                    "text": f"{share * 100:.0f}%" if segment_width >= (34 if phone else 28) else "",
                }
            )
            left += segment_width
        laid_out.append(
            {
                "label": label,
                "label_x": 0 if phone else 112,
                "anchor": "start" if phone else "end",
                "label_y": r1(y + (14 if phone else 15)),
                "bar_y": r1(y + bar_top),
                "text_y": r1(y + bar_top + 14),
                "segments": segments,
            }
        )
    legend_top = len(rows) * row_height + 4
    legend = [
        {
            "x": r1((i % 2) * 150 if phone else 120 + i * 110),
            "y": r1(legend_top + (i // 2) * 18 if phone else legend_top),
            "colour": LEVEL_COLOURS[i % len(LEVEL_COLOURS)],
            "text": name,
        }
        for i, name in enumerate(names)
    ]
    legend_rows = (len(names) + 1) // 2 if phone else 1
    return StackedBars(
        title,
        description,
        laid_out,
        legend,
        width,
        r1(legend_top + legend_rows * 18 + 2),
        PHONE_FONT if phone else 10,
        None if phone else stacked_bars(title, description, rows, names, True),
    )


@dataclass
class Heatmap:
    """Function-by-construct means as coloured cells, with each row's gap in words. Wide: a
    grid with the column names on top; phone: one block per row, each cell naming its column."""

    title: str
    description: str
    columns: list[dict]
    rows: list[dict]
    width: float
    height: float
    header: float
    gap_x: float
    font_size: int = 10
    phone: Heatmap | None = None


def _cell_colour(mean: float) -> tuple[str, str]:
    """Diverging colour around the scale midpoint 3: red-brown below, blue above."""
    t = max(-1.0, min(1.0, (mean - 3.0) / 1.2))
    low, mid, high = (214, 96, 77), (248, 246, 242), (38, 84, 124)
    end = high if t >= 0 else low
    mix = [round(m + (e - m) * abs(t)) for m, e in zip(mid, end, strict=True)]
    text = "#ffffff" if abs(t) > 0.5 else "#1d3557"
    return "#{:02x}{:02x}{:02x}".format(*mix), text


def heatmap(
    title: str,
    description: str,
    columns: list[str],
    rows: list[tuple[str, list[float | None], str, bool]],
    width: float = CHART_WIDTH,
) -> Heatmap:
    """Rows are (construct label, mean per column or None, gap text, flagged); every shown cell
    prints its mean, so a reader never has to guess a value from a colour."""
    label_width, gap_width, row_height, header = 250.0, 60.0, 20.0, 84.0
    cell_width = (width - label_width - gap_width) / max(1, len(columns))
    laid_rows = []
    for index, (label, means, gap, flagged) in enumerate(rows):
        y = header + index * row_height
        cells = []
        for position, mean in enumerate(means):
            if mean is None:
                continue
            fill, ink = _cell_colour(mean)
            x = label_width + position * cell_width
            cells.append(
                {
                    "x": r1(x),
                    "y": r1(y),
                    "width": r1(cell_width - 1),
                    "fill": fill,
                    "ink": ink,
                    "texts": [
                        {"x": r1(x + cell_width / 2), "anchor": "middle", "text": mean_text(mean)}
                    ],
                    "text_y": r1(y + 13.5),
                }
            )
        laid_rows.append(
            {
                "labels": [{"text": label, "x": label_width - 6, "y": r1(y + 13.5)}],
                "anchor": "end",
                "cells": cells,
                "gap": gap,
                "gap_y": r1(y + 13.5),
                "flagged": flagged,
            }
        )
    return Heatmap(
        title=title,
        description=description,
        columns=[
            {"x": r1(label_width + (i + 0.5) * cell_width + 3), "text": name}
            for i, name in enumerate(columns)
        ],
        rows=laid_rows,
        width=width,
        height=header + len(rows) * row_height,
        header=header,
        gap_x=width - gap_width + 6,
        phone=phone_heatmap(title, description, columns, rows),
    )


def phone_heatmap(title: str, description: str, columns: list[str], rows: list[tuple]) -> Heatmap:
    """The heatmap for a phone: per row its label, then its cells two to a line (one when a
    column name is long), each cell naming its column beside its mean, and the gap last."""
    per_line = 2 if max((len(name) for name in columns), default=0) <= 16 else 1
    cell_width = PHONE_WIDTH / per_line
    laid_rows, top = [], 0.0
    for label, means, gap, flagged in rows:
        labels = label_lines(label)
        cells = []
        shown = [
            (name, mean) for name, mean in zip(columns, means, strict=True) if mean is not None
        ]
        for position, (name, mean) in enumerate(shown):
            fill, ink = _cell_colour(mean)
            x = (position % per_line) * cell_width
            y = top + len(labels) * 16 + 4 + (position // per_line) * 26
            cells.append(
                {
                    "x": r1(x),
                    "y": r1(y),
                    "width": r1(cell_width - 3),
                    "fill": fill,
                    "ink": ink,
                    "texts": [
                        {"x": r1(x + 6), "anchor": "start", "text": name},
                        {"x": r1(x + cell_width - 9), "anchor": "end", "text": mean_text(mean)},
                    ],
                    "text_y": r1(y + 15.5),
                }
            )
        lines = (len(shown) + per_line - 1) // per_line
        gap_y = top + len(labels) * 16 + 4 + lines * 26 + 13
        laid_rows.append(
            {
                "labels": [
                    {"text": text, "x": 0, "y": r1(top + 13 + i * 16)}
                    for i, text in enumerate(labels)
                ],
                "anchor": "start",
                "cells": cells,
                "gap": gap,
                "gap_y": r1(gap_y),
                "flagged": flagged,
            }
        )
        top = gap_y + (14 if gap else -6)
    return Heatmap(
        title=title,
        description=description,
        columns=[],
        rows=laid_rows,
        width=PHONE_WIDTH,
        height=r1(top),
        header=0,
        gap_x=0,
        font_size=PHONE_FONT,
    )
