"""Per-respondent scores: scale means, quiz percent, AI-literacy and ADKAR readiness indices."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from surveyapp.analytics.frames import ADKAR_ORDER, CampaignData, QuizSpec, ScaleSpec

MIN_ANSWERED_SHARE = (2, 3)  # a scale score needs ceil(2/3 of its items) answered
LITERACY_INSTRUMENT = "ai-literacy"
QUIZ_PERCENT = "quiz_percent"
QUIZ_DONT_KNOW = "quiz_dont_know"
LITERACY_INDEX = "literacy_index"
LITERACY_LEVEL = "literacy_level"
READINESS_INDEX = "readiness_index"
# Literacy index cut-offs (0..100): foundational < 40 <= developing < 60 <= proficient < 80
# <= advanced. A score at a cut-off belongs to the higher level.
LITERACY_CUTOFFS = (40.0, 60.0, 80.0)
LITERACY_LEVELS = ("foundational", "developing", "proficient", "advanced")
# Prosci: the barrier point is the first ADKAR element, in order, scoring 3 or below (1-5).
BARRIER_THRESHOLD = 3.0
# A mean within this distance above the threshold counts as at it (float rounding of means).
BARRIER_TOLERANCE = 1e-9
READINESS_MIN_ELEMENTS = 4


def min_answered(item_count: int | np.ndarray) -> int | np.ndarray:
    """How many of `item_count` items must be answered for a scale score: ceil(2/3 of them)."""
    numerator, denominator = MIN_ANSWERED_SHARE
    return -(-item_count * numerator // denominator)


def keyed_items(answers: pd.DataFrame, scale: ScaleSpec) -> pd.DataFrame:
    """The scale's answer columns with reverse-keyed items flipped to `points + 1 - answer`.

    Columns missing from `answers` come back as all-NaN (not answered).
    """
    block = answers.reindex(columns=list(scale.items)).astype("float64")
    flipped = [item for item in scale.items if item in scale.reverse]
    if flipped:
        block[flipped] = scale.points + 1 - block[flipped]
    return block


def _row_mean(values: np.ndarray, needed: int | np.ndarray) -> np.ndarray:
    """Mean of the non-NaN values of each row; NaN where fewer than `needed` are present."""
    present = ~np.isnan(values)
    count = present.sum(axis=1)
    total = np.where(present, values, 0.0).sum(axis=1)
    out = np.full(values.shape[0], np.nan)
    enough = (count >= needed) & (count > 0)
    out[enough] = total[enough] / count[enough]
    return out


def _asked_count(asked: pd.DataFrame | None, items: tuple[str, ...], rows: int) -> np.ndarray:
    """Per respondent, how many of `items` they were asked (all of them without a mask)."""
    if asked is None:
        return np.full(rows, len(items))
    return asked.reindex(columns=list(items), fill_value=True).to_numpy().sum(axis=1)


def score_scales(
    answers: pd.DataFrame, scales: list[ScaleSpec], asked: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Scale scores per respondent: one column per scale key, indexed like `answers`.

    A score is the mean of the answered items after reverse keying (`points + 1 - x`), and
    exists only when at least ceil(2/3 of the scale's items asked of the respondent) are
    answered; otherwise NaN. `asked` (bool, like `answers`) says who was asked what; a
    respondent asked none of a scale's items has no score (not applicable, not missing).
    """
    rows = len(answers)
    columns = {
        scale.key: _row_mean(
            keyed_items(answers, scale).to_numpy(),
            np.maximum(min_answered(_asked_count(asked, scale.items, rows)), 1),
        )
        for scale in scales
    }
    return pd.DataFrame(columns, index=answers.index, columns=[s.key for s in scales])


def quiz_percent(
    answers: pd.DataFrame, quiz: QuizSpec, asked: pd.DataFrame | None = None
) -> pd.Series:
    """Percent correct (0..100) over the quiz's items asked of each respondent.

    Knowledge columns hold 1.0 (right) or 0.0 (wrong or "I don't know"); an unanswered item
    counts as wrong, but a respondent who answered none of the items gets NaN. Items not
    asked of a respondent's level (`asked`) are not in their denominator.
    """
    block = answers.reindex(columns=list(quiz.items)).to_numpy(dtype="float64")
    answered = (~np.isnan(block)).sum(axis=1)
    correct = np.where(np.isnan(block), 0.0, block).sum(axis=1)
    total = np.maximum(_asked_count(asked, quiz.items, len(answers)), 1)
    percent = np.where(answered > 0, correct / total * 100.0, np.nan)
    return pd.Series(percent, index=answers.index, name=QUIZ_PERCENT)


def rescale_to_percent(score: pd.Series | np.ndarray, points: int) -> pd.Series | np.ndarray:
    """A 1..points score on 0..100: (score - 1) / (points - 1) * 100."""
    return (score - 1.0) / (points - 1) * 100.0


def _mean_of_present(frame: pd.DataFrame, needed: int) -> pd.Series:
    """Row means over non-NaN columns; NaN where fewer than `needed` columns are present."""
    values = _row_mean(frame.to_numpy(dtype="float64"), needed)
    return pd.Series(values, index=frame.index)


def self_assessed_literacy(scores: pd.DataFrame, scales: list[ScaleSpec]) -> pd.Series:
    """Mean of the `ai-literacy` dimension scores rescaled to 0..100, over the dimensions
    present; NaN unless at least ceil(2/3) of the dimensions are scored (3 of 4), the rule a
    scale applies to its items, so one or two dimensions cannot stand for the whole."""
    parts = {
        scale.key: rescale_to_percent(scores[scale.key], scale.points)
        for scale in scales
        if scale.instrument == LITERACY_INSTRUMENT and scale.key in scores
    }
    needed = min_answered(len(parts))
    return _mean_of_present(pd.DataFrame(parts, index=scores.index), needed).rename(
        "self_assessed_literacy"
    )


