"""The next wave's brief says what the unit committed to after the last one, and how far it got."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from surveyapp.briefs.meta import BriefMeta
from surveyapp.briefs.render import brief_html
from surveyapp.briefs.service import plan_briefs
from surveyapp.extensions import db
from surveyapp.language import writing_in
from surveyapp.models import Campaign
from tests.staff.test_action_effects import two_waves_with_an_action


def _html(slug: str, unit: str, language: str = "en") -> str:
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
    instruments = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    [job] = plan_briefs(db.session, campaign, instruments, unit, language)
    with writing_in(language):
        return brief_html(job.analysis, unit, BriefMeta.from_dict(job.meta))


def test_the_second_waves_brief_lists_the_units_actions(survey_layout):
    two_waves_with_an_action(survey_layout)
    north = _html("wave-2", "BR-NORTH")
    section = north.split("<h2>What we said, what we did</h2>")[1].split("</section>")[0]
    assert "Role-based training" in section and "done (" in section
    south = _html("wave-2", "BR-SOUTH")
    assert "No action was planned for this unit after the last survey." in south
    assert "What we said, what we did" not in _html("wave-1", "BR-NORTH")


def test_a_spanish_brief_says_it_in_spanish(survey_layout):
    two_waves_with_an_action(survey_layout)
    north = _html("wave-2", "BR-NORTH", "es")
    section = north.split("<h2>Lo que dijimos, lo que hicimos</h2>")[1].split("</section>")[0]
    assert "Role-based training" in section and "hecha (" in section  # staff text stays as written
    assert "Resultado al que respondía" in section and "Finding it answered" not in section
    south = _html("wave-2", "BR-SOUTH", "es")
    assert "No se previó ninguna acción para esta unidad después de la última encuesta." in south
