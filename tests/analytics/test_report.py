"""The whole analysis recovers what the synthetic organisation planted, and hides small groups."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from surveyapp.analytics import scoring
from surveyapp.analytics.patterns import find_patterns
from surveyapp.analytics.report import analyze
from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.demo import synthetic as demo
from surveyapp.services.analysis import library_from
from tests.analytics.attack import narrowed
from tests.harness import REPO_DIR

SHARE_TOLERANCE = 0.06
SHARE_UNIT_SIZE = 3 / SHARE_TOLERANCE  # units where three misplaced people stay in tolerance
PARENTS = {plan.code: plan.parent for plan in demo.DEMO_UNITS}


@pytest.fixture(scope="module")
def library():
    return library_from(REPO_DIR / "instruments")


def wave_data(layout, units, seed=11, shift=0.0, campaign="wave-1"):
    wave = demo.synthesize(layout, units, seed=seed, shift=shift)
    return wave, demo.to_campaign_data(wave, layout, PARENTS, campaign)


def test_planted_archetypes_are_found_with_their_unit_shares(survey_layout, library):
    units = demo.scaled_units(demo.DEMO_UNITS, 6000)
    wave, data = wave_data(survey_layout, units)
    document = analyze(data, library, seed=0)

    assert min(document["quality"]["alpha"].values()) >= 0.70  # every scale of the short forms
    patterns = document["patterns"]
    assert patterns["distinct"] is True
    archetype_of = {item["id"]: item["archetype"] for item in patterns["items"]}
    assert sorted(a for a in archetype_of.values() if a) == sorted(set(wave.archetypes))

    scores = scoring.respondent_scores(data)
    cluster = [s.key for s in data.scales if s.cluster]
    labels = find_patterns(scores[cluster], library.archetypes, seed=0).labels
    labelled = labels.reindex(data.respondents.index)
    kept = labelled.notna().to_numpy()
    ari = adjusted_rand_score(wave.archetypes[kept], labelled[kept].astype(str))
    assert ari >= 0.8

    planted = pd.crosstab(data.respondents["unit"], wave.archetypes, normalize="index")
    for group in document["groups"]:
        if group["kind"] != "unit" or group["suppressed"] or group["key"] not in planted.index:
            continue
        if group["n"] < SHARE_UNIT_SIZE:
            continue  # one person labelled otherwise moves a share by more than the tolerance
        found = {archetype_of[p]: share for p, share in group["pattern_shares"].items()}
        # within 6 points, or 3 respondents in a small unit: about 3% of respondents are
        # misassigned, which in a unit of 27 (PRIVATE) can happen to be 3 of one archetype
        tolerance = max(SHARE_TOLERANCE, 3 / group["n"] + 1e-9)
        for archetype, share in planted.loc[group["key"]].items():
            assert abs(found.get(archetype, 0.0) - share) <= tolerance, (
                group["key"],
                archetype,
            )


def test_a_single_population_claims_no_distinct_patterns(survey_layout, library):
    units = [
        demo.UnitPlan(p.code, p.name, p.parent, p.size, {"champions": 1.0})
        for p in demo.scaled_units(demo.DEMO_UNITS, 3000)
    ]
    _, data = wave_data(survey_layout, units)
    assert analyze(data, library)["patterns"]["distinct"] is False


def test_small_units_are_hidden_with_a_complementary_sibling(survey_layout, library):
    _, data = wave_data(survey_layout, demo.DEMO_UNITS)
    document = analyze(data, library)
    units = {g["key"]: g for g in document["groups"] if g["kind"] == "unit"}
    # under k, hidden to protect it, and empty: one reason, nothing that tells them apart
    assert units["SMALLBIZ"]["reason"] == units["PRIVATE"]["reason"] == HIDDEN_REASON
    assert {g["reason"] for g in document["groups"] if g["suppressed"]} == {HIDDEN_REASON}
    # an attacker's LP bounds over every published count narrow no small group below k
    assert narrowed(document["groups"], data.respondents, PARENTS, data.min_group_size) == []
    crossings = [g for g in document["groups"] if g["kind"] == "unit+level"]
    assert len(crossings) == 3 * len(units)  # every crossing listed, empty or not
    for group in document["groups"]:
        if group["suppressed"]:
            assert set(group) == {"kind", "key", "n", "suppressed", "reason"}
            assert group["n"] is None
        else:
            assert group["n"] >= data.min_group_size
    assert {(s["kind"], s["key"]) for s in document["suppressed"]} >= {
        ("unit", "SMALLBIZ"),
        ("unit", "PRIVATE"),
    }
    shown = [g for g in document["groups"] if not g["suppressed"]]
    assert not [g["key"] for g in shown if g["key"].startswith(("SMALLBIZ", "PRIVATE"))]


def test_unit_documents_carry_barrier_alignment_themes_drivers_and_actions(survey_layout, library):
    _, data = wave_data(survey_layout, demo.DEMO_UNITS)
    document = analyze(data, library, unit="RETAIL")
    keys = {
        (g["kind"], g["key"]) for g in document["groups"] if g["kind"] in ("organisation", "unit")
    }
    assert keys == {
        ("organisation", "all"),
        ("unit", "RETAIL"),
        ("unit", "BR-NORTH"),
        ("unit", "BR-SOUTH"),
        ("unit", "CONTACT"),
        ("unit", "SMALLBIZ"),
        ("unit", "PRIVATE"),
    }
    contact = next(g for g in document["groups"] if g["key"] == "CONTACT")
    profile = contact["adkar"]
    assert contact["barrier_point"] == scoring.barrier_point(profile)
    assert contact["readiness_index"] is not None and 0 <= contact["readiness_index"] <= 100
    assert contact["themes"]["suppressed"] is False and contact["themes"]["languages"]["en"]
    assert contact["drivers"]["drivers"][0]["construct"].startswith("ai-concerns.")
    first = contact["recommendations"][0]
    assert first["owner"] and first["timing"] and first["findings"][0]["text"]
    if contact["barrier_point"]:
        assert first["findings"][0]["kind"] == "barrier"
    assert {"function_gaps", "agreement", "leader_frontline"} <= set(contact["alignment"])


def test_a_later_wave_reports_change_with_intervals(survey_layout, library):
    units = demo.scaled_units(demo.DEMO_UNITS, 3000)
    _, first = wave_data(survey_layout, units, seed=1)
    _, second = wave_data(survey_layout, units, seed=2, shift=0.5, campaign="wave-2")
    document = analyze(second, library, previous=first)
    assert document["waves"]["previous"] == "wave-1"
    overall = {c["scale"]: c for c in document["waves"]["changes"] if c["kind"] == "organisation"}
    readiness = overall["readiness_index"]
    assert readiness["change"] > 0 and readiness["significant"]
    assert readiness["ci95"][0] < readiness["change"] < readiness["ci95"][1]
    changed_units = {c["key"] for c in document["waves"]["changes"] if c["kind"] == "unit"}
    assert "SMALLBIZ" not in changed_units and "CONTACT" in changed_units


def test_the_analysis_is_deterministic_under_its_seed(survey_layout, library):
    _, data = wave_data(survey_layout, demo.scaled_units(demo.DEMO_UNITS, 1500))
    assert json.dumps(analyze(data, library, seed=5)) == json.dumps(analyze(data, library, seed=5))
    assert np.isfinite(analyze(data, library)["groups"][0]["readiness_index"])


def test_a_campaign_smaller_than_the_minimum_shows_no_figure_at_all(survey_layout, library):
    units = [demo.UnitPlan("BR-NORTH", "Branches north", "RETAIL", 4, {"champions": 1.0})]
    _, data = wave_data(survey_layout, units)
    document = analyze(data, library)
    assert document["respondents"] is None
    assert document["quality"] == {"suppressed": True}
    assert document["patterns"] == {"suppressed": True}
    assert all(group["suppressed"] for group in document["groups"])
