"""Words of the brief that used to stay English in a Spanish brief: the resistance-pattern
finding, the band of answers waiting (worded from its bounds, never parsed from English), and
"What we said, what we did"."""

from __future__ import annotations

from surveyapp.analytics.suppression import CountBand, count_band
from surveyapp.briefs.meta import BriefMeta
from surveyapp.briefs.narrative import finding_text, release_note
from surveyapp.briefs.sections import said_and_done
from surveyapp.language import band_words, english, writing_in

META = BriefMeta(
    campaign="wave-1",
    campaign_name="Wave 1",
    unit_name="Retail",
    pattern_names={"sceptic": "Escépticos de la calidad"},
    language="es",
)
PATTERN = {
    "kind": "pattern",
    "key": "sceptic",
    "severity": 0.31,
    "reference": 0.18,
    "text": "31% of the unit fit the pattern 'Quality sceptics' (18% across the organisation).",
}


def test_a_pattern_finding_reads_in_spanish():
    with writing_in("es"):
        text = finding_text(PATTERN, {}, {}, META)
    assert text == (
        "El 31% de la unidad encaja en el patrón «Escépticos de la calidad» (18% en toda la "
        "organización)."
    )


def test_the_band_travels_as_bounds_and_is_worded_in_the_readers_language():
    assert count_band(3, 5) == CountBand(0, 4) and count_band(12, 5) == CountBand(10, 14)
    assert english(band_words(CountBand(0, 4))) == "fewer than 5"
    assert english(band_words(CountBand(10, 14))) == "10 to 14"
    release = {
        "number": 2,
        "released_on": "2026-03-02",
        "answers_waiting": "fewer than 5",
        "answers_waiting_band": {"low": 0, "high": 4},
        "closed": False,
    }
    with writing_in("es"):
        note = release_note(release, 5)
        later = release_note({**release, "answers_waiting_band": {"low": 10, "high": 14}}, 5)
    assert "Menos de 5 respuestas" in note and "fewer" not in note
    assert "10 a 14 respuestas" in later


def test_what_we_said_what_we_did_names_roles_and_dates_in_spanish():
    actions = [
        {
            "title": "Formación por funciones",
            "finding": "…",
            "owner_role": "unit leader",
            "status": "planned",
            "due_on": "2026-04-30",
            "done_on": None,
            "late": False,
        }
    ]
    with writing_in("es"):
        [row] = said_and_done(actions)
    assert row["owner_role"] == "responsable de la unidad"
    assert row["due_on"] == "30 de abril de 2026"
