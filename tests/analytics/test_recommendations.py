"""Recommendations: rules, order, deduplication, finding builders and the shipped playbook."""

from __future__ import annotations

import pandas as pd
import pytest

from surveyapp.analytics.drivers import Driver, DriverResult
from surveyapp.analytics.library import OWNERS, TIMINGS, Playbook, load_library, load_playbook
from surveyapp.analytics.patterns import Pattern, PatternResult
from surveyapp.analytics.recommendations import (
    Finding,
    barrier_finding,
    driver_findings,
    literacy_finding,
    pattern_findings,
    recommend,
)
from surveyapp.analytics.simulation import CONSTRUCTS
from surveyapp.errors import InputError
from tests.harness import REPO_DIR

INSTRUMENTS = REPO_DIR / "instruments"


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load_library(INSTRUMENTS / "patterns.yaml", INSTRUMENTS / "playbook.yaml")[1]


def test_knowledge_barrier_comes_first(playbook) -> None:
    barrier = barrier_finding("knowledge", 2.8)
    literacy = literacy_finding({"foundational": 0.4, "developing": 0.3, "proficient": 0.3})
    driver = Finding("driver", "workload", 0.9, "Time to learn drives intention.")
    recommendations = recommend([driver, literacy, barrier], playbook)
    first = recommendations[0]
    assert first.intervention.id == "role-based-training"
    assert first.intervention.owner in OWNERS and first.intervention.timing in TIMINGS
    # role-based-training is also in the low-literacy rule: listed once, with both findings
    assert first.findings == (barrier, literacy)
    ids = [r.intervention.id for r in recommendations]
    assert ids == [
        "role-based-training",
        "quick-reference-guides",  # barrier rule, second entry
        "free-capacity",  # driver, severity 0.9
        "ai-foundations-course",  # literacy, severity 0.7
    ]
    assert len(ids) == len(set(ids))
    assert recommend([driver, literacy, barrier], playbook, limit=2)[1].intervention.id == (
        "quick-reference-guides"
    )


def test_severity_orders_the_rest(playbook) -> None:
    mild = Finding("alignment", "low_agreement", 0.2, "Views differ widely.")
    severe = Finding("alignment", "function_gap", 0.8, "Functions disagree.")
    ids = [r.intervention.id for r in recommend([mild, severe], playbook)]
    assert ids == ["function-alignment-workshop", "team-results-dialogue"]
    assert recommend([Finding("alignment", "unknown", 1.0, "?")], playbook) == []


def test_barrier_severity_by_hand() -> None:
    # (points - 1 - score) / (points - 2) on 1..5: 3 -> 1/3, 1.6 -> 2.4 / 3 = 0.8, 1 -> 1
    assert barrier_finding("desire", 3.0).severity == pytest.approx(1 / 3)
    assert barrier_finding("desire", 1.6).severity == pytest.approx(0.8)
    assert barrier_finding("desire", 1.0).severity == 1.0
    assert barrier_finding(None, 4.2) is None


def test_literacy_threshold() -> None:
    # 0.3 + 0.2 = 0.5 reaches the 50% threshold; 0.3 + 0.19 does not
    finding = literacy_finding({"foundational": 0.3, "developing": 0.2})
    assert (finding.key, finding.severity) == ("low", pytest.approx(0.5))
    assert literacy_finding({"foundational": 0.3, "developing": 0.19}) is None


def make_patterns(distinct: bool = True) -> PatternResult:
    def pattern(pattern_id: str, archetype: str | None) -> Pattern:
        label = {"en": archetype or "Close to the organisation average"}
        return Pattern(pattern_id, 10, 0.1, {}, {}, archetype, 0.9, label)

    patterns = (pattern("p1", None), pattern("p2", "overloaded"), pattern("p3", "unsupported"))
    return PatternResult(distinct, 3, 30, 0.3, 0.9, {}, patterns, pd.Series(dtype="category"))


