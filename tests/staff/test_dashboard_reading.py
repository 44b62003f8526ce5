"""The dashboard as a busy change manager reads it, for a campaign of all four instruments and
for a literacy-only one: plain words first, statistics in the method section, the sections the
campaign feeds, the state of the fieldwork, what to do first."""

from __future__ import annotations

import re

from tests.briefs.reading import (
    ALPHA,
    FUTURE,
    LITERACY_ONLY_ABSENT,
    assert_every_heatmap_cell_has_a_value,
    assert_plain,
    close_wave,
    dashboard_parts,
    readable_text,
    store_literacy_campaign,
)
from tests.factories import store_wave


def test_a_four_instrument_dashboard_reads_in_plain_words(survey_layout, login_as, run):
    store_wave(survey_layout, "wave-1", seed=3)
    close_wave(run, "wave-1")
    manager = login_as("change_manager", units=["RETAIL"])
    markup = manager.get("/staff/campaigns/wave-1/units/RETAIL").get_data(as_text=True)
    before, method = dashboard_parts(markup)
    text = readable_text(before)
    assert_plain(text, "dashboard")
    assert "Fieldwork closed on 20 March 2026" in text and "final" in text
    for heading in ("What matters most", "What to do first", "Readiness: the ADKAR profile"):
        assert heading in text
    headings = re.findall(r"<h2>(.*?)</h2>", before)
    assert headings[:3] == ["What matters most", "What to do first", "Participation"]
    assert "People behind the profile" in text and "are held back at" in text
    assert "Cohen's d" in readable_text(method) and ALPHA in readable_text(method)
    assert assert_every_heatmap_cell_has_a_value(before, "dashboard") == 4  # 2, wide and phone
    first = before.split('id="first-actions"', 1)[1].split("</section>", 1)[0]
    reasons = re.findall(r"<strong>Why</strong>(.*?)</p>", first)
    assert 1 <= len(reasons) <= 3 and len(set(reasons)) == len(reasons)


def test_a_literacy_only_dashboard_shows_only_what_the_campaign_measures(survey_layout, login_as):
    store_literacy_campaign()
    manager = login_as("change_manager", units=["RETAIL"])
    markup = manager.get("/staff/campaigns/lit/units/RETAIL").get_data(as_text=True)
    before, _ = dashboard_parts(markup)
    text = readable_text(before)
    assert_plain(text, "literacy dashboard")
    for absent in LITERACY_ONLY_ABSENT:
        assert absent not in text, absent
    assert "AI literacy" in text and "Your units side by side" in text
    assert f"Fieldwork is still open until {FUTURE.day} {FUTURE:%B %Y}" in text
    assert "These figures may change." in text
    assert assert_every_heatmap_cell_has_a_value(before, "literacy dashboard") == 4
