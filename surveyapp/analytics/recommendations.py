"""Recommendations: findings about a unit mapped to playbook interventions, in priority order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from surveyapp.analytics.drivers import DriverResult
from surveyapp.analytics.library import Intervention, Playbook
from surveyapp.analytics.patterns import PatternResult, construct_of

FINDING_KINDS = ("barrier", "pattern", "alignment", "literacy", "driver")
NOTABLE_PATTERN_SHARE = 0.20  # a unit's pattern is notable from 20% of its respondents...
NOTABLE_PATTERN_RATIO = 1.2  # ...and at least 1.2 times the organisation's share
LOW_LITERACY_SHARE = 0.50  # half or more at the lowest literacy levels
LOW_LITERACY_LEVELS = ("foundational", "developing")


@dataclass(frozen=True)
class Finding:
    """Something found about a group: `kind` (FINDING_KINDS), `key` (what, e.g. `knowledge`),
    `severity` from 0 (mild) to 1 (severe), an English sentence describing it (the API's and
    the CLI's; readers word findings in their language from kind, key and figures), and the
    organisation's figure it is set against, where it is (`reference`)."""

    kind: str
    key: str
    severity: float
    text: str
    reference: float | None = None


@dataclass(frozen=True)
class Recommendation:
    """An intervention and every finding that triggered it."""

    intervention: Intervention
    findings: tuple[Finding, ...]


def recommend(
    findings: Iterable[Finding], playbook: Playbook, limit: int | None = None
) -> list[Recommendation]:
    """Interventions for a group's findings, each once, most urgent first.

    Order: findings are ranked barrier point first (ADKAR: later elements are not worked on
    until the barrier is cleared), then by severity (highest first), then in the order given;
    walking them in that order, each matching rule adds its interventions in the order the
    playbook lists them. An intervention already added gains the finding instead of repeating.
    """
    ranked = sorted(
        enumerate(findings),
        key=lambda item: (item[1].kind != "barrier", -item[1].severity, item[0]),
    )
    chosen: dict[str, list[Finding]] = {}
    for _, finding in ranked:
        for rule in playbook.rules_for(finding.kind, finding.key):
            for name in rule.interventions:
                triggers = chosen.setdefault(name, [])
                if finding not in triggers:
                    triggers.append(finding)
    recommendations = [
        Recommendation(playbook.interventions[name], tuple(triggers))
        for name, triggers in chosen.items()
    ]
    return recommendations if limit is None else recommendations[:limit]


def barrier_finding(element: str | None, score: float, points: int = 5) -> Finding | None:
    """The ADKAR barrier point as a finding; severity (points - 1 - score) / (points - 2),
    i.e. on 1..5: a score of 3 -> 1/3, 2 -> 2/3, 1 -> 1."""
    if element is None:
        return None
    severity = min(1.0, max(0.0, (points - 1 - score) / (points - 2)))
    text = f"The ADKAR barrier point is {element}: it scores {score:.1f} of {points}."
    return Finding("barrier", element, severity, text)


def pattern_findings(
    result: PatternResult,
    unit_shares: Mapping[str, float],
    organisation_shares: Mapping[str, float],
) -> list[Finding]:
    """Archetype patterns notable in a unit: share >= 20% and >= 1.2x the organisation's.

    Only when the segmentation is `distinct` and the pattern matched an archetype; the key is
    the archetype id and the severity the unit's share.
    """
    if not result.distinct:
        return []
    found = []
    for pattern in result.patterns:
        share = unit_shares.get(pattern.id, 0.0)
        overall = organisation_shares.get(pattern.id, 0.0)
        if pattern.archetype is None or share < NOTABLE_PATTERN_SHARE:
            continue
        if share >= NOTABLE_PATTERN_RATIO * overall:
            text = (
                f"{share:.0%} of the unit fit the pattern '{pattern.label.get('en', pattern.id)}'"
                f" ({overall:.0%} across the organisation)."
            )
            found.append(Finding("pattern", pattern.archetype, share, text, overall))
    return found


def literacy_finding(
    level_shares: Mapping[str, float], low_levels: Sequence[str] = LOW_LITERACY_LEVELS
) -> Finding | None:
    """Low AI literacy: the shares at the lowest levels add up to >= 50%; severity = that sum."""
    low = sum(level_shares.get(level, 0.0) for level in low_levels)
    if low < LOW_LITERACY_SHARE:
        return None
    levels = " or ".join(low_levels)
    return Finding("literacy", "low", low, f"{low:.0%} of the unit are at {levels} AI literacy.")


def driver_findings(
    result: DriverResult, titles: Mapping[str, str] | None = None, outcome: str = "intention"
) -> list[Finding]:
    """Priority drivers (see drivers.Driver.priority) as findings keyed by construct name;
    severity = the driver's share of the explained variance."""
    titles = titles or {}
    found = []
    for driver in result.drivers:
        if driver.priority:
            name = titles.get(driver.construct, construct_of(driver.construct).replace("_", " "))
            text = (
                f"{name} accounts for {driver.share:.0%} of what explains {outcome} and scores"
                f" low ({driver.mean:.1f})."
            )
            found.append(Finding("driver", construct_of(driver.construct), driver.share, text))
    return found
