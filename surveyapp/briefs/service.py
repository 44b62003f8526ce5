"""Building the briefs of a campaign: one analysis, each unit's slice, PDFs from a process pool.

The whole-campaign document already holds every unit's groups, so the campaign is analysed
once (about 1 s for 900 respondents) rather than once per unit, and each worker gets a plain
dict with only the organisation and its unit's groups.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.briefs.meta import BriefMeta
from surveyapp.errors import SurveyappError
from surveyapp.language import LANGUAGES
from surveyapp.models import Campaign, Function, Invitation, OrgUnit, Person

RENDER_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class BriefJob:
    """One brief to render: the unit's slice of the document and its metadata, as plain dicts."""

    unit: str
    path_name: str
    analysis: dict[str, Any]
    meta: dict[str, Any]


def unit_slice(analysis: dict[str, Any], unit: str) -> dict[str, Any]:
    """The document restricted to the organisation and the unit's own groups and changes."""

    def mine(kind: str, key: str) -> bool:
        return kind == "organisation" or key == unit or key.startswith(unit + "/")

    sliced = {
        **analysis,
        "groups": [g for g in analysis["groups"] if mine(g["kind"], g["key"])],
        "suppressed": [s for s in analysis["suppressed"] if mine(s["kind"], s["key"])],
    }
    if analysis.get("waves"):
        waves = analysis["waves"]
        changes = [c for c in waves["changes"] if mine(c["kind"], c["key"])]
        sliced["waves"] = {**waves, "changes": changes}
    return sliced


def _invited_per_unit(session: Session, campaign: Campaign) -> dict[str, int]:
    """Invitations of the campaign per unit, each unit counting its sub-units too."""
    units = session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.parent_id)).all()
    parent = {uid: pid for uid, _, pid in units}
    code = {uid: c for uid, c, _ in units}
    counts: dict[str, int] = {}
    invited = session.execute(
        sa.select(Person.unit_id, sa.func.count())
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.campaign_id == campaign.id)
        .group_by(Person.unit_id)
    ).all()
    for unit_id, count in invited:
        seen = unit_id
        while seen is not None:
            counts[code[seen]] = counts.get(code[seen], 0) + count
            seen = parent[seen]
    return counts


def campaign_meta(
    session: Session,
    campaign: Campaign,
    analysis: dict[str, Any],
    unit_name: str,
    language: str = "en",
) -> BriefMeta:
    """What every brief and dashboard of the campaign prints besides the document: names of
    scales and patterns (in `language` where the instrument file or pattern library has it),
    functions and the wave compared with, dates and the state of the fieldwork."""
    from surveyapp.services.datasets import campaign_scales
    from surveyapp.services.layout import campaign_layout

    scales, _ = campaign_scales(campaign_layout(campaign))
    previous = (analysis.get("waves") or {}).get("previous")
    return BriefMeta(
        campaign=campaign.slug,
        campaign_name=campaign.name,
        unit_name=unit_name,
        opens=campaign.opens_at.date() if campaign.opens_at else None,
        closes=campaign.closes_at.date() if campaign.closes_at else None,
        status=campaign.status,
        previous_name=previous
        and session.scalar(sa.select(Campaign.name).where(Campaign.slug == previous)),
        scale_titles={s.key: s.title.get(language) or s.title.get("en") or s.key for s in scales},
        function_names=dict(session.execute(sa.select(Function.code, Function.name)).all()),
        pattern_names={
            item["archetype"]: item["label"].get(language) or item["label"].get("en") or item["id"]
            for item in (analysis.get("patterns") or {}).get("items", [])
            if item.get("archetype")
        },
        language=language,
    )


def response_rate(respondents: int | None, invited: int | None) -> float | None:
    """Shown respondents over invited people (open-link answers can push it past 1: capped)."""
    return min(1.0, respondents / invited) if respondents and invited else None


