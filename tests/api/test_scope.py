"""Each role against each API resource, other campaigns' and units' ids included: 404 outside.

The rules are the staff area's (tests/staff/test_scope.py): change managers reach their
units' campaigns, results and briefs and no literacy; HR reaches literacy, by unit and per
person, and no unit results or briefs; admins reach everything. No brief is rendered here.
"""

from __future__ import annotations

from tests.plugins.api import error_of

A = "/api/v1"
W = f"{A}/campaigns/wave-1"
C = f"{A}/campaigns/conf-1"
R = f"{A}/campaigns/retail-only"
X = f"{A}/campaigns/concerns"
GONE = f"{A}/campaigns/no-such-campaign"

# path -> expected status for (admin, hr, change manager of OPS); None: not requested here
MATRIX = {
    f"{A}/campaigns": (200, 200, 200),
    W: (200, 200, 200),
    R: (200, 200, 404),
    GONE: (404, 404, 404),
    f"{A}/campaigns/Not_A_Slug!": (404, 404, 404),
    f"{W}/units": (200, 200, 200),
    f"{R}/units": (200, 200, 404),
    f"{GONE}/units": (404, 404, 404),
    f"{W}/units/OPS/results": (200, 404, 200),
    f"{W}/units/TECHOPS/results": (200, 404, 200),
    f"{W}/units/BR-NORTH/results": (200, 404, 404),
    f"{W}/units/NOPE/results": (404, 404, 404),
    f"{R}/units/OPS/results": (404, 404, 404),
    f"{R}/units/RETAIL/results": (200, 404, 404),
    f"{GONE}/units/OPS/results": (404, 404, 404),
    f"{W}/units/BR-NORTH/brief.pdf": (None, 404, 404),
    f"{W}/units/NOPE/brief.pdf": (404, 404, 404),
    f"{R}/units/OPS/brief.pdf": (404, 404, 404),
    f"{GONE}/units/OPS/brief.pdf": (404, 404, 404),
    f"{W}/literacy": (200, 200, 404),
    f"{W}/literacy?unit=BR-NORTH": (200, 200, 404),
    f"{W}/literacy?unit=NOPE": (404, 404, 404),
    f"{R}/literacy?unit=OPS": (404, 404, 404),
    f"{X}/literacy": (409, 409, 404),
    f"{GONE}/literacy": (404, 404, 404),
    f"{W}/literacy/people": (409, 409, 404),
    f"{C}/literacy/people": (200, 200, 404),
    f"{C}/literacy/people?unit=TECHOPS": (200, 200, 404),
    f"{C}/literacy/people?unit=NOPE": (404, 404, 404),
    f"{C}/literacy/people?limit=0": (400, 400, 404),
    f"{C}/literacy/people?offset=-1": (400, 400, 404),
    f"{X}/literacy/people": (409, 409, 404),
    f"{GONE}/literacy/people": (404, 404, 404),
}
ROLES = ("admin", "hr", "change_manager")


def test_each_role_reaches_only_what_it_may(api_world, as_role):
    clients = {role: as_role(api_world, role) for role in ROLES}
    visitor = as_role(api_world, None)
    for path, expected in MATRIX.items():
        assert visitor.get(path).status_code == 401, path
        for role, status in zip(ROLES, expected, strict=True):
            if status is None:
                continue
            response = clients[role].get(path)
            assert response.status_code == status, (path, role, response.get_data(as_text=True))
            if status != 200:
                error_of(response)


def test_outside_the_scope_looks_exactly_like_nothing_there(api_world, as_role):
    manager = as_role(api_world, "change_manager")
    foreign = manager.get(f"{R}/units")  # exists, not the manager's
    missing = manager.get(f"{GONE}/units")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    foreign_unit = manager.get(f"{W}/units/BR-NORTH/results")
    missing_unit = manager.get(f"{W}/units/NOPE/results")
    assert foreign_unit.get_json() == missing_unit.get_json()


def test_a_change_manager_sees_only_their_campaigns_and_units(api_world, as_role):
    manager = as_role(api_world, "change_manager")
    slugs = [c["slug"] for c in manager.get(f"{A}/campaigns").get_json()["campaigns"]]
    assert sorted(slugs) == ["concerns", "conf-1", "wave-1"]
    units = manager.get(f"{W}/units").get_json()["units"]
    assert [u["code"] for u in units] == ["BACKOFFICE", "LEGALRISK", "OPS", "TECHOPS"]
    top = next(u for u in units if u["code"] == "OPS")
    assert top["parent_code"] is None
    assert {u["parent_code"] for u in units if u["code"] != "OPS"} == {"OPS"}
    listed = as_role(api_world, "admin").get(f"{A}/campaigns").get_json()["campaigns"]
    assert "retail-only" in [c["slug"] for c in listed]


def test_errors_have_one_shape_and_stable_codes(api_world, as_role, client):
    admin = as_role(api_world, "admin")
    cases = {
        "unauthorized": as_role(api_world, None).get(f"{A}/campaigns"),
        "not_found": admin.get(f"{GONE}/units"),
        "bad_request": admin.get(f"{C}/literacy/people?limit=abc"),
        "per_person_unavailable": admin.get(f"{W}/literacy/people"),
        "no_literacy_results": admin.get(f"{X}/literacy"),
    }
    for code, response in cases.items():
        assert error_of(response)["code"] == code
    unknown = admin.get(f"{A}/no/such/resource")
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"
    written = client.post(
        f"{A}/campaigns", headers={"Authorization": f"Bearer {api_world.tokens['admin']}"}
    )
    assert written.status_code == 405 and error_of(written)["code"] == "method_not_allowed"
    assert "GET" in written.headers["Allow"]
    refused = cases["unauthorized"]
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert (
        "limit must be a whole number from 1 to 1000"
        in cases["bad_request"].get_json()["error"]["message"]
    )


def test_a_token_over_its_rate_limit_gets_429_and_other_tokens_go_on(app, api_world, as_role):
    app.config["SURVEYAPP_API_RATE_LIMIT"] = "3/minute"
    admin = as_role(api_world, "admin")
    answers = [admin.get(f"{A}/campaigns") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert error_of(answers[-1])["code"] == "too_many_requests"
    assert as_role(api_world, "hr").get(f"{A}/campaigns").status_code == 200
