"""The database itself refuses what the domain forbids, whatever code writes to it."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surveyapp.extensions import db
from surveyapp.models import Response
from tests import factories


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session
        db.session.rollback()


def test_a_person_has_one_invitation_per_campaign(session):
    person = factories.person(session, factories.unit(session))
    campaign = factories.campaign(session)
    factories.invitation(session, campaign, person)
    with pytest.raises(IntegrityError):
        factories.invitation(session, campaign, person)


def test_an_invitation_yields_one_response(session):
    person = factories.person(session, factories.unit(session))
    campaign = factories.campaign(session, mode="confidential")
    invitation = factories.invitation(session, campaign, person)
    factories.response(session, campaign, person, invitation_id=invitation.id)
    with pytest.raises(IntegrityError):
        factories.response(session, campaign, person, invitation_id=invitation.id)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"mode": "public"}, "privacy_mode"),
        ({"min_group_size": 2}, "min_group_floor"),
        ({"status": "paused"}, "status"),
        ({"min_group_size": 8, "min_comment_group_size": 5}, "comment_group_not_smaller"),
    ],
)
def test_campaign_check_constraints(session, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        factories.campaign(session, **fields)


def test_a_person_level_outside_the_three_levels_is_refused(session):
    with pytest.raises(IntegrityError, match="level"):
        factories.person(session, factories.unit(session), level="intern")


def test_a_response_must_point_at_a_real_unit(session):
    person = factories.person(session, factories.unit(session))
    campaign = factories.campaign(session)
    with pytest.raises(IntegrityError):
        factories.response(session, campaign, person, unit_id=999_999)


def test_anonymous_responses_have_random_ids_and_no_link_to_anyone(session):
    unit = factories.unit(session)
    campaign = factories.campaign(session, mode="anonymous")
    people = [factories.person(session, unit) for _ in range(5)]
    responses = [factories.response(session, campaign, person) for person in people]
    assert all(isinstance(r.id, uuid.UUID) and r.id.version == 4 for r in responses)
    assert all(r.invitation_id is None and r.person_id is None for r in responses)
    columns = {column.name: column for column in Response.__table__.columns}
    assert not any(isinstance(c.type, sa.DateTime) for c in columns.values())
    assert isinstance(columns["submitted_on"].type, sa.Date)


def test_consent_requires_a_person(session):
    unit = factories.unit(session)
    campaign = factories.campaign(session, mode="confidential")
    with pytest.raises(IntegrityError, match="consent_needs_person"):
        factories.response(session, campaign, factories.person(session, unit), consent=True)
