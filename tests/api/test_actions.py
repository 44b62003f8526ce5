"""Action plans through the API: read and write with the token's scope, every write audited."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Action, AuditEvent
from tests.plugins.api import error_of

A = "/api/v1/actions"


def send(client, method: str, path: str, token: str, body=None):
    return client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {token}"})


def new_action(**more) -> dict:
    return {
        "unit": "TECHOPS",
        "title": "Quick-reference guides at every desk",
        "owner": "cm-ops@example.org",
        "due_on": "2030-03-31",
    } | more


def test_a_change_manager_writes_and_reads_their_units_plan(app, api_world):
    client = app.test_client()
    token = api_world.tokens["change_manager"]
    made = send(client, "POST", A, token, new_action(construct="adoption-readiness.knowledge"))
    assert made.status_code == 201, made.get_json()
    action = made.get_json()
    assert action["unit"] == "TECHOPS" and action["status"] == "planned"
    assert action["construct"] == "adoption-readiness.knowledge"
    changed = send(client, "PATCH", f"{A}/{action['id']}", token, {"status": "in_progress"})
    assert changed.status_code == 200 and changed.get_json()["status"] == "in_progress"
    noted = send(
        client, "POST", f"{A}/{action['id']}/updates", token, {"text": "Printed.", "status": "done"}
    )
    assert noted.status_code == 201
    done = noted.get_json()
    assert done["status"] == "done" and done["done_on"] is not None
    assert [u["text"] for u in done["updates"]] == ["", "Printed."]
    listed = send(client, "GET", f"{A}?unit=TECHOPS", token).get_json()["actions"]
    assert [a["id"] for a in listed] == [action["id"]]
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id)
        ).all()
    assert events[-3:] == [
        ("cm-ops@example.org (api)", "action.create"),
        ("cm-ops@example.org (api)", "action.update"),
        ("cm-ops@example.org (api)", "action.note"),
    ]


def test_a_change_manager_cannot_touch_another_units_plan(app, api_world):
    client = app.test_client()
    admin, manager = api_world.tokens["admin"], api_world.tokens["change_manager"]
    theirs = send(
        client, "POST", A, admin, new_action(unit="BR-NORTH", owner="admin@example.org")
    ).get_json()
    assert error_of(send(client, "POST", A, manager, new_action(unit="BR-NORTH")))["status"] == 404
    assert send(client, "GET", f"{A}/{theirs['id']}", manager).status_code == 404
    assert send(client, "PATCH", f"{A}/{theirs['id']}", manager, {"title": "x"}).status_code == 404
    assert (
        send(client, "POST", f"{A}/{theirs['id']}/updates", manager, {"text": "x"}).status_code
        == 404
    )
    assert send(client, "GET", f"{A}?unit=BR-NORTH", manager).status_code == 404
    assert send(client, "GET", A, manager).get_json() == {"actions": []}
    assert send(client, "GET", A, api_world.tokens["hr"]).status_code == 404
    with app.app_context():
        action = db.session.get(Action, theirs["id"])
        assert (action.title, len(action.updates)) == (theirs["title"], 0)


def test_bad_fields_are_named_and_change_nothing(app, api_world):
    client = app.test_client()
    token = api_world.tokens["change_manager"]
    refused = send(client, "POST", A, token, new_action(title="", status="finished"))
    error = error_of(refused)
    assert refused.status_code == 422 and error["code"] == "invalid"
    assert "title: a title is required" in error["message"]
    assert (
        "status: 'finished' is not one of planned, in_progress, done, dropped" in error["message"]
    )
    assert error_of(send(client, "POST", A, token, new_action(due_on="soon")))["status"] == 400
    assert error_of(send(client, "POST", A, token, ["not", "an", "object"]))["status"] == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0
