"""Gaps against the required literacy on a hand-built organisation, and the requirements file."""

from __future__ import annotations

from datetime import date

import pytest

from surveyapp.analytics.coverage_disclosure import publish_coverage
from surveyapp.analytics.literacy_evidence import (
    Done,
    Literacy,
    Organisation,
    Person,
    UnitEvidence,
    Use,
    unit_evidence,
)
from surveyapp.analytics.literacy_requirements import (
    Requirements,
    TierRequirement,
    load_requirements,
    parse_requirements,
)
from surveyapp.errors import InputError
from tests.harness import REPO_DIR

REQUIREMENTS = Requirements(
    {
        "minimal": TierRequirement("minimal", "foundational", 0.0, ()),
        "limited": TierRequirement("limited", "developing", 0.6, ("briefing",)),
        "high": TierRequirement("high", "proficient", 0.6, ("training", "briefing")),
    },
    coverage_target=0.8,
)
DAY = date(2026, 3, 1)


def organisation(sizes: dict[str, int]) -> Organisation:
    """BANK > CS (Customer service), FIN (Finance), SMALL; `sizes` people in each."""
    names = {"BANK": "Bank", "CS": "Customer service", "FIN": "Finance", "SMALL": "Small desk"}
    parents = {"BANK": None, "CS": "BANK", "FIN": "BANK", "SMALL": "BANK"}
    people, serial = [], 0
    for unit, size in sizes.items():
        for _ in range(size):
            serial += 1
            people.append(Person(serial, unit, "customer-service", "frontline"))
    return Organisation(names, parents, people)


def unit_evidences(
    org: Organisation,
    uses: list[Use],
    done: list[Done],
    literacy: dict[str, Literacy | None],
    units: list[str],
) -> list[UnitEvidence]:
    """The units' evidence as published on DAY (k = 5), decided for the whole organisation."""
    published = publish_coverage(org, uses, done, REQUIREMENTS, 5, [DAY])[DAY]
    return unit_evidence(org, published, literacy, REQUIREMENTS, units)


def briefed(people: range, tiers: tuple[str, ...] = ("limited",)) -> list[Done]:
    return [Done(p, "Chatbot briefing", "briefing", tiers, (), date(2026, 1, 5)) for p in people]


LITERACY = {
    "CS": Literacy(
        40,
        {"foundational": 0.41, "developing": 0.39, "proficient": 0.15, "advanced": 0.05},
        52.0,
        58.0,
    ),
    "FIN": Literacy(30, {"foundational": 0.1, "developing": 0.3, "proficient": 0.6}, 71.0, 75.0),
}


def test_a_unit_using_a_limited_risk_chatbot_short_of_its_targets_falls_short():
    org = organisation({"CS": 50, "FIN": 30})
    uses = [Use("chatbot", "limited", "CS", None, None)]
    done = briefed(range(1, 20))  # 19 of the 50 people in CS
    (cs,) = unit_evidences(org, uses, done, LITERACY, ["CS"])
    (finding,) = cs.findings
    assert finding.status == "gap" and finding.coverage[0].population == 50
    assert finding.literacy_share == pytest.approx(0.59) and finding.target_share == 0.6
    assert finding.coverage[0].completed == 19


def test_a_unit_meets_the_requirement_when_literacy_and_coverage_reach_their_targets():
    org = organisation({"CS": 50, "FIN": 30})
    uses = [Use("scoring", "high", "FIN", None, None)]
    done = [
        Done(p, "Model risk", "training", ("high",), (), date(2026, 1, 5)) for p in range(51, 81)
    ]
    done += briefed(range(51, 81), tiers=())  # a briefing for every tier counts for high too
    (fin,) = unit_evidences(org, uses, done, LITERACY, ["FIN"])
    assert fin.findings[0].status == "met"
    assert [c.rate for c in fin.findings[0].coverage] == [1.0, 1.0]


