"""Storing submitted responses, one by one from the survey or in bulk from a CSV import."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.language import _l
from surveyapp.models import LEVELS, Answer, Campaign, Function, OrgUnit, Person, Response
from surveyapp.models.org import LOCALE_PATTERN
from surveyapp.services.csv_input import (
    CsvRow,
    RowProblems,
    already_on_row,
    not_a_locale,
    not_one_of,
    unknown_unit_code,
)
from surveyapp.services.layout import AnswerValue, CampaignLayout, campaign_layout
from surveyapp.services.org import unit_subtree_ids
from surveyapp.services.visits import CampaignRow

RESPONDENT_FIELDS = ("unit", "function", "level")
CONFIDENTIAL_FIELDS = ("employee_id", "consent")
BOOLEAN_TEXT = {"true": True, "false": False, "": False}
# Core inserts on the tables, built once: the rows are complete, the ORM's bulk path adds nothing.
INSERT_RESPONSES = Response.__table__.insert()
INSERT_ANSWERS = Answer.__table__.insert()
SUBMISSIONS_PER_STATEMENT = 1000  # bounds what one statement of a bulk import carries


# PostgreSQL: any number of responses and their answers in one statement, each table's rows
# passed as one JSON array (one parameter, not one per column or per row), so a submission
# costs the worker and the server one round trip. The tables' own row types map the keys.
INSERT_FROM_JSON = sa.text(
    "WITH stored AS (INSERT INTO responses"
    " SELECT * FROM json_populate_recordset(NULL::responses, CAST(:responses AS json)))"
    " INSERT INTO answers"
    " SELECT * FROM json_populate_recordset(NULL::answers, CAST(:answers AS json))"
)


@dataclass
class Submission:
    """One respondent's answers and the groups they are reported in."""

    unit_id: int
    function_id: int
    level: str
    locale: str
    answers: dict[str, AnswerValue]
    person_id: int | None = None
    invitation_id: int | None = None
    consent: bool = False
    submitted_on: date = field(default_factory=date.today)


def record_responses(
    session: Session,
    campaign: Campaign | CampaignRow,
    layout: CampaignLayout,
    submissions: list[Submission],
) -> list[uuid.UUID]:
    """Insert responses with their answer rows and vectors in the caller's transaction.

    Anonymous campaigns never store the person or invitation (privacy rule 2), whatever the
    caller passes. A bulk import goes in chunks, so no more than one chunk's rows (or, on
    PostgreSQL, their JSON text) are held at a time.
    """
    stored: list[uuid.UUID] = []
    postgresql = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(submissions), SUBMISSIONS_PER_STATEMENT):
        chunk = submissions[start : start + SUBMISSIONS_PER_STATEMENT]
        response_rows, answer_rows = _rows(campaign, layout, chunk)
        if postgresql:
            rows = {"responses": _as_json(response_rows), "answers": _as_json(answer_rows)}
            session.execute(INSERT_FROM_JSON, rows)
        else:
            session.execute(INSERT_RESPONSES, response_rows)
            if answer_rows:
                session.execute(INSERT_ANSWERS, answer_rows)
        stored += [row["id"] for row in response_rows]
    return stored


