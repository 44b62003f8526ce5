"""A small stored wave of the demo organisation, anonymous or confidential, for the exports."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Campaign, Function, OrgUnit, Person
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish

UNIT_SIZE = 40  # respondents per unit, except the two small desks the demo plants
SMALL_UNITS = {"SMALLBIZ": 4, "PRIVATE": 14}


def small_organisation() -> list[demo.UnitPlan]:
    """The demo units at a test's size, keeping SMALLBIZ (4 people) and PRIVATE (14)."""
    return [
        dataclasses.replace(unit, size=SMALL_UNITS.get(unit.code, UNIT_SIZE) if unit.size else 0)
        for unit in demo.DEMO_UNITS
    ]


def store_small_wave(layout, slug: str, mode: str = "anonymous", seed: int = 5) -> Campaign:
    """A campaign of all four instruments with a synthetic wave stored through the service.

    In a confidential campaign every respondent is on the roster as `E0000`, `E0001`, ...;
    every other one (even numbers) consented, and every third has no person at all.
    """
    spec = CampaignSpec(slug, slug, ALL_INSTRUMENTS, [], True, mode)
    campaign = create_campaign(db.session, spec)
    wave = demo.synthesize(layout, small_organisation(), seed)
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    submissions = demo.to_submissions(wave, layout, units, functions)
    if mode == "confidential":
        for number, submission in enumerate(submissions):
            if number % 3 == 2:
                continue
            person = Person(
                employee_id=f"E{number:04d}",
                unit_id=submission.unit_id,
                function_id=submission.function_id,
                level=submission.level,
            )
            db.session.add(person)
            db.session.flush()
            submission.person_id = person.id
            submission.consent = number % 2 == 0
    record_responses(db.session, campaign, layout, submissions)
    publish(db.session, campaign)
    db.session.commit()
    return campaign


@pytest.fixture
def anonymous_wave(survey_layout) -> Campaign:
    """`wave-1` with the small organisation's answers stored (inside an app context)."""
    return store_small_wave(survey_layout, "anon-1")
