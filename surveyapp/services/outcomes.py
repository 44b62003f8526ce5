"""Outcome metrics per unit and period (weekly active users, hours saved, incidents ...),
imported from CSV by the CLI and the admin upload alike, and read back as series.

A metric is a unit's figure for a period, never a person's: the file has no column that could
name one. A file is taken whole or not at all; every bad row is named with its column.
"""

from __future__ import annotations

import math
import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.language import _l
from surveyapp.models import OrgUnit, OutcomeValue
from surveyapp.models.actions import METRIC_PATTERN
from surveyapp.services.csv_input import CsvRow, RowProblems
from surveyapp.services.org import ImportSummary

OUTCOME_COLUMNS = ("unit", "metric", "period_start", "period_end", "value")
MAX_ABS_VALUE = 1e12


def _day(row: CsvRow, column: str, problems: RowProblems) -> date | None:
    """The ISO date in `column`, or None with the problem noted."""
    text = row.values[column]
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        pass
    problems.add(row, column, _l("%(text)r is not a date (YYYY-MM-DD)", text=text))
    return None


def _value(row: CsvRow, problems: RowProblems) -> float | None:
    """The number in `value`, or None with the problem noted."""
    text = row.values["value"]
    try:
        number = float(text) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else None
    except ValueError:
        number = None
    if number is None or not math.isfinite(number) or abs(number) > MAX_ABS_VALUE:
        reason = _l("%(text)r is not a number (use a dot for decimals)", text=text)
        problems.add(row, "value", reason)
        return None
    return number


def import_outcomes(session: Session, rows: list[CsvRow], source: str) -> ImportSummary:
    """Create or replace outcome values from `unit,metric,period_start,period_end,value` rows,
    keyed by unit, metric and period; all rows or none."""
    problems = RowProblems(source)
    units = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    first_row: dict[tuple, int] = {}
    parsed: list[tuple[int, str, date, date, float]] = []
    for row in rows:
        before = len(problems.problems)
        code, metric = row.values["unit"], row.values["metric"]
        if code not in units:
            problems.add(row, "unit", _l("unknown unit %(code)r", code=code))
        if not re.fullmatch(METRIC_PATTERN, metric):
            reason = _l(
                "%(metric)r is not a metric name (lower-case letters, digits, . _ -)", metric=metric
            )
            problems.add(row, "metric", reason)
        start = _day(row, "period_start", problems)
        end = _day(row, "period_end", problems)
        value = _value(row, problems)
        if start and end and end < start:
            problems.add(row, "period_end", _l("the period ends before it starts"))
        key = (code, metric, start, end)
        if len(problems.problems) == before and key in first_row:
            reason = _l("the same unit, metric and period as row %(line)s", line=first_row[key])
            problems.add(row, None, reason)
        first_row.setdefault(key, row.line)
        if len(problems.problems) == before:
            parsed.append((units[code], metric, start, end, value))  # type: ignore[arg-type]
    problems.raise_if_any()

    existing = {
        (v.unit_id, v.metric, v.period_start, v.period_end): v
        for v in session.scalars(
            sa.select(OutcomeValue).where(
                OutcomeValue.metric.in_(sorted({metric for _, metric, *_ in parsed}))
            )
        )
    }
    created = updated = unchanged = 0
    for unit_id, metric, start, end, value in parsed:
        found = existing.get((unit_id, metric, start, end))
        if found is None:
            session.add(
                OutcomeValue(
                    unit_id=unit_id, metric=metric, period_start=start, period_end=end, value=value
                )
            )
            created += 1
        elif found.value != value:
            found.value = value
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportSummary(created, updated, unchanged)


def metric_names(session: Session) -> list[str]:
    """Every metric that has values, alphabetically."""
    return list(
        session.scalars(sa.select(OutcomeValue.metric).distinct().order_by(OutcomeValue.metric))
    )


def metric_means(
    session: Session, metric: str, start: date, end: date, unit_ids: set[int] | None = None
) -> dict[str, float]:
    """Each unit's mean value of `metric` over the periods lying within [start, end], by
    unit code; units with no such period are left out."""
    query = (
        sa.select(OrgUnit.code, sa.func.avg(OutcomeValue.value))
        .join(OrgUnit, OrgUnit.id == OutcomeValue.unit_id)
        .where(
            OutcomeValue.metric == metric,
            OutcomeValue.period_start >= start,
            OutcomeValue.period_end <= end,
        )
        .group_by(OrgUnit.code)
    )
    if unit_ids is not None:
        query = query.where(OutcomeValue.unit_id.in_(sorted(unit_ids)))
    return {code: float(mean) for code, mean in session.execute(query)}


def value_count(session: Session) -> int:
    """How many outcome values are stored (for the upload page)."""
    return session.scalar(sa.select(sa.func.count()).select_from(OutcomeValue)) or 0
