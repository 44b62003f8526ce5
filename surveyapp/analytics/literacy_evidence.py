"""AI-literacy evidence per unit: systems and risk tiers in use, literacy levels, measure
coverage, and gaps against the required literacy (EU AI Act art. 4, ISO/IEC 42001 7.2).

Pure: plain data in, frozen dataclasses out. Literacy comes only from an analysis document
(so its suppression is the release's); coverage is counted from the roster and the
completions, never from answers, and a group of fewer than k people shows no count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
    """One completed measure: who (a roster id), which, its kind, what it prepares for, when."""

    person_id: int
    measure: str
    kind: str
    tiers: tuple[str, ...]
    systems: tuple[str, ...]
    completed_on: date


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
    """How many of the people using systems of a tier completed a required kind of measure;
    counts and rate are None when the group is hidden (fewer than k people)."""

    kind: str
    population: int | None
    completed: int | None

    @property
    def rate(self) -> float | None:
        if self.population is None or self.completed is None or not self.population:
            return None
        return self.completed / self.population


@dataclass(frozen=True)
class TierFinding:
    """A unit against the requirement of one risk tier it uses."""

    tier: str
    systems: tuple[str, ...]
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
    people: int | None  # None under k
    literacy: Literacy | None
    findings: tuple[TierFinding, ...]
    sentence: str


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
    by: date | None = None,
) -> set[int]:
    """Who among `people` completed a measure that counts as `kind` for `tier` (by a day)."""
    names = tuple(systems)
    return {
        done.person_id
        for done in completions
        if done.person_id in people
        and (by is None or done.completed_on <= by)
        and qualifies(done, kind, tier, names)
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


def percent(value: float | None) -> str:
    """A share as a whole percent, or "hidden"."""
    return "hidden" if value is None else f"{round(value * 100):d}%"


def sentence(name: str, literacy: Literacy | None, finding: TierFinding | None) -> str:
    """The unit's finding in one sentence, as the issue asks: "Customer service uses a
    limited-risk chatbot; 41% foundational; 38% completed the required briefing"."""
    if finding is None:
        return f"{name}: no AI system recorded in use."
    systems = " and ".join(finding.systems)
    parts = [f"{name} uses {finding.tier}-risk {systems}"]
    if literacy is None:
        parts.append("literacy hidden to protect small groups or not measured")
    else:
        parts.append(f"{percent(literacy.levels.get('foundational'))} foundational")
    if literacy is not None and finding.target_share > 0:
        parts.append(
            f"{percent(finding.literacy_share)} at {finding.min_level} or above "
            f"(target {percent(finding.target_share)})"
        )
    for coverage in finding.coverage:
        parts.append(f"{percent(coverage.rate)} completed the required {KIND_NAMES[coverage.kind]}")
    verdict = {
        "gap": "falls short",
        "met": "meets the requirement",
        "unknown": "cannot be judged (figures hidden)",
    }
    return "; ".join(parts) + f": {verdict[finding.status]}."


def unit_evidence(
    organisation: Organisation,
    uses: Sequence[Use],
    completions: Sequence[Done],
    literacy: Mapping[str, Literacy | None],
    requirements: Requirements,
    k: int,
    units: Sequence[str],
    by: date | None = None,
) -> list[UnitEvidence]:
    """Each of `units` against the requirements: per tier it uses, the literacy share at the
    required level and the coverage of each required measure (hidden under k people)."""
    found = []
    for unit in units:
        shown = literacy.get(unit)
        findings = []
        for tier, (systems, users) in tier_uses(organisation, unit, uses).items():
            need = requirements.tiers[tier]
            coverage = tuple(
                Coverage(
                    kind, len(users), len(covered(users, completions, kind, tier, systems, by))
                )
                if len(users) >= k
                else Coverage(kind, None, None)
                for kind in need.measures
            )
            share = shown.share_at_least(need.min_level) if shown else None
            status = _status(share, need.target_share, coverage, requirements.coverage_target)
            findings.append(
                TierFinding(
                    tier, tuple(systems), need.min_level, need.target_share, share, coverage, status
                )
            )
        name = organisation.names.get(unit, unit)
        people = sum(1 for p in organisation.people if p.unit in organisation.subtree(unit))
        found.append(
            UnitEvidence(
                unit,
                name,
                len(organisation.ancestry(unit)),
                people if people >= k else None,
                shown,
                tuple(findings),
                sentence(name, shown, findings[0] if findings else None),
            )
        )
    return hide_complements(found, organisation, k)


def _hide(unit: UnitEvidence, tier: str, kind: str) -> UnitEvidence:
    """The unit with one coverage figure hidden."""
    findings = tuple(
        replace(
            finding,
            coverage=tuple(
                Coverage(c.kind, None, None) if c.kind == kind else c for c in finding.coverage
            ),
        )
        if finding.tier == tier
        else finding
        for finding in unit.findings
    )
    return replace(unit, findings=findings)


def _population(unit: UnitEvidence, tier: str, kind: str) -> int | bool | None:
    """The unit's population for one coverage figure; False when it has no such figure."""
    for finding in unit.findings:
        for coverage in finding.coverage:
            if finding.tier == tier and coverage.kind == kind:
                return coverage.population
    return False


def hide_complements(
    units: list[UnitEvidence], organisation: Organisation, k: int
) -> list[UnitEvidence]:
    """Hide a second sibling's coverage wherever exactly one sibling is hidden under a shown
    parent, so the hidden count cannot be had by subtraction (the smallest shown sibling goes).
    """
    by_code = {unit.unit: unit for unit in units}
    changed = True
    while changed:
        changed = False
        pairs = {
            (finding.tier, coverage.kind)
            for unit in by_code.values()
            for finding in unit.findings
            for coverage in finding.coverage
        }
        for tier, kind in sorted(pairs):
            for parent in [code for code in by_code if _population(by_code[code], tier, kind)]:
                siblings = [
                    code
                    for code in by_code
                    if organisation.parents.get(code) == parent
                    and _population(by_code[code], tier, kind) is not False
                ]
                hidden = [c for c in siblings if _population(by_code[c], tier, kind) is None]
                shown = [c for c in siblings if _population(by_code[c], tier, kind)]
                if len(hidden) == 1 and shown:
                    smallest = min(shown, key=lambda c: (_population(by_code[c], tier, kind), c))
                    by_code[smallest] = _hide(by_code[smallest], tier, kind)
                    changed = True
    return [by_code[unit.unit] for unit in units]
