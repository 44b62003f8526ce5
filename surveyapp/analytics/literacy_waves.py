"""Effect across waves: literacy by unit in each wave beside the measures delivered by then,
and whether a unit's gap against the requirements closed from one wave to the next.

The change in the literacy index and its interval come from the analysis document's wave
comparison (`analytics.waves`: Welch interval, Benjamini-Hochberg across every change), so
the release and interval rules are the wave comparison's own; this module only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from surveyapp.analytics.literacy_evidence import (
    Literacy,
    Organisation,
    Published,
    UnitEvidence,
    unit_evidence,
)
from surveyapp.analytics.literacy_requirements import Requirements
from surveyapp.analytics.scoring import LITERACY_INDEX


@dataclass(frozen=True)
class WaveLiteracy:
    """One wave: its campaign, the day it closed, its units' literacy, and its change since
    `previous` (the earlier wave of the same instruments, if any) by (unit, score) as the
    analysis document gives it."""

    campaign: str
    name: str
    on: date
    literacy: Mapping[str, Literacy | None]
    changes: Mapping[tuple[str, str], Mapping[str, Any]]
    previous: str | None = None


@dataclass(frozen=True)
class WaveRow:
    """A unit in a wave: literacy (None when hidden) and the lowest coverage of a measure
    its highest risk tier requires, counted on the day the wave closed."""

    unit: str
    name: str
    campaign: str
    on: date
    n: int | None
    index: float | None
    quiz: float | None
    share_at_level: float | None
    coverage: float | None
    status: str  # gap, met, unknown, or none (no AI system in use)


@dataclass(frozen=True)
class Effect:
    """A unit from one wave to the next: literacy change, coverage before and after, verdict."""

    unit: str
    name: str
    before: WaveRow
    after: WaveRow
    change: float | None
    ci95: tuple[float, float] | None
    significant: bool | None
    verdict: str  # see `verdict`


def _row(evidence: UnitEvidence, wave: WaveLiteracy) -> WaveRow:
    """A unit's evidence in one wave as a row (its highest tier decides the figures)."""
    literacy = evidence.literacy
    finding = evidence.findings[0] if evidence.findings else None
    rates = [c.rate for c in finding.coverage] if finding else []
    return WaveRow(
        evidence.unit,
        evidence.name,
        wave.campaign,
        wave.on,
        literacy.n if literacy else None,
        literacy.index if literacy else None,
        literacy.quiz if literacy else None,
        finding.literacy_share if finding else None,
        None if not rates or None in rates else min(r for r in rates if r is not None),
        finding.status if finding else "none",
    )


def wave_rows(
    organisation: Organisation,
    published: Mapping[date, Published],
    waves: Sequence[WaveLiteracy],
    requirements: Requirements,
    units: Sequence[str],
) -> list[list[WaveRow]]:
    """Per wave (in order), each unit's row, with coverage as published for the wave's day."""
    return [
        [
            _row(evidence, wave)
            for evidence in unit_evidence(
                organisation, published[wave.on], wave.literacy, requirements, units
            )
        ]
        for wave in waves
    ]


def verdict(before: WaveRow, after: WaveRow, significant: bool | None, change: float | None) -> str:
    """What happened to the unit's gap between two waves, as a code worded where it is shown:
    no_systems, hidden (a figure is hidden), closed, no_gap, closing (literacy rose
    significantly as coverage grew) or not_closing."""
    if after.status == "none":
        return "no_systems"
    if "unknown" in (before.status, after.status):
        return "hidden"
    if before.status == "gap" and after.status == "met":
        return "closed"
    if after.status == "met":
        return "no_gap"
    rose = significant and change is not None and change > 0
    more = (after.coverage or 0) > (before.coverage or 0)
    if rose and more:
        return "closing"
    return "not_closing"


def effects(rows: Sequence[Sequence[WaveRow]], waves: Sequence[WaveLiteracy]) -> list[Effect]:
    """Each unit from a wave's previous wave of the same instruments to that wave, with the
    document's literacy-index change (waves of other instruments are not compared)."""
    by_campaign = {wave.campaign: position for position, wave in enumerate(waves)}
    found = []
    for position, wave in enumerate(waves):
        if wave.previous not in by_campaign:
            continue
        earlier = {row.unit: row for row in rows[by_campaign[wave.previous]]}
        for after in rows[position]:
            before = earlier.get(after.unit)
            if before is None:
                continue
            change = wave.changes.get((after.unit, LITERACY_INDEX)) or {}
            ci = change.get("ci95")
            found.append(
                Effect(
                    after.unit,
                    after.name,
                    before,
                    after,
                    change.get("change"),
                    (ci[0], ci[1]) if ci else None,
                    change.get("significant"),
                    verdict(before, after, change.get("significant"), change.get("change")),
                )
            )
    return found


def wave_changes(document: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The document's changes since the previous wave by (unit key, score); the organisation
    is under "all"."""
    waves = document.get("waves") or {}
    return {
        (change["key"], change["scale"]): change
        for change in waves.get("changes", [])
        if change["kind"] in ("organisation", "unit")
    }
