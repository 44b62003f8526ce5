"""The entry of one group (organisation, unit, function, level, crossing) in the analysis.

Every figure comes from a `aggregation.aggregate` result, so a hidden group carries no number;
themes and quotes need the campaign's minimum comment group size of commenters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveyapp.analytics import alignment, barriers, drivers, patterns, scoring, themes
from surveyapp.analytics import recommendations as recs
from surveyapp.analytics.aggregation import GroupResult
from surveyapp.analytics.frames import CampaignData
from surveyapp.analytics.library import Playbook
from surveyapp.analytics.suppression import ORGANISATION, UNIT, GroupPlan

LEVEL_COLUMN = "literacy_level={}"
PATTERN_COLUMN = "pattern={}"
LOW_AGREEMENT_SHARE = 0.5  # a unit disagrees when half its scales have r_wg(j) < 0.70


@dataclass
class CampaignResults:
    """Intermediate results shared by the group documents."""

    data: CampaignData
    scores: pd.DataFrame
    plans: list[GroupPlan]
    patterns: patterns.PatternResult | None
    themes: dict[str, themes.ThemeResult]
    flagged: set[str]
    perception: dict[tuple[str, str], alignment.PerceptionGap]
    agreement: dict[str, list[alignment.UnitAgreement]]


def _one_hot(values: pd.Series, categories: list[str], template: str) -> pd.DataFrame:
    """1/0 columns per category, NaN where the value is missing, so a mean is a share."""
    present = values.notna().to_numpy()
    return pd.DataFrame(
        {
            template.format(category): np.where(present, (values == category).to_numpy(), np.nan)
            for category in categories
        },
        index=values.index,
    )


def group_values(campaign: CampaignResults) -> pd.DataFrame:
    """All numeric per-respondent values whose group means the document reports."""
    scores = campaign.scores
    parts = [scores.select_dtypes("number")]
    if scoring.LITERACY_LEVEL in scores:
        levels = scores[scoring.LITERACY_LEVEL].astype(object)
        parts.append(_one_hot(levels, list(scoring.LITERACY_LEVELS), LEVEL_COLUMN))
    own = barriers.individual_barriers(scores, campaign.data.scales)
    if own.notna().any():
        parts.append(_one_hot(own, list(barriers.BARRIER_CATEGORIES), barriers.BARRIER_COLUMN))
    if campaign.patterns is not None and campaign.patterns.patterns:
        labels = campaign.patterns.labels.reindex(scores.index).astype(object)
        ids = [pattern.id for pattern in campaign.patterns.patterns]
        parts.append(_one_hot(labels, ids, PATTERN_COLUMN))
    return pd.concat(parts, axis=1)


def finite(value: float) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _figures(campaign: CampaignResults, result: GroupResult) -> dict[str, Any]:
    """Scale means, ADKAR profile and barrier, readiness, literacy and pattern shares."""
    means = result.means
    data = campaign.data
    profile = scoring.adkar_profile(means, data.scales)
    document: dict[str, Any] = {
        "scales": {
            scale.key: {
                "mean": finite(means.get(scale.key)),
                "answered": result.answered.get(scale.key, 0),
                "reliability_flag": scale.key in campaign.flagged,
                "asked": result.level is None
                or scale.levels is None
                or result.level in scale.levels,
            }
            for scale in data.scales
        },
        "adkar": {element: finite(value) for element, value in profile.items()},
        "barrier_point": scoring.barrier_point(profile),
        "barrier_distribution": barriers.barrier_distribution(
            means, result.answered, data.min_group_size
        ),
        "readiness_index": finite(means.get(scoring.READINESS_INDEX)),
        "literacy": {
            "index": finite(means.get(scoring.LITERACY_INDEX)),
            "quiz_percent": finite(means.get(scoring.QUIZ_PERCENT)),
            "levels": {
                level: finite(means.get(LEVEL_COLUMN.format(level)))
                for level in scoring.LITERACY_LEVELS
                if LEVEL_COLUMN.format(level) in means
            },
        },
        "pattern_shares": {
            key.split("=", 1)[1]: finite(value)
            for key, value in means.items()
            if key.startswith("pattern=")
        },
    }
    return document


def _members(campaign: CampaignResults, plan: GroupPlan) -> pd.Index:
    respondents = campaign.data.respondents
    if plan.kind == ORGANISATION:
        return respondents.index
    return respondents.index[respondents["unit"].isin(plan.units or ())]


def _themes(campaign: CampaignResults, plan: GroupPlan) -> dict[str, Any]:
    """Themes per language among the group's comments, or why none are shown."""
    members = _members(campaign, plan)
    comments = campaign.data.comments
    own = comments[comments["response_id"].isin(members)]
    commenters = own["response_id"].nunique()
    minimum = campaign.data.min_comment_group_size
    if commenters < minimum:
        return {"suppressed": True, "reason": f"fewer than {minimum} people commented"}
    shown: dict[str, Any] = {"suppressed": False, "languages": {}}
    for language, result in campaign.themes.items():
        if result.comments is None:
            continue
        within = themes.themes_within(result, own.index)
        shown["languages"][language] = [
            {
                "id": theme.id,
                "terms": list(theme.terms),
                "share": round(theme.share, 4),
                "comments": theme.n_comments,
                "examples": list(theme.examples),
            }
            for theme in within
        ]
    return shown


