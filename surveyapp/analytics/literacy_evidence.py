"""AI-literacy evidence per unit: systems and risk tiers in use, literacy levels, measure
coverage, and gaps against the required literacy (EU AI Act art. 4, ISO/IEC 42001 7.2).

Pure: plain data in, frozen dataclasses out. Literacy comes only from an analysis document
(so its suppression is the release's); coverage is counted from the roster and the
completions, never from answers, and read only as `coverage_disclosure` publishes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from surveyapp.analytics.literacy_requirements import RISK_TIERS, Requirements
from surveyapp.analytics.scoring import LITERACY_LEVELS

ORGANISATION_KEY = "all"
KIND_NAMES = {
    "training": "training",
    "briefing": "briefing",
    "policy_acknowledgement": "policy acknowledgement",
}


@dataclass(frozen=True)
class Use:
    """A system used by a unit (and its sub-units), narrowed to a function and/or level."""

    system: str
    tier: str
    unit: str | None
    function: str | None
    level: str | None


@dataclass(frozen=True)
class Done:
    """One completed measure: who (a roster id), which, its kind, what it prepares for, and
    the first day it counts (its completion day, or later if it was recorded late)."""

    person_id: int
    measure: str
    kind: str
    tiers: tuple[str, ...]
    systems: tuple[str, ...]
    counts_from: date


@dataclass(frozen=True)
class Person:
    """A roster row: where the person sits."""

    person_id: int
    unit: str
    function: str
    level: str


@dataclass(frozen=True)
class Organisation:
    """Units (code → name, code → parent code) and the people on the roster."""

    names: Mapping[str, str]
    parents: Mapping[str, str | None]
    people: Sequence[Person]

    def subtree(self, unit: str) -> set[str]:
        """The unit and every unit below it."""
        return {code for code in self.names if unit in self.ancestry(code)}

    def ancestry(self, unit: str) -> list[str]:
        """The unit and its parents up to the top."""
        chain, seen = [unit], self.parents.get(unit)
        while seen is not None and seen not in chain:
            chain.append(seen)
            seen = self.parents.get(seen)
        return chain


@dataclass(frozen=True)
class Literacy:
    """A group's literacy as the release shows it."""

    n: int
    levels: Mapping[str, float]
    index: float | None
    quiz: float | None

    def share_at_least(self, level: str) -> float | None:
        """Share of respondents at `level` or above; None without levels."""
        if not self.levels:
            return None
        start = LITERACY_LEVELS.index(level)
        return min(1.0, sum(self.levels.get(name) or 0.0 for name in LITERACY_LEVELS[start:]))


@dataclass(frozen=True)
class Coverage:
    """How many of the people using systems of a tier completed a required kind of measure,
    as published: a count is None where hidden, and the rate needs both counts."""

    kind: str
    population: int | None
    completed: int | None

    @property
    def rate(self) -> float | None:
        if self.population is None or self.completed is None or not self.population:
            return None
        return self.completed / self.population


@dataclass(frozen=True)
class Published:
    """The coverage figures the evidence may show on one day, decided for the whole
    organisation at once (`coverage_disclosure.publish_coverage`): per (unit, tier) the
    systems in use and the population, per (unit, tier, kind) the completed count; None
    where hidden. A (unit, tier) is absent where the inventory gives nobody there the tier."""

    systems: Mapping[tuple[str, str], tuple[str, ...]]
    populations: Mapping[tuple[str, str], int | None]
    completed: Mapping[tuple[str, str, str], int | None]


@dataclass(frozen=True)
class TierFinding:
    """A unit against the requirement of one risk tier it uses."""

    tier: str
    systems: tuple[str, ...]
    population: int | None
    min_level: str
    target_share: float
    literacy_share: float | None
    coverage: tuple[Coverage, ...]
    status: str  # gap, met or unknown (figures hidden)


@dataclass(frozen=True)
class UnitEvidence:
    """One unit's evidence: systems in use, literacy, findings per tier, and the summary."""

    unit: str
    name: str
    depth: int
    literacy: Literacy | None
    findings: tuple[TierFinding, ...]


