"""The action-plan part of the OpenAPI document: paths with their request bodies, and schemas."""

from __future__ import annotations

from typing import Any

from surveyapp.api.schemas import nullable, ref, strict
from surveyapp.models import ACTION_STATUSES
from surveyapp.models.org import CODE_PATTERN

COMMON = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
}
WRITE_REFUSALS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "422": {"$ref": "#/components/responses/Invalid"},
}


def _answer(status: str, description: str, schema: str) -> dict[str, Any]:
    content = {"application/json": {"schema": ref(schema)}}
    return {status: {"description": description, "content": content}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def _operation(summary: str, responses: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "operationId": summary.lower().replace(" ", "_"),
        "responses": responses | COMMON,
        **more,
    }


def action_paths() -> dict[str, Any]:
    """/actions, /actions/{id} and /actions/{id}/updates: read (admin, change_manager) and
    write (the same roles, within their units); every write is audited."""
    action_id = [{"$ref": "#/components/parameters/action_id"}]
    unit = {
        "name": "unit",
        "in": "query",
        "required": False,
        "description": "only this unit's actions",
        "schema": {"type": "string", "pattern": CODE_PATTERN},
    }
    return {
        "/actions": {
            "get": _operation(
                "List actions",
                _answer("200", "actions of your units (admin, change_manager)", "ActionList"),
                parameters=[unit],
            ),
            "post": _operation(
                "Create action",
                _answer("201", "the action added (audited)", "Action") | WRITE_REFUSALS,
                requestBody=_body("NewAction"),
            ),
        },
        "/actions/{action_id}": {
            "get": _operation(
                "Get action", _answer("200", "the action", "Action"), parameters=action_id
            ),
            "patch": _operation(
                "Update action",
                _answer("200", "the action changed (audited)", "Action") | WRITE_REFUSALS,
                parameters=action_id,
                requestBody=_body("ActionChange"),
            ),
        },
        "/actions/{action_id}/updates": {
            "post": _operation(
                "Add action update",
                _answer("201", "the action with its new update (audited)", "Action")
                | WRITE_REFUSALS,
                parameters=action_id,
                requestBody=_body("NewActionUpdate"),
            ),
        },
    }


def action_schemas() -> dict[str, Any]:
    """The schemas of actions, their updates and the bodies that write them."""
    status = {"enum": list(ACTION_STATUSES)}
    date = {"type": "string", "format": "date"}
    editable = {
        "title": {"type": "string", "maxLength": 200},
        "finding": {"type": "string", "maxLength": 1000},
        "construct": nullable("string", description="the measure the action means to move"),
        "owner": {
            "type": "string",
            "description": "an admin's or the unit's change manager's email",
        },
        "owner_role": {"type": "string", "maxLength": 60},
        "timing": {"type": "string", "maxLength": 60},
        "due_on": date,
        "status": status,
        "notes": {"type": "string"},
    }
    optional = ("finding", "construct", "owner_role", "timing", "status", "notes")
    return {
        "ActionUpdate": strict(
            {
                "written_on": date,
                "author": {"type": "string"},
                "status": {"enum": [*ACTION_STATUSES, None]},
                "text": {"type": "string"},
            }
        ),
        "Action": strict(
            {
                "id": {"type": "integer"},
                "unit": {"type": "string"},
                "campaign": nullable("string", description="the wave it answers, if any"),
                "intervention": nullable("string", description="the playbook action, if any"),
                **editable,
                "started_on": date,
                "done_on": nullable("string", format="date"),
                "updates": {"type": "array", "items": ref("ActionUpdate")},
            }
        ),
        "ActionList": strict({"actions": {"type": "array", "items": ref("Action")}}),
        "NewAction": strict(
            {"unit": {"type": "string", "pattern": CODE_PATTERN}, **editable}, optional
        ),
        "ActionChange": strict(editable, tuple(editable)),
        "NewActionUpdate": strict(
            {"text": {"type": "string", "maxLength": 2000}, "status": status}, ("status",)
        ),
    }
