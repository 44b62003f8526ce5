"""Effect across waves: a unit's gap against the requirements from one wave to the next."""

from __future__ import annotations

from datetime import date

from surveyapp.analytics.coverage_disclosure import publish_coverage
from surveyapp.analytics.literacy_evidence import Done, Literacy, Use
from surveyapp.analytics.literacy_waves import WaveLiteracy, effects, wave_rows
from tests.analytics.test_literacy_evidence import REQUIREMENTS, organisation

LOW = Literacy(50, {"foundational": 0.6, "developing": 0.3, "proficient": 0.1}, 40.0, 45.0)
HIGH = Literacy(50, {"foundational": 0.2, "developing": 0.5, "proficient": 0.3}, 60.0, 66.0)


def waves(second: dict) -> list[WaveLiteracy]:
    change = {"change": 20.0, "ci95": [15.0, 25.0], "significant": True}
    return [
        WaveLiteracy("q2", "Q2", date(2026, 3, 31), {"CS": LOW, "FIN": LOW}, {}),
        WaveLiteracy(
            "q3", "Q3", date(2026, 9, 30), second, {("CS", "literacy_index"): change}, "q2"
        ),
        WaveLiteracy("other", "Other instruments", date(2026, 10, 1), second, {}),
    ]


def test_a_gap_closes_where_measures_landed_between_waves_and_not_elsewhere():
    org = organisation({"CS": 50, "FIN": 30})
    uses = [Use("chatbot", "limited", "CS", None, None), Use("bot", "limited", "FIN", None, None)]
    between = date(2026, 6, 1)
    done = [Done(p, "Briefing", "briefing", (), (), between) for p in range(1, 46)]  # CS
    done += [Done(p, "Briefing", "briefing", (), (), between) for p in range(51, 56)]  # FIN
    series = waves({"CS": HIGH, "FIN": LOW})
    published = publish_coverage(org, uses, done, REQUIREMENTS, 5, [w.on for w in series])
    rows = wave_rows(org, published, series, REQUIREMENTS, ["CS", "FIN"])
    found = {e.unit: e for e in effects(rows, series)}
    assert set(found) == {"CS", "FIN"}  # the wave of other instruments is not compared
    assert found["CS"].verdict == "closed"
    assert (found["CS"].before.coverage, found["CS"].after.coverage) == (0.0, 0.9)
    assert found["CS"].change == 20.0 and found["CS"].ci95 == (15.0, 25.0)
    assert found["FIN"].verdict == "not_closing"
