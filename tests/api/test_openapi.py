"""The OpenAPI document is valid OpenAPI 3.1, and the API keeps to it (schemathesis).

Schemathesis reads the document the app serves, generates requests for every operation,
sends them to the app in-process with an admin's token, and checks that no answer is a
server error and every answer matches its documented schema. Generated slugs and codes
mostly name nothing (404); the real campaigns and units are sent as well, so the schemas of
real answers (shown and hidden groups, literacy rows, people) are checked too.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

CHECKS = [not_a_server_error, response_schema_conformance]
REAL = [
    {"slug": "wave-1", "code": "TECHOPS"},
    {"slug": "wave-1", "code": "SMALLBIZ"},
    {"slug": "conf-1", "code": "OPS"},
    {"slug": "retail-only", "code": "RETAIL"},
    {"slug": "concerns", "code": "LEGALRISK"},
]
GENERATED_EXAMPLES = 8  # per operation: random values, mostly unknown ids
REAL_EXAMPLES = 3  # per operation and real campaign/unit: the query parameters vary


def test_the_served_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    schemas = document["components"]["schemas"]
    assert {"Error", "HiddenGroup", "ShownGroup", "HiddenLiteracyRow", "Person"} <= set(schemas)
    hidden = schemas["HiddenGroup"]
    assert hidden["additionalProperties"] is False
    assert set(hidden["properties"]) == {"kind", "key", "n", "suppressed", "reason"}


def _run(strategy: st.SearchStrategy, examples: int, headers: dict[str, str]) -> None:
    """Send `examples` generated cases and check each answer (reproducible: derandomized)."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=strategy)
    def check(case) -> None:
        r = case.call_and_validate(headers=headers, checks=CHECKS)
        print(
            "CASE",
            case.method,
            case.formatted_path,
            case.path_parameters,
            case.query,
            r.status_code,
        )

    check()


def test_the_api_answers_as_its_document_says(app, api_data):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {api_data.tokens['admin']}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        _run(operation.as_strategy(), GENERATED_EXAMPLES, headers)
        names = {p.name for p in operation.path_parameters}
        if not names or not names <= set(REAL[0]):  # action ids: the generated ones only
            continue
        if operation.path.endswith("brief.pdf"):  # rendering takes seconds: one hidden unit's
            _run(operation.as_strategy(path_parameters=REAL[1]), 1, headers)
            continue
        for real in REAL:
            values = {name: real[name] for name in names}
            _run(operation.as_strategy(path_parameters=values), REAL_EXAMPLES, headers)
