"""`surveyapp analyze CAMPAIGN --json` on stored responses: the document other tools read."""

from __future__ import annotations

import json

from surveyapp.demo import synthetic as demo
from tests.factories import store_wave

RESPONDENTS = sum(unit.size for unit in demo.scaled_units(demo.DEMO_UNITS, 900))


def test_analyze_prints_the_documented_json(survey_layout, run):
    store_wave(survey_layout, "wave-1", seed=3)
    result = run("analyze", "wave-1", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["campaign"] == "wave-1"
    assert set(document["patterns"]) >= {"distinct", "count", "quality", "items"}
    for item in document["patterns"]["items"]:
        assert set(item) >= {"id", "label", "archetype", "similarity", "centroid"}
    kinds = {group["kind"] for group in document["groups"]}
    assert kinds >= {"organisation", "unit", "function", "level", "unit+function"}
    for group in document["groups"]:
        assert {"kind", "key", "n", "suppressed"} <= set(group)
    organisation = document["groups"][0]
    assert organisation["n"] == RESPONDENTS and organisation["barrier_point"] in (
        None,
        "awareness",
        "desire",
        "knowledge",
        "ability",
        "reinforcement",
    )
    assert set(document["quality"]["alpha"]) >= {"ai-concerns.job_security"}
    assert "waves" not in document


def test_analyze_compares_with_the_previous_wave_of_the_same_instruments(survey_layout, run):
    store_wave(survey_layout, "wave-1", seed=3)
    store_wave(survey_layout, "wave-2", seed=4, shift=0.6)
    document = json.loads(run("analyze", "wave-2", "--json").output)
    assert document["waves"]["previous"] == "wave-1"
    readiness = next(
        c
        for c in document["waves"]["changes"]
        if c["kind"] == "organisation" and c["scale"] == "readiness_index"
    )
    assert readiness["significant"] and readiness["change"] > 0


def test_analyze_one_unit_keeps_its_subtree_and_the_organisation(survey_layout, run):
    store_wave(survey_layout, "wave-1", seed=3)
    document = json.loads(run("analyze", "wave-1", "--unit", "OPS", "--json").output)
    units = {g["key"] for g in document["groups"] if g["kind"] == "unit"}
    assert units == {"OPS", "TECHOPS", "BACKOFFICE", "LEGALRISK"}
    assert document["groups"][0]["kind"] == "organisation"


def test_quotes_come_only_from_groups_with_enough_commenters(survey_layout, run):
    store_wave(survey_layout, "wave-1", seed=3)
    document = json.loads(run("analyze", "wave-1", "--json").output)
    minimum = document["min_comment_group_size"]
    shown = 0
    for group in document["groups"]:
        if group["kind"] not in ("organisation", "unit"):
            assert "themes" not in group
            continue
        if group["suppressed"] or group["themes"]["suppressed"]:
            continue
        shown += 1
        quoted = sum(t["comments"] for ts in group["themes"]["languages"].values() for t in ts)
        assert quoted >= minimum
    assert shown >= 2
    examples = {
        example
        for group in document["groups"]
        if group.get("themes", {}).get("suppressed") is False
        for themes in group["themes"]["languages"].values()
        for theme in themes
        for example in theme["examples"]
    }
    assert examples and all(isinstance(example, str) for example in examples)


def test_analyze_names_an_unknown_campaign_or_unit(survey_layout, run):
    result = run("analyze", "nope", "--json")
    assert result.exit_code == 1 and "no campaign 'nope'" in result.stderr
    store_wave(survey_layout, "wave-1", seed=3)
    result = run("analyze", "wave-1", "--unit", "NOWHERE", "--json")
    assert result.exit_code == 1 and "--unit: unknown unit code 'NOWHERE'" in result.stderr
