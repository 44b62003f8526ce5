"""Literacy measures: the catalogue (title, kind, topics, tiers or systems) and who completed
which measure when, imported from a learning system's CSV (CLI and admin page).

Completions are identified data (an employee id per row). They are read here only as rows
of the roster; nothing in this module touches responses or answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.literacy_evidence import Done
from surveyapp.analytics.literacy_requirements import MEASURE_KINDS, RISK_TIERS
from surveyapp.language import _, _l
from surveyapp.models import AiSystem, Function, Measure, MeasureCompletion, OrgUnit, Person
from surveyapp.services.csv_input import CsvRow, RowProblems, already_on_row, not_one_of

COMPLETION_COLUMNS = ("employee_id", "measure", "kind", "completed_on")
CATALOGUE_COLUMNS = ("title", "kind", "topics", "tiers", "systems")
MAX_TITLE = 200
LIST_SEPARATOR = ";"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CompletionSummary:
    """Completions added, completions already stored, and measures new to the catalogue."""

    added: int
    unchanged: int
    new_measures: int

    def __str__(self) -> str:
        return _(
            "%(added)s completions added, %(unchanged)s already recorded, %(new)s new measures "
            "in the catalogue",
            added=self.added,
            unchanged=self.unchanged,
            new=self.new_measures,
        )


@dataclass(frozen=True)
class CatalogueSummary:
    """Measures created and updated by a catalogue import."""

    created: int
    updated: int

    def __str__(self) -> str:
        return _(
            "%(created)s measures created, %(updated)s updated",
            created=self.created,
            updated=self.updated,
        )


def _day(row: CsvRow, problems: RowProblems, today: date) -> date | None:
    """The row's completion day, or None after adding what is wrong with it."""
    text = row.values["completed_on"]
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        problems.add(row, "completed_on", _l("%(text)r is not a date YYYY-MM-DD", text=text))
        return None
    if day > today:
        problems.add(row, "completed_on", _l("%(text)s is in the future", text=text))
        return None
    return day


def import_completions(
    session: Session, rows: list[CsvRow], source: str, today: date | None = None
) -> CompletionSummary:
    """Add the file's completions (a measure not yet in the catalogue joins it with the row's
    kind), recorded on `today`; every bad row is reported and nothing changes."""
    today = today or date.today()
    problems = RowProblems(source)
    people = dict(session.execute(sa.select(Person.employee_id, Person.id)).all())
    measures = {m.title: m for m in session.scalars(sa.select(Measure))}
    kinds: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str, date], int] = {}
    valid: list[tuple[int, str, str, date]] = []
    for row in rows:
        values = row.values
        before = len(problems.problems)
        if values["employee_id"] not in people:
            problems.add(
                row,
                "employee_id",
                _l("%(employee_id)r is not on the roster", employee_id=values["employee_id"]),
            )
        title, kind = values["measure"], values["kind"]
        if not title or len(title) > MAX_TITLE:
            problems.add(
                row, "measure", _l("a measure title of 1 to %(max)s characters", max=MAX_TITLE)
            )
        if kind not in MEASURE_KINDS:
            problems.add(row, "kind", not_one_of(kind, MEASURE_KINDS))
        elif title in measures and measures[title].kind != kind:
            problems.add(
                row,
                "kind",
                _l(
                    "measure %(title)r is a %(kind)s in the catalogue",
                    title=title,
                    kind=measures[title].kind,
                ),
            )
        elif title in kinds and kinds[title][0] != kind:
            earlier, line = kinds[title]
            problems.add(
                row,
                "kind",
                _l(
                    "measure %(title)r is a %(kind)s on row %(line)s",
                    title=title,
                    kind=earlier,
                    line=line,
                ),
            )
        if kind in MEASURE_KINDS:
            kinds.setdefault(title, (kind, row.line))
        day = _day(row, problems, today)
        if day is not None:
            key = (values["employee_id"], title, day)
            if key in seen:
                reason = _l("the same completion is already on row %(line)s", line=seen[key])
                problems.add(row, None, reason)
            seen.setdefault(key, row.line)
        if len(problems.problems) == before and day is not None:
            valid.append((people[values["employee_id"]], title, kind, day))
    problems.raise_if_any()

    new = [Measure(title=t, kind=kinds[t][0]) for t in kinds if t not in measures]
    session.add_all(new)
    session.flush()
    ids = dict(session.execute(sa.select(Measure.title, Measure.id)).all())
    stored = {
        (person, measure, day)
        for person, measure, day in session.execute(
            sa.select(
                MeasureCompletion.person_id,
                MeasureCompletion.measure_id,
                MeasureCompletion.completed_on,
            )
        )
    }
    fresh = [
        (person, ids[title], day)
        for person, title, _, day in valid
        if (person, ids[title], day) not in stored
    ]
    session.add_all(
        MeasureCompletion(person_id=person, measure_id=measure, completed_on=day, recorded_on=today)
        for person, measure, day in fresh
    )
    session.flush()
    return CompletionSummary(len(fresh), len(valid) - len(fresh), len(new))


