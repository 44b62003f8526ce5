"""The brief as a busy change manager reads it, for a campaign of all four instruments and for
a literacy-only one: plain words before the method section, the sections the campaign feeds,
a value in every heatmap cell, the fieldwork state, what to do first on page 1 or 2, at most
six pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from surveyapp.briefs.meta import BriefMeta
from surveyapp.briefs.render import brief_html
from surveyapp.briefs.service import plan_briefs, render_job
from surveyapp.extensions import db
from surveyapp.models import Campaign
from tests.briefs.helpers import pdf_text, read_pdf
from tests.briefs.reading import (
    FUTURE,
    LITERACY_ONLY_ABSENT,
    assert_every_heatmap_cell_has_a_value,
    assert_plain,
    close_wave,
    readable_text,
    store_literacy_campaign,
)
from tests.factories import store_wave


def _brief(campaign: Campaign, unit: str) -> tuple[str, bytes]:
    """The brief of `unit`, as the HTML it is made from and as the PDF."""
    instruments = current_app.config["SURVEYAPP_INSTRUMENTS_DIR"]
    [job] = plan_briefs(db.session, campaign, instruments, unit)
    return brief_html(job.analysis, unit, BriefMeta.from_dict(job.meta)), render_job(job)


def test_briefs_read_in_plain_words_and_fit_the_campaign(survey_layout, run):
    store_wave(survey_layout, "wave-1", seed=3)
    close_wave(run, "wave-1")
    literacy = store_literacy_campaign()
    full = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-1"))
    for campaign, expected_state in (
        (full, "Fieldwork closed on 20 March 2026"),
        (literacy, f"Fieldwork is still open until {FUTURE.day} {FUTURE:%B %Y}"),
    ):
        markup, pdf = _brief(campaign, "RETAIL")
        before = markup.split('<section class="block new-page method">', 1)[0]
        text = readable_text(before)
        assert_plain(text, campaign.slug)
        assert expected_state in text
        assert ". Scores run from 1 (strongly disagree)" in text  # two sentences, one space
        assert assert_every_heatmap_cell_has_a_value(before, campaign.slug) == 1
        reader = read_pdf(pdf)
        pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
        assert expected_state in " ".join(pages)
        assert any("What to do first" in page for page in pages[:2])
        assert len(reader.pages) <= 6
        if campaign is literacy:
            for absent in LITERACY_ONLY_ABSENT:
                assert absent not in text, absent
        else:
            assert len(reader.pages) >= 4
            assert "Cohen's d" in pdf_text(reader)  # in the method section
