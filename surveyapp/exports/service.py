"""The literacy export as one service call that the CLI (and later the staff area) make."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.consent import small_remainders, withhold
from surveyapp.analytics.scoring import LITERACY_INSTRUMENT, respondent_scores
from surveyapp.errors import SurveyappError
from surveyapp.exports.literacy import consenting_people, person_table, unit_table
from surveyapp.exports.table import ExportTable
from surveyapp.exports.writers import FORMATS, write_file
from surveyapp.models import Campaign, OrgUnit, Response
from surveyapp.services.analysis import analyze_campaign
from surveyapp.services.audit import LITERACY_EXPORT, record_export
from surveyapp.services.datasets import load_campaign_data
from surveyapp.services.org import unit_subtree_ids
from surveyapp.services.unit_snapshots import reporting_tree


@dataclass(frozen=True)
class LiteracyExport:
    """What was asked: the format, by person or by unit, one unit's subtree, a BOM for Excel."""

    fmt: str
    per_person: bool = False
    unit: str | None = None
    bom: bool = False

    def check(self) -> None:
        """Refuse options that make no sense together."""
        if self.fmt not in FORMATS:
            raise SurveyappError(f"--format: {self.fmt!r} is not one of {', '.join(FORMATS)}")
        if self.bom and self.fmt != "csv":
            raise SurveyappError("--bom: a byte-order mark applies to CSV files only")


def missing_literacy(campaign: Campaign) -> str | None:
    """Why the campaign has no literacy results, or None when it asks the literacy instrument."""
    asked = {entry.instrument_version.instrument.slug for entry in campaign.instruments}
    if LITERACY_INSTRUMENT in asked:
        return None
    return (
        f"campaign {campaign.slug} does not ask the {LITERACY_INSTRUMENT} instrument: "
        "it has no literacy results"
    )


def missing_per_person(campaign: Campaign) -> str | None:
    """Why the campaign has no per-person results, or None for a confidential campaign."""
    if campaign.privacy_mode == "confidential":
        return None
    return (
        f"campaign {campaign.slug} is {campaign.privacy_mode}: per-person results do not "
        "exist (they exist only in confidential campaigns, for people who consented)"
    )


def _check_campaign(campaign: Campaign, request: LiteracyExport) -> None:
    if problem := missing_literacy(campaign):
        raise SurveyappError(problem)
    if request.per_person and (problem := missing_per_person(campaign)):
        raise SurveyappError(f"{problem}; export by unit instead, without --per-person")


def _unit_codes(session: Session, unit: str) -> set[str]:
    """The codes of `unit` and every unit below it, or an error naming the unknown code."""
    unit_id = session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == unit))
    if unit_id is None:
        raise SurveyappError(f"--unit: unknown unit code {unit!r}")
    ids = unit_subtree_ids(session, [unit_id])
    return set(session.scalars(sa.select(OrgUnit.code).where(OrgUnit.id.in_(ids))))


def for_person_readers(session: Session, campaign: Campaign, document: dict) -> dict:
    """The analysis as readers of per-person rows (admin, hr) may see it by unit.

    In a confidential campaign they can subtract the consenting people's rows from a group's
    figure, so groups whose non-consenting remainder is under k are withheld
    (`analytics.consent`); other campaigns have no per-person rows.
    """
    if missing_per_person(campaign) is not None:
        return document
    data = load_campaign_data(session, campaign)
    return withhold(
        document, small_remainders(data.respondents, data.unit_parents, data.min_group_size)
    )


def unit_literacy_table(session: Session, campaign: Campaign, document: dict) -> ExportTable:
    """The by-unit table of the analysis as export readers may see it, with each unit's
    name, parent and depth in the campaign's reporting tree."""
    parents = reporting_tree(session, campaign).parents
    shown = for_person_readers(session, campaign, document)
    return unit_table(shown, _unit_names(session), parents, campaign.name)


def literacy_table(
    session: Session, campaign: Campaign, instruments_dir: Path, request: LiteracyExport
) -> ExportTable:
    """The export's table, after refusing what the campaign's privacy mode does not allow."""
    request.check()
    _check_campaign(campaign, request)
    if not request.per_person:
        document = analyze_campaign(session, campaign, instruments_dir, request.unit)
        return unit_literacy_table(session, campaign, document)
    units = _unit_codes(session, request.unit) if request.unit is not None else None
    data = load_campaign_data(session, campaign)
    respondents = data.respondents
    if units is not None:
        respondents = respondents[respondents["unit"].isin(units)]
    days = {
        str(response_id): day.isoformat()
        for response_id, day in session.execute(
            sa.select(Response.id, Response.submitted_on).where(
                Response.campaign_id == campaign.id, Response.person_id.is_not(None)
            )
        )
    }
    people = consenting_people(
        respondents, respondent_scores(data), campaign.name, _unit_names(session), days
    )
    return person_table(campaign.name, people)


def _unit_names(session: Session) -> dict[str, str]:
    """Every unit's name by code."""
    return dict(session.execute(sa.select(OrgUnit.code, OrgUnit.name)).all())


def export_literacy(
    session: Session,
    campaign: Campaign,
    instruments_dir: Path,
    request: LiteracyExport,
    path: Path,
    actor: str,
) -> int:
    """Write the literacy export to `path` and add its audit event; the number of rows.

    Nothing else is written to the database: the caller commits the event, and only then
    moves the file into place (see `written_into_place`).
    """
    table = literacy_table(session, campaign, instruments_dir, request)
    rows = write_file(table, request.fmt, path, request.bom)
    detail = {"format": request.fmt, "per_person": request.per_person, "unit": request.unit}
    record_export(
        session,
        actor=actor,
        action=LITERACY_EXPORT,
        campaign=campaign,
        detail=detail,
        row_count=rows,
    )
    return rows
