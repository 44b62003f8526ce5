"""Geometry of a scatter of units (what they say against what they do), for the SVG template.

As in charts.py, this module places things; the template draws them, so every unit name passes
through the autoescaping environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.briefs.charts import ACCENT, INK, MUTED
from surveyapp.briefs.meta import figure_text, mean_text

WIDTH = 600.0
HEIGHT = 380.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 16.0, 16.0, 40.0
TICKS = 5
QUADRANT_COLOURS = {
    "ready_and_using": "#2a7d6f",
    "say_not_do": ACCENT,
    "do_not_say": "#b5838d",
    "neither": MUTED,
}


CHAR_WIDTH = 5.6  # about the width of a 10-unit character, to keep labels apart
LINE = 11.0
CORNERS = (  # where each quadrant's name is written: (quadrant, left?, top?)
    ("ready_and_using", False, True),
    ("say_not_do", False, False),
    ("do_not_say", True, True),
    ("neither", True, False),
)


@dataclass(frozen=True)
class Dot:
    """One unit as drawn: its label, the point, where its label goes, its quadrant's colour."""

    label: str
    x: float
    y: float
    colour: str
    label_anchor: str
    label_x: float
    label_y: float


def _placed(dots: list[tuple[str, float, float, str]]) -> list[Dot]:
    """Dots with labels beside them, each label moved down a line while it would overlap one
    already placed (units close together otherwise print over each other)."""
    placed: list[Dot] = []
    boxes: list[tuple[float, float, float]] = []  # left, right, baseline
    for label, x, y, colour in sorted(dots, key=lambda d: (d[2], d[1])):
        anchor = "end" if x > WIDTH * 0.7 else "start"
        width = len(label) * CHAR_WIDTH
        left = x - 8 - width if anchor == "end" else x + 8
        baseline = y + 3
        while any(
            abs(baseline - low) < LINE and left < high and start < left + width
            for start, high, low in boxes
        ):
            baseline += LINE
        boxes.append((left, left + width, baseline))
        placed.append(
            Dot(label, x, y, colour, anchor, x - 8 if anchor == "end" else x + 8, baseline)
        )
    return placed


@dataclass(frozen=True)
class Scatter:
    """A scatter laid out in SVG user units, with the two cut lines and the axis ticks."""

    title: str
    description: str
    x_label: str
    y_label: str
    dots: list[Dot]
    x_ticks: list[dict]
    y_ticks: list[dict]
    cut_x: float
    cut_y: float
    corners: list[dict]
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM
    right: float = WIDTH - RIGHT
    ink: str = INK


def _domain(values: list[float], cut: float) -> tuple[float, float]:
    """A range that holds every value and the cut line, padded by a tenth on each side."""
    low, high = min([*values, cut]), max([*values, cut])
    pad = (high - low) / 10 or 1.0
    return low - pad, high + pad


def scatter(
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    points: list[tuple[str, float, float, str]],
    cut_x: float,
    cut_y: float,
    corner_names: dict[str, str],
) -> Scatter:
    """Points (label, x, y, quadrant) placed on axes that hold them and both cut lines, with
    each quadrant's name in its corner."""
    x_low, x_high = _domain([p[1] for p in points], cut_x)
    y_low, y_high = _domain([p[2] for p in points], cut_y)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(value: float) -> float:
        return round(LEFT + (value - x_low) / (x_high - x_low) * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + (y_high - value) / (y_high - y_low) * plot_h, 1)

    dots = _placed([(label, x(sx), y(sy), QUADRANT_COLOURS[q]) for label, sx, sy, q in points])
    corners = [
        {
            "text": corner_names[q],
            "x": LEFT + 4 if left else WIDTH - RIGHT - 4,
            "y": TOP + 10 if top else HEIGHT - BOTTOM - 4,
            "anchor": "start" if left else "end",
            "colour": QUADRANT_COLOURS[q],
        }
        for q, left, top in CORNERS
    ]
    steps = [i / (TICKS - 1) for i in range(TICKS)]
    x_ticks = [
        {"x": x(x_low + s * (x_high - x_low)), "text": mean_text(x_low + s * (x_high - x_low))}
        for s in steps
    ]
    y_ticks = [
        {"y": y(y_low + s * (y_high - y_low)), "text": figure_text(y_low + s * (y_high - y_low))}
        for s in steps
    ]
    return Scatter(
        title, description, x_label, y_label, dots, x_ticks, y_ticks, x(cut_x), y(cut_y), corners
    )
