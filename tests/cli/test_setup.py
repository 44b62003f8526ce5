"""An organisation, its roster, staff and a campaign set up through the `surveyapp` CLI alone."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher

from surveyapp.extensions import db
from surveyapp.models import Campaign, Invitation, OrgUnit, Person, User
from tests.factories import ROSTER, UNITS, build_organisation, count, write
from tests.harness import TEST_INSTRUMENTS


def test_an_organisation_and_campaign_built_through_the_cli(app, run, tmp_path: Path):
    result = run("units", "import", str(write(tmp_path, "units.csv", UNITS)))
    assert result.output == "units: 4 created, 0 updated, 0 unchanged\n"
    result = run("roster", "import", str(write(tmp_path, "roster.csv", ROSTER)))
    assert result.output == "people: 4 created, 0 updated, 0 unchanged\n"
    assert run("instruments", "load", str(TEST_INSTRUMENTS / "valid")).exit_code == 0

    result = run(
        "users",
        "create",
        "Carla@Example.com",
        "--role",
        "change_manager",
        "--units",
        "RETAIL",
        input="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    result = run(
        "campaign",
        "create",
        "q1-pulse",
        "--name",
        "Q1 pulse",
        "--instruments",
        "mini-pulse",
        "--units",
        "RETAIL",
        "--mode",
        "anonymous",
        "--min-group",
        "4",
        "--open",
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "links.csv"
    result = run("invitations", "issue", "q1-pulse", "--out", str(out))
    assert result.exit_code == 0, result.output

    with out.open(newline="") as handle:
        links = list(csv.DictReader(handle))
    assert [row["employee_id"] for row in links] == ["E001", "E002", "E003"]  # not OPS's E004
    with app.app_context():
        north = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "BRANCH-N"))
        assert north.parent.code == "RETAIL"
        ana = db.session.scalar(sa.select(Person).where(Person.employee_id == "E001"))
        assert (ana.unit.code, ana.function.code, ana.level, ana.locale) == (
            "BRANCH-N",
            "customer-service",
            "frontline",
            "es",
        )
        assert (
            db.session.scalar(sa.select(Person.locale).where(Person.employee_id == "E003")) == "en"
        )
        user = db.session.scalar(sa.select(User))
        assert user.email == "carla@example.com" and [u.code for u in user.units] == ["RETAIL"]
        assert PasswordHasher().verify(user.password_hash, "correct horse battery")
        campaign = db.session.scalar(sa.select(Campaign))
        assert (campaign.status, campaign.privacy_mode, campaign.min_group_size) == (
            "open",
            "anonymous",
            4,
        )
        assert [ci.instrument_version.instrument.slug for ci in campaign.instruments] == [
            "mini-pulse"
        ]
        hashes = set(db.session.scalars(sa.select(Invitation.token_hash)))
    tokens = [row["link"].rsplit("/s/", 1)[1] for row in links]
    assert all(row["link"].startswith("http://127.0.0.1:5000/s/") for row in links)
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64url
    assert hashes == {hashlib.sha256(token.encode()).hexdigest() for token in tokens}
    assert not (hashes & set(tokens))


def test_issuing_again_invites_only_people_added_since(app, run, tmp_path: Path):
    build_organisation(run, tmp_path)
    run(
        "campaign",
        "create",
        "wave",
        "--name",
        "Wave",
        "--instruments",
        "mini-pulse",
        "--all-units",
        "--mode",
        "confidential",
    )
    run("invitations", "issue", "wave", "--out", str(tmp_path / "first.csv"))
    more = ROSTER + "E005,eve@example.com,OPS,risk,frontline,en\n"
    assert run("roster", "import", str(write(tmp_path, "roster.csv", more))).exit_code == 0
    result = run("invitations", "issue", "wave", "--out", str(tmp_path / "second.csv"))
    assert "1 invitations issued" in result.output and "4 people already had one" in result.output
    assert (tmp_path / "second.csv").read_text().splitlines()[1].startswith("E005,")
    assert count(app, Invitation) == 5
    again = run("invitations", "links", "wave", "--out", str(tmp_path / "all.csv"))
    assert again.exit_code == 0 and "5 links written" in again.output
    issued = (tmp_path / "first.csv").read_text().splitlines()[1:]
    issued += (tmp_path / "second.csv").read_text().splitlines()[1:]
    assert sorted((tmp_path / "all.csv").read_text().splitlines()[1:]) == sorted(issued)
    assert (tmp_path / "all.csv").stat().st_mode & 0o777 == 0o600


def test_a_roster_with_bad_rows_names_every_one_and_imports_nothing(app, run, tmp_path: Path):
    assert run("units", "import", str(write(tmp_path, "units.csv", UNITS))).exit_code == 0
    bad = tmp_path / "roster.csv"
    bad.write_text(
        "employee_id,email,unit,function,level,locale\n"
        "E001,ana@example.com,BRANCH-N,customer-service,frontline,es\n"
        "E002,not-an-email,BRANCH-N,sales,manager,en\n"
        "E003,,NOWHERE,customer-service,frontline,\n"
        "E004,dee@example.com,OPS,astrology,senior_leader,en\n"
        "E005,eve@example.com,OPS,risk,intern,en\n"
        "E001,ana2@example.com,OPS,risk,frontline,english\n"
        ",x@example.com,OPS,risk,frontline,en\n"
    )
    result = run("roster", "import", str(bad))
    assert result.exit_code == 1
    assert "7 problems, nothing was changed" in result.stderr
    for expected in (
        "row 3, column 'email': 'not-an-email' is not an email address",
        "row 4, column 'unit': unknown unit code 'NOWHERE'",
        "row 5, column 'function': unknown function 'astrology'",
        "row 6, column 'level': 'intern' is not one of frontline, manager, senior_leader",
        "row 7, column 'employee_id': 'E001' is already on row 2",
        "row 7, column 'locale': 'english' is not a locale",
        "row 8, column 'employee_id': required",
    ):
        assert f"{bad}: {expected}" in result.stderr
    assert count(app, Person) == 0


def test_a_roster_import_updates_people_by_employee_id(app, run, tmp_path: Path):
    build_organisation(run, tmp_path)
    moved = ROSTER.replace(
        "E002,ben@example.com,BRANCH-N,sales,manager",
        "E002,ben@example.com,OPS,sales,senior_leader",
    )
    result = run("roster", "import", str(write(tmp_path, "roster.csv", moved)))
    assert result.output == "people: 0 created, 1 updated, 3 unchanged\n"
    with app.app_context():
        ben = db.session.scalar(sa.select(Person).where(Person.employee_id == "E002"))
        assert (ben.unit.code, ben.level) == ("OPS", "senior_leader")


def test_a_roster_with_wrong_columns_is_refused(app, run, tmp_path: Path):
    path = write(tmp_path, "roster.csv", "employee_id,mail,unit,function,level,locale\n")
    result = run("roster", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}: header: missing column 'email'" in result.stderr
    assert f"{path}: header: unknown column 'mail'" in result.stderr


def test_units_with_unknown_parents_or_loops_are_refused(app, run, tmp_path: Path):
    path = write(
        tmp_path,
        "units.csv",
        "code,name,parent_code\nA,Unit A,B\nB,Unit B,A\nC,Unit C,GHOST\nD,,\nA,Again,\n",
    )
    result = run("units", "import", str(path))
    assert result.exit_code == 1
    for expected in (
        "row 2, column 'parent_code': this parent makes a loop in the unit tree",
        "row 3, column 'parent_code': this parent makes a loop in the unit tree",
        "row 4, column 'parent_code': unknown unit 'GHOST'",
        "row 5, column 'name': a name of 1 to 200 characters is required",
        "row 6, column 'code': unit 'A' is already defined on row 2",
    ):
        assert f"{path}: {expected}" in result.stderr
    assert count(app, OrgUnit) == 0


def test_users_create_refuses_bad_input_without_creating_anyone(app, run, tmp_path: Path):
    build_organisation(run, tmp_path)
    result = run(
        "users", "create", "cm@example.com", "--role", "change_manager", input="long enough pw\n"
    )
    assert result.exit_code == 1 and "a change manager needs at least one unit" in result.stderr
    result = run("users", "create", "hr@example.com", "--role", "hr", input="short\n")
    assert result.exit_code == 1 and "password: use at least 12 characters" in result.stderr
    result = run("users", "create", "x@example.com", "--role", "owner", input="long enough pw\n")
    assert (
        result.exit_code == 1 and "'owner' is not one of admin, change_manager, hr" in result.stderr
    )
    result = run(
        "users",
        "create",
        "cm@example.com",
        "--role",
        "change_manager",
        "--units",
        "NOPE",
        input="long enough pw\n",
    )
    assert result.exit_code == 1 and "unknown unit code 'NOPE'" in result.stderr
    assert count(app, User) == 0
    assert (
        run(
            "users", "create", "a@example.com", "--role", "admin", input="long enough pw\n"
        ).exit_code
        == 0
    )
    result = run("users", "create", "A@example.com", "--role", "admin", input="long enough pw\n")
    assert result.exit_code == 1 and "already exists" in result.stderr


def test_campaign_create_names_every_bad_argument(app, run, tmp_path: Path):
    build_organisation(run, tmp_path)
    result = run(
        "campaign",
        "create",
        "Bad Slug",
        "--name",
        "X",
        "--instruments",
        "mini-pulse,ghost",
        "--units",
        "RETAIL",
        "--all-units",
        "--mode",
        "public",
        "--min-group",
        "2",
    )
    assert result.exit_code == 1
    for expected in (
        "SLUG: 'Bad Slug' is not a slug",
        "--instruments: no loaded instrument 'ghost'",
        "--units: give either --units CODE,... or --all-units",
        "--mode: 'public' is not one of anonymous, confidential",
        "--min-group: 2 is below the floor of 3",
    ):
        assert expected in result.stderr
    assert count(app, Campaign) == 0


def test_invitations_for_an_unknown_campaign_write_no_file(app, run, tmp_path: Path):
    out = tmp_path / "links.csv"
    result = run("invitations", "issue", "ghost", "--out", str(out))
    assert result.exit_code == 1 and "no campaign 'ghost'" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
