"""The OpenAPI 3.1 document of /api/v1, built here and served at /api/v1/openapi.json.

The paths, parameters and error answers are here; the answers' schemas are in
`surveyapp.api.schemas`. The test suite validates the document and checks real answers
against it with schemathesis.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from surveyapp.api.access import SLUG
from surveyapp.api.action_docs import action_paths, action_schemas
from surveyapp.api.blueprint import bp
from surveyapp.api.literacy import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from surveyapp.api.schemas import ref, schemas
from surveyapp.models.org import CODE_PATTERN
from surveyapp.services.actions import MAX_ID

REFUSALS = {400: "BadRequest", 409: "Conflict"}  # the errors only some resources give


def error(description: str) -> dict[str, Any]:
    """An error answer: always the Error schema."""
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


def ok(description: str, schema: str) -> dict[str, Any]:
    """A 200 answer of one of the component schemas."""
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def operation(
    summary: str, response: dict[str, Any], parameters: list[str], refusals: tuple[int, ...] = ()
) -> dict[str, Any]:
    """A GET operation: its parameters, its answer, and the errors every resource can give."""
    responses = {"200": response, "401": {"$ref": "#/components/responses/Unauthorized"}}
    responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    for status in refusals:
        responses[str(status)] = {"$ref": f"#/components/responses/{REFUSALS[status]}"}
    return {
        "summary": summary,
        "operationId": summary.lower().replace(" ", "_").replace("'", ""),
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
        "responses": responses,
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document (built once per process)."""
    unit_query = {
        "name": "unit",
        "in": "query",
        "required": False,
        "description": "only this unit's subtree (and the organisation's row)",
        "schema": {"type": "string", "pattern": CODE_PATTERN},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "surveyapp API",
            "version": "1.0.0",
            "description": (
                "Read access to campaigns, unit results, literacy aggregates and "
                "per-person literacy, and read and write access to action plans, scoped by "
                "the token's user (role and units). Anything outside that scope answers 404. "
                "See docs/api.md."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi_document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "the OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/campaigns": {
                "get": operation(
                    "List campaigns", ok("campaigns in your scope", "CampaignList"), []
                )
            },
            "/campaigns/{slug}": {
                "get": operation("Get campaign", ok("the campaign", "Campaign"), ["slug"])
            },
            "/campaigns/{slug}/units": {
                "get": operation("List units", ok("units in your scope", "UnitList"), ["slug"])
            },
            "/campaigns/{slug}/units/{code}/results": {
                "get": operation(
                    "Get unit results",
                    ok("the unit's group of the analysis (admin, change_manager)", "UnitResults"),
                    ["slug", "code"],
                )
            },
            "/campaigns/{slug}/units/{code}/brief.pdf": {
                "get": operation(
                    "Get unit brief",
                    {
                        "description": "the unit's PDF brief (admin, change_manager); audited",
                        "content": {
                            "application/pdf": {
                                "schema": {"type": "string", "contentMediaType": "application/pdf"}
                            }
                        },
                    },
                    ["slug", "code"],
                    (409,),
                )
            },
            "/campaigns/{slug}/literacy": {
                "get": operation(
                    "Get literacy by unit",
                    ok("literacy by unit (admin, hr): the by-unit export's rows", "LiteracyByUnit"),
                    ["slug", "unit"],
                    (409,),
                )
            },
            "/campaigns/{slug}/literacy/people": {
                "get": operation(
                    "Get literacy per person",
                    ok(
                        "a page of consenting people (admin, hr; confidential campaigns); "
                        "every read is audited",
                        "PeoplePage",
                    ),
                    ["slug", "unit", "limit", "offset"],
                    (400, 409),
                )
            },
            **action_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a personal API token (staff area: API tokens)",
                }
            },
            "parameters": {
                "slug": {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": SLUG.pattern},
                },
                "code": {
                    "name": "code",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": CODE_PATTERN},
                },
                "unit": unit_query,
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                },
                "action_id": {
                    "name": "action_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "schema": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": MAX_OFFSET,
                        "default": 0,
                    },
                },
            },
            "responses": {
                "BadRequest": error("a query parameter is out of range, or a body is malformed"),
                "Invalid": error("the action's fields are refused; the message names each"),
                "Unauthorized": {
                    **error("no token, or an unknown, revoked or deactivated one"),
                    "headers": {
                        "WWW-Authenticate": {"schema": {"type": "string"}},
                    },
                },
                "NotFound": error("no such resource, or outside your scope (or role)"),
                "Conflict": error("the campaign does not have these results"),
                "TooManyRequests": error("the token's rate limit is spent; wait a minute"),
            },
            "schemas": schemas() | action_schemas(),
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI document; public, since it describes the API and holds no data."""
    return jsonify(openapi_document())
