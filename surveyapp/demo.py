"""A synthetic organisation whose answers come from a known mixture of resistance archetypes.

Each respondent belongs to one archetype, drawn from their unit's mixture; the archetype sets
their latent attitude on every construct, noise and item wording effects turn latents into
Likert points, a latent literacy drives the quiz, and some write a comment typical of their
archetype. Tests check that the analysis recovers what was planted; the demo and the
benchmarks use the same generator at other sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveyapp.analytics.frames import CampaignData
from surveyapp.datasets import campaign_scales
from surveyapp.demo_comments import COMMENTS
from surveyapp.services.layout import CampaignLayout, Question
from surveyapp.services.responses import Submission

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


@dataclass
class SyntheticWave:
    """Generated respondents, their raw answers per question column, and the planted truth."""

    respondents: pd.DataFrame
    values: dict[str, np.ndarray]
    archetypes: np.ndarray


def _draw(rng: np.random.Generator, weights: dict[str, float], size: int) -> np.ndarray:
    names = list(weights)
    shares = np.asarray([weights[name] for name in names], dtype=float)
    return np.asarray(names, dtype=object)[
        rng.choice(len(names), size=size, p=shares / shares.sum())
    ]


def _respondents(
    units: list[UnitPlan], rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Who answers: unit, function, level, language; and the archetype of each."""
    frames, archetypes = [], []
    for unit in units:
        if unit.size == 0:
            continue
        archetypes.append(_draw(rng, unit.mixture or {"champions": 1.0}, unit.size))
        spanish = rng.random(unit.size) < unit.spanish_share
        frames.append(
            pd.DataFrame(
                {
                    "unit": unit.code,
                    "function": _draw(rng, dict.fromkeys(FUNCTIONS, 1.0), unit.size),
                    "level": _draw(rng, LEVEL_SHARES, unit.size),
                    "locale": np.where(spanish, "es", "en"),
                }
            )
        )
    respondents = pd.concat(frames, ignore_index=True)
    respondents.index = pd.Index([f"r{i:07d}" for i in range(len(respondents))], name="response_id")
    return respondents, np.concatenate(archetypes)