def plan_briefs(
    session: Session,
    campaign: Campaign,
    instruments_dir: Path,
    unit: str | None = None,
    language: str = "en",
) -> list[BriefJob]:
    """Analyse the campaign once and prepare every unit's brief (or only `unit`'s), written in
    `language` (en or es)."""
    from surveyapp.services.action_plans import plan_since
    from surveyapp.services.analysis import analyze_campaign, previous_wave

    if language not in LANGUAGES:
        raise SurveyappError(f"--lang: {language!r} is not one of {', '.join(LANGUAGES)}")
    names = dict(session.execute(sa.select(OrgUnit.code, OrgUnit.name)).all())
    if unit is not None and unit not in names:
        raise SurveyappError(f"--unit: unknown unit code {unit!r}")
    previous = previous_wave(session, campaign)
    analysis = analyze_campaign(session, campaign, instruments_dir, previous=previous)
    listed = {g["key"] for g in analysis["groups"] if g["kind"] == "unit"}
    codes = [unit] if unit is not None else sorted(listed | {u.code for u in campaign.units})
    common = campaign_meta(session, campaign, analysis, "", language)
    invited = _invited_per_unit(session, campaign)
    shown = {g["key"]: g["n"] for g in analysis["groups"] if g["kind"] == "unit"}
    jobs = []
    for code in codes:
        rate = response_rate(shown.get(code), invited.get(code))
        meta = replace(common, unit_name=names[code], response_rate=rate)
        sliced = unit_slice(analysis, code)
        if previous is not None:  # the plan made since the last wave, for the next brief
            sliced["said_and_done"] = plan_since(
                session, code, previous.opens_at or previous.created_at
            )
        jobs.append(BriefJob(code, f"{campaign.slug}-{code}.pdf", sliced, meta.to_dict()))
    return jobs


def unit_brief_pdf(
    session: Session, campaign: Campaign, instruments_dir: Path, unit: str, language: str = "en"
) -> tuple[bytes, str]:
    """One unit's brief rendered now, in `language`, for a download: the PDF and its file
    name. The staff area and the API both hand it out; an error says why there is no brief."""
    (job,) = plan_briefs(session, campaign, instruments_dir, unit, language)
    return render_job(job), job.path_name


def render_job(job: BriefJob) -> bytes:
    """A worker's task: one brief's PDF."""
    from surveyapp.briefs.render import render_brief

    return render_brief(job.analysis, job.unit, BriefMeta.from_dict(job.meta))


def _warm_up() -> None:
    """Load WeasyPrint, the stylesheet and the fonts once per worker, before its first brief,
    then freeze what is loaded: the collector's full passes during each brief then walk the
    brief's own objects, not every module and font the worker holds for good."""
    from surveyapp.briefs.pdf import stylesheet

    stylesheet()
    gc.collect()
    gc.freeze()


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` beside `path`, then rename it into place: no half-written brief."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(content)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def write_briefs(
    jobs: list[BriefJob],
    out_dir: Path,
    on_written: Callable[[Path], None] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Render the jobs on a pool of worker processes (one brief renders in this process)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def store(job: BriefJob, pdf: bytes) -> None:
        path = out_dir / job.path_name
        write_atomically(path, pdf)
        written.append(path)
        if on_written is not None:
            on_written(path)

    if len(jobs) == 1:
        store(jobs[0], render_job(jobs[0]))
        return written
    count = min(len(jobs), workers or os.cpu_count() or 1)
    with ProcessPoolExecutor(count, mp_context=get_context("spawn"), initializer=_warm_up) as pool:
        for job, pdf in zip(
            jobs, pool.map(render_job, jobs, timeout=RENDER_TIMEOUT_SECONDS), strict=True
        ):
            store(job, pdf)
    return written


def build_briefs(
    session: Session,
    campaign: Campaign,
    instruments_dir: Path,
    out_dir: Path,
    unit: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write `<campaign>-<unit>.pdf` into `out_dir` for every unit (or one) of the campaign."""
    return write_briefs(plan_briefs(session, campaign, instruments_dir, unit), out_dir, progress)
