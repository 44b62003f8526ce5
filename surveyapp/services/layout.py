"""A campaign's questions in the order respondents meet them, and how answers are checked.

The survey pages, the response import and the dataset loader all read answers through this
one description, so an answer means the same thing however it arrived. Items are copied into
plain frozen values (loaded instrument versions never change), so a layout can outlive the
database session it was read in and be shared by every request of a process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from surveyapp.catalog.levels import Levels, asks
from surveyapp.catalog.validation import DONT_KNOW
from surveyapp.models import Campaign, Item
from surveyapp.models.instruments import LocalizedText

VECTOR_TYPES = ("likert", "knowledge")
DEFAULT_TEXT_LIMIT = 2000
MULTI_SEPARATOR = ";"
# Its number in the answer vector: outside every Likert range and apart from 0/1 quiz scores,
# so the dataset loader can tell it from a wrong answer and from a blank (datasets.py).
DECLINED = -1.0
AnswerValue = int | str | list[str]  # a Likert point, option id(s) or a comment


@dataclass(frozen=True)
class ScaleInfo:
    """The construct an item measures."""

    key: str
    title: LocalizedText
    adkar: str | None
    cluster: bool
    outcome: bool


@dataclass(frozen=True)
class PointsInfo:
    """A Likert item's answer options: how many points, and their labels per locale."""

    points: int
    labels: dict[str, list[str]]


@dataclass(frozen=True)
class ItemInfo:
    """What a loaded item says, detached from the database row it was read from."""

    id: int
    key: str
    type: str
    text: LocalizedText
    required: bool
    reverse: bool
    options: list[dict[str, Any]] | None
    answer: str | None
    max_length: int | None
    scale: ScaleInfo | None
    response_scale: PointsInfo | None
    levels: Levels = None
    dont_know: bool = False

    @classmethod
    def of(cls, item: Item) -> ItemInfo:
        scale, points = item.scale, item.response_scale
        return cls(
            id=item.id,
            key=item.key,
            type=item.type,
            text=item.text,
            required=item.required,
            reverse=item.reverse,
            options=item.options,
            answer=item.answer,
            max_length=item.max_length,
            scale=ScaleInfo(scale.key, scale.title, scale.adkar, scale.cluster, scale.outcome)
            if scale is not None
            else None,
            response_scale=PointsInfo(points.points, points.labels) if points is not None else None,
            levels=tuple(item.levels) if item.levels is not None else None,
            dont_know=item.type == "knowledge" or bool(item.dont_know),
        )


@dataclass(frozen=True)
class Question:
    """One item of a campaign, named `<instrument>.<item>` as in import files and analyses."""

    column: str
    item: ItemInfo
    instrument: str

    def asked_of(self, level: str) -> bool:
        """Whether someone at `level` is asked this question (the instrument's `levels`)."""
        return asks(self.item.levels, level)

    @property
    def option_ids(self) -> list[str]:
        return [option["id"] for option in self.item.options or []]

    def parse(self, raw: str) -> AnswerValue:
        """Turn the text of an answer into its stored value; ValueError says what is wrong."""
        item = self.item
        if raw == DONT_KNOW and item.dont_know:
            return DONT_KNOW
        if item.type == "likert":
            points = item.response_scale.points
            if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= points:
                raise ValueError(f"{raw!r} is not a whole number from 1 to {points}")
            return int(raw)
        if item.type in ("single", "knowledge"):
            if raw not in self.option_ids:
                raise ValueError(f"{raw!r} is not one of the options {', '.join(self.option_ids)}")
            return raw
        if item.type == "multi":
            chosen = [part.strip() for part in raw.split(MULTI_SEPARATOR) if part.strip()]
            unknown = [part for part in chosen if part not in self.option_ids]
            if unknown or len(set(chosen)) != len(chosen):
                raise ValueError(
                    f"{raw!r} must list distinct options from {', '.join(self.option_ids)} "
                    f"separated by {MULTI_SEPARATOR!r}"
                )
            return chosen
        limit = item.max_length or DEFAULT_TEXT_LIMIT
        raw = raw.replace("\x00", "")  # no keyboard types a NUL, and PostgreSQL cannot store one
        if len(raw) > limit:
            raise ValueError(f"the text is {len(raw)} characters long; the limit is {limit}")
        return raw

    def vector_value(self, value: AnswerValue | None) -> float:
        """The number the analysis reads: the Likert point, 1/0 for a right/wrong quiz answer,
        DECLINED for "don't know"."""
        if value is None:
            return float("nan")
        if value == DONT_KNOW:
            return DECLINED
        if self.item.type == "knowledge":
            return 1.0 if value == self.item.answer else 0.0
        return float(value)

    def stored(self, value: AnswerValue) -> dict[str, Any]:
        """The `Answer` row's value columns for `value`."""
        if self.item.type == "likert" and value != DONT_KNOW:
            return {"number": value, "text": None}
        if self.item.type == "multi":
            return {"number": None, "text": MULTI_SEPARATOR.join(value)}
        return {"number": None, "text": value}


@dataclass(frozen=True)
class CampaignLayout:
    """All questions of a campaign in order, and the subset packed into the answer vector."""

    questions: list[Question]

    @cached_property
    def by_column(self) -> dict[str, Question]:
        return {question.column: question for question in self.questions}

    @cached_property
    def vector_questions(self) -> list[Question]:
        return [q for q in self.questions if q.item.type in VECTOR_TYPES]

    def pack(self, answers: dict[str, AnswerValue]) -> bytes:
        """The answer vector of one response (float32, NaN where unanswered)."""
        values = [q.vector_value(answers.get(q.column)) for q in self.vector_questions]
        return np.asarray(values, dtype="<f4").tobytes()


def campaign_layout(campaign: Campaign) -> CampaignLayout:
    """The questions of the campaign's instruments, in campaign then item order."""
    questions: list[Question] = []
    for entry in campaign.instruments:
        version = entry.instrument_version
        slug = version.instrument.slug
        questions += [
            Question(f"{slug}.{item.key}", ItemInfo.of(item), slug) for item in version.items
        ]
    return CampaignLayout(questions)
