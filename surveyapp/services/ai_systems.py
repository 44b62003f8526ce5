"""The inventory of AI systems in use: imported from CSV (CLI and admin page), listed, read.

The file is the whole inventory: one row per system and group that uses it; an import
replaces the stored inventory, or changes nothing when any row is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from surveyapp.analytics.literacy_requirements import RISK_TIERS
from surveyapp.language import _, _l
from surveyapp.models import LEVELS, AiSystem, AiSystemUse, Function, OrgUnit
from surveyapp.services.csv_input import (
    CsvRow,
    RowProblems,
    not_one_of,
    unknown_function,
    unknown_unit_code,
)

AI_SYSTEM_COLUMNS = ("system", "description", "risk_tier", "unit", "function", "level")
MAX_NAME = 120
MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class InventorySummary:
    """How many systems and uses the imported inventory holds, and how many systems it drops."""

    systems: int
    uses: int
    removed: int

    def __str__(self) -> str:
        return _(
            "%(systems)s systems, %(uses)s uses, %(removed)s systems removed",
            systems=self.systems,
            uses=self.uses,
            removed=self.removed,
        )


@dataclass(frozen=True)
class SystemUse:
    """One use of a system as analytics reads it: codes, or None for everyone on that axis."""

    system: str
    description: str
    risk_tier: str
    unit: str | None
    function: str | None
    level: str | None


def _check_row(
    row: CsvRow,
    problems: RowProblems,
    units: dict[str, int],
    functions: dict[str, int],
    first: dict[str, CsvRow],
) -> None:
    """Add every problem of one inventory row."""
    values = row.values
    name = values["system"]
    if not name or len(name) > MAX_NAME:
        reason = _l("a system name of 1 to %(max)s characters is required", max=MAX_NAME)
        problems.add(row, "system", reason)
    if len(values["description"]) > MAX_DESCRIPTION:
        reason = _l("longer than %(max)s characters", max=MAX_DESCRIPTION)
        problems.add(row, "description", reason)
    if values["risk_tier"] not in RISK_TIERS:
        problems.add(row, "risk_tier", not_one_of(values["risk_tier"], RISK_TIERS))
    earlier = first.get(name)
    if earlier is not None:
        for column in ("description", "risk_tier"):
            if earlier.values[column] != values[column]:
                problems.add(
                    row,
                    column,
                    _l(
                        "system %(name)r has a different %(column)s on row %(line)s",
                        name=name,
                        column=column,
                        line=earlier.line,
                    ),
                )
    elif name:
        first[name] = row
    if values["unit"] and values["unit"] not in units:
        problems.add(row, "unit", unknown_unit_code(values["unit"]))
    if values["function"] and values["function"] not in functions:
        problems.add(row, "function", unknown_function(values["function"], functions))
    if values["level"] and values["level"] not in LEVELS:
        reason = _l(
            "%(value)r is not one of %(allowed)s (or empty)",
            value=values["level"],
            allowed=", ".join(LEVELS),
        )
        problems.add(row, "level", reason)


def import_ai_systems(session: Session, rows: list[CsvRow], source: str) -> InventorySummary:
    """Replace the inventory with the file's systems and uses; every bad row is reported and
    nothing changes."""
    problems = RowProblems(source)
    units = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(session.execute(sa.select(Function.code, Function.id)).all())
    first: dict[str, CsvRow] = {}
    for row in rows:
        _check_row(row, problems, units, functions, first)
    problems.raise_if_any()

    stored = {system.name: system for system in session.scalars(sa.select(AiSystem))}
    removed = [system for name, system in stored.items() if name not in first]
    session.execute(sa.delete(AiSystemUse))
    for system in removed:
        session.delete(system)
    for name, row in first.items():
        system = stored.get(name) or AiSystem(name=name)
        system.description = row.values["description"]
        system.risk_tier = row.values["risk_tier"]
        session.add(system)
    session.flush()
    systems = {s.name: s.id for s in session.scalars(sa.select(AiSystem))}
    session.add_all(
        AiSystemUse(
            system_id=systems[row.values["system"]],
            unit_id=units.get(row.values["unit"]),
            function_id=functions.get(row.values["function"]),
            level=row.values["level"] or None,
        )
        for row in rows
    )
    session.flush()
    return InventorySummary(len(first), len(rows), len(removed))


def system_uses(session: Session) -> list[SystemUse]:
    """Every use of every system, by system name then unit code (empty fields first)."""
    unit = sa.orm.aliased(OrgUnit)
    function = sa.orm.aliased(Function)
    rows = session.execute(
        sa.select(
            AiSystem.name,
            AiSystem.description,
            AiSystem.risk_tier,
            unit.code,
            function.code,
            AiSystemUse.level,
        )
        .join(AiSystemUse, AiSystemUse.system_id == AiSystem.id)
        .outerjoin(unit, AiSystemUse.unit_id == unit.id)
        .outerjoin(function, AiSystemUse.function_id == function.id)
        .order_by(AiSystem.name, unit.code, function.code, AiSystemUse.level)
    )
    return [SystemUse(*row) for row in rows]


def inventory(session: Session) -> list[AiSystem]:
    """The systems with their uses, by name (for the admin page)."""
    return list(
        session.scalars(
            sa.select(AiSystem)
            .options(
                selectinload(AiSystem.uses).selectinload(AiSystemUse.unit),
                selectinload(AiSystem.uses).selectinload(AiSystemUse.function),
            )
            .order_by(AiSystem.name)
        )
    )