def literacy_index(scores: pd.DataFrame, scales: list[ScaleSpec], quiz: pd.Series) -> pd.Series:
    """AI-literacy index 0..100 per respondent: self-assessment and quiz, equal weights.

    index = (self_assessed_literacy + quiz_percent) / 2, where the self-assessment is the mean
    of the `ai-literacy` dimension scores rescaled by `rescale_to_percent`; NaN when either
    part is missing.
    """
    self_assessed = self_assessed_literacy(scores, scales)
    return ((self_assessed + quiz.reindex(scores.index)) / 2.0).rename(LITERACY_INDEX)


def literacy_levels(index: pd.Series) -> pd.Series:
    """The literacy level of each index value, as an ordered Categorical of LITERACY_LEVELS.

    Half-open bands at LITERACY_CUTOFFS: [0, 40) foundational, [40, 60) developing,
    [60, 80) proficient, [80, 100] advanced; NaN stays NaN.
    """
    bins = [-math.inf, *LITERACY_CUTOFFS, math.inf]
    levels = pd.cut(index, bins=bins, labels=list(LITERACY_LEVELS), right=False, ordered=True)
    return levels.rename(LITERACY_LEVEL)


def adkar_scales(scales: list[ScaleSpec]) -> dict[str, ScaleSpec]:
    """The scales tagged with an ADKAR element, keyed by element, in ADKAR order."""
    tagged = {scale.adkar: scale for scale in scales if scale.adkar in ADKAR_ORDER}
    return {element: tagged[element] for element in ADKAR_ORDER if element in tagged}


def adkar_profile(
    means: Mapping[str, float] | pd.Series, scales: list[ScaleSpec]
) -> dict[str, float]:
    """A group's ADKAR profile: element -> mean of its scale (1..points), in ADKAR order.

    `means` maps scale keys to a group's means (e.g. a `GroupResult.means` or
    `scores.mean()`); elements whose scale has no mean are left out.
    """
    profile: dict[str, float] = {}
    for element, scale in adkar_scales(scales).items():
        value = means.get(scale.key)
        if value is not None and not pd.isna(value):
            profile[element] = float(value)
    return profile


def barrier_point(profile: Mapping[str, float], threshold: float = BARRIER_THRESHOLD) -> str | None:
    """The first ADKAR element, in ADKAR order, whose mean is at or below `threshold`.

    Prosci's rule on the 1-5 scale: 3 or below is a barrier; later elements are not worked on
    until it is cleared. Missing or NaN elements are skipped. None when no element is a barrier.
    """
    for element in ADKAR_ORDER:
        value = profile.get(element)
        if value is not None and not pd.isna(value) and value <= threshold + BARRIER_TOLERANCE:
            return element
    return None


def readiness_index(scores: pd.DataFrame, scales: list[ScaleSpec]) -> pd.Series:
    """Adoption readiness 0..100 per respondent: mean of the ADKAR scale scores on 0..100.

    Each element's score is rescaled by `rescale_to_percent`; NaN when fewer than
    READINESS_MIN_ELEMENTS (4) of the five elements have a score.
    """
    parts = {
        element: rescale_to_percent(scores[scale.key], scale.points)
        for element, scale in adkar_scales(scales).items()
        if scale.key in scores
    }
    frame = pd.DataFrame(parts, index=scores.index)
    return _mean_of_present(frame, READINESS_MIN_ELEMENTS).rename(READINESS_INDEX)


def dont_know_count(data: CampaignData, columns: tuple[str, ...]) -> pd.Series:
    """Per respondent, how many of `columns` they answered "don't know"."""
    if data.declined is None:
        return pd.Series(0.0, index=data.answers.index)
    return data.declined.reindex(columns=list(columns), fill_value=False).sum(axis=1).astype(float)


def respondent_scores(data: CampaignData) -> pd.DataFrame:
    """Every per-respondent score of a campaign in one frame, indexed like `data.answers`.

    Columns: one per scale key, then `quiz_percent`, `quiz_dont_know` (how many quiz items
    were answered "I don't know"), `literacy_index` and `literacy_level`
    when the campaign has the ai-literacy scales and quiz, and `readiness_index` when it has
    ADKAR scales; a part whose instrument is absent is simply absent.
    """
    asked = data.asked(list(data.answers.columns)) if data.item_levels else None
    scores = score_scales(data.answers, data.scales, asked)
    quizzes = [quiz for quiz in data.quizzes if quiz.instrument == LITERACY_INSTRUMENT]
    has_literacy_scales = any(s.instrument == LITERACY_INSTRUMENT for s in data.scales)
    extra: dict[str, pd.Series] = {}
    if quizzes:
        quiz = quiz_percent(data.answers, quizzes[0], asked)
        extra[QUIZ_PERCENT] = quiz
        extra[QUIZ_DONT_KNOW] = dont_know_count(data, quizzes[0].items).where(quiz.notna())
        if has_literacy_scales:
            index = literacy_index(scores, data.scales, quiz)
            extra[LITERACY_INDEX] = index
            extra[LITERACY_LEVEL] = literacy_levels(index)
    if adkar_scales(data.scales):
        extra[READINESS_INDEX] = readiness_index(scores, data.scales)
    return scores.assign(**extra) if extra else scores
