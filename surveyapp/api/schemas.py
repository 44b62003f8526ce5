"""The JSON Schemas of the API's answers (the OpenAPI document's components/schemas).

They say exactly what each answer holds: a hidden group or literacy row is a schema of its
own in which no figure can appear, so checking answers against them (schemathesis, in the
test suite) checks the privacy rules too. Literacy columns come from the export's own column
lists, so the API and the exports cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from surveyapp.analytics.scoring import LITERACY_LEVELS
from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.api.literacy import MAX_LIMIT
from surveyapp.exports.literacy import PERSON_COLUMNS, UNIT_COLUMNS
from surveyapp.exports.table import Column
from surveyapp.exports.tracks import LEARNING_TRACKS

ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")
JSON_TYPES = {"text": "string", "number": "number", "integer": "integer", "coded": "string"}
IDENTITY_COLUMNS = (
    "group",
    "unit_code",
    "unit_name",
    "parent_code",
    "depth",
    "suppressed",
    "suppression_reason",
)


def ref(name: str) -> dict[str, str]:
    """A reference to another component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **more: Any) -> dict[str, Any]:
    """A value of `kind` or null (JSON Schema 2020-12, as OpenAPI 3.1 uses it)."""
    return {"type": [kind, "null"], **more}


def strict(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object with exactly these properties, all required but `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def open_object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A part of the analysis document: these fields at least (the document may grow)."""
    return {"type": "object", "properties": properties, "required": list(required)}


def map_of(values: dict[str, Any]) -> dict[str, Any]:
    """An object keyed by names the data decides (scales, levels, patterns, locales)."""
    return {"type": "object", "additionalProperties": values}


def column_schema(column: Column) -> dict[str, Any]:
    """A literacy export column as a JSON value: its type, or null (an empty cell)."""
    schema = nullable(JSON_TYPES[column.kind], description=column.label)
    values = [coded.value for coded in column.values]
    if column.kind == "coded" or column.name in ("job_level", "learning_track"):
        schema["enum"] = [*values, None]
    return schema


def literacy_rows() -> dict[str, Any]:
    """Shown rows carry the figures; hidden rows carry null in every figure column."""
    shown = {column.name: column_schema(column) for column in UNIT_COLUMNS}
    shown["group"] = {"type": "string", "enum": ["organisation", "unit"]}
    shown["unit_code"] = {"type": "string"}
    shown["unit_name"] = {"type": "string"}
    shown["depth"] = {"type": "integer", "minimum": 0}
    shown["suppressed"] = {"const": 0}
    shown["suppression_reason"] = {"type": "null"}
    hidden = {
        name: {"type": "null"} if name not in IDENTITY_COLUMNS else schema
        for name, schema in shown.items()
    }
    hidden["suppressed"] = {"const": 1}
    hidden["suppression_reason"] = {"type": "string"}
    return {
        "ShownLiteracyRow": strict(shown),
        "HiddenLiteracyRow": strict(hidden),
        "LiteracyRow": {"oneOf": [ref("ShownLiteracyRow"), ref("HiddenLiteracyRow")]},
    }


def group_schemas() -> dict[str, Any]:
    """A group of the analysis document (docs/analysis.md, "The document")."""
    number = nullable("number")
    theme = open_object(
        {
            "id": {"type": "string"},
            "terms": {"type": "array", "items": {"type": "string"}},
            "share": {"type": "number"},
            "comments": {"type": "integer"},
            "examples": {"type": "array", "items": {"type": "string"}},
        },
        ("id", "terms", "share", "comments", "examples"),
    )
    shown = {
        "kind": {"type": "string"},
        "key": {"type": "string"},
        "n": {"type": "integer", "minimum": 0},
        "suppressed": {"const": False},
        "scales": map_of(
            open_object(
                {
                    "mean": number,
                    "answered": {"type": "integer"},
                    "reliability_flag": {"type": "boolean"},
                },
                ("mean", "answered", "reliability_flag"),
            )
        ),
        "adkar": map_of(number),
        "barrier_point": {"enum": [*ADKAR, None]},
        "barrier_distribution": nullable(
            "object",
            description="share of the group at each own barrier point (null: under k counted)",
            properties={element: {"type": "number"} for element in [*ADKAR, "none"]},
            additionalProperties=False,
        ),
        "readiness_index": number,
        "literacy": open_object(
            {"index": number, "quiz_percent": number, "levels": map_of(number)},
            ("index", "quiz_percent", "levels"),
        ),
        "pattern_shares": map_of(number),
        "alignment": open_object(
            {
                "function_gaps": {"type": "array", "items": {"type": "object"}},
                "agreement": {"type": "array", "items": {"type": "object"}},
                "leader_frontline": nullable("object"),
            },
            ("function_gaps", "agreement", "leader_frontline"),
        ),
        "themes": open_object(
            {
                "suppressed": {"type": "boolean"},
                "reason": {"type": "string"},
                "languages": map_of({"type": "array", "items": theme}),
            },
            ("suppressed",),
        ),
        "drivers": nullable(
            "object",
            properties={
                "n": {"type": "integer"},
                "r_squared": number,
                "reason": nullable("string"),
                "drivers": {"type": "array", "items": {"type": "object"}},
            },
        ),
        "recommendations": {
            "type": "array",
            "items": open_object(
                {
                    "intervention": {"type": "string"},
                    "title": map_of({"type": "string"}),
                    "action": map_of({"type": "string"}),
                    "owner": {"type": "string"},
                    "timing": {"type": "string"},
                    "findings": {"type": "array", "items": {"type": "object"}},
                },
                ("intervention", "title", "action", "findings"),
            ),
        },
    }
    return {
        "ShownGroup": strict(shown, optional=("alignment", "themes", "drivers", "recommendations")),
        "HiddenGroup": strict(
            {
                "kind": {"type": "string"},
                "key": {"type": "string"},
                "n": {"type": "null"},
                "suppressed": {"const": True},
                "reason": {"type": "string", "examples": [HIDDEN_REASON]},
            }
        ),
        "Group": {"oneOf": [ref("ShownGroup"), ref("HiddenGroup")]},
    }


def schemas() -> dict[str, Any]:
    """Every schema the API answers with."""
    tracks = list(LEARNING_TRACKS)
    person = {column.name: column_schema(column) for column in PERSON_COLUMNS}
    person["employee_id"] = {"type": "string"}
    person["literacy_level"] = {"enum": [*LITERACY_LEVELS, None]}
    person["learning_track"] = {"enum": [*tracks, None]}
    return {
        "Error": strict(
            {
                "error": strict(
                    {
                        "status": {"type": "integer", "description": "the HTTP status again"},
                        "code": {"type": "string", "description": "stable, machine-readable"},
                        "message": {"type": "string", "description": "what to do about it"},
                    }
                )
            }
        ),
        "Campaign": strict(
            {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "privacy_mode": {"enum": ["anonymous", "confidential"]},
                "per_person_results": {"type": "boolean"},
                "status": {"enum": ["draft", "open", "closed"]},
                "phase": {"enum": ["not_open", "open", "closed"]},
                "opens_at": nullable("string", format="date-time"),
                "closes_at": nullable("string", format="date-time"),
                "min_group_size": {"type": "integer", "minimum": 3},
                "instruments": {"type": "array", "items": {"type": "string"}},
                "respondents": nullable(
                    "integer", description="null when under the minimum group size"
                ),
            }
        ),
        "CampaignList": strict({"campaigns": {"type": "array", "items": ref("Campaign")}}),
        "Unit": strict(
            {
                "code": {"type": "string"},
                "name": {"type": "string"},
                "parent_code": nullable("string", description="null at the top of your scope"),
                "n": nullable(
                    "integer", description="respondents, sub-units included; null when hidden"
                ),
                "suppressed": {"type": "boolean"},
                "reason": nullable("string"),
            }
        ),
        "UnitList": strict(
            {
                "campaign": {"type": "string"},
                "min_group_size": {"type": "integer"},
                "units": {"type": "array", "items": ref("Unit")},
            }
        ),
        **group_schemas(),
        "UnitResults": strict(
            {
                "campaign": {"type": "string"},
                "unit": strict({"code": {"type": "string"}, "name": {"type": "string"}}),
                "min_group_size": {"type": "integer"},
                "group": ref("Group"),
            }
        ),
        **literacy_rows(),
        "LiteracyByUnit": strict(
            {
                "campaign": {"type": "string"},
                "unit": nullable("string"),
                "min_group_size": {"type": "integer"},
                "rows": {"type": "array", "items": ref("LiteracyRow")},
            }
        ),
        "Person": strict(person),
        "PeoplePage": strict(
            {
                "campaign": {"type": "string"},
                "unit": nullable("string"),
                "total": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                "offset": {"type": "integer", "minimum": 0},
                "people": {"type": "array", "items": ref("Person")},
            }
        ),
    }