def _latents(
    respondents: pd.DataFrame,
    archetypes: np.ndarray,
    constructs: list[str],
    shift: float,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """The latent score (z units) of every respondent on every construct."""
    size = len(respondents)
    uplift = respondents["level"].map(LEADER_UPLIFT).to_numpy(dtype=float)
    functions = respondents["function"].to_numpy()
    latents: dict[str, np.ndarray] = {}
    for construct in constructs:
        offset = np.zeros(size)
        for name in ARCHETYPES:
            chosen = archetypes == name
            offset[chosen] = ARCHETYPES[name].get(construct, 0.0) + ADKAR_EFFECTS[name].get(
                construct, 0.0
            )
        if construct in ("awareness", "desire", "knowledge", "ability", "reinforcement"):
            offset += uplift + shift
        for function, views in FUNCTION_VIEWS.items():
            offset[functions == function] += views.get(construct, 0.0)
        latents[construct] = offset + rng.normal(0.0, RESPONDENT_NOISE, size)
        if construct in FUNCTION_VIEWS_CONSTRUCTS:
            latents[construct] += rng.normal(0.0, OPINION_SPREAD, size)
    literacy = np.vectorize(LITERACY_EFFECTS.get)(archetypes).astype(float)
    latents["_literacy"] = literacy + 0.4 * uplift + shift + rng.normal(0.0, 0.5, size)
    for construct in LITERACY_DIMENSIONS:
        latents[construct] = latents["_literacy"] + rng.normal(0.0, RESPONDENT_NOISE, size)
    intention = sum(
        weight * latents[name] for name, weight in OUTCOME_WEIGHTS.items() if name in latents
    )
    latents["intention"] = np.asarray(intention) + rng.normal(0.0, 0.35, size)
    return latents


def _likert(question: Question, latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Likert points from a latent: centred on the midpoint, reverse items flipped, some blank."""
    points = question.item.response_scale.points
    middle, spread = (points + 1) / 2, (points - 1) / 4
    raw = middle + spread * (latent + rng.normal(0.0, ITEM_NOISE, latent.size))
    answer = np.clip(np.rint(raw), 1, points)
    if question.item.reverse:
        answer = points + 1 - answer
    answer[rng.random(latent.size) < MISSING_SHARE] = np.nan
    return answer


def _choice(question: Question, literacy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Quiz answers right more often with higher literacy; other choices follow literacy rank."""
    options = np.asarray(question.option_ids, dtype=object)
    if question.item.type == "knowledge":
        right = rng.random(literacy.size) < 1 / (1 + np.exp(-(0.4 + 1.3 * literacy)))
        wrong = options[options != question.item.answer]
        chosen = np.where(
            right, question.item.answer, wrong[rng.integers(0, wrong.size, literacy.size)]
        )
    else:
        rank = np.argsort(np.argsort(literacy + rng.normal(0, 0.7, literacy.size)))
        chosen = options[(rank * options.size) // literacy.size]
    if question.item.type == "multi":
        chosen = np.asarray([[choice] for choice in chosen], dtype=object)
    return chosen.astype(object)


def _comments(
    respondents: pd.DataFrame, archetypes: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Some respondents write a comment typical of their archetype, in their language."""
    texts = np.full(len(respondents), None, dtype=object)
    writes = rng.random(len(respondents)) < COMMENT_SHARE
    locales = respondents["locale"].to_numpy()
    for index in np.flatnonzero(writes):
        pool = COMMENTS[archetypes[index]][locales[index]]
        texts[index] = pool[rng.integers(0, len(pool))]
    return texts


def synthesize(
    layout: CampaignLayout, units: list[UnitPlan], seed: int, shift: float = 0.0
) -> SyntheticWave:
    """Generate one wave of answers to the campaign's questions; `shift` lifts readiness."""
    rng = np.random.default_rng(seed)
    respondents, archetypes = _respondents(units, rng)
    constructs = sorted({q.item.scale.key for q in layout.questions if q.item.scale is not None})
    latents = _latents(respondents, archetypes, constructs, shift, rng)
    values: dict[str, np.ndarray] = {}
    for question in layout.questions:
        kind = question.item.type
        if kind == "likert":
            values[question.column] = _likert(question, latents[question.item.scale.key], rng)
        elif kind == "text":
            values[question.column] = _comments(respondents, archetypes, rng)
        else:
            values[question.column] = _choice(question, latents["_literacy"], rng)
    return SyntheticWave(respondents, values, archetypes)


def to_campaign_data(
    wave: SyntheticWave,
    layout: CampaignLayout,
    unit_parents: dict[str, str | None],
    campaign: str,
    min_group_size: int = 5,
    min_comment_group_size: int = 10,
) -> CampaignData:
    """The wave as the analytics read it, without going through a database."""
    index = wave.respondents.index
    answers = {}
    for question in layout.vector_questions:
        raw = wave.values[question.column]
        if question.item.type == "knowledge":
            answers[question.column] = np.where(
                pd.isna(raw), np.nan, (raw == question.item.answer).astype(float)
            )
        else:
            answers[question.column] = raw.astype(float)
    comments = [
        (index[row], question.column, wave.respondents["locale"].iloc[row], text)
        for question in layout.questions
        if question.item.type == "text"
        for row, text in enumerate(wave.values[question.column])
        if text is not None
    ]
    respondents = wave.respondents.assign(consent=False, employee_id=None)
    scales, quizzes = campaign_scales(layout)
    return CampaignData(
        campaign=campaign,
        respondents=respondents,
        answers=pd.DataFrame(answers, index=index),
        comments=pd.DataFrame(comments, columns=["response_id", "item", "locale", "text"]),
        scales=scales,
        quizzes=quizzes,
        unit_parents=unit_parents,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
    )


def to_submissions(
    wave: SyntheticWave,
    layout: CampaignLayout,
    unit_ids: dict[str, int],
    function_ids: dict[str, int],
) -> list[Submission]:
    """The wave as submissions to store, as if each respondent had answered the survey."""
    columns = [(q.column, q.item.type, wave.values[q.column]) for q in layout.questions]
    submissions = []
    for row, (unit, function, level, locale) in enumerate(
        wave.respondents[["unit", "function", "level", "locale"]].itertuples(index=False)
    ):
        answers = {}
        for column, kind, values in columns:
            value = values[row]
            if value is None or (kind == "likert" and np.isnan(value)):
                continue
            answers[column] = int(value) if kind == "likert" else value
        submissions.append(
            Submission(unit_ids[unit], function_ids[function], level, locale, answers)
        )
    return submissions


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