def test_measures_for_another_tier_or_after_the_day_do_not_count():
    org = organisation({"CS": 10})
    uses = [Use("chatbot", "limited", "CS", None, None)]
    done = briefed(range(1, 6), tiers=("high",)) + [
        Done(p, "Chatbot briefing", "briefing", ("limited",), (), date(2026, 4, 1))
        for p in range(6, 11)
    ]
    (cs,) = unit_evidences(org, uses, done, LITERACY, ["CS"])
    assert cs.findings[0].coverage[0].completed == 0


def test_a_use_narrowed_to_a_level_counts_only_those_people():
    org = organisation({"CS": 20})
    people = [
        Person(p.person_id, p.unit, p.function, "manager" if p.person_id <= 12 else p.level)
        for p in org.people
    ]
    org = Organisation(org.names, org.parents, people)
    uses = [Use("chatbot", "limited", "CS", None, "manager")]
    (cs,) = unit_evidences(org, uses, briefed(range(1, 7)), LITERACY, ["CS"])
    assert (cs.findings[0].coverage[0].population, cs.findings[0].coverage[0].completed) == (12, 6)


def test_a_group_under_k_shows_no_count_and_its_sibling_is_hidden_too():
    org = organisation({"CS": 50, "FIN": 30, "SMALL": 3})
    uses = [Use("chatbot", "limited", None, None, None)]  # everyone
    units = ["BANK", "CS", "FIN", "SMALL"]
    found = {e.unit: e for e in unit_evidences(org, uses, briefed(range(1, 60)), LITERACY, units)}
    assert found["SMALL"].findings[0].coverage[0].population is None
    # BANK (83) minus CS (50) would give SMALL (3): the audit hides a shown sibling too
    assert found["FIN"].findings[0].population is None
    assert found["CS"].findings[0].coverage[0].population == 50
    assert found["BANK"].findings[0].coverage[0].population == 83
    assert found["SMALL"].findings[0].status == "unknown"


def test_hidden_literacy_is_not_judged_a_gap():
    org = organisation({"CS": 50})
    uses = [Use("chatbot", "limited", "CS", None, None)]
    (cs,) = unit_evidences(org, uses, briefed(range(1, 51)), {"CS": None}, ["CS"])
    assert cs.literacy is None and cs.findings[0].literacy_share is None
    assert cs.findings[0].status == "unknown"


def test_a_unit_with_no_system_has_no_finding():
    org = organisation({"FIN": 30})
    (fin,) = unit_evidences(org, [], [], LITERACY, ["FIN"])
    assert fin.findings == () and fin.name == "Finance"


def test_the_shipped_requirements_load():
    shipped = load_requirements(REPO_DIR / "instruments" / "literacy-requirements.yaml")
    assert set(shipped.tiers) == {"minimal", "limited", "high"}
    assert shipped.tiers["limited"].measures == ("briefing",)


def test_a_wrong_requirements_file_names_every_problem():
    with pytest.raises(InputError) as raised:
        parse_requirements(
            {
                "version": 1,
                "coverage_target": 1.5,
                "tiers": {
                    "minimal": {"min_level": "expert", "target_share": 0.5, "measures": []},
                    "limited": {
                        "min_level": "developing",
                        "target_share": 0.6,
                        "measures": ["webinar"],
                    },
                    "severe": {},
                },
            },
            "req.yaml",
        )
    assert [str(p) for p in raised.value.problems] == [
        "req.yaml: coverage_target: 1.5 is not a share between 0 and 1",
        "req.yaml: tiers.severe: not a risk tier (minimal, limited, high)",
        "req.yaml: tiers.high: missing: every risk tier needs a requirement",
        "req.yaml: tiers.minimal.min_level: 'expert' is not one of foundational, developing, "
        "proficient, advanced",
        "req.yaml: tiers.limited.measures: 'webinar' is not one of training, briefing, "
        "policy_acknowledgement",
    ]
