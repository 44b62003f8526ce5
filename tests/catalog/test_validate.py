"""`surveyapp instruments validate` names the file, place and reason of every problem."""

from __future__ import annotations

import pytest

from tests.harness import REPO_DIR, TEST_INSTRUMENTS

BROKEN = TEST_INSTRUMENTS / "broken"

# file -> every line the validator must print for it ("<file>:<line>: <where>: <reason>")
EXPECTED = {
    "unknown-scale": ["30: items[1](value_2).scale: unknown scale 'valeu'"],
    "unknown-response-scale": [
        "37: items[2](aware_1).response_scale: unknown response scale 'agree7'"
    ],
    "duplicate-item-id": [
        "22: items[0](value_1).id: duplicate item id 'value_1'",
        "34: items[2](value_1).id: duplicate item id 'value_1'",
        "53: pages[0](first).items[2]: unknown item 'aware_1'",
    ],
    "missing-translation": ["27: items[0](value_1).text: missing the 'es' translation"],
    "knowledge-without-answer": [
        "39: items[3](quiz_1): a knowledge item needs its correct `answer`"
    ],
    "knowledge-answer-not-option": [
        "45: items[3](quiz_1).answer: the answer 'c' is not one of the options"
    ],
    "reverse-on-non-likert": [
        "41: items[3](quiz_1).reverse: `reverse` applies only to Likert items, not 'knowledge'"
    ],
    "page-unknown-item": [
        "53: pages[0](first).items[2]: unknown item 'aware_9'",
        "51: pages: item 'aware_1' is on no page",
    ],
    "schema-violation": [
        "1: (top level): Additional properties are not allowed ('author' was unexpected)",
        "2: version: 'one' is not of type 'integer'",
    ],
    "not-yaml": ["8: not valid YAML: expected ',' or ']', but got ':'"],
    "label-count": ["13: response_scales.agree5.labels.es: 4 labels for a 5-point scale"],
    "duplicate-key": ["18: scales[0]: key 'cluster' appears twice"],
    "dont-know-misplaced": [
        "41: items[3](quiz_1).dont_know: `dont_know` applies only to Likert items, not 'knowledge'",
        "45: items[3](quiz_1).options[1](dont_know).id: 'dont_know' is kept for the "
        '"I don\'t know" answer the app adds',
    ],
    "levels-asked-of-nobody": [
        "58: pages[1](second).levels[0]: 'director' is not one of "
        "['frontline', 'manager', 'senior_leader']",
        "27: items[0](value_1).levels: asked of nobody: the levels of its own (manager) and "
        "its page 'first' (frontline) have none in common",
    ],
}


def test_every_broken_fixture_has_an_expectation():
    assert sorted(path.stem for path in BROKEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_file_fails_with_file_line_location_and_reason(run, name):
    path = BROKEN / f"{name}.yaml"
    result = run("instruments", "validate", str(path))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert problems == [f"{path}:{expected}" for expected in EXPECTED[name]]


def test_a_folder_reports_the_problems_of_all_its_files_at_once(run):
    result = run("instruments", "validate", str(BROKEN))
    assert result.exit_code == 1
    for name in EXPECTED:
        assert f"{BROKEN / name}.yaml:" in result.stderr


def test_the_shipped_instruments_are_valid(run):
    result = run("instruments", "validate")
    assert result.exit_code == 0, result.output
    for slug in ("ai-literacy", "adoption-readiness", "ai-concerns", "stakeholder-alignment"):
        assert f": {slug} version " in result.output


def test_a_missing_path_is_named(run, tmp_path):
    result = run("instruments", "validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in result.stderr


def test_yaml_tags_cannot_construct_python_objects(run, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text("id: !!python/object/apply:os.system ['touch pwned']\n")
    result = run("instruments", "validate", str(hostile))
    assert result.exit_code == 1
    assert "not valid YAML" in result.stderr
    assert not (REPO_DIR / "pwned").exists()
