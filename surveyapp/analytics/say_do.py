"""The say-do gap: what units say in the survey against what they do (an outcome metric).

Each unit is one point: a survey construct's mean (readiness, an ADKAR element, literacy) and
an outcome metric's mean over the same period. Cutting both at a line (the median of the units
unless given) makes four quadrants; the two off the diagonal are the gaps a change manager
acts on: units that say they are ready but do not use, and units that use without being ready.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats

QUADRANTS = ("ready_and_using", "say_not_do", "do_not_say", "neither")
MIN_UNITS = 4  # a correlation's interval needs n - 3 > 0


@dataclass(frozen=True)
class Point:
    """One unit: its code, survey mean (`say`), outcome mean (`do`) and quadrant."""

    code: str
    say: float
    do: float
    quadrant: str


@dataclass(frozen=True)
class Correlation:
    """Pearson's r with its Fisher-z confidence interval, and Spearman's rho, over n units."""

    n: int
    r: float
    low: float
    high: float
    rho: float
    level: float


@dataclass(frozen=True)
class SayDo:
    """The units placed, the two cut lines, and the correlation (None below MIN_UNITS)."""

    points: tuple[Point, ...]
    say_cut: float
    do_cut: float
    correlation: Correlation | None

    def in_quadrant(self, quadrant: str) -> list[Point]:
        return [p for p in self.points if p.quadrant == quadrant]


def quadrant(say: float, do: float, say_cut: float, do_cut: float) -> str:
    """Which quadrant a unit falls in; a value on a line counts as high."""
    high_say, high_do = say >= say_cut, do >= do_cut
    if high_say and high_do:
        return "ready_and_using"
    if high_say:
        return "say_not_do"
    if high_do:
        return "do_not_say"
    return "neither"


def correlation(say: list[float], do: list[float], level: float = 0.95) -> Correlation | None:
    """Pearson's r with the Fisher z interval tanh(atanh(r) ± z/sqrt(n - 3)), and Spearman's
    rho; None with fewer than MIN_UNITS units or no spread on an axis."""
    n = len(say)
    if n < MIN_UNITS or len(set(say)) < 2 or len(set(do)) < 2:
        return None
    r = float(stats.pearsonr(say, do).statistic)
    rho = float(stats.spearmanr(say, do).statistic)
    z = float(stats.norm.ppf(0.5 + level / 2))
    centre = math.atanh(max(min(r, 0.999999), -0.999999))
    half = z / math.sqrt(n - 3)
    return Correlation(n, r, math.tanh(centre - half), math.tanh(centre + half), rho, level)


def say_do(
    say: Mapping[str, float],
    do: Mapping[str, float],
    say_cut: float | None = None,
    do_cut: float | None = None,
) -> SayDo:
    """Place every unit with both a survey and an outcome mean; cut at the medians unless the
    lines are given (e.g. 3.0, the middle of a 1-5 scale)."""
    codes = sorted(set(say) & set(do))
    if not codes:
        return SayDo((), say_cut or 0.0, do_cut or 0.0, None)
    says, dos = [say[c] for c in codes], [do[c] for c in codes]
    line_say = statistics.median(says) if say_cut is None else say_cut
    line_do = statistics.median(dos) if do_cut is None else do_cut
    points = tuple(
        Point(c, say[c], do[c], quadrant(say[c], do[c], line_say, line_do)) for c in codes
    )
    return SayDo(points, line_say, line_do, correlation(says, dos))
