"""Building an evidence pack: inputs in, a dated and versioned PDF and XLSX out, the build
recorded with its inputs' checksums and audited in the same transaction.

`surveyapp evidence build` and the staff download both call `build_pack`; the caller commits,
then writes the files (`Pack.write`) or sends them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.coverage_disclosure import publish_coverage, shown_figures
from surveyapp.analytics.literacy_evidence import unit_evidence
from surveyapp.analytics.literacy_waves import Effect, effects, wave_rows
from surveyapp.briefs.service import write_atomically
from surveyapp.errors import SurveyappError
from surveyapp.evidence import tables
from surveyapp.evidence.inputs import Inputs, gather
from surveyapp.evidence.render import pack_pdf, pack_xlsx, show
from surveyapp.evidence.sentences import unit_sentence
from surveyapp.evidence.words import EFFECT_VERDICTS
from surveyapp.language import LANGUAGES, N_, _, writing_in
from surveyapp.models import EvidenceBuild
from surveyapp.services.audit import record_export

EVIDENCE_BUILD = "evidence.build"
ORGANISATION_SCOPE = N_("Whole organisation")


@dataclass(frozen=True)
class Pack:
    """A built pack: its files' names and bytes, and its stored build record."""

    pdf_name: str
    pdf: bytes
    xlsx_name: str
    xlsx: bytes
    build: EvidenceBuild

    def write(self, folder: Path) -> list[Path]:
        """Write both files into `folder` (created if missing), each whole or not at all;
        their paths. Call it only once the build is committed, so no file outlives a build
        that was rolled back."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / self.pdf_name, folder / self.xlsx_name]
        write_atomically(paths[0], self.pdf)
        write_atomically(paths[1], self.xlsx)
        return paths


def change_log(
    previous: EvidenceBuild | None, checksums: dict[str, dict[str, Any]]
) -> list[tuple[str, str, str]]:
    """Each input against the previous build of the same scope: new, unchanged or changed
    (the checksums say which; no count, since an organisation-wide count of completions
    before and after would publish what the audit hides), and inputs no longer used."""
    before = previous.inputs if previous is not None else {}
    version = previous.version if previous is not None else None
    rows = []
    for name, entry in checksums.items():
        old = before.get(name)
        if previous is None:
            status = _("first build")
        elif old is None:
            status = _("new")
        elif old["sha256"] == entry["sha256"]:
            status = _("unchanged since version %(version)s", version=version)
        else:
            status = _("changed since version %(version)s", version=version)
        rows.append((name, status, entry["sha256"]))
    gone = _("no longer used since version %(version)s", version=version)
    rows += [(name, gone, "") for name in before if name not in checksums]
    return rows


def effect_line(effect: Effect, names: dict[str, str]) -> str:
    """One unit's change between two waves in words (`names`: wave names by campaign)."""
    return _(
        "%(unit)s, %(before)s → %(after)s: %(verdict)s (literacy index %(index_before)s → "
        "%(index_after)s; lowest coverage of a required measure %(coverage_before)s → "
        "%(coverage_after)s).",
        unit=effect.name,
        before=names[effect.before.campaign],
        after=names[effect.after.campaign],
        verdict=_(EFFECT_VERDICTS[effect.verdict]),
        index_before=show("number", effect.before.index),
        index_after=show("number", effect.after.index),
        coverage_before=show("share", effect.before.coverage),
        coverage_after=show("share", effect.after.coverage),
    )


def _tables(inputs: Inputs, build: tables.Build, previous: EvidenceBuild | None) -> tuple:
    """The pack's tables, its finding sentences and its across-wave sentences."""
    latest = inputs.gaps_wave.literacy if inputs.gaps_wave else {}
    published = publish_coverage(
        inputs.organisation,
        inputs.uses,
        inputs.completions,
        inputs.requirements,
        inputs.k,
        [inputs.as_of, *(wave.on for wave in inputs.waves)],
        inputs.earlier,
    )
    evidence = unit_evidence(
        inputs.organisation, published[inputs.as_of], latest, inputs.requirements, inputs.units
    )
    rows = wave_rows(
        inputs.organisation, published, inputs.waves, inputs.requirements, inputs.units
    )
    found = [e for e in effects(rows, inputs.waves) if e.after.status != "none"]
    names = {wave.campaign: wave.name for wave in inputs.waves}
    built = [
        tables.scope_table(inputs, build),
        tables.systems_table(inputs, evidence),
        tables.literacy_table(inputs, rows),
        tables.measures_table(inputs),
        tables.coverage_table(evidence),
        tables.gaps_table(inputs, evidence),
        tables.actions_table(inputs),
        tables.effects_table(found, names),
        tables.changes_table(change_log(previous, inputs.checksums)),
    ]
    order = {"gap": 0, "unknown": 1, "met": 2}
    shown = sorted((u for u in evidence if u.findings), key=lambda u: order[u.findings[0].status])
    figures = [
        [None if day is None else day.isoformat(), unit, tier, kind]
        for day, unit, tier, kind in shown_figures(published)
    ]
    sentences = [unit_sentence(u) for u in shown]
    return built, sentences, [effect_line(e, names) for e in found], figures


def build_pack(
    session: Session,
    instruments_dir: Path,
    actor: str,
    unit: str | None = None,
    as_of: date | None = None,
    campaign: str | None = None,
    language: str = "en",
) -> Pack:
    """Build the pack for the organisation (or one unit's subtree) as of a day (today by
    default), its gaps from wave `campaign` (the latest by default), written in `language`
    (en or es), and record the build and its audit event; the caller commits, then writes or
    sends the files."""
    if language not in LANGUAGES:
        raise SurveyappError(f"--lang: {language!r} is not one of {', '.join(LANGUAGES)}")
    now = datetime.now(UTC)
    as_of = as_of or now.date()
    if as_of > now.date():  # its figures could still change: completions recorded until then
        raise SurveyappError(f"--as-of: {as_of.isoformat()} is after today")
    inputs = gather(session, instruments_dir, as_of, unit, campaign)
    previous = session.scalar(
        sa.select(EvidenceBuild)
        .where(
            EvidenceBuild.unit_code.is_(None) if unit is None else EvidenceBuild.unit_code == unit
        )
        .order_by(EvidenceBuild.version.desc())
        .limit(1)
    )
    version = previous.version + 1 if previous is not None else 1
    with writing_in(language):
        scope = _(ORGANISATION_SCOPE) if unit is None else inputs.organisation.names[unit]
        build = tables.Build(version, now, actor, as_of, scope)
        built, sentences, effect_lines, figures = _tables(inputs, build, previous)
        pdf = pack_pdf(build, built, sentences, effect_lines)
        xlsx = pack_xlsx(build, built)
    stem = f"ai-literacy-evidence-{unit or 'organisation'}-{as_of.isoformat()}-v{version}"
    record = EvidenceBuild(
        built_at=now,
        as_of=as_of,
        unit_code=unit,
        version=version,
        actor=actor,
        inputs=inputs.checksums,
        published=figures,
    )
    session.add(record)
    record_export(
        session,
        actor=actor,
        action=EVIDENCE_BUILD,
        campaign=None,
        detail={
            "unit": unit,
            "as_of": as_of.isoformat(),
            "version": version,
            "gaps_wave": inputs.gaps_wave.slug if inputs.gaps_wave else None,
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
            "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
        },
        row_count=len(inputs.units),
    )
    return Pack(f"{stem}.pdf", pdf, f"{stem}.xlsx", xlsx, record)
