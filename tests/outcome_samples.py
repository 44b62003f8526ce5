"""Outcome files the CLI and upload tests share: a good one and one with a bad row of each kind."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import OutcomeValue
from tests import factories

HEADER = "unit,metric,period_start,period_end,value\n"
GOOD = HEADER + (
    "OPS,weekly_active_users,2026-01-05,2026-01-11,41\n"
    "OPS,weekly_active_users,2026-01-12,2026-01-18,44.5\n"
    "RET,hours_saved,2026-01-01,2026-03-31,120\n"
)
BAD = HEADER + (
    "OPS,weekly_active_users,2026-01-05,2026-01-11,41\n"  # good
    "NOPE,weekly_active_users,2026-01-05,2026-01-11,3\n"
    "OPS,Weekly Users,2026-01-05,2026-01-11,3\n"
    "OPS,incidents,2026-02-30,2026-03-01,3\n"
    "OPS,incidents,2026-03-10,2026-03-01,3\n"
    "RET,incidents,2026-03-01,2026-03-31,lots\n"
    "OPS,weekly_active_users,2026-01-05,2026-01-11,42\n"
)
BAD_ROWS = [
    ("row 3, column 'unit'", "unknown unit 'NOPE'"),
    (
        "row 4, column 'metric'",
        "'Weekly Users' is not a metric name (lower-case letters, digits, . _ -)",
    ),
    ("row 5, column 'period_start'", "'2026-02-30' is not a date (YYYY-MM-DD)"),
    ("row 6, column 'period_end'", "the period ends before it starts"),
    ("row 7, column 'value'", "'lots' is not a number (use a dot for decimals)"),
    ("row 8", "the same unit, metric and period as row 2"),
]


def make_units(app) -> None:
    """Units OPS and RET, committed."""
    with app.app_context():
        factories.unit(db.session, "OPS")
        factories.unit(db.session, "RET")
        db.session.commit()


def stored(app) -> list[tuple]:
    """Every stored outcome value as (metric, period start, value), in that order."""
    with app.app_context():
        query = sa.select(OutcomeValue.metric, OutcomeValue.period_start, OutcomeValue.value)
        return db.session.execute(
            query.order_by(OutcomeValue.metric, OutcomeValue.period_start)
        ).all()
