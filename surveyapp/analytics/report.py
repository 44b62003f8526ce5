"""A campaign's whole analysis as one JSON-ready document (what `analyze --json` prints).

The dashboard, the briefs, the exports and the API all read this document, so every rule
(scoring, reliability flags, suppression, thresholds) is applied once, here and below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from surveyapp.analytics import (
    agreement,
    alignment,
    invariance,
    patterns,
    psychometrics,
    scoring,
    segmentation_gate,
    themes,
)
from surveyapp.analytics.aggregation import aggregate
from surveyapp.analytics.frames import CampaignData
from surveyapp.analytics.group_report import CampaignResults, finite, group_document, group_values
from surveyapp.analytics.library import Archetype, Playbook
from surveyapp.analytics.suppression import LEVEL, ORGANISATION, GroupPlan, plan_groups
from surveyapp.analytics.waves import Wave, compare_waves


@dataclass(frozen=True)
class Library:
    """The pattern library and the playbook the analysis matches findings against."""

    archetypes: tuple[Archetype, ...]
    playbook: Playbook


def _quality(
    reliability: list[psychometrics.ScaleReliability],
    aggregation: list[agreement.ScaleAggregation],
) -> dict[str, Any]:
    by_scale = {a.scale: a for a in aggregation}
    return {
        "alpha": {r.scale: finite(r.alpha) for r in reliability},
        "threshold": psychometrics.ACCEPTABLE_ALPHA,
        "scales": [
            {
                "scale": r.scale,
                "alpha": finite(r.alpha),
                "omega": finite(r.omega),
                "n_complete": r.n_complete,
                "flagged": r.flagged,
                "item_total": {item: finite(value) for item, value in r.item_total.items()},
                "weak_items": list(r.weak_items),
                "icc1": finite(by_scale[r.scale].icc1),
                "icc2": finite(by_scale[r.scale].icc2),
                "icc_units": by_scale[r.scale].units,
                "unit_comparison_justified": by_scale[r.scale].justified,
            }
            for r in reliability
        ],
        "icc2_threshold": agreement.MIN_ICC2,
    }


def _invariance(checks: list[invariance.ScaleInvariance], k: int) -> dict[str, Any]:
    """Each scale's invariance across languages and levels, for the readers' layer to mark
    the mean gaps of a `flagged` scale (or one not tested) as not safe to compare."""
    entries = []
    for check in checks:
        sizes_safe = check.left_out == 0 or check.left_out >= k
        entries.append(
            {
                "scale": check.scale,
                "grouping": check.grouping,
                "items": check.items,
                "groups": {name: n if sizes_safe else None for name, n in check.groups.items()},
                "steps": {
                    step.fit.model: {
                        "chi2": finite(step.fit.chi2),
                        "df": step.fit.df,
                        "cfi": finite(step.fit.cfi),
                        "rmsea": finite(step.fit.rmsea),
                        "delta_chi2": finite(step.delta_chi2),
                        "delta_df": step.delta_df,
                        "p_value": finite(step.p_value),
                        "delta_cfi": finite(step.delta_cfi),
                        "delta_rmsea": finite(step.delta_rmsea),
                    }
                    for step in check.steps
                },
                "verdict": check.verdict,
                "reason": check.reason,
                "flagged": check.flagged,
            }
        )
    return {
        "invariance": entries,
        "invariance_thresholds": {
            "min_group_n": max(invariance.MIN_GROUP_N, k),
            "max_delta_cfi": invariance.MAX_DELTA_CFI,
            "difference_alpha": invariance.DIFFERENCE_ALPHA,
            "min_configural_cfi": invariance.MIN_CONFIGURAL_CFI,
        },
    }


def _dont_know(data: CampaignData) -> dict[str, Any]:
    """How often each item offering "don't know" got it (organisation-wide counts): a
    question many cannot answer is a finding about the question, or about what people know."""
    declined = data.declined
    counts = {} if declined is None else declined.sum()
    return {"dont_know": {column: int(count) for column, count in counts.items() if count}}


def _patterns(result: patterns.PatternResult | None) -> dict[str, Any]:
    if result is None:
        return {"distinct": False, "count": 0, "quality": {}, "items": [], "reason": "no scales"}
    gate = result.gate
    return {
        "distinct": result.distinct,
        "count": len(result.patterns),
        "n": result.n,
        "reason": result.reason,
        "needed": None if gate is None else gate.needed,
        "quality": {
            "covariance": result.covariance,
            "entropy": finite(None if gate is None else gate.entropy),
            "min_avepp": finite(min(gate.avepp.values()) if gate and gate.avepp else None),
            "silhouette": finite(result.silhouette),
            "stability_ari": finite(result.stability_ari),
            "bic": {str(k): round(v, 1) for k, v in result.bic.items()},
            "thresholds": {
                "entropy": segmentation_gate.MIN_ENTROPY,
                "avepp": segmentation_gate.MIN_AVEPP,
                "stability_ari": segmentation_gate.MIN_STABILITY,
                "separation_d": segmentation_gate.MIN_SEPARATION_D,
                "pattern_members": segmentation_gate.MIN_PATTERN_MEMBERS,
            },
        },
        "items": [
            {
                "id": p.id,
                "label": dict(p.label),
                "archetype": p.archetype,
                "similarity": finite(p.similarity),
                "share": round(p.share, 4),
                "centroid": {key: round(value, 4) for key, value in p.centroid_z.items()},
                "centroid_raw": {key: finite(value) for key, value in p.centroid_raw.items()},
                "avepp": finite(p.avepp),
                "defining": {key: round(d, 4) for key, d in (p.defining or {}).items()},
            }
            for p in result.patterns
        ],
    }


def _waves(previous: CampaignData, wave: Wave) -> dict[str, Any]:
    """Change in every scale mean since `previous`, overall and per unit shown in both."""
    before = Wave(
        scoring.respondent_scores(previous),
        previous.respondents,
        plan_groups(
            previous.respondents,
            previous.unit_parents,
            previous.min_group_size,
            previous.withheld,
        ),
    )
    return {
        "previous": previous.campaign,
        "changes": [
            {
                "kind": c.kind,
                "key": c.key,
                "scale": c.scale,
                "n": [c.n1, c.n2],
                "means": [round(c.mean1, 4), round(c.mean2, 4)],
                "change": round(c.change, 4),
                "ci95": [round(c.ci_low, 4), round(c.ci_high, 4)],
                "significant": c.significant,
                "p_value": finite(c.p_value),
                "hedges_g": finite(c.g),
                "g_ci95": [finite(c.g_low), finite(c.g_high)],
            }
            for c in compare_waves(before, wave)
        ],
    }


def analyze(
    data: CampaignData,
    library: Library,
    seed: int = 0,
    unit: str | None = None,
    previous: CampaignData | None = None,
) -> dict[str, Any]:
    """Analyse a campaign: scores, quality, patterns, and every group's figures and findings.

    `unit` keeps the organisation and the groups of that unit and its sub-units (crossings
    included); `previous` adds the change since an earlier wave of the same instruments.
    """
    scores = scoring.respondent_scores(data)
    plans = plan_groups(data.respondents, data.unit_parents, data.min_group_size, data.withheld)
    reliability = psychometrics.scale_reliability(data.answers, data.scales)
    aggregation = agreement.unit_aggregation(
        scores, data.respondents["unit"], [s.key for s in data.scales], data.min_group_size
    )
    cluster = [s.key for s in data.scales if s.cluster]
    titles = {s.key: s.title for s in data.scales}
    found = (
        patterns.find_patterns(scores[cluster], library.archetypes, seed, titles)
        if cluster
        else None
    )
    results = CampaignResults(
        data=data,
        scores=scores,
        plans=plans,
        patterns=found,
        themes=themes.comment_themes(data.comments, seed) if len(data.comments) else {},
        flagged={r.scale for r in reliability if r.flagged},
        perception={
            (gap.kind, gap.key): gap
            for gap in alignment.leader_frontline_gaps(
                scores, data.respondents, plans, data.min_group_size
            )
        },
        agreement={},
    )
    for unit_agreement in alignment.unit_agreement(
        data.answers, data.respondents, plans, data.scales
    ):
        results.agreement.setdefault(unit_agreement.unit, []).append(unit_agreement)
    values = group_values(results)
    aggregated = aggregate(values, data.respondents, plans, list(values.columns))
    scope = _scope(data, unit)
    organisation = None
    groups = []
    for plan, result in zip(plans, aggregated, strict=True):
        if plan.kind != ORGANISATION and not _in_scope(plan, scope):
            continue
        shown = organisation if organisation and not organisation["suppressed"] else None
        document = group_document(results, plan, result, shown, library.playbook)
        if plan.kind == ORGANISATION:
            organisation = document
        groups.append(document)
    hidden = organisation is None or organisation["suppressed"]
    analysis: dict[str, Any] = {
        "campaign": data.campaign,
        "respondents": None if hidden else len(data.respondents),
        "min_group_size": data.min_group_size,
        "min_comment_group_size": data.min_comment_group_size,
        "unit": unit,
        "quality": {"suppressed": True}
        if hidden
        else _quality(reliability, aggregation)
        | _dont_know(data)
        | _invariance(
            invariance.scale_invariance(data, {"level": _hidden(plans, LEVEL)}),
            data.min_group_size,
        ),
        "patterns": {"suppressed": True} if hidden else _patterns(found),
        "groups": groups,
        "suppressed": [
            {"kind": g["kind"], "key": g["key"], "reason": g["reason"]}
            for g in groups
            if g["suppressed"]
        ],
    }
    if previous is not None:
        analysis["waves"] = _waves(previous, Wave(scores, data.respondents, plans))
    return analysis


def _hidden(plans: list[GroupPlan], kind: str) -> frozenset[str]:
    """The keys of the organisation-wide groups of `kind` that the suppression plan hides."""
    return frozenset(plan.key for plan in plans if plan.kind == kind and plan.suppressed)


def _scope(data: CampaignData, unit: str | None) -> set[str] | None:
    """The unit and every unit below it, or None for the whole organisation."""
    if unit is None:
        return None
    found, pending = set(), [unit]
    while pending:
        code = pending.pop()
        found.add(code)
        pending += [child for child, parent in data.unit_parents.items() if parent == code]
    return found


def _in_scope(plan: Any, scope: set[str] | None) -> bool:
    return scope is None or (plan.unit is not None and plan.unit in scope)
