"""HR's literacy results through the API: by unit (the export's rows) and per person.

By unit, the rows are the by-unit export's (`exports.service.unit_literacy_table` on the campaign's
analysis document), column for column. Per person, they are the per-person export's
(`exports.service.literacy_table`): confidential campaigns only, consenting people only,
a page at a time, and every page read is recorded in the audit trail with its row count.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from surveyapp.analytics.suppression import ORGANISATION
from surveyapp.api.access import campaign_for, int_parameter, require_role, unit_parameter
from surveyapp.api.blueprint import bp
from surveyapp.api.errors import ApiError
from surveyapp.api.read_audit import PEOPLE_READ, record_read
from surveyapp.exports.service import (
    LiteracyExport,
    literacy_table,
    missing_literacy,
    missing_per_person,
    unit_literacy_table,
)
from surveyapp.exports.table import Cell
from surveyapp.extensions import db
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services.access import EXPORT_ROLES
from surveyapp.services.analysis import campaign_analysis
from surveyapp.services.org import unit_subtree_ids

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 100_000_000


def check_literacy(campaign: Campaign) -> None:
    """Refuse (409) a campaign that does not ask the literacy instrument, as the export does."""
    if problem := missing_literacy(campaign):
        raise ApiError(409, problem, "no_literacy_results")


def check_per_person(campaign: Campaign) -> None:
    """Refuse (409) per-person results of an anonymous campaign: they do not exist."""
    if problem := missing_per_person(campaign):
        raise ApiError(
            409,
            f"{problem}; read /api/v1/campaigns/{campaign.slug}/literacy for results by unit "
            "instead",
            "per_person_unavailable",
        )


def page_of(rows: Iterable[Sequence[Cell]], offset: int, limit: int) -> tuple[list, int]:
    """Rows offset..offset+limit of a stream read once, and how many rows it had in all."""
    stream = iter(rows)
    skipped = sum(1 for _ in itertools.islice(stream, offset))
    page = list(itertools.islice(stream, limit))
    return page, skipped + len(page) + sum(1 for _ in stream)


@bp.get("/campaigns/<slug>/literacy")
def literacy_by_unit(slug: str) -> ResponseReturnValue:
    """The organisation's and every unit's literacy (or one unit's subtree), hidden units
    marked and without figures."""
    require_role(*EXPORT_ROLES)
    campaign = campaign_for(slug)
    unit = unit_parameter(campaign)
    check_literacy(campaign)
    analysis = campaign_analysis(
        db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    )
    table = unit_literacy_table(db.session, campaign, analysis)
    columns = [column.name for column in table.columns]
    kept = None
    if unit is not None:
        subtree = unit_subtree_ids(db.session, [unit.id])
        kept = set(db.session.scalars(sa.select(OrgUnit.code).where(OrgUnit.id.in_(subtree))))
    rows = [
        dict(zip(columns, row, strict=True))
        for row in table.rows
        if kept is None or row[0] == ORGANISATION or row[1] in kept
    ]
    return jsonify(
        campaign=campaign.slug,
        unit=None if unit is None else unit.code,
        min_group_size=analysis["min_group_size"],
        rows=rows,
    )


@bp.get("/campaigns/<slug>/literacy/people")
def literacy_people(slug: str) -> ResponseReturnValue:
    """A page of per-person literacy of the consenting people, by employee id; audited."""
    require_role(*EXPORT_ROLES)
    campaign = campaign_for(slug)
    unit = unit_parameter(campaign)
    limit = int_parameter("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_parameter("offset", 0, 0, MAX_OFFSET)
    check_per_person(campaign)
    check_literacy(campaign)
    code = None if unit is None else unit.code
    table = literacy_table(
        db.session,
        campaign,
        current_app.config["SURVEYAPP_INSTRUMENTS_DIR"],
        LiteracyExport("csv", per_person=True, unit=code),
    )
    page, total = page_of(table.rows, offset, limit)
    columns = [column.name for column in table.columns]
    people = [dict(zip(columns, row, strict=True)) for row in page]
    record_read(campaign, PEOPLE_READ, len(people), unit=code, limit=limit, offset=offset)
    return jsonify(
        campaign=slug,
        unit=code,
        total=total,
        limit=limit,
        offset=offset,
        people=people,
    )