def literacy_by_unit(document: Mapping[str, Any]) -> dict[str, Literacy | None]:
    """Each unit's literacy in an analysis document (organisation under "all"); None when
    the document hides the group or it has no literacy results."""
    shown: dict[str, Literacy | None] = {}
    for group in document["groups"]:
        if group["kind"] not in ("organisation", "unit"):
            continue
        literacy = None if group["suppressed"] else group.get("literacy")
        shown[group["key"]] = (
            Literacy(
                group["n"],
                literacy.get("levels") or {},
                literacy.get("index"),
                literacy.get("quiz_percent"),
            )
            if literacy and literacy.get("index") is not None
            else None
        )
    return shown


def _users(organisation: Organisation, unit: str, use: Use) -> set[int]:
    """Roster ids of the people of `unit` (and below) whom `use` covers."""
    units = organisation.subtree(unit)
    if use.unit is not None:
        units &= organisation.subtree(use.unit)
    return {
        person.person_id
        for person in organisation.people
        if person.unit in units
        and use.function in (None, person.function)
        and use.level in (None, person.level)
    }


def qualifies(done: Done, kind: str, tier: str, systems: Iterable[str]) -> bool:
    """Whether a completion counts as `kind` for `tier`: the measure names the tier or one
    of its systems, or names neither (a measure for everyone)."""
    if done.kind != kind:
        return False
    if not done.tiers and not done.systems:
        return True
    return tier in done.tiers or bool(set(done.systems) & set(systems))


def covered(
    people: set[int],
    completions: Sequence[Done],
    kind: str,
    tier: str,
    systems: Iterable[str],
) -> set[int]:
    """Who among `people` completed a measure that counts as `kind` for `tier`."""
    names = tuple(systems)
    return {
        done.person_id
        for done in completions
        if done.person_id in people and qualifies(done, kind, tier, names)
    }


def tier_uses(
    organisation: Organisation, unit: str, uses: Sequence[Use]
) -> dict[str, tuple[list[str], set[int]]]:
    """Per risk tier used in `unit`: the systems and the people who use them."""
    tiers: dict[str, tuple[list[str], set[int]]] = {}
    for use in uses:
        people = _users(organisation, unit, use)
        if not people:
            continue
        systems, users = tiers.setdefault(use.tier, ([], set()))
        if use.system not in systems:
            systems.append(use.system)
        users |= people
    return {tier: tiers[tier] for tier in reversed(RISK_TIERS) if tier in tiers}


def _status(
    literacy_share: float | None,
    target: float,
    coverage: Sequence[Coverage],
    coverage_target: float,
) -> str:
    """gap when a shown figure misses its target; unknown when a figure is hidden; else met."""
    figures = [(literacy_share, target), *((c.rate, coverage_target) for c in coverage)]
    if any(value is not None and value < goal - 1e-9 for value, goal in figures):
        return "gap"
    return "unknown" if any(value is None for value, _ in figures) else "met"


def unit_evidence(
    organisation: Organisation,
    published: Published,
    literacy: Mapping[str, Literacy | None],
    requirements: Requirements,
    units: Sequence[str],
) -> list[UnitEvidence]:
    """Each of `units` against the requirements: per tier it uses, the literacy share at the
    required level and the coverage of each required measure, all read from the published
    figures only (so no sentence, status or rate rests on a hidden one)."""
    found = []
    for unit in units:
        shown = literacy.get(unit)
        findings = []
        for tier in reversed(RISK_TIERS):
            if (unit, tier) not in published.populations:
                continue
            need = requirements.tiers[tier]
            coverage = tuple(
                Coverage(
                    kind,
                    published.populations[(unit, tier)],
                    published.completed[(unit, tier, kind)],
                )
                for kind in need.measures
            )
            share = shown.share_at_least(need.min_level) if shown else None
            status = _status(share, need.target_share, coverage, requirements.coverage_target)
            findings.append(
                TierFinding(
                    tier,
                    published.systems[(unit, tier)],
                    published.populations[(unit, tier)],
                    need.min_level,
                    need.target_share,
                    share,
                    coverage,
                    status,
                )
            )
        name = organisation.names.get(unit, unit)
        found.append(
            UnitEvidence(
                unit,
                name,
                len(organisation.ancestry(unit)),
                shown,
                tuple(findings),
            )
        )
    return found
