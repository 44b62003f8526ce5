"""The organisation's units and roster, imported from CSV (the CLI and admin pages share this)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import InputError, Problem
from surveyapp.language import _, _l
from surveyapp.models import LEVELS, Function, OrgUnit, Person
from surveyapp.models.org import CODE_PATTERN, LOCALE_PATTERN
from surveyapp.services.csv_input import (
    CsvRow,
    RowProblems,
    already_on_row,
    not_a_locale,
    not_one_of,
    unknown_function,
    unknown_unit_code,
)

UNIT_COLUMNS = ("code", "name", "parent_code")
ROSTER_COLUMNS = ("employee_id", "email", "unit", "function", "level", "locale")
EMPLOYEE_ID_PATTERN = r"^[\w.@-]{1,64}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class ImportSummary:
    """How many rows created new records and how many changed existing ones."""

    created: int
    updated: int
    unchanged: int = 0

    def __str__(self) -> str:
        return _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged",
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def _parent_cycles(parents: dict[str, str | None], codes: list[str]) -> set[str]:
    """Codes among `codes` whose chain of parents comes back to itself."""
    looping: set[str] = set()
    for code in codes:
        seen = {code}
        parent = parents.get(code)
        while parent is not None:
            if parent in seen:
                looping.add(code)
                break
            seen.add(parent)
            parent = parents.get(parent)
    return looping


def import_units(session: Session, rows: list[CsvRow], source: str) -> ImportSummary:
    """Create or update units by code from `code,name,parent_code` rows; all or nothing."""
    problems = RowProblems(source)
    existing = {unit.code: unit for unit in session.scalars(sa.select(OrgUnit))}
    parents: dict[str, str | None] = {
        unit.code: unit.parent.code if unit.parent else None for unit in existing.values()
    }
    first_row: dict[str, int] = {}
    valid_rows: list[CsvRow] = []
    for row in rows:
        code, name, parent = row.values["code"], row.values["name"], row.values["parent_code"]
        before = len(problems.problems)
        if not re.match(CODE_PATTERN, code):
            reason = _l("%(code)r is not a unit code (letters, digits, . _ -; up to 40)", code=code)
            problems.add(row, "code", reason)
        elif code in first_row:
            reason = _l(
                "unit %(code)r is already defined on row %(line)s", code=code, line=first_row[code]
            )
            problems.add(row, "code", reason)
        if not name or len(name) > 200:
            problems.add(row, "name", _l("a name of 1 to 200 characters is required"))
        if parent == code:
            problems.add(row, "parent_code", _l("a unit cannot be its own parent"))
        first_row.setdefault(code, row.line)
        if len(problems.problems) == before:
            valid_rows.append(row)
    for row in valid_rows:
        parent = row.values["parent_code"] or None
        if parent is not None and parent not in first_row and parent not in existing:
            problems.add(row, "parent_code", _l("unknown unit %(code)r", code=parent))
        parents[row.values["code"]] = parent
    for row in valid_rows:
        if row.values["code"] in _parent_cycles(parents, [row.values["code"]]):
            problems.add(row, "parent_code", _l("this parent makes a loop in the unit tree"))
    problems.raise_if_any()

    created = updated = unchanged = 0
    units = dict(existing)
    for row in rows:
        unit = units.get(row.values["code"])
        if unit is None:
            unit = units[row.values["code"]] = OrgUnit(
                code=row.values["code"], name=row.values["name"]
            )
            session.add(unit)
            created += 1
        elif unit.name != row.values["name"] or parents_changed(unit, row):
            unit.name = row.values["name"]
            updated += 1
        else:
            unchanged += 1
    for row in rows:
        parent_code = row.values["parent_code"]
        units[row.values["code"]].parent = units[parent_code] if parent_code else None
    session.flush()
    return ImportSummary(created, updated, unchanged)


def parents_changed(unit: OrgUnit, row: CsvRow) -> bool:
    """Whether the row moves an existing unit under another parent."""
    current = unit.parent.code if unit.parent else ""
    return current != row.values["parent_code"]


def import_roster(session: Session, rows: list[CsvRow], source: str) -> ImportSummary:
    """Create or update people by employee id; every bad row is reported and nothing changes."""
    problems = RowProblems(source)
    units = {
        code: unit_id for code, unit_id in session.execute(sa.select(OrgUnit.code, OrgUnit.id))
    }
    functions = {
        code: function_id
        for code, function_id in session.execute(sa.select(Function.code, Function.id))
    }
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        values = row.values
        employee_id, email = values["employee_id"], values["email"]
        if not re.match(EMPLOYEE_ID_PATTERN, employee_id):
            problems.add(row, "employee_id", _l("required: up to 64 letters, digits, . _ @ -"))
        elif employee_id in seen_ids:
            problems.add(row, "employee_id", already_on_row(employee_id, seen_ids[employee_id]))
        seen_ids.setdefault(employee_id, row.line)
        if email:
            if len(email) > 254 or not re.match(EMAIL_PATTERN, email):
                problems.add(row, "email", _l("%(email)r is not an email address", email=email))
            elif email.lower() in seen_emails:
                problems.add(row, "email", already_on_row(email, seen_emails[email.lower()]))
            seen_emails.setdefault(email.lower(), row.line)
        if values["unit"] not in units:
            problems.add(row, "unit", unknown_unit_code(values["unit"]))
        if values["function"] not in functions:
            problems.add(row, "function", unknown_function(values["function"], functions))
        if values["level"] not in LEVELS:
            problems.add(row, "level", not_one_of(values["level"], LEVELS))
        if values["locale"] and not re.match(LOCALE_PATTERN, values["locale"]):
            problems.add(row, "locale", not_a_locale(values["locale"]))
    problems.raise_if_any()

    people = {person.employee_id: person for person in session.scalars(sa.select(Person))}
    created = updated = unchanged = 0
    for row in rows:
        values = row.values
        fields = {
            "email": values["email"] or None,
            "unit_id": units[values["unit"]],
            "function_id": functions[values["function"]],
            "level": values["level"],
            "locale": values["locale"] or DEFAULT_LOCALE,
        }
        person = people.get(values["employee_id"])
        if person is None:
            session.add(Person(employee_id=values["employee_id"], **fields))
            created += 1
        elif any(getattr(person, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(person, name, value)
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportSummary(created, updated, unchanged)


def tree_order(children: Mapping[int | None, list[int]]) -> list[tuple[int, int]]:
    """Each unit id under the roots (`children[None]`) with its depth: parents before their
    units, siblings in the order given."""
    order: list[tuple[int, int]] = []
    stack = [(unit_id, 0) for unit_id in reversed(children.get(None, []))]
    while stack:
        unit_id, depth = stack.pop()
        order.append((unit_id, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit_id, [])))
    return order


def unit_subtree_ids(session: Session, unit_ids: list[int]) -> set[int]:
    """The given units and every unit below them."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    pending = list(unit_ids)
    while pending:
        unit_id = pending.pop()
        if unit_id not in found:
            found.add(unit_id)
            pending.extend(children.get(unit_id, []))
    return found


def units_by_code(session: Session, codes: list[str], field: str) -> list[OrgUnit]:
    """The units named by `codes` (each once, however often it is named), or an error naming
    every unknown code."""
    codes = list(dict.fromkeys(codes))
    units = {
        unit.code: unit
        for unit in session.scalars(sa.select(OrgUnit).where(OrgUnit.code.in_(codes)))
    }
    unknown = [code for code in codes if code not in units]
    if unknown:
        raise InputError(
            [
                Problem(field=field, reason=_l("unknown unit code %(code)r", code=code))
                for code in unknown
            ]
        )
    return [units[code] for code in codes]


def unit_outline(session: Session) -> list[tuple[int, int]]:
    """Every unit's id and depth in tree order: parents before their units, siblings by code.

    Only ids are read, so a page of the tree costs a fraction of a second even with 100,000
    units; the page then loads the units it shows.
    """
    rows = session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id).order_by(OrgUnit.code))
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in rows:
        children[parent_id].append(unit_id)
    return tree_order(children)
