"""One consenting person's suggested learning track beside the measures they completed and
those their use of AI systems requires (confidential campaigns only, for HR)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveyapp.analytics.literacy_evidence import (
    Done,
    Organisation,
    Person,
    Use,
    covered,
    tier_uses,
)
from surveyapp.analytics.literacy_requirements import Requirements


@dataclass(frozen=True)
class PersonNeeds:
    """The highest risk tier a person uses, its systems, the measures done and still missing."""

    tier: str | None
    systems: tuple[str, ...]
    completed: tuple[str, ...]
    missing: tuple[str, ...]


def person_needs(
    person: Person,
    organisation: Organisation,
    uses: Sequence[Use],
    completions: Sequence[Done],
    requirements: Requirements,
) -> PersonNeeds:
    """What `person` should have completed for the highest risk tier they use, and what they
    did complete (any measure, by title)."""
    alone = Organisation(organisation.names, organisation.parents, [person])
    own = [done for done in completions if done.person_id == person.person_id]
    titles = tuple(sorted({done.measure for done in own}))
    tiers = tier_uses(alone, person.unit, uses)
    if not tiers:
        return PersonNeeds(None, (), titles, ())
    tier, (systems, _) = next(iter(tiers.items()))
    missing = tuple(
        kind
        for kind in requirements.tiers[tier].measures
        if not covered({person.person_id}, own, kind, tier, systems)
    )
    return PersonNeeds(tier, tuple(systems), titles, missing)
