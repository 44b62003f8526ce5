"""A unit's literacy evidence in one sentence, in the pack's language: "Customer service uses
limited-risk chatbot; 41% foundational; 38% completed the required briefing: falls short."

The sentence reads only what `literacy_evidence.unit_evidence` publishes (hidden figures are
None there), so it cannot carry a rate the tables hide.
"""

from __future__ import annotations

from babel.lists import format_list

from surveyapp.analytics.literacy_evidence import UnitEvidence
from surveyapp.briefs.labels import LITERACY_LEVEL_NAMES
from surveyapp.briefs.meta import share_text
from surveyapp.evidence.words import KINDS, VERDICTS, tier_name
from surveyapp.language import _, current_language


def unit_sentence(unit: UnitEvidence) -> str:
    """The unit's finding for the first tier it uses (its findings come gap first)."""
    if not unit.findings:
        return _("%(unit)s: no AI system recorded in use.", unit=unit.name)
    finding, literacy = unit.findings[0], unit.literacy
    parts = [
        _(
            "%(unit)s uses %(tier)s %(systems)s",
            unit=unit.name,
            tier=tier_name(finding.tier),
            systems=format_list(list(finding.systems), locale=current_language()),
        )
    ]
    if literacy is None:
        parts.append(_("literacy hidden to protect small groups or not measured"))
    else:
        foundational = literacy.levels.get("foundational")
        parts.append(_("%(share)s foundational", share=share_text(foundational)))
        if finding.target_share > 0:
            parts.append(
                _(
                    "%(share)s at %(level)s or above (target %(target)s)",
                    share=_share(finding.literacy_share),
                    level=_(LITERACY_LEVEL_NAMES[finding.min_level]),
                    target=share_text(finding.target_share),
                )
            )
    for coverage in finding.coverage:
        kind = _(KINDS[coverage.kind])
        if coverage.rate is None:
            parts.append(
                _("completion of the required %(kind)s hidden to protect small groups", kind=kind)
            )
        else:
            parts.append(
                _(
                    "%(share)s completed the required %(kind)s",
                    share=share_text(coverage.rate),
                    kind=kind,
                )
            )
    return _("%(parts)s: %(verdict)s.", parts="; ".join(parts), verdict=_(VERDICTS[finding.status]))


def _share(value: float | None) -> str:
    return _("hidden") if value is None else share_text(value)
