"""Geometry of the brief's charts: numbers and labels in, shapes for the SVG templates out.

The templates draw the shapes (so every label passes through the autoescaping environment);
this module only decides where things go and what colour they take.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.briefs.meta import mean_text

LABEL_WIDTH = 250.0
CHART_WIDTH = 600.0  # user units; pages draw charts full width, so 10-unit text stays readable
VALUE_WIDTH = 48.0
ROW_HEIGHT = 24.0
BAR_HEIGHT = 14.0
AXIS_HEIGHT = 20.0
INK = "#1d3557"
ACCENT = "#c8553d"
MUTED = "#8d99ae"


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
    """A horizontal bar chart laid out in SVG user units."""

    title: str
    description: str
    rows: list[dict]
    ticks: list[dict]
    width: float
    height: float
    plot_left: float
    plot_width: float
    threshold: dict | None = None


def bar_chart(
    title: str,
    description: str,
    bars: list[Bar],
    domain: tuple[float, float],
    ticks: list[float],
    tick_format: str = "{:g}",
    threshold: float | None = None,
    width: float = CHART_WIDTH,
) -> BarChart:
    """Rows of bars on a common axis; `threshold` draws a dashed rule (e.g. 3.0 for ADKAR)."""
    low, high = domain
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH

    def x(value: float) -> float:
        clipped = min(max(value, low), high)
        return LABEL_WIDTH + (clipped - low) / (high - low) * plot_width

    rows = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        rows.append(
            {
                "label": bar.label,
                "text": bar.text,
                "label_y": index * ROW_HEIGHT + ROW_HEIGHT / 2 + 4,
                "bar_y": top,
                "bar_width": None if bar.value is None else x(bar.value) - LABEL_WIDTH,
                "colour": ACCENT if bar.highlight else INK,
                "marker_x": None if bar.reference is None else x(bar.reference),
                "marker_y": top - 3,
            }
        )
    plot_height = len(bars) * ROW_HEIGHT
    return BarChart(
        title=title,
        description=description,
        rows=rows,
        ticks=[{"x": x(t), "text": tick_format.format(t)} for t in ticks],
        width=width,
        height=plot_height + AXIS_HEIGHT,
        plot_left=LABEL_WIDTH,
        plot_width=plot_width,
        threshold=None if threshold is None else {"x": x(threshold), "bottom": plot_height},
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


LEVEL_COLOURS = ("#e9c46a", "#a8c5da", "#457b9d", "#1d3557")
LEVEL_TEXT = ("#1d3557", "#1d3557", "#ffffff", "#ffffff")


def stacked_bars(
    title: str,
    description: str,
    rows: list[tuple[str, list[float]]],
    names: list[str],
    width: float = CHART_WIDTH,
) -> StackedBars:
    """Each row's shares (summing to about 1) as consecutive segments, labelled when wide enough."""
    plot_width = width - 120.0
    laid_out = []
    for index, (label, shares) in enumerate(rows):
        left, segments = 120.0, []
        for position, share in enumerate(shares):
            segment_width = share * plot_width
            segments.append(
                {
                    "x": left,
                    "width": segment_width,
                    "colour": LEVEL_COLOURS[position % len(LEVEL_COLOURS)],
                    "text_colour": LEVEL_TEXT[position % len(LEVEL_TEXT)],
                    "text": f"{share * 100:.0f}%" if segment_width >= 28 else "",
                }
            )
            left += segment_width
        laid_out.append({"label": label, "y": index * 28.0, "segments": segments})
    legend = [
        {"x": 120.0 + i * 110.0, "colour": LEVEL_COLOURS[i % len(LEVEL_COLOURS)], "text": name}
        for i, name in enumerate(names)
    ]
    return StackedBars(title, description, laid_out, legend, width, len(rows) * 28.0 + 26.0)


@dataclass
class Heatmap:
    """Function-by-construct means as coloured cells, with each row's gap (Cohen's d)."""

    title: str
    description: str
    columns: list[dict]
    rows: list[dict]
    width: float
    height: float
    header: float
    cell_width: float
    row_height: float
    gap_x: float
    label_end: float


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
    laid_columns = [
        {"x": label_width + (i + 0.5) * cell_width, "text": name} for i, name in enumerate(columns)
    ]
    laid_rows = []
    for index, (label, means, gap, flagged) in enumerate(rows):
        y = header + index * row_height
        cells = []
        for position, mean in enumerate(means):
            fill, ink = _cell_colour(mean) if mean is not None else ("#ffffff", MUTED)
            cells.append(
                {
                    "x": label_width + position * cell_width,
                    "fill": fill,
                    "ink": ink,
                    "text": "" if mean is None else mean_text(mean),
                }
            )
        laid_rows.append({"y": y, "label": label, "cells": cells, "gap": gap, "flagged": flagged})
    return Heatmap(
        title=title,
        description=description,
        columns=laid_columns,
        rows=laid_rows,
        width=width,
        height=header + len(rows) * row_height,
        header=header,
        cell_width=cell_width,
        row_height=row_height,
        gap_x=width - gap_width + 6,
        label_end=label_width - 6,
    )
