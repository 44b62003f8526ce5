"""Everything an evidence pack is built from, read once, with a checksum per input.

Literacy comes from each literacy campaign's analysis document (its latest result release,
as export readers may see it); people, systems and completions come from the roster and the
evidence tables; planned actions from the units' action plans. No query here or below reads a
response beside a person or a completion.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.coverage_disclosure import Figure
from surveyapp.analytics.literacy_evidence import (
    Done,
    Literacy,
    Organisation,
    Person,
    Use,
    literacy_by_unit,
)
from surveyapp.analytics.literacy_requirements import (
    REQUIREMENTS_FILE,
    Requirements,
    load_requirements,
)
from surveyapp.analytics.literacy_waves import WaveLiteracy, wave_changes
from surveyapp.briefs.meta import long_date
from surveyapp.errors import SurveyappError
from surveyapp.evidence.words import MODES
from surveyapp.exports.service import for_person_readers
from surveyapp.language import _
from surveyapp.models import Campaign, EvidenceBuild, Measure, OrgUnit
from surveyapp.models.campaigns import DEFAULT_MIN_GROUP
from surveyapp.services.action_plans import LITERACY
from surveyapp.services.actions import unit_actions
from surveyapp.services.ai_systems import system_uses
from surveyapp.services.analysis import analyze_campaign, previous_wave
from surveyapp.services.consent import asks_literacy
from surveyapp.services.measures import completions, roster_rows
from surveyapp.services.result_releases import release_status


@dataclass(frozen=True)
class Inputs:
    """The pack's inputs: scope, organisation, systems, measures, waves and checksums."""

    as_of: date
    unit: str | None
    units: list[str]
    organisation: Organisation
    uses: list[Use]
    descriptions: dict[str, str]
    measures: list[Measure]
    completions: list[Done]
    waves: list[WaveLiteracy]
    gaps_wave: GapsWave | None
    actions: list[PlannedAction]
    organisation_literacy: list[Literacy | None]
    requirements: Requirements
    k: int  # coverage's minimum group size (`coverage_k`)
    earlier: list[Figure]  # coverage figures earlier builds published
    checksums: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class GapsWave:
    """The wave the gaps against requirements are read from, and the release it shows."""

    slug: str
    name: str
    mode: str
    release: int
    released_on: date
    literacy: Mapping[str, Literacy | None]

    @property
    def label(self) -> str:
        """The wave in words, in the pack's language."""
        return _(
            "%(wave)s (%(mode)s), result release %(release)s of %(day)s",
            wave=self.name,
            mode=_(MODES[self.mode]),
            release=self.release,
            day=long_date(self.released_on),
        )


@dataclass(frozen=True)
class PlannedAction:
    """One action of a unit's plan as the pack lists it (a unit's plan, never a person's)."""

    unit: str
    title: str
    finding: str
    addresses: str
    owner_role: str
    due_on: date
    status: str
    updated_on: date | None


def checksum(value: Any) -> str:
    """SHA-256 of a value's canonical JSON (sorted keys, dates as ISO text)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry(values: list[Any]) -> dict[str, Any]:
    return {"sha256": checksum(values), "count": len(values)}


def literacy_campaigns(session: Session, as_of: date) -> list[Campaign]:
    """Campaigns asking the literacy instrument, with a published release, opened by `as_of`,
    oldest first."""
    found = []
    for campaign in session.scalars(sa.select(Campaign).order_by(Campaign.created_at, Campaign.id)):
        if not asks_literacy(campaign) or started(campaign) > as_of:
            continue
        if release_status(session, campaign).number:
            found.append(campaign)
    return found


def coverage_k(session: Session) -> int:
    """The one minimum group size coverage is published with: the largest of the default and
    every literacy wave's, whichever wave a reader reads gaps from and whatever the day, so no
    two packs cut the same figures with two k's."""
    sizes = [c.min_group_size for c in session.scalars(sa.select(Campaign)) if asks_literacy(c)]
    return max([DEFAULT_MIN_GROUP, *sizes])


