"""Responses stored through the service come back to the analytics exactly as generated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Answer, Function, OrgUnit, Response
from surveyapp.services.campaign_state import campaign_by_slug
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.layout import campaign_layout
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish
from tests.harness import REPO_DIR

UNITS = [
    demo.UnitPlan("HQ", "Head office", None, 0),
    demo.UnitPlan("NORTH", "North", "HQ", 40, {"champions": 1, "overloaded": 1}, 0.5),
    demo.UnitPlan("SOUTH", "South", "HQ", 25, {"value_sceptics": 1}, 0.0),
]


@pytest.fixture
def stored_wave(app, run):
    """A campaign of the four instruments with a synthetic wave stored in the database."""
    assert run("instruments", "load", str(REPO_DIR / "instruments")).exit_code == 0
    with app.app_context():
        for plan in UNITS:
            parent = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == plan.parent))
            db.session.add(OrgUnit(code=plan.code, name=plan.name, parent=parent))
        db.session.flush()
        spec = CampaignSpec("wave-1", "Wave 1", ALL_INSTRUMENTS, [], True, "anonymous")
        campaign = create_campaign(db.session, spec)
        layout = campaign_layout(campaign)
        wave = demo.synthesize(layout, UNITS, seed=7)
        units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
        functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
        record_responses(
            db.session, campaign, layout, demo.to_submissions(wave, layout, units, functions)
        )
        publish(db.session, campaign)
        db.session.commit()
        yield wave, layout


def test_loaded_answers_equal_the_generated_ones(app, stored_wave):
    from surveyapp.services.datasets import load_campaign_data

    wave, layout = stored_wave
    parents = {plan.code: plan.parent for plan in UNITS}
    expected = demo.to_campaign_data(wave, layout, parents, "wave-1")
    with app.app_context():
        loaded = load_campaign_data(db.session, campaign_by_slug(db.session, "wave-1"))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 65
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) > 65 * 55
    assert loaded.unit_parents == parents
    assert sorted(loaded.respondents["unit"].value_counts().items()) == [
        ("NORTH", 40),
        ("SOUTH", 25),
    ]
    # Responses carry random ids, so compare the answer rows as sorted multisets per column.
    assert list(loaded.answers.columns) == list(expected.answers.columns)
    for column in expected.answers.columns:
        np.testing.assert_array_equal(
            np.sort(loaded.answers[column].to_numpy()), np.sort(expected.answers[column].to_numpy())
        )
    assert sorted(loaded.comments["text"]) == sorted(expected.comments["text"])
    assert {spec.key for spec in loaded.scales} >= {
        "adoption-readiness.desire",
        "ai-concerns.job_security",
        "ai-literacy.ethics",
    }
    assert [quiz.instrument for quiz in loaded.quizzes] == ["ai-literacy"]
    assert len(loaded.quizzes[0].items) == 5
    reversed_items = next(s for s in loaded.scales if s.key == "ai-concerns.job_security").reverse
    assert reversed_items and all(column.startswith("ai-concerns.") for column in reversed_items)


def test_anonymous_responses_are_stored_without_person_or_invitation(app, stored_wave):
    with app.app_context():
        linked = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Response)
            .where(sa.or_(Response.person_id.is_not(None), Response.invitation_id.is_not(None)))
        )
    assert linked == 0


def test_the_answer_vector_holds_quiz_answers_as_right_or_wrong(app, stored_wave):
    wave, layout = stored_wave
    quiz = next(q for q in layout.vector_questions if q.item.type == "knowledge")
    generated_right = int(np.sum(wave.values[quiz.column] == quiz.item.answer))
    from surveyapp.services.datasets import load_campaign_data

    with app.app_context():
        loaded = load_campaign_data(db.session, campaign_by_slug(db.session, "wave-1"))
    assert set(pd.unique(loaded.answers[quiz.column].dropna())) <= {0.0, 1.0}
    assert int(loaded.answers[quiz.column].sum()) == generated_right
