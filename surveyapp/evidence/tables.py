"""The evidence pack's tables, built once and written alike to the PDF and the XLSX.

Coverage figures are the published ones (`coverage_disclosure`: decided for the whole
organisation, audited); literacy comes from an analysis document; no row names one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from surveyapp.analytics.literacy_evidence import Coverage, UnitEvidence
from surveyapp.analytics.literacy_waves import Effect, WaveRow
from surveyapp.analytics.scoring import LITERACY_LEVELS
from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.briefs.labels import ACTION_STATUS_NAMES, LITERACY_LEVEL_NAMES
from surveyapp.briefs.meta import long_date, utc_moment
from surveyapp.evidence.inputs import Inputs
from surveyapp.evidence.sentences import unit_sentence
from surveyapp.evidence.words import EFFECT_VERDICTS, KINDS, measure_targets, tier_name
from surveyapp.language import _

Value = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    """A titled table: column names, rows, and kinds of cell per column for formatting
    (text, count, share, number)."""

    key: str
    title: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    note: str = ""
    intro: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Build:
    """Who built a pack, when, and which version it is."""

    version: int
    built_at: datetime
    actor: str
    as_of: date
    scope: str


def scope_table(inputs: Inputs, build: Build) -> Table:
    """Scope and method: what the pack covers and how its figures are made."""
    waves = ", ".join(
        _("%(wave)s (figures to %(day)s)", wave=w.name, day=long_date(w.on)) for w in inputs.waves
    )
    needs = "; ".join(
        _(
            "%(tier)s: %(level)s or above for %(share)s%% of respondents, measures %(measures)s",
            tier=tier_name(tier),
            level=_(LITERACY_LEVEL_NAMES[need.min_level]),
            share=round(need.target_share * 100),
            measures=", ".join(_(KINDS[k]) for k in need.measures) or _("none"),
        )
        for tier, need in inputs.requirements.tiers.items()
    )
    rows: list[tuple[Value, ...]] = [
        (_("Scope"), build.scope),
        (_("Evidence as of"), long_date(build.as_of)),
        (_("Version"), build.version),
        (_("Built"), utc_moment(build.built_at)),
        (_("Built by"), build.actor),
        (_("Survey waves"), waves or _("none with a published result release")),
        (
            _("Gaps read from"),
            inputs.gaps_wave.label if inputs.gaps_wave else _("no wave with a result release"),
        ),
        (_("Minimum group size of coverage (k)"), inputs.k),
        (_("Required literacy per risk tier"), needs),
        (
            _("Coverage target"),
            _(
                "%(share)s%% of the people using a system complete each required measure",
                share=round(inputs.requirements.coverage_target * 100),
            ),
        ),
        (
            _("Method"),
            _(
                "Literacy levels come from each wave's latest result release, with its "
                "suppression. Coverage counts people on the roster who use a system of the tier "
                "(by unit, function and level) and completed a measure of the required kind "
                "for that tier or system. A completion counts from its completion day, or from "
                "the day after it was recorded if that is later, so a day's figures never change "
                "once the day is over. Completions are never linked to survey answers."
            ),
        ),
    ]
    return Table("scope", "Scope and method", ("item", "value"), ("text", "text"), rows)


def shown(value: Value) -> Value:
    """A published figure, or the neutral reason where it is hidden (None)."""
    return HIDDEN_REASON if value is None else value


def systems_table(inputs: Inputs, evidence: list[UnitEvidence]) -> Table:
    """AI systems by unit and risk tier, with how many people use them, as published."""
    rows: list[tuple[Value, ...]] = [
        (
            unit.unit,
            unit.name,
            system,
            tier_name(finding.tier),
            inputs.descriptions.get(system, ""),
            shown(finding.population),
        )
        for unit in evidence
        for finding in unit.findings
        for system in finding.systems
    ]
    return Table(
        "systems",
        "AI systems by group and risk tier",
        ("unit", "unit name", "system", "risk tier", "description", "people using this tier"),
        ("text", "text", "text", "text", "text", "count"),
        rows,
        "A unit counts its sub-units. People are counted from the roster.",
    )


def literacy_table(inputs: Inputs, rows: list[list[WaveRow]]) -> Table:
    """Literacy by unit and wave (aggregates only, as the release shows them)."""
    body: list[tuple[Value, ...]] = []
    for wave, wave_rows in zip(inputs.waves, rows, strict=True):
        organisation = wave.literacy.get("all")
        for code, name, literacy in [
            ("all", _("Whole organisation"), organisation),
            *((row.unit, row.name, wave.literacy.get(row.unit)) for row in wave_rows),
        ]:
            levels = (
                tuple(literacy.levels.get(level) for level in LITERACY_LEVELS)
                if literacy
                else (None,) * 4
            )
            body.append(
                (
                    code,
                    name,
                    wave.name,
                    wave.on,
                    literacy.n if literacy else HIDDEN_REASON,
                    literacy.index if literacy else None,
                    literacy.quiz if literacy else None,
                    *levels,
                )
            )
    return Table(
        "literacy",
        "Literacy by group and wave",
        (
            "unit",
            "unit name",
            "wave",
            "figures to",
            "respondents",
            "literacy index",
            "quiz %",
            *(f"share {level}" for level in LITERACY_LEVELS),
        ),
        ("text",) * 3 + ("date", "count", "number", "number") + ("share",) * 4,
        body,
        _(
            "Groups under their wave's minimum group size, or hidden to protect another group, "
            "show no figure."
        ),
    )


def measures_table(inputs: Inputs) -> Table:
    """The measures catalogue, with no count per measure: one more grouping to subtract."""
    rows: list[tuple[Value, ...]] = [
        (
            measure.title,
            _(KINDS[measure.kind]),
            "; ".join(measure.topics),
            "; ".join(measure_targets(measure.tiers, measure.systems)) or _("every tier"),
        )
        for measure in inputs.measures
    ]
    return Table(
        "measures",
        "Measures catalogue",
        ("measure", "kind", "topics", "for tiers or systems"),
        ("text", "text", "text", "text"),
        rows,
        "How many people completed the measures is in the coverage table.",
    )


def coverage_table(evidence: list[UnitEvidence]) -> Table:
    """Coverage of each required measure per unit and tier."""
    rows: list[tuple[Value, ...]] = [
        (
            unit.unit,
            unit.name,
            tier_name(finding.tier),
            _(KINDS[coverage.kind]),
            shown(coverage.population),
            shown(coverage.completed),
            shown(coverage.rate),
        )
        for unit in evidence
        for finding in unit.findings
        for coverage in finding.coverage
    ]
    return Table(
        "coverage",
        "Measures and coverage",
        (
            "unit",
            "unit name",
            "risk tier",
            "required measure",
            "people using the tier",
            "completed",
            "coverage",
        ),
        ("text", "text", "text", "text", "count", "count", "share"),
        rows,
        "Hidden where fewer than k people use the tier, where fewer than k completed or fewer "
        "than k did not, or where the figure could be worked out from other figures of any "
        "unit, day or scope. A rate is shown only beside both counts.",
    )


def lowest(coverage: tuple[Coverage, ...]) -> Value:
    """The lowest coverage rate of a finding, or the neutral reason if any rate is hidden."""
    rates = [c.rate for c in coverage if c.rate is not None]
    return HIDDEN_REASON if len(rates) < len(coverage) else min(rates, default=None)


def gaps_table(inputs: Inputs, evidence: list[UnitEvidence]) -> Table:
    """Each unit against the requirement of every tier it uses, and its summary sentence."""
    wave = inputs.gaps_wave.label if inputs.gaps_wave else _("no wave with a result release")
    rows: list[tuple[Value, ...]] = [
        (
            unit.unit,
            unit.name,
            tier_name(finding.tier),
            ", ".join(finding.systems),
            _(LITERACY_LEVEL_NAMES[finding.min_level]),
            finding.target_share,
            finding.literacy_share,
            lowest(finding.coverage),
            finding.status,
            unit_sentence(unit) if position == 0 else "",
        )
        for unit in evidence
        for position, finding in enumerate(unit.findings)
    ]
    return Table(
        "gaps",
        "Gaps against requirements",
        (
            "unit",
            "unit name",
            "risk tier",
            "systems",
            "required level",
            "target share",
            "share at level",
            "lowest coverage",
            "status",
            "finding",
        ),
        ("text", "text", "text", "text", "text", "share", "share", "share", "text", "text"),
        rows,
        _(
            "Literacy read from %(wave)s. status: gap (a shown figure misses its target), met, "
            "or unknown (a figure is hidden).",
            wave=wave,
        ),
    )


def effects_table(effects: list[Effect], names: dict[str, str]) -> Table:
    """Each unit from one wave to the next: literacy change beside coverage before and after
    (`names`: wave names by campaign)."""
    rows: list[tuple[Value, ...]] = [
        (
            e.unit,
            e.name,
            f"{names[e.before.campaign]} → {names[e.after.campaign]}",
            e.before.index,
            e.after.index,
            e.change,
            e.ci95[0] if e.ci95 else None,
            e.ci95[1] if e.ci95 else None,
            {True: "yes", False: "no", None: None}[e.significant],
            e.before.coverage,
            e.after.coverage,
            _(EFFECT_VERDICTS[e.verdict]),
        )
        for e in effects
    ]
    return Table(
        "effect",
        "Effect across waves",
        (
            "unit",
            "unit name",
            "waves",
            "index before",
            "index after",
            "change",
            "95% CI low",
            "95% CI high",
            "significant",
            "coverage before",
            "coverage after",
            "verdict",
        ),
        ("text",) * 3 + ("number",) * 5 + ("text", "share", "share", "text"),
        rows,
        "Change and interval from the wave comparison (Welch interval; significance after "
        "Benjamini-Hochberg across all changes); coverage counted on the day each wave "
        "closed (the pack's day while a wave is open).",
    )


def actions_table(inputs: Inputs) -> Table:
    """The action plans of the units in scope: what each answers and how far it has got."""
    names = inputs.organisation.names
    rows: list[tuple[Value, ...]] = [
        (
            a.unit,
            names[a.unit],
            a.title,
            a.finding,
            a.addresses,
            a.owner_role,
            a.due_on,
            _(ACTION_STATUS_NAMES[a.status]),
            a.updated_on,
        )
        for a in inputs.actions
    ]
    return Table(
        "actions",
        "Actions planned",
        (
            "unit",
            "unit name",
            "action",
            "finding it answers",
            "addresses",
            "owner role",
            "due",
            "status",
            "last update",
        ),
        ("text",) * 6 + ("date", "text", "date"),
        rows,
        "Every action of the units in scope created by the evidence day, those on AI "
        "literacy first; the others address AI adoption (the construct they mean to move). "
        "Status as it stands now; last update is the latest dated note by the evidence day.",
    )


def changes_table(changes: list[tuple[str, str, str]]) -> Table:
    """What changed in the inputs since the previous build of the same scope."""
    return Table(
        "changes",
        "Change log",
        ("input", "status", "checksum (SHA-256)"),
        ("text", "text", "text"),
        list(changes),
    )
