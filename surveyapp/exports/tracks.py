"""Suggested learning tracks for a person, from their literacy level and weakest dimension."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

DIMENSIONS = ("understanding", "use", "evaluation", "ethics")


@dataclass(frozen=True)
class LearningTrack:
    """A training path HR can enrol someone in."""

    id: str
    title: str
    description: str


LEARNING_TRACKS: dict[str, LearningTrack] = {
    track.id: track
    for track in (
        LearningTrack(
            "ai-foundations",
            "AI foundations",
            "What AI is and is not, where it is used at work, safe everyday use.",
        ),
        LearningTrack(
            "how-ai-works",
            "How AI works",
            "Models, data and probabilities in plain words; why AI gets things wrong.",
        ),
        LearningTrack(
            "hands-on-ai",
            "Hands-on AI at work",
            "Guided practice with the approved tools on the person's own tasks.",
        ),
        LearningTrack(
            "checking-ai-output",
            "Checking AI output",
            "Spotting errors, bias and made-up facts; when to verify and with what.",
        ),
        LearningTrack(
            "responsible-ai",
            "Responsible AI",
            "Privacy, fairness, accountability and the organisation's AI policy in practice.",
        ),
        LearningTrack(
            "ai-champion",
            "AI champion",
            "Coaching colleagues, sharing use cases and feeding back on the programme.",
        ),
    )
}
# Whom the weakest dimension sends where, for developing and proficient people.
DIMENSION_TRACKS = {
    "understanding": "how-ai-works",
    "use": "hands-on-ai",
    "evaluation": "checking-ai-output",
    "ethics": "responsible-ai",
}
RULE = (
    "foundational: ai-foundations; advanced: ai-champion; developing and proficient: the track "
    "of the weakest literacy dimension (understanding: how-ai-works, use: hands-on-ai, "
    "evaluation: checking-ai-output, ethics: responsible-ai; a tie goes to the dimension listed "
    "first); none when the person has no literacy level"
)


def weakest_dimension(scores: Mapping[str, float | None]) -> str | None:
    """The dimension with the lowest score (first in DIMENSIONS on a tie); None if none scored."""
    scored = [
        (value, position, name)
        for position, name in enumerate(DIMENSIONS)
        if (value := scores.get(name)) is not None and not math.isnan(value)
    ]
    return min(scored)[2] if scored else None


def suggest_track(level: str | None, scores: Mapping[str, float | None]) -> str | None:
    """The id of the learning track suggested by RULE, or None without a literacy level."""
    if level == "foundational":
        return "ai-foundations"
    if level == "advanced":
        return "ai-champion"
    if level is None:
        return None
    weakest = weakest_dimension(scores)
    return DIMENSION_TRACKS[weakest] if weakest else "ai-foundations"


def suggest_tracks(levels: pd.Series, scores: pd.DataFrame) -> pd.Series:
    """`suggest_track` for many people at once: `scores` has one column per dimension.

    The same RULE, column-wise: argmin takes the first of tied dimensions, as the rule says.
    """
    values = scores.reindex(columns=list(DIMENSIONS)).to_numpy(dtype="float64")
    missing = np.isnan(values)
    by_dimension = np.array([DIMENSION_TRACKS[dim] for dim in DIMENSIONS], dtype=object)
    weakest = by_dimension[np.where(missing, np.inf, values).argmin(axis=1)]
    tracks = np.where(missing.all(axis=1), "ai-foundations", weakest).astype(object)
    level = levels.to_numpy(dtype=object)
    tracks[level == "foundational"] = "ai-foundations"
    tracks[level == "advanced"] = "ai-champion"
    tracks[pd.isna(level)] = None
    return pd.Series(tracks, index=levels.index, dtype=object)
