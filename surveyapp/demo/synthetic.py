"""A synthetic organisation whose answers come from a known mixture of resistance archetypes.

Each respondent belongs to one archetype, drawn from their unit's mixture; the archetype sets
their latent attitude on every construct, noise and item wording effects turn latents into
Likert points, a latent literacy drives the quiz, and some write a comment typical of their
archetype. Tests check that the analysis recovers what was planted; the demo and the
benchmarks use the same generator at other sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveyapp.analytics.frames import CampaignData, split_declined
from surveyapp.demo.comments import COMMENTS
from surveyapp.demo.profiles import (
    ADKAR_EFFECTS,
    ARCHETYPES,
    COMMENT_SHARE,
    DEMO_UNITS,
    DONT_KNOW_SHARE,
    FUNCTION_VIEWS,
    FUNCTION_VIEWS_CONSTRUCTS,
    FUNCTIONS,
    ITEM_NOISE,
    LEADER_UPLIFT,
    LEVEL_SHARES,
    LITERACY_DIMENSIONS,
    LITERACY_EFFECTS,
    MISSING_SHARE,
    OPINION_SPREAD,
    OUTCOME_WEIGHTS,
    QUIZ_DONT_KNOW_SHARE,
    RESPONDENT_NOISE,
    UnitPlan,
    scaled_units,
)
from surveyapp.services.datasets import campaign_scales, item_levels
from surveyapp.services.layout import DECLINED, DONT_KNOW, CampaignLayout, Question
from surveyapp.services.responses import Submission

__all__ = [
    "DEMO_UNITS",
    "SyntheticWave",
    "UnitPlan",
    "scaled_units",
    "synthesize",
    "to_campaign_data",
    "to_submissions",
]


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


def literacy_lifts(by_unit: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """`synthesize`'s lifts that raise every literacy dimension of some units by z units."""
    return {
        code: dict.fromkeys(("_literacy", *LITERACY_DIMENSIONS), lift)
        for code, lift in by_unit.items()
    }


def synthesize(
    layout: CampaignLayout,
    units: list[UnitPlan],
    seed: int,
    shift: float = 0.0,
    lifts: Mapping[str, Mapping[str, float]] | None = None,
) -> SyntheticWave:
    """Generate one wave of answers to the campaign's questions; `shift` lifts readiness, and
    `lifts` (unit code → construct → z units) lifts some constructs of some units more, as an
    action that worked or literacy measures delivered would (`literacy_lifts`)."""
    rng = np.random.default_rng(seed)
    respondents, archetypes = _respondents(units, rng)
    constructs = sorted({q.item.scale.key for q in layout.questions if q.item.scale is not None})
    latents = _latents(respondents, archetypes, constructs, shift, rng)
    for code, by_construct in (lifts or {}).items():
        mine = (respondents["unit"] == code).to_numpy()
        for construct, lift in by_construct.items():
            latents[construct] = latents[construct] + np.where(mine, lift, 0.0)
    unsure = np.random.default_rng(seed + 1)  # its own stream: the other answers stay as they were
    values: dict[str, np.ndarray] = {}
    for question in layout.questions:
        kind = question.item.type
        if kind == "likert":
            values[question.column] = _likert(question, latents[question.item.scale.key], rng)
        elif kind == "text":
            values[question.column] = _comments(respondents, archetypes, rng)
        else:
            values[question.column] = _choice(question, latents["_literacy"], rng)
        if question.item.dont_know:
            values[question.column] = _some_dont_know(question, values[question.column], unsure)
        if question.item.levels is not None:
            not_asked = ~respondents["level"].isin(question.item.levels).to_numpy()
            values[question.column] = values[question.column].astype(object)
            values[question.column][not_asked] = None
    return SyntheticWave(respondents, values, archetypes)


def _some_dont_know(
    question: Question, answers: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Some answers become "don't know": a few of a Likert item's, many of the wrong quiz
    answers (people who would have guessed)."""
    answers = answers.astype(object)
    draw = rng.random(answers.size)
    if question.item.type == "knowledge":
        chosen = (answers != question.item.answer) & (draw < QUIZ_DONT_KNOW_SHARE)
    else:
        chosen = ~pd.isna(answers) & (draw < DONT_KNOW_SHARE)
    answers[chosen] = DONT_KNOW
    return answers


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
        declined = np.asarray([value == DONT_KNOW for value in raw], dtype=bool)
        if question.item.type == "knowledge":
            numbers = np.where(pd.isna(raw), np.nan, (raw == question.item.answer).astype(float))
        else:
            numbers = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
        answers[question.column] = np.where(declined, DECLINED, numbers)
    quiz_columns = {q.column for q in layout.vector_questions if q.item.type == "knowledge"}
    scored, declined = split_declined(pd.DataFrame(answers, index=index), quiz_columns, DECLINED)
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
        answers=scored,
        comments=pd.DataFrame(comments, columns=["response_id", "item", "locale", "text"]),
        scales=scales,
        quizzes=quizzes,
        unit_parents=unit_parents,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        item_levels=item_levels(layout),
        declined=declined,
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
            if value is None or (kind == "likert" and pd.isna(value)):
                continue
            answers[column] = int(value) if kind == "likert" and value != DONT_KNOW else value
        submissions.append(
            Submission(unit_ids[unit], function_ids[function], level, locale, answers)
        )
    return submissions
