"""The role map: what a person's claim values give together."""

from __future__ import annotations

from surveyapp.services.sso import Grant, mapped_grant, parse_role_map

MAP = parse_role_map("admins=admin; people=hr; ops=change_manager:OPS; eu=change_manager:EU,OPS")


def test_the_highest_role_wins_and_change_managers_get_all_their_units():
    assert mapped_grant({"groups": ["ops", "people"]}, "groups", MAP) == Grant("hr")
    assert mapped_grant({"groups": ["people", "admins"]}, "groups", MAP) == Grant("admin")
    assert mapped_grant({"groups": ["eu", "ops", "x"]}, "groups", MAP) == Grant(
        "change_manager", ("EU", "OPS")
    )


def test_a_single_string_counts_and_anything_else_maps_to_nothing():
    assert mapped_grant({"role": "admins"}, "role", MAP) == Grant("admin")
    assert mapped_grant({"groups": ["staff"]}, "groups", MAP) is None
    assert mapped_grant({"groups": {"admins": True}}, "groups", MAP) is None
    assert mapped_grant({}, "groups", MAP) is None