def published_before(session: Session) -> list[Figure]:
    """Every coverage figure an earlier build of any scope published (the decision is the
    organisation's), for this build's audit to keep shown."""
    return [
        (None if day is None else date.fromisoformat(day), unit, tier, kind)
        for figures in session.scalars(
            sa.select(EvidenceBuild.published).where(EvidenceBuild.published.is_not(None))
        )
        for day, unit, tier, kind in figures
    ]


def started(campaign: Campaign) -> date:
    """The day a wave opened (the day it was created if it has no opening date)."""
    return (campaign.opens_at or campaign.created_at).date()


def gaps_campaign(
    session: Session, campaigns: list[Campaign], releases: dict[str, Any], slug: str | None
) -> Campaign | None:
    """The wave the gaps are read from: `slug` if given, else the latest to open (on the
    same day an anonymous wave before a confidential one, then the later release)."""
    if slug is None:
        return max(
            campaigns,
            key=lambda c: (
                started(c),
                c.privacy_mode == "anonymous",
                releases[c.slug]["released_on"],
                c.id,
            ),
            default=None,
        )
    chosen = next((c for c in campaigns if c.slug == slug), None)
    if chosen is None:
        if session.scalar(sa.select(Campaign.id).where(Campaign.slug == slug)) is None:
            raise SurveyappError(f"--campaign: unknown campaign {slug!r}")
        raise SurveyappError(
            f"--campaign: {slug!r} does not ask ai-literacy, has no result release, "
            "or opened after the evidence day"
        )
    return chosen


def addresses(construct: str | None) -> str:
    """What an action means to move, in words: AI literacy, or the construct it names
    (`adoption-readiness.knowledge` reads "adoption readiness: knowledge")."""
    if construct == LITERACY or (construct or "").startswith("ai-literacy."):
        return "AI literacy"
    if construct is None:
        return "not stated"
    if construct == "readiness_index":
        return "AI adoption readiness"
    words = construct.replace("-", " ").replace(".", ": ").replace("_", " ")
    return "AI " + words.removeprefix("ai ") if words.startswith("ai ") else words


def planned_actions(session: Session, unit_ids: dict[str, int], as_of: date) -> list[PlannedAction]:
    """The action plans of the units in scope as of a day, those on AI literacy first."""
    codes = {number: code for code, number in unit_ids.items()}
    found = []
    for action in unit_actions(session, set(codes)):
        if action.created_at.date() > as_of:
            continue
        updates = [u.written_at.date() for u in action.updates if u.written_at.date() <= as_of]
        found.append(
            PlannedAction(
                codes[action.unit_id],
                action.title,
                action.finding,
                addresses(action.construct),
                action.owner_role,
                action.due_on,
                action.status,
                max(updates, default=None),
            )
        )
    return sorted(found, key=lambda a: (a.addresses != "AI literacy", a.unit, a.due_on))


def wave_day(campaign: Campaign, as_of: date) -> date:
    """The day a wave's literacy stands for: when it closed, or `as_of` while still open."""
    if campaign.closes_at is not None and campaign.closes_at.date() <= as_of:
        return campaign.closes_at.date()
    return as_of


def _waves(
    session: Session, campaigns: list[Campaign], instruments_dir: Path
) -> tuple[list[tuple[Campaign, dict[str, Any], Campaign | None]], dict[str, Any]]:
    """Each campaign's analysis document (with its change since its previous wave of the same
    instruments, when that wave is in the pack) and the wave compared; and per campaign its
    release and the literacy figures the pack reads from it (what its checksum covers)."""
    documents = []
    for position, campaign in enumerate(campaigns):
        earlier = previous_wave(session, campaign)
        compare = earlier if earlier in campaigns[:position] else None
        document = analyze_campaign(session, campaign, instruments_dir, previous=compare)
        documents.append((campaign, for_person_readers(session, campaign, document), compare))
    releases = {
        c.slug: {
            "number": d["release"]["number"],
            "released_on": d["release"]["released_on"],
            "literacy": {
                unit: None if figures is None else vars(figures)
                for unit, figures in literacy_by_unit(d).items()
            },
        }
        for c, d, _ in documents
    }
    return documents, releases


