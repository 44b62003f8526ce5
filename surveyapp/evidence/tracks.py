"""Per-person learning tracks beside completed measures: HR's list for a confidential
campaign, of the people who consented only, audited like every per-person export.

The people and their tracks are the literacy export's per-person table (the same consent
rule); the roster and completions are matched to them by employee id. An anonymous campaign
has no per-person results, so the request is refused before anything is read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.literacy_evidence import KIND_NAMES
from surveyapp.analytics.literacy_tracks import person_needs
from surveyapp.errors import SurveyappError
from surveyapp.evidence.inputs import gather
from surveyapp.evidence.render import pack_xlsx
from surveyapp.evidence.tables import Build, Table
from surveyapp.exports.service import LiteracyExport, literacy_table, missing_per_person
from surveyapp.models import Campaign, Person
from surveyapp.services.audit import record_export

EVIDENCE_TRACKS = "evidence.tracks"


def _people(session: Session, campaign: Campaign, instruments_dir: Path) -> list[dict]:
    """The consenting people's rows of the literacy export, as dicts by column name."""
    table = literacy_table(session, campaign, instruments_dir, LiteracyExport("xlsx", True))
    names = [column.name for column in table.columns]
    return [
        dict(zip(names, row, strict=True))
        for chunk in table.chunks
        for row in zip(*chunk, strict=True)
    ]


def tracks_table(session: Session, campaign: Campaign, instruments_dir: Path) -> Table:
    """One row per consenting person: literacy level, suggested track, the highest risk tier
    they use, measures completed, and required measures still missing."""
    if problem := missing_per_person(campaign):
        raise SurveyappError(problem)
    people = _people(session, campaign, instruments_dir)
    # as of tomorrow: a person's own track lists every completion recorded so far, today's too
    inputs = gather(session, instruments_dir, date.today() + timedelta(days=1), None)
    roster = {p.employee_id: p.id for p in session.scalars(sa.select(Person))}
    found = {p.person_id: p for p in inputs.organisation.people}
    rows = []
    for row in people:
        person = found.get(roster.get(row["employee_id"], -1))
        needs = (
            person_needs(
                person, inputs.organisation, inputs.uses, inputs.completions, inputs.requirements
            )
            if person is not None
            else None
        )
        rows.append(
            (
                row["employee_id"],
                row["unit_code"],
                row["literacy_level"],
                row["learning_track"],
                needs.tier if needs else None,
                ", ".join(needs.systems) if needs else None,
                "; ".join(needs.completed) if needs else None,
                ", ".join(KIND_NAMES[k] for k in needs.missing) if needs else "not on the roster",
            )
        )
    return Table(
        "tracks",
        f"Learning tracks and measures, {campaign.name}",
        (
            "employee_id",
            "unit",
            "literacy level",
            "suggested track",
            "risk tier used",
            "systems",
            "measures completed",
            "required measures missing",
        ),
        ("text",) * 8,
        rows,
        "Only people who consented to per-person results in this confidential campaign. "
        "Personal data: keep it to the people who plan training.",
    )


def export_tracks(session: Session, campaign: Campaign, instruments_dir: Path, actor: str) -> bytes:
    """The tracks table as XLSX bytes, with its audit event added (the caller commits)."""
    table = tracks_table(session, campaign, instruments_dir)
    now = datetime.now(UTC)
    data = pack_xlsx(Build(1, now, actor, now.date(), campaign.name), [table])
    record_export(
        session,
        actor=actor,
        action=EVIDENCE_TRACKS,
        campaign=campaign,
        detail={"format": "xlsx", "per_person": True},
        row_count=len(table.rows),
    )
    return data
