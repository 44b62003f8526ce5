"""A stored literacy wave of the small demo organisation with a roster, an AI-systems
inventory and measure completions, for the evidence commands and pack."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign, Function, MeasureCompletion, OrgUnit, Person
from tests.factories import write
from tests.plugins.exports import store_small_wave

INVENTORY = """system,description,risk_tier,unit,function,level
Chatbot,Answers customers' questions,limited,CONTACT,,
Credit scoring,Scores loan applications,high,LENDING,,
Copilot,Writes drafts,minimal,,,
"""
PEOPLE_PER_UNIT = 10


def recorded_when_completed() -> None:
    """Take every stored completion as recorded on its completion day (as if the learning
    system had sent it then, and as migration 0020 takes rows older than it), so packs of past
    days count it from the day after."""
    db.session.execute(
        sa.update(MeasureCompletion).values(recorded_on=MeasureCompletion.completed_on)
    )
    db.session.commit()


@pytest.fixture
def roster(survey_layout) -> list[str]:
    """Ten people in each demo unit (`P-<unit>-<n>`), inside an app context; their ids."""
    function = db.session.scalar(sa.select(Function).where(Function.code == "operations"))
    ids = []
    for unit in db.session.scalars(sa.select(OrgUnit).order_by(OrgUnit.code)):
        for number in range(PEOPLE_PER_UNIT):
            employee_id = f"P-{unit.code}-{number}"
            db.session.add(
                Person(employee_id=employee_id, unit=unit, function=function, level="frontline")
            )
            ids.append(employee_id)
    db.session.commit()
    return ids


@pytest.fixture
def evidence_wave(survey_layout, roster, run, tmp_path) -> Campaign:
    """An anonymous literacy wave, the inventory, and briefings done by 8 of the 10 people in
    CONTACT (inside an app context)."""
    campaign = store_small_wave(survey_layout, "lit-1")
    assert run("aisystems", "import", str(write(tmp_path, "ai.csv", INVENTORY))).exit_code == 0
    lines = ["employee_id,measure,kind,completed_on"] + [
        f"P-CONTACT-{n},Chatbot briefing,briefing,2026-01-10" for n in range(8)
    ]
    result = run("measures", "import", str(write(tmp_path, "m.csv", "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output
    recorded_when_completed()
    return campaign
