"""Rows that identify people inside a campaign, which fix its privacy mode (issue 15)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.suppression import count_band
from surveyapp.errors import Problem
from surveyapp.language import LazyList, _l, band_words
from surveyapp.models import Campaign, Invitation, Response


def mode_change_problems(session: Session, campaign: Campaign) -> list[Problem]:
    """Why the campaign's privacy mode cannot change now: the rows in it that name people.

    Invitations name their person; imported or submitted responses may carry a person and
    consent. Switching such a campaign to anonymous would keep those rows inside it, and
    switching it to confidential would name people who were invited to an anonymous survey.
    """
    invitations = session.scalar(
        sa.select(sa.func.count()).where(Invitation.campaign_id == campaign.id)
    )
    naming = session.scalar(
        sa.select(sa.func.count()).where(
            Response.campaign_id == campaign.id,
            sa.or_(Response.person_id.is_not(None), Response.consent),
        )
    )
    if not invitations and not naming:
        return []
    # invitations are a roster fact; responses grow by one per answer, so they are banded
    band = count_band(naming, campaign.min_group_size)
    held = [
        *([_l("%(count)s invitation(s)", count=invitations)] if invitations else []),
        *([_l("%(band)s response(s) naming a person", band=band_words(band))] if band else []),
    ]
    return [
        Problem(
            field="mode",
            reason=_l(
                "the privacy mode cannot change while the campaign holds rows that identify "
                "people (%(held)s)",
                held=LazyList(held),
            ),
        )
    ]