def _alignment(
    campaign: CampaignResults, plan: GroupPlan
) -> tuple[dict[str, Any], list[recs.Finding]]:
    """Function gaps, within-unit agreement and the leader-frontline gap, with their findings."""
    data, scores = campaign.data, campaign.scores
    unit = None if plan.kind == ORGANISATION else plan.key
    columns = [scale.key for scale in data.scales]
    gaps = alignment.function_gaps(scores, data.respondents, campaign.plans, columns, unit=unit)
    perception = campaign.perception.get((plan.kind, plan.key))
    agreement = campaign.agreement.get(plan.key, []) if unit is not None else []
    findings = []
    worst = max((gap for gap in gaps if gap.flagged), key=lambda gap: gap.d, default=None)
    if worst is not None:
        text = (
            f"Functions disagree most on {worst.construct}: {worst.high} "
            f"{worst.means[worst.high]:.1f} against {worst.low} {worst.means[worst.low]:.1f} "
            f"(d = {worst.d:.2f})."
        )
        findings.append(recs.Finding("alignment", "function_gap", min(1.0, worst.d / 2), text))
    if perception is not None and perception.flagged:
        text = (
            f"Leaders rate readiness {perception.leader_mean:.0f} and frontline staff "
            f"{perception.frontline_mean:.0f} of 100 (d = {perception.d:.2f})."
        )
        findings.append(
            recs.Finding("alignment", "leader_frontline_gap", min(1.0, abs(perception.d) / 2), text)
        )
    low = [a for a in agreement if not a.agrees]
    if agreement and len(low) / len(agreement) >= LOW_AGREEMENT_SHARE:
        share = len(low) / len(agreement)
        text = f"People in the unit disagree with each other on {share:.0%} of the scales."
        findings.append(recs.Finding("alignment", "low_agreement", share, text))
    document = {
        "function_gaps": [
            {
                "construct": gap.construct,
                "means": {name: round(mean, 4) for name, mean in gap.means.items()},
                "high": gap.high,
                "low": gap.low,
                "spread": round(gap.spread, 4),
                "d": round(gap.d, 4),
                "flagged": gap.flagged,
                "p_value": finite(gap.p_value),
                "hedges_g": finite(gap.g),
                "g_ci95": [finite(gap.g_low), finite(gap.g_high)],
            }
            for gap in gaps
        ],
        "agreement": [
            {
                "scale": a.scale,
                "rwg": finite(a.rwg),
                "agrees": a.agrees,
                "rwg_skewed": finite(a.rwg_skewed),
                "ad_m": finite(a.ad_m),
            }
            for a in agreement
        ],
        "leader_frontline": None
        if perception is None
        else {
            "reportable": perception.reportable,
            "reason": perception.reason,
            "leader_mean": finite(perception.leader_mean),
            "frontline_mean": finite(perception.frontline_mean),
            "difference": finite(perception.difference),
            "d": finite(perception.d),
            "flagged": perception.flagged,
            "p_value": finite(perception.p_value),
        },
    }
    return document, findings