def _items(text: str) -> list[str]:
    """A `;`-separated cell as its non-empty parts."""
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def import_catalogue(session: Session, rows: list[CsvRow], source: str) -> CatalogueSummary:
    """Create or update measures by title (`topics`, `tiers` and `systems` are `;`-separated
    lists; no tier and no system means the measure serves every tier)."""
    problems = RowProblems(source)
    systems = set(session.scalars(sa.select(AiSystem.name)))
    first: dict[str, int] = {}
    for row in rows:
        values = row.values
        title = values["title"]
        if not title or len(title) > MAX_TITLE:
            reason = _l("a title of 1 to %(max)s characters is required", max=MAX_TITLE)
            problems.add(row, "title", reason)
        elif title in first:
            problems.add(row, "title", already_on_row(title, first[title]))
        first.setdefault(title, row.line)
        if values["kind"] not in MEASURE_KINDS:
            problems.add(row, "kind", not_one_of(values["kind"], MEASURE_KINDS))
        for tier in _items(values["tiers"]):
            if tier not in RISK_TIERS:
                problems.add(row, "tiers", not_one_of(tier, RISK_TIERS))
        for system in _items(values["systems"]):
            if system not in systems:
                reason = _l("%(system)r is not in the AI systems inventory", system=system)
                problems.add(row, "systems", reason)
    problems.raise_if_any()

    measures = {m.title: m for m in session.scalars(sa.select(Measure))}
    created = updated = 0
    for row in rows:
        values = row.values
        measure = measures.get(values["title"])
        if measure is None:
            measure = Measure(title=values["title"])
            session.add(measure)
            created += 1
        else:
            updated += 1
        measure.kind = values["kind"]
        measure.topics = _items(values["topics"])
        measure.tiers = _items(values["tiers"])
        measure.systems = _items(values["systems"])
    session.flush()
    return CatalogueSummary(created, updated)


@dataclass(frozen=True)
class CatalogueEntry:
    """A measure of the catalogue with how many completions are recorded for it."""

    measure: Measure
    completions: int


def catalogue(session: Session) -> list[CatalogueEntry]:
    """Every measure by title, with its number of recorded completions."""
    counts = dict(
        session.execute(
            sa.select(MeasureCompletion.measure_id, sa.func.count()).group_by(
                MeasureCompletion.measure_id
            )
        ).all()
    )
    return [
        CatalogueEntry(measure, counts.get(measure.id, 0))
        for measure in session.scalars(sa.select(Measure).order_by(Measure.title))
    ]


def counts_from(completed_on: date, recorded_on: date) -> date:
    """The first day a completion counts: its completion day, but never before the day after
    it was recorded. A day's figures then rest only on rows recorded before it began, so a
    pack rebuilt for a day (that day or later) shows the figures it showed, and a back-dated
    import counts from the day after the import."""
    return max(completed_on, recorded_on + timedelta(days=1))


def completions(session: Session, as_of: date) -> list[Done]:
    """Every completion that counts by `as_of` (`counts_from`), with the day it counts from.
    Only the roster id comes along: people's units come from `roster_people`, never from a
    response."""
    rows = session.execute(
        sa.select(
            MeasureCompletion.person_id,
            Measure.title,
            Measure.kind,
            Measure.tiers,
            Measure.systems,
            MeasureCompletion.completed_on,
            MeasureCompletion.recorded_on,
        )
        .join(Measure, MeasureCompletion.measure_id == Measure.id)
        .where(MeasureCompletion.completed_on <= as_of, MeasureCompletion.recorded_on < as_of)
        .order_by(MeasureCompletion.id)
    )
    return [
        Done(person, title, kind, tuple(tiers or ()), tuple(systems or ()), counts_from(day, on))
        for person, title, kind, tiers, systems, day, on in rows
    ]


def roster_rows(session: Session) -> list[tuple[int, str, str, str]]:
    """Every person on the roster as (roster id, unit code, function code, level): where
    people sit, read from the roster alone."""
    return [
        tuple(row)
        for row in session.execute(
            sa.select(Person.id, OrgUnit.code, Function.code, Person.level)
            .join(OrgUnit, Person.unit_id == OrgUnit.id)
            .join(Function, Person.function_id == Function.id)
            .order_by(Person.id)
        )
    ]
