"""Participation in a campaign: invited, started and submitted, per unit and in total.

These are counts of personal invitations by status, not answers. A unit's submitted count is
nearly its number of respondents, so published exactly it would give away the size of a unit
the analysis hides, and, read again after one more submission, which answers are new. Pages
therefore show the invited count (a roster fact) and the submission rate only as a band
(`rate_band`) wide enough to span at least k submitted counts; no started or submitted count
is shown per unit. Answers given through open links have no invitation and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, Invitation, OrgUnit, Person
from surveyapp.services.org import unit_subtree_ids

LOW_PARTICIPATION = 0.6  # units below this submission rate are flagged for follow-up
RATE_BANDS = 5  # rates are shown in bands of 20 points: 0-20%, 20-40%, ... 80-100%


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

    def band(self, min_size: int) -> tuple[float, float] | None:
        """The submission rate's band (low, high), or None when it may not be shown.

        A band is shown only when it spans at least `min_size` possible submitted counts
        (invited / RATE_BANDS >= min_size), so it never narrows a unit's count below k values.
        """
        if not self.invited or self.invited < RATE_BANDS * min_size:
            return None
        index = min(self.submitted * RATE_BANDS // self.invited, RATE_BANDS - 1)
        return index / RATE_BANDS, (index + 1) / RATE_BANDS

    def flagged(self, min_size: int) -> bool:
        """Whether the shown band lies under LOW_PARTICIPATION (no band: not flagged)."""
        band = self.band(min_size)
        return band is not None and band[1] <= LOW_PARTICIPATION

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
