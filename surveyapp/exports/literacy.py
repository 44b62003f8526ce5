"""The literacy export's two tables: by unit (from the analysis document) and per person.

By unit, every figure is read from the analysis document, so suppression is the document's:
a hidden unit gets its row, its mark and reason, and no number at all. Per person, scores come
from `analytics.scoring` for the consenting people of a confidential campaign only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from surveyapp.analytics.scoring import (
    LITERACY_INDEX,
    LITERACY_INSTRUMENT,
    LITERACY_LEVEL,
    LITERACY_LEVELS,
    QUIZ_DONT_KNOW,
    QUIZ_PERCENT,
)
from surveyapp.analytics.suppression import ORGANISATION, UNIT
from surveyapp.exports.table import Cell, CodedValue, Column, ColumnChunk, ExportTable, chunk_of
from surveyapp.exports.tracks import DIMENSIONS, LEARNING_TRACKS, RULE, suggest_tracks

ORGANISATION_NAME = "Whole organisation"
ROW_CHUNK = 10_000  # people converted and written at once: bounded memory, few calls
LEVEL_MEANINGS = {
    "foundational": "literacy index below 40",
    "developing": "literacy index 40 to under 60",
    "proficient": "literacy index 60 to under 80",
    "advanced": "literacy index 80 or more",
}
LEVEL_VALUES = tuple(
    CodedValue(level, LEVEL_MEANINGS[level], code)
    for code, level in enumerate(LITERACY_LEVELS, start=1)
)
JOB_LEVELS = (
    CodedValue("frontline", "frontline staff"),
    CodedValue("manager", "managers"),
    CodedValue("senior_leader", "senior leaders"),
)


def _dimension_label(dimension: str, what: str) -> str:
    return f"{what} of the self-assessed '{dimension}' literacy dimension (1-5)"


QUIZ_COLUMN = Column(
    "quiz_percent",
    "Percent of the AI-literacy quiz answered correctly (0-100 %)",
    "number",
    measure="scale",
    decimals=1,
)
INDEX_COLUMN = Column(
    "literacy_index",
    "AI-literacy index (0-100): mean of the rescaled self-assessment and the quiz percent",
    "number",
    measure="scale",
    decimals=1,
)

UNIT_COLUMNS = [
    Column(
        "group",
        "Which group the row describes",
        "text",
        (
            CodedValue(ORGANISATION, "the whole organisation (all units)"),
            CodedValue(UNIT, "a business unit, with its sub-units rolled up"),
        ),
    ),
    Column("unit_code", "Unit code ('all' for the organisation)", "text"),
    Column("unit_name", "Unit name", "text"),
    Column(
        "parent_code",
        "Code of the unit's parent (empty for the organisation and top-level units)",
        "text",
        detail="A unit's figures include its sub-units: add up only rows of one depth.",
    ),
    Column(
        "depth",
        "Depth in the unit tree: 0 the organisation, 1 a top-level unit, 2 its sub-units...",
        "integer",
        measure="ordinal",
    ),
    Column("respondents", "Respondents in the group", "integer", measure="scale"),
    *(
        Column(
            f"share_{level}",
            f"Share of respondents at the '{level}' literacy level "
            f"(0-1, 0.25 = 25 %; {LEVEL_MEANINGS[level]})",
            "number",
            measure="scale",
            share=True,
        )
        for level in LITERACY_LEVELS
    ),
    *(
        Column(f"mean_{dim}", _dimension_label(dim, "Mean"), "number", measure="scale")
        for dim in DIMENSIONS
    ),
    Column(
        "quiz_percent",
        "Mean percent of the AI-literacy quiz answered correctly (0-100 %)",
        "number",
        measure="scale",
        decimals=1,
    ),
    Column(
        "literacy_index", "Mean AI-literacy index (0-100)", "number", measure="scale", decimals=1
    ),
    Column(
        "suppressed",
        "Whether the group's figures are hidden to protect its respondents",
        "integer",
        (
            CodedValue(0, "shown: the figures are in the row", 0, "shown"),
            CodedValue(1, "hidden: no figure is given, see suppression_reason", 1, "hidden"),
        ),
    ),
    Column("suppression_reason", "Why the group's figures are hidden (empty when shown)", "text"),
]

PERSON_COLUMNS = [
    Column("employee_id", "Employee id from the roster", "text"),
    Column("campaign", "Name of the campaign", "text"),
    Column("answered_on", "Day the person submitted their answers (YYYY-MM-DD)", "text"),
    Column("unit_code", "Code of the person's unit when they answered", "text"),
    Column("unit_name", "Name of the person's unit", "text"),
    Column("function", "Code of the person's business function", "text"),
    Column("job_level", "The person's job level", "text", JOB_LEVELS),
    *(
        Column(f"score_{dim}", _dimension_label(dim, "Score"), "number", measure="scale")
        for dim in DIMENSIONS
    ),
    QUIZ_COLUMN,
    Column(
        "quiz_dont_know",
        'Quiz questions answered "I don\'t know" (scored as not correct)',
        "integer",
        measure="scale",
    ),
    INDEX_COLUMN,
    Column("literacy_level", "AI-literacy level", "coded", LEVEL_VALUES, measure="ordinal"),
    Column(
        "learning_track",
        "Suggested learning track",
        "text",
        tuple(
            CodedValue(track.id, f"{track.title}: {track.description}")
            for track in LEARNING_TRACKS.values()
        ),
        detail=f"Rule: {RULE}.",
    ),
]


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _depth(code: str, parents: Mapping[str, str | None]) -> int:
    """How many units up to the top, the unit included (a top-level unit is 1)."""
    depth, seen = 1, parents.get(code)
    while seen is not None:
        depth, seen = depth + 1, parents.get(seen)
    return depth


def _unit_row(
    group: Mapping[str, Any], name: str, parents: Mapping[str, str | None]
) -> tuple[Cell, ...]:
    """A group of the analysis document as a row; a hidden group keeps only its mark."""
    top = group["kind"] == ORGANISATION
    identity: tuple[Cell, ...] = (
        group["kind"],
        group["key"],
        name,
        None if top else parents.get(group["key"]),
        0 if top else _depth(group["key"], parents),
    )
    if group["suppressed"]:
        empty = (None,) * (len(UNIT_COLUMNS) - len(identity) - 2)
        return (*identity, *empty, 1, group.get("reason"))
    literacy = group["literacy"]
    scales = group["scales"]
    return (
        *identity,
        group["n"],
        *(literacy["levels"].get(level) for level in LITERACY_LEVELS),
        *(scales.get(f"{LITERACY_INSTRUMENT}.{dim}", {}).get("mean") for dim in DIMENSIONS),
        literacy["quiz_percent"],
        literacy["index"],
        0,
        None,
    )


def unit_table(
    document: Mapping[str, Any],
    unit_names: Mapping[str, str],
    parents: Mapping[str, str | None],
    campaign_name: str,
) -> ExportTable:
    """The organisation, then every unit of the analysis document, in the document's order,
    each with its parent and depth (a unit's figures include its sub-units)."""
    rows = [
        _unit_row(
            group,
            ORGANISATION_NAME
            if group["kind"] == ORGANISATION
            else unit_names.get(group["key"], group["key"]),
            parents,
        )
        for group in document["groups"]
        if group["kind"] in (ORGANISATION, UNIT)
    ]
    return ExportTable(
        title=f"AI literacy by unit, {campaign_name}",
        columns=UNIT_COLUMNS,
        chunks=[chunk_of(rows, len(UNIT_COLUMNS))],
        notes=[
            "Figures come from the campaign's analysis; a unit's figures include its sub-units, "
            "so add up rows of one depth only.",
            f"Groups under {document['min_group_size']} respondents are hidden, and so are others "
            "where needed so that no hidden group can be worked out; every hidden group gives "
            "the same reason.",
        ],
    )


def consenting_people(
    respondents: pd.DataFrame,
    scores: pd.DataFrame,
    campaign_name: str,
    unit_names: Mapping[str, str],
    answered_on: Mapping[str, str],
) -> pd.DataFrame:
    """The consenting people's rows of the export, in PERSON_COLUMNS order, by employee id;
    `answered_on` gives each response's day by response id.

    Everything is computed column-wise here (rounding, levels, tracks), so writing a row
    costs little more than a bare csv.writer loop at a million people.
    """
    agreed = respondents[respondents["consent"].astype(bool) & respondents["employee_id"].notna()]
    own = scores.reindex(agreed.index)
    dimensions = own.reindex(columns=[f"{LITERACY_INSTRUMENT}.{dim}" for dim in DIMENSIONS])
    dimensions.columns = list(DIMENSIONS)
    level = (
        own[LITERACY_LEVEL].astype(object).where(own[LITERACY_LEVEL].notna(), None)
        if LITERACY_LEVEL in own
        else pd.Series(None, index=own.index, dtype=object)
    )
    people = pd.concat(
        [
            agreed[["employee_id"]],
            pd.DataFrame(
                {
                    "campaign": campaign_name,
                    "answered_on": agreed.index.map(answered_on),
                    "unit_code": agreed["unit"],
                    "unit_name": agreed["unit"].map(unit_names),
                },
                index=agreed.index,
            ),
            agreed[["function", "level"]].set_axis(["function", "job_level"], axis=1),
            dimensions.add_prefix("score_").round(4),
            own.reindex(columns=[QUIZ_PERCENT, QUIZ_DONT_KNOW, LITERACY_INDEX]).round(4),
        ],
        axis=1,
    ).assign(literacy_level=level, learning_track=suggest_tracks(level, dimensions))
    people[QUIZ_DONT_KNOW] = people[QUIZ_DONT_KNOW].astype("Int64")
    return people.sort_values("employee_id", kind="stable")


def _cells(values: pd.Series) -> list[Cell]:
    """A column as Python values, a missing value as None (an empty cell, not "nan")."""
    if values.hasnans:
        return values.astype(object).where(values.notna(), None).tolist()
    return values.tolist()


def _person_chunks(people: pd.DataFrame) -> Iterator[ColumnChunk]:
    """The people a chunk at a time, column by column as Python values."""
    for start in range(0, len(people), ROW_CHUNK):
        chunk = people.iloc[start : start + ROW_CHUNK]
        yield [_cells(chunk[name]) for name in chunk.columns]


def person_table(campaign_name: str, people: pd.DataFrame) -> ExportTable:
    """Per-person literacy of the consenting people (see `consenting_people`)."""
    return ExportTable(
        title=f"AI literacy per person, {campaign_name}",
        columns=PERSON_COLUMNS,
        chunks=_person_chunks(people),
        notes=[
            "Only people who consented to per-person results in a confidential campaign.",
            "Personal data: keep it to the people who plan training, delete it when done.",
        ],
    )