def test_pattern_findings_need_share_and_ratio() -> None:
    organisation = {"p1": 0.5, "p2": 0.25, "p3": 0.2}
    # p1: no archetype. p2: 0.29 >= 0.20 but < 1.2 * 0.25 = 0.30 -> not notable.
    # p3: 0.24 >= 0.20 and >= 1.2 * 0.20 = 0.24 -> notable, severity 0.24.
    unit = {"p1": 0.47, "p2": 0.29, "p3": 0.24}
    (finding,) = pattern_findings(make_patterns(), unit, organisation)
    assert (finding.kind, finding.key, finding.severity) == ("pattern", "unsupported", 0.24)
    assert (
        finding.text
        == "24% of the unit fit the pattern 'unsupported' (20% across the organisation)."
    )
    assert pattern_findings(make_patterns(distinct=False), unit, organisation) == []


def test_pattern_rules_come_from_the_archetypes(playbook) -> None:
    finding = Finding("pattern", "overloaded", 0.3, "30% overloaded")
    ids = [r.intervention.id for r in recommend([finding], playbook)]
    assert ids == ["protected-learning-time", "free-capacity"]


def test_driver_findings_keep_priority_drivers() -> None:
    drivers = (
        Driver("ai-concerns.trust_output", 0.2, 0.5, 0.4, 0.3, 0.5, 2.9, True),
        Driver("ai-concerns.ease_of_use", 0.1, 0.25, 0.2, 0.1, 0.3, 4.1, False),
    )
    titles = {"ai-concerns.trust_output": "Trust in AI output"}
    (finding,) = driver_findings(DriverResult(500, 0.4, drivers), titles)
    assert (finding.kind, finding.key, finding.severity) == ("driver", "trust_output", 0.5)
    assert finding.text == (
        "Trust in AI output accounts for 50% of what explains intention and scores low (2.9)."
    )


def test_shipped_playbook_is_complete(playbook) -> None:
    assert len(playbook.interventions) >= 16
    for kind, keys in {
        "barrier": ("awareness", "desire", "knowledge", "ability", "reinforcement"),
        "alignment": ("function_gap", "leader_frontline_gap", "low_agreement"),
        "literacy": ("low",),
        "driver": CONSTRUCTS,
    }.items():
        for key in keys:
            assert playbook.rules_for(kind, key), (kind, key)
    for intervention in playbook.interventions.values():
        assert intervention.title["es"] and intervention.action["es"]
        assert 20 <= len(intervention.action["en"].split()) <= 60  # one or two sentences


PLAYBOOK = """
interventions:
  - id: brief-team
    title: {en: "Brief", es: "Reunión"}
    action: {en: "Hold a briefing.", es: "Celebre una reunión."}
    owner: boss
    timing: next 2 weeks
  - id: train
    title: {en: "Train", es: "Formar"}
    action: {en: "Train people."}
    owner: HR / L&D
    timing: someday
rules:
  - kind: barrier
    key: knowledge
    interventions: [train, nope]
  - kind: barrier
    key: knowledge
    interventions: [train]
  - kind: barrier
    key: enthusiasm
    interventions: [train]
"""


def test_playbook_errors_name_file_and_entry(tmp_path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(PLAYBOOK, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_playbook(path)
    owners = ", ".join(OWNERS)
    timings = ", ".join(TIMINGS)
    assert str(error.value).splitlines()[1:] == [
        f"{path}: interventions[0](brief-team).owner: 'boss' is not one of: {owners}",
        f"{path}: interventions[1](train).timing: 'someday' is not one of: {timings}",
        f"{path}: interventions[1](train).action: missing the 'es' translation",
        f"{path}: rules[0](barrier knowledge).interventions: unknown intervention 'nope'",
        f"{path}: rules[1](barrier knowledge): a second rule for barrier 'knowledge'",
        f"{path}: rules[2](barrier enthusiasm).key: 'enthusiasm' is not a valid barrier key"
        " (ability, awareness, desire, knowledge, reinforcement)",
    ]


def test_archetype_interventions_must_exist(tmp_path) -> None:
    patterns = tmp_path / "patterns.yaml"
    patterns.write_text(
        (INSTRUMENTS / "patterns.yaml")
        .read_text(encoding="utf-8")
        .replace("[champions-network,", "[champions-club,"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_library(patterns, INSTRUMENTS / "playbook.yaml")
    assert str(error.value).splitlines()[1] == (
        f"{patterns}: archetypes[0](champions).interventions: unknown intervention"
        f" 'champions-club' (not in {INSTRUMENTS / 'playbook.yaml'})"
    )
