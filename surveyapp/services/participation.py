"""Participation in a campaign: invited, started and submitted, per unit and in total.

These are counts of personal invitations by status, not answers. In an anonymous campaign the
submitted count of a unit still says how many of its people answered, so the pages show it
only to admins and, for their own units, to change managers (callers pass the visible units).
Answers given through open links have no invitation and are not counted here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, Invitation, OrgUnit, Person
from surveyapp.services.org import unit_subtree_ids

LOW_PARTICIPATION = 0.6  # units below this submission rate are flagged for follow-up


@dataclass(frozen=True)
class Counts:
    """Invited people, those who started (submitted included), and those who submitted."""

    invited: int = 0
    started: int = 0
    submitted: int = 0

    @property
    def rate(self) -> float | None:
        """Submitted over invited; None while nobody is invited."""
        return self.submitted / self.invited if self.invited else None

    @property
    def flagged(self) -> bool:
        """Whether the rate is under LOW_PARTICIPATION (a unit with no invitation is not)."""
        return self.rate is not None and self.rate < LOW_PARTICIPATION

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.invited + other.invited,
            self.started + other.started,
            self.submitted + other.submitted,
        )


@dataclass(frozen=True)
class UnitParticipation:
    """One unit's counts, its sub-units included; `depth` places it in the shown tree."""

    code: str
    name: str
    depth: int
    counts: Counts


def counts_per_unit(session: Session, campaign: Campaign) -> dict[int, Counts]:
    """Each unit's own people (sub-units not added), by unit id, from one grouped query."""
    rows = session.execute(
        sa.select(Person.unit_id, Invitation.status, sa.func.count())
        .join(Person, Invitation.person_id == Person.id)
        .where(Invitation.campaign_id == campaign.id)
        .group_by(Person.unit_id, Invitation.status)
    ).all()
    found: dict[int, Counts] = {}
    for unit_id, status, count in rows:
        submitted = count if status == "submitted" else 0
        started = count if status in ("started", "submitted") else 0
        found[unit_id] = found.get(unit_id, Counts()) + Counts(count, started, submitted)
    return found


def invitation_counts(session: Session, campaign: Campaign, unit_ids: set[int]) -> Counts | None:
    """The people of these units together; None when none of them is invited."""
    own = counts_per_unit(session, campaign)
    total = sum((own[unit_id] for unit_id in unit_ids if unit_id in own), Counts())
    return total if total.invited else None


def participation_by_unit(
    session: Session, campaign: Campaign, unit_ids: set[int]
) -> list[UnitParticipation]:
    """The units among `unit_ids` as a tree (depth first, by code), each with its sub-units.

    `unit_ids` must hold whole subtrees (a user's scope within the campaign does), so a unit's
    total is the same whoever looks at it.
    """
    own = counts_per_unit(session, campaign)
    units = session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id).where(
            OrgUnit.id.in_(sorted(unit_ids))
        )
    ).all()
    children: dict[int | None, list[tuple[int, str, str]]] = {}
    for unit_id, code, name, parent_id in units:
        parent = parent_id if parent_id in unit_ids else None
        children.setdefault(parent, []).append((unit_id, code, name))
    rows: list[UnitParticipation] = []

    def walk(parent: int | None, depth: int) -> Counts:
        total = Counts()
        for unit_id, code, name in sorted(children.get(parent, []), key=lambda u: u[1]):
            position = len(rows)
            rows.append(UnitParticipation(code, name, depth, Counts()))
            subtree = own.get(unit_id, Counts()) + walk(unit_id, depth + 1)
            rows[position] = UnitParticipation(code, name, depth, subtree)
            total = total + subtree
        return total

    walk(None, 0)
    return rows


def roster_size(session: Session, campaign: Campaign) -> int:
    """People on the roster in the campaign's units and below, invited or not."""
    unit_ids = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Person)
            .where(Person.unit_id.in_(sorted(unit_ids)))
        )
        or 0
    )
