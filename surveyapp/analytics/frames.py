"""What the analytics read: a campaign's respondents and answers as frames, and its scales."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

RESPONDENT_COLUMNS = ("unit", "function", "level", "locale", "consent", "employee_id")
ADKAR_ORDER = ("awareness", "desire", "knowledge", "ability", "reinforcement")


@dataclass(frozen=True)
class ScaleSpec:
    """A construct and the answer columns that measure it.

    `key` is `<instrument>.<scale>` (unique in a campaign); `items` are answer columns named
    `<instrument>.<item>`; items in `reverse` are scored `points + 1 - answer`; `levels` are
    the levels asked any of its items (None: everyone).
    """

    key: str
    instrument: str
    scale: str
    items: tuple[str, ...]
    points: int
    reverse: frozenset[str] = frozenset()
    adkar: str | None = None
    cluster: bool = False
    outcome: bool = False
    title: dict[str, str] = field(default_factory=dict)
    levels: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QuizSpec:
    """The knowledge items of an instrument; their answer columns hold 1.0 right, 0.0 wrong."""

    instrument: str
    items: tuple[str, ...]


def split_declined(
    answers: pd.DataFrame, quiz_columns: set[str], declined_value: float
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Answers with "don't know" (`declined_value`) read as the analysis scores it: a blank
    for Likert items (left out of scale scores), not correct (0.0) for quiz items; and where
    it was answered (None when nowhere)."""
    declined = answers == declined_value
    if not declined.to_numpy().any():
        return answers, None
    quiz = [column for column in answers.columns if column in quiz_columns]
    cleaned = answers.mask(declined)
    cleaned[quiz] = cleaned[quiz].where(~declined[quiz], 0.0)
    return cleaned, declined


@dataclass
class CampaignData:
    """One campaign's data, as the analysis needs it.

    respondents: index `response_id` (str), columns RESPONDENT_COLUMNS (unit and function are
        codes; level is frontline | manager | senior_leader; consent bool; employee_id or None).
    answers: same index, one float column per Likert or knowledge item (NaN: not answered).
    comments: columns response_id, item (`<instrument>.<item>`), locale, text.
    unit_parents: unit code -> parent code (None at the top), for every unit of the tree.
    item_levels: answer column -> the levels asked it, for the columns not asked of everyone;
        a blank where the respondent's level was not asked is "not applicable", not missing.
    declined: same index, a bool column per answer column: answered "don't know" (a Likert
        item's blank in `answers`, a quiz item's 0.0); None when nobody did.
    withheld: (kind, key) of the groups the result release's audit hid beyond its own plan
        (`release_audit`), hidden again by every reader of the release.
    """

    campaign: str
    respondents: pd.DataFrame
    answers: pd.DataFrame
    comments: pd.DataFrame
    scales: list[ScaleSpec]
    quizzes: list[QuizSpec]
    unit_parents: dict[str, str | None]
    min_group_size: int = 5
    min_comment_group_size: int = 10
    item_levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    declined: pd.DataFrame | None = None
    withheld: frozenset[tuple[str, str]] = frozenset()

    def asked(self, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
        """Whether each respondent was asked each of `columns` (bool, indexed like answers)."""
        levels = self.respondents["level"]
        return pd.DataFrame(
            {
                column: levels.isin(self.item_levels[column]).to_numpy()
                if column in self.item_levels
                else np.ones(len(levels), dtype=bool)
                for column in columns
            },
            index=self.respondents.index,
            columns=list(columns),
        )
