"""The synthetic organisation's make-up: its units, archetypes and how each shapes answers.

Data for `surveyapp.demo.synthetic`, kept apart from the generator so the story the demo tells
(which unit resists how, which function sees what) can be read and changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVEL_SHARES = {"frontline": 0.75, "manager": 0.18, "senior_leader": 0.07}
FUNCTIONS = (
    "finance",
    "operations",
    "legal",
    "technology",
    "risk",
    "hr",
    "sales",
    "customer-service",
)
MISSING_SHARE = 0.03
# "Don't know": the share of a Likert item that offers it, and of wrong quiz answers.
DONT_KNOW_SHARE = 0.04
QUIZ_DONT_KNOW_SHARE = 0.4
COMMENT_SHARE = 0.35
RESPONDENT_NOISE = 0.35
ITEM_NOISE = 0.5

# Latent offsets (in z units) of each archetype on the ai-concerns constructs.
ARCHETYPES: dict[str, dict[str, float]] = {
    "champions": {
        "job_security": 0.7,
        "trust_output": 0.8,
        "workload": 0.6,
        "autonomy": 0.7,
        "fairness_ethics": 0.7,
        "perceived_value": 1.1,
        "ease_of_use": 0.9,
        "leader_support": 0.8,
    },
    "job_security_anxious": {"job_security": -1.4, "autonomy": -0.8, "perceived_value": -0.2},
    "value_sceptics": {"perceived_value": -1.4, "trust_output": -0.7, "leader_support": -0.2},
    "willing_but_unskilled": {"perceived_value": 0.8, "ease_of_use": -1.3, "workload": -0.3},
    "overloaded": {"workload": -1.6, "ease_of_use": -0.2},
    "trust_and_ethics_concerned": {"trust_output": -1.3, "fairness_ethics": -1.3},
    "unsupported": {"leader_support": -1.6, "trust_output": -0.2},
}
# How each archetype sits on the ADKAR elements and on AI literacy (z units).
ADKAR_EFFECTS: dict[str, dict[str, float]] = {
    "champions": {
        "awareness": 0.8,
        "desire": 1.0,
        "knowledge": 0.6,
        "ability": 0.6,
        "reinforcement": 0.5,
    },
    "job_security_anxious": {"awareness": 0.2, "desire": -1.0, "knowledge": -0.1},
    "value_sceptics": {"awareness": -0.8, "desire": -0.7},
    "willing_but_unskilled": {"awareness": 0.5, "desire": 0.6, "knowledge": -1.0, "ability": -1.0},
    "overloaded": {"awareness": 0.3, "desire": 0.1, "knowledge": -0.3, "ability": -0.9},
    "trust_and_ethics_concerned": {"awareness": 0.2, "desire": -0.6},
    "unsupported": {"awareness": 0.1, "knowledge": -0.2, "reinforcement": -1.1},
}
LITERACY_EFFECTS = {
    "champions": 0.8,
    "job_security_anxious": -0.3,
    "value_sceptics": -0.1,
    "willing_but_unskilled": -0.9,
    "overloaded": -0.2,
    "trust_and_ethics_concerned": 0.3,
    "unsupported": -0.1,
}
LEADER_UPLIFT = {"frontline": 0.0, "manager": 0.35, "senior_leader": 0.7}
# Functions see the programme differently on the stakeholder-alignment constructs.
FUNCTION_VIEWS: dict[str, dict[str, float]] = {
    "technology": {"data_readiness": 0.6, "integration_readiness": 0.7, "problem_definition": -0.3},
    "legal": {"governance": -0.9, "commitment": -0.4},
    "risk": {"governance": -0.7, "data_readiness": -0.3},
    "sales": {"success_metrics": 0.5, "governance": 0.3, "problem_definition": 0.4},
    "finance": {"success_metrics": -0.6, "business_ownership": -0.3},
    "operations": {"business_ownership": 0.4, "integration_readiness": -0.6},
    "customer-service": {"commitment": 0.4, "data_readiness": -0.5},
    "hr": {"problem_definition": -0.5},
}
FUNCTION_VIEWS_CONSTRUCTS = frozenset(
    construct for views in FUNCTION_VIEWS.values() for construct in views
)
OPINION_SPREAD = 0.6  # people differ on the programme's set-up beyond their function's view
LITERACY_DIMENSIONS = ("understanding", "use", "evaluation", "ethics")
OUTCOME_WEIGHTS = {"perceived_value": 0.55, "leader_support": 0.25, "ease_of_use": 0.2}


@dataclass(frozen=True)
class UnitPlan:
    """A unit of the synthetic organisation and the archetype mixture of its people."""

    code: str
    name: str
    parent: str | None
    size: int
    mixture: dict[str, float] = field(default_factory=dict)
    spanish_share: float = 0.2


DEMO_UNITS = [
    UnitPlan("RETAIL", "Retail banking", None, 0),
    UnitPlan(
        "BR-NORTH",
        "Branches north",
        "RETAIL",
        520,
        {
            "champions": 0.35,
            "overloaded": 0.3,
            "willing_but_unskilled": 0.2,
            "job_security_anxious": 0.15,
        },
        0.15,
    ),
    UnitPlan(
        "BR-SOUTH",
        "Branches south",
        "RETAIL",
        480,
        {
            "job_security_anxious": 0.45,
            "value_sceptics": 0.2,
            "champions": 0.15,
            "unsupported": 0.2,
        },
        0.45,
    ),
    UnitPlan(
        "CONTACT",
        "Contact centre",
        "RETAIL",
        610,
        {"overloaded": 0.45, "unsupported": 0.25, "willing_but_unskilled": 0.2, "champions": 0.1},
        0.35,
    ),
    UnitPlan(
        "SMALLBIZ",
        "Small business desk",
        "RETAIL",
        4,
        {"champions": 0.5, "value_sceptics": 0.5},
        0.0,
    ),
    UnitPlan(
        "PRIVATE",
        "Private banking desk",
        "RETAIL",
        14,
        {"champions": 0.4, "trust_and_ethics_concerned": 0.6},
        0.0,
    ),
    UnitPlan("CORP", "Corporate and investment banking", None, 0),
    UnitPlan(
        "MARKETS",
        "Markets",
        "CORP",
        260,
        {"champions": 0.5, "trust_and_ethics_concerned": 0.25, "value_sceptics": 0.25},
        0.05,
    ),
    UnitPlan(
        "LENDING",
        "Corporate lending",
        "CORP",
        300,
        {"value_sceptics": 0.4, "trust_and_ethics_concerned": 0.3, "champions": 0.3},
        0.1,
    ),
    UnitPlan("OPS", "Operations and technology", None, 0),
    UnitPlan(
        "TECHOPS",
        "Technology operations",
        "OPS",
        350,
        {"champions": 0.55, "trust_and_ethics_concerned": 0.25, "willing_but_unskilled": 0.2},
        0.1,
    ),
    UnitPlan(
        "BACKOFFICE",
        "Back office",
        "OPS",
        430,
        {"willing_but_unskilled": 0.4, "job_security_anxious": 0.3, "overloaded": 0.3},
        0.3,
    ),
    UnitPlan(
        "LEGALRISK",
        "Legal and risk",
        "OPS",
        180,
        {"trust_and_ethics_concerned": 0.6, "value_sceptics": 0.2, "champions": 0.2},
        0.05,
    ),
]


def scaled_units(units: list[UnitPlan], respondents: int) -> list[UnitPlan]:
    """The same organisation with about `respondents` people answering in all."""
    total = sum(unit.size for unit in units)
    return [
        UnitPlan(
            unit.code,
            unit.name,
            unit.parent,
            round(unit.size * respondents / total),
            unit.mixture,
            unit.spanish_share,
        )
        for unit in units
    ]