def _rows(
    campaign: Campaign | CampaignRow, layout: CampaignLayout, submissions: list[Submission]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `responses` and `answers` rows of `submissions`, each response under a new UUID."""
    anonymous = campaign.privacy_mode == "anonymous"
    by_column = layout.by_column
    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    for submission in submissions:
        response_id = uuid.uuid4()
        response_rows.append(
            {
                "id": response_id,
                "campaign_id": campaign.id,
                "invitation_id": None if anonymous else submission.invitation_id,
                "person_id": None if anonymous else submission.person_id,
                "consent": False if anonymous else submission.consent,
                "unit_id": submission.unit_id,
                "function_id": submission.function_id,
                "level": submission.level,
                "locale": submission.locale,
                "submitted_on": submission.submitted_on,
                "answer_vector": layout.pack(submission.answers),
            }
        )
        answer_rows += [
            {"response_id": response_id, "item_id": by_column[column].item.id}
            | by_column[column].stored(value)
            for column, value in submission.answers.items()
        ]
    return response_rows, answer_rows


def _as_json(rows: list[dict[str, Any]]) -> str:
    """Rows as a JSON array in the text forms PostgreSQL reads back into their columns."""
    return json.dumps(rows, default=_json_value, separators=(",", ":"))


def _json_value(value: Any) -> str:
    if isinstance(value, bytes):
        return "\\x" + value.hex()  # bytea's hex input form
    if isinstance(value, (uuid.UUID, date)):
        return str(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


def response_columns(campaign: Campaign) -> tuple[list[str], list[str]]:
    """The required and optional columns of a response import file for this campaign."""
    optional = ["locale"]
    if campaign.privacy_mode == "confidential":
        optional += list(CONFIDENTIAL_FIELDS)
    return list(RESPONDENT_FIELDS), optional + [
        q.column for q in campaign_layout(campaign).questions
    ]


def import_responses(session: Session, campaign: Campaign, rows: list[CsvRow], source: str) -> int:
    """Validate every row of a response file, then store them all or none."""
    layout = campaign_layout(campaign)
    problems = RowProblems(source)
    in_scope = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    units = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(session.execute(sa.select(Function.code, Function.id)).all())
    people = dict(session.execute(sa.select(Person.employee_id, Person.id)).all())
    answered = set(
        session.scalars(
            sa.select(Response.person_id).where(
                Response.campaign_id == campaign.id, Response.person_id.is_not(None)
            )
        )
    )
    seen_people: dict[str, int] = {}
    submissions: list[Submission] = []
    for row in rows:
        values = row.values
        before = len(problems.problems)
        unit_id = units.get(values["unit"])
        if unit_id is None:
            problems.add(row, "unit", unknown_unit_code(values["unit"]))
        elif unit_id not in in_scope:
            reason = _l("unit %(code)r is not a target of this campaign", code=values["unit"])
            problems.add(row, "unit", reason)
        if values["function"] not in functions:
            problems.add(row, "function", _l("unknown function %(code)r", code=values["function"]))
        if values["level"] not in LEVELS:
            problems.add(row, "level", not_one_of(values["level"], LEVELS))
        locale = values.get("locale") or "en"
        if not re.match(LOCALE_PATTERN, locale):
            problems.add(row, "locale", not_a_locale(locale))
        person_id = None
        employee_id = values.get("employee_id", "")
        if employee_id:
            person_id = people.get(employee_id)
            if person_id is None:
                reason = _l("no one with employee id %(employee_id)r", employee_id=employee_id)
                problems.add(row, "employee_id", reason)
            elif person_id in answered:
                reason = _l("%(employee_id)r has already responded", employee_id=employee_id)
                problems.add(row, "employee_id", reason)
            elif employee_id in seen_people:
                reason = already_on_row(employee_id, seen_people[employee_id])
                problems.add(row, "employee_id", reason)
            seen_people.setdefault(employee_id, row.line)
        consent_text = values.get("consent", "").lower()
        if consent_text not in BOOLEAN_TEXT:
            reason = _l("%(consent)r is not true or false", consent=values["consent"])
            problems.add(row, "consent", reason)
        elif BOOLEAN_TEXT[consent_text] and not employee_id:
            problems.add(row, "consent", _l("consent needs the employee_id of who gave it"))
        answers: dict[str, AnswerValue] = {}
        for question in layout.questions:
            raw = values.get(question.column, "")
            if raw and values["level"] in LEVELS and not question.asked_of(values["level"]):
                reason = _l("not asked of %(level)s respondents", level=values["level"])
                problems.add(row, question.column, reason)
            elif raw:
                try:
                    answers[question.column] = question.parse(raw)
                except ValueError as error:
                    problems.add(row, question.column, str(error))
        if len(problems.problems) == before:
            submissions.append(
                Submission(
                    unit_id=unit_id,
                    function_id=functions[values["function"]],
                    level=values["level"],
                    locale=locale,
                    answers=answers,
                    person_id=person_id,
                    consent=BOOLEAN_TEXT[consent_text],
                )
            )
    problems.raise_if_any()
    record_responses(session, campaign, layout, submissions)
    return len(submissions)