def scope_units(
    names: dict[str, str], parents: dict[str, str | None], unit: str | None
) -> list[str]:
    """The units a pack covers, in tree order (parents first, siblings by code)."""
    organisation = Organisation(names, parents, [])
    chosen = [code for code in sorted(names) if unit is None or unit in organisation.ancestry(code)]
    return sorted(chosen, key=lambda code: list(reversed(organisation.ancestry(code))))


def gather(
    session: Session,
    instruments_dir: Path,
    as_of: date,
    unit: str | None,
    campaign: str | None = None,
) -> Inputs:
    """Read every input of a pack as of a day, for the organisation or one unit's subtree,
    its gaps from wave `campaign` (the latest wave if None)."""
    tree = session.execute(
        sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id)
    ).all()
    codes = {row.id: row.code for row in tree}
    names = {row.code: row.name for row in tree}
    parents = {row.code: codes.get(row.parent_id) for row in tree}
    if unit is not None and unit not in names:
        raise SurveyappError(f"--unit: unknown unit code {unit!r}")
    requirements_path = instruments_dir / REQUIREMENTS_FILE
    requirements = load_requirements(requirements_path)
    roster = roster_rows(session)
    stored_uses = system_uses(session)
    earlier = published_before(session)
    # through the last day an earlier build showed, so its figures are counted again alike
    done = completions(session, max([as_of, *(figure[0] for figure in earlier if figure[0])]))
    measures = list(session.scalars(sa.select(Measure).order_by(Measure.title)))
    campaigns = literacy_campaigns(session, as_of)
    documents, releases = _waves(session, campaigns, instruments_dir)
    chosen = gaps_campaign(session, campaigns, releases, campaign)
    ids = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    units = scope_units(names, parents, unit)
    actions = planned_actions(session, {code: ids[code] for code in units}, as_of)
    waves = [
        WaveLiteracy(
            c.slug,
            c.name,
            wave_day(c, as_of),
            literacy_by_unit(d),
            wave_changes(d),
            compare.slug if compare else None,
        )
        for c, d, compare in documents
    ]
    checksums = {
        "requirements": {
            "sha256": hashlib.sha256(requirements_path.read_bytes()).hexdigest(),
            "count": len(requirements.tiers),
        },
        "ai_systems": _entry([vars(use) for use in stored_uses]),
        "measures": _entry([[m.title, m.kind, m.topics, m.tiers, m.systems] for m in measures]),
        "completions": _entry(
            [[d.person_id, d.measure, d.counts_from] for d in done if d.counts_from <= as_of]
        ),
        "roster": _entry([list(row) for row in roster]),
        "actions": _entry([list(vars(action).values()) for action in actions]),
        **{
            f"release:{slug}": {"sha256": checksum(release), "count": release.get("number") or 0}
            for slug, release in releases.items()
        },
    }
    return Inputs(
        as_of=as_of,
        unit=unit,
        units=units,
        organisation=Organisation(names, parents, [Person(*row) for row in roster]),
        uses=[Use(u.system, u.risk_tier, u.unit, u.function, u.level) for u in stored_uses],
        descriptions={u.system: u.description for u in stored_uses},
        measures=measures,
        completions=done,
        waves=waves,
        gaps_wave=None
        if chosen is None
        else GapsWave(
            chosen.slug,
            chosen.name,
            chosen.privacy_mode,
            releases[chosen.slug]["number"],
            date.fromisoformat(str(releases[chosen.slug]["released_on"])),
            next(w.literacy for w in waves if w.campaign == chosen.slug),
        ),
        actions=actions,
        organisation_literacy=[w.literacy.get("all") for w in waves],
        requirements=requirements,
        k=coverage_k(session),
        earlier=earlier,
        checksums=checksums,
    )
