"""The pack's words for the codes its inputs hold (risk tiers, measure kinds, privacy modes,
statuses and verdicts), marked for the catalogue and translated where a sentence or a cell
shows them."""

from __future__ import annotations

from collections.abc import Sequence

from surveyapp.language import N_, _

TIERS = {"minimal": N_("minimal-risk"), "limited": N_("limited-risk"), "high": N_("high-risk")}
KINDS = {
    "training": N_("training"),
    "briefing": N_("briefing"),
    "policy_acknowledgement": N_("policy acknowledgement"),
}
MODES = {"anonymous": N_("anonymous"), "confidential": N_("confidential")}
VERDICTS = {
    "gap": N_("falls short"),
    "met": N_("meets the requirement"),
    "unknown": N_("cannot be judged (figures hidden)"),
}
# `analytics.literacy_waves.verdict`'s codes: what happened to a unit's gap between two waves.
EFFECT_VERDICTS = {
    "no_systems": N_("no AI system in use"),
    "hidden": N_("cannot be judged: figures hidden to protect small groups"),
    "closed": N_("gap closed"),
    "no_gap": N_("no gap"),
    "closing": N_("gap closing: literacy rose significantly as coverage grew"),
    "not_closing": N_("gap not closing"),
}


def tier_name(tier: str) -> str:
    """`high` is "high-risk", in the pack's language."""
    return _(TIERS[tier])


def measure_targets(tiers: Sequence[str], systems: Sequence[str]) -> list[str]:
    """What a measure counts for, in the reader's language: its tiers named, then its systems
    (none of either: every tier)."""
    return [*map(tier_name, tiers), *systems]
