"""Participation in a campaign: invited, started and submitted, per unit and in total.

These are counts of personal invitations by status, not answers. A unit's submitted count is
nearly its number of respondents, so published exactly it would give away the size of a unit
the analysis hides, and, read again after one more submission, which answers are new. Pages
therefore show the invited count (a roster fact) and the submission rate only as a band
(`rate_band`) wide enough to span at least k submitted counts; no started or submitted count
is shown per unit. Answers given through open links have no invitation and are not counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import Campaign, Invitation, OrgUnit, Person
from surveyapp.services.org import tree_order, unit_subtree_ids

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


@dataclass(frozen=True)
class Participation:
    """The units among a set as a tree: their order and depth, each one's counts with its
    sub-units, and all of them together."""

    order: list[tuple[int, int]]
    subtree: dict[int, Counts]
    total: Counts

    def rows(self, session: Session, offset: int, size: int) -> list[UnitParticipation]:
        """`size` rows from `offset` in tree order, reading the names of those units only."""
        page = self.order[offset : offset + size]
        names = {
            unit_id: (code, name)
            for unit_id, code, name in session.execute(
                sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(
                    OrgUnit.id.in_([unit_id for unit_id, _ in page])
                )
            )
        }
        return [
            UnitParticipation(*names[unit_id], depth, self.subtree.get(unit_id, Counts()))
            for unit_id, depth in page
        ]


def participation_by_unit(
    session: Session, campaign: Campaign, unit_ids: set[int]
) -> Participation:
    """The units among `unit_ids` as a tree (depth first, by code), each with its sub-units.

    `unit_ids` must hold whole subtrees (a user's scope within the campaign does), so a unit's
    total is the same whoever looks at it. Only ids are read for the whole tree, and each
    invited unit's counts are added to its ancestors, so 100,000 units take a fraction of a
    second; `Participation.rows` then names the page shown.
    """
    own = counts_per_unit(session, campaign)
    parents: dict[int, int | None] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    rows = session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id).order_by(OrgUnit.code))
    for unit_id, parent_id in rows:
        if unit_id in unit_ids:
            parents[unit_id] = parent_id if parent_id in unit_ids else None
            children[parents[unit_id]].append(unit_id)
    subtree: dict[int, Counts] = {}
    for unit_id, counts in own.items():
        node = unit_id if unit_id in parents else None
        while node is not None:
            subtree[node] = subtree.get(node, Counts()) + counts
            node = parents[node]
    total = sum((own[unit_id] for unit_id in parents if unit_id in own), Counts())
    return Participation(tree_order(children), subtree, total)


def roster_size(session: Session, campaign: Campaign) -> int:
    """People on the roster in the campaign's units and below, invited or not.

    Counted per unit and summed here: the campaign may cover 100,000 units, too many ids to
    send to the database in one IN list (0.8 s on SQLite)."""
    unit_ids = unit_subtree_ids(session, [unit.id for unit in campaign.units])
    per_unit = session.execute(
        sa.select(Person.unit_id, sa.func.count()).group_by(Person.unit_id)
    ).all()
    return sum(count for unit_id, count in per_unit if unit_id in unit_ids)