def _drivers(campaign: CampaignResults, members: pd.Index) -> drivers.DriverResult | None:
    """What explains the adoption outcome (the `outcome` scale, else readiness) in a group."""
    data, scores = campaign.data, campaign.scores
    outcome = next((s.key for s in data.scales if s.outcome), scoring.READINESS_INDEX)
    predictors = [s.key for s in data.scales if s.cluster]
    if outcome not in scores or not predictors:
        return None
    rows = scores.loc[members]
    return drivers.driver_analysis(rows[predictors], rows[outcome])


def _driver_document(result: drivers.DriverResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "n": result.n,
        "r_squared": finite(result.r_squared),
        "reason": result.reason,
        "drivers": [
            {
                "construct": d.construct,
                "share": round(d.share, 4),
                "importance": round(d.importance, 4),
                "beta": round(d.beta, 4),
                "ci": [round(d.ci_low, 4), round(d.ci_high, 4)],
                "mean": finite(d.mean),
                "priority": d.priority,
                "p_value": finite(d.p_value),
            }
            for d in result.drivers
        ],
    }


def _recommendations(
    campaign: CampaignResults,
    figures: dict[str, Any],
    organisation: Mapping[str, Any],
    findings: list[recs.Finding],
    driver_result: drivers.DriverResult | None,
    playbook: Playbook,
) -> list[dict[str, Any]]:
    """Playbook interventions for the group's findings, in priority order."""
    barrier = figures["barrier_point"]
    if barrier is not None:
        findings = [recs.barrier_finding(barrier, figures["adkar"][barrier]), *findings]
    if campaign.patterns is not None:
        findings += recs.pattern_findings(
            campaign.patterns, figures["pattern_shares"], organisation["pattern_shares"]
        )
    literacy = recs.literacy_finding(figures["literacy"]["levels"])
    if literacy is not None:
        findings.append(literacy)
    if driver_result is not None:
        titles = {s.key: s.title.get("en", s.scale) for s in campaign.data.scales}
        findings += recs.driver_findings(driver_result, titles)
    return [
        {
            "intervention": item.intervention.id,
            "title": dict(item.intervention.title),
            "action": dict(item.intervention.action),
            "owner": item.intervention.owner,
            "timing": item.intervention.timing,
            "findings": [
                {
                    "kind": f.kind,
                    "key": f.key,
                    "severity": round(f.severity, 4),
                    "text": f.text,
                    **({} if f.reference is None else {"reference": round(f.reference, 4)}),
                }
                for f in item.findings
            ],
        }
        for item in recs.recommend(findings, playbook)
    ]


def group_document(
    campaign: CampaignResults,
    plan: GroupPlan,
    result: GroupResult,
    organisation: Mapping[str, Any] | None,
    playbook: Playbook,
) -> dict[str, Any]:
    """One group's entry: identity, and when shown its figures (and for units, the rest)."""
    document: dict[str, Any] = {"kind": plan.kind, "key": plan.key}
    if result.suppressed:
        return document | {"n": None, "suppressed": True, "reason": result.reason}
    figures = _figures(campaign, result)
    document |= {"n": plan.n, "suppressed": False} | figures
    if plan.kind in (ORGANISATION, UNIT):
        members = _members(campaign, plan)
        aligned, findings = _alignment(campaign, plan)
        driver_result = _drivers(campaign, members)
        document |= {
            "alignment": aligned,
            "themes": _themes(campaign, plan),
            "drivers": _driver_document(driver_result),
            "recommendations": _recommendations(
                campaign, figures, organisation or figures, findings, driver_result, playbook
            ),
        }
    return document
