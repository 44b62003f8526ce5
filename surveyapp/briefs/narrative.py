"""The words of a brief: executive summary, actions, comment themes, change and method."""

from __future__ import annotations

import re
from typing import Any

from surveyapp.briefs.meta import MISSING, BriefMeta, index_text, mean_text, share_text
from surveyapp.briefs.sections import ADKAR, Group, scale_title

SUMMARY_LENGTH = 3
ACTIONS_SHOWN = 6
QUOTES_SHOWN = 3
QUOTE_LENGTH = 400  # a quote is an illustration; a longer one is cut (and cannot stall layout)
THEMES_PER_LANGUAGE = 4
LANGUAGES = {"en": "English", "es": "Spanish"}
WAVE_MEASURES = ("readiness_index", "literacy_index", "quiz_percent")
INDEX_MEASURES = {
    "readiness_index": "Readiness index",
    "literacy_index": "AI-literacy index",
    "quiz_percent": "Quiz, % correct",
}
SCALE_KEY = re.compile(r"\b[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*\b")


def plain(text: str, meta: BriefMeta) -> str:
    """A finding's text with scale keys (`ai-concerns.workload`) replaced by their titles."""
    return SCALE_KEY.sub(
        lambda m: scale_title(meta, m[0]) if m[0] in meta.scale_titles else m[0], text
    )


def executive_summary(group: Group, organisation: Group, meta: BriefMeta) -> list[str]:
    """The three findings that matter most: the barrier point first, then by severity.

    Findings come from the unit's recommendations; when there are fewer than three, the
    unit's readiness and weakest ADKAR element against the organisation fill the list.
    """
    findings: dict[str, tuple[bool, float]] = {}
    for recommendation in group.get("recommendations", []):
        for finding in recommendation["findings"]:
            text = plain(finding["text"], meta)
            rank = (finding["kind"] == "barrier", finding["severity"])
            findings[text] = max(findings.get(text, rank), rank)
    ordered = sorted(findings, key=lambda text: findings[text], reverse=True)
    fillers = []
    if group.get("readiness_index") is not None:
        fillers.append(
            f"Readiness stands at {index_text(group['readiness_index'])} of 100, against "
            f"{index_text(organisation.get('readiness_index'))} across the organisation."
        )
    adkar = {e: v for e, v in group.get("adkar", {}).items() if v is not None}
    if adkar and not group.get("barrier_point"):
        weakest = min(adkar, key=adkar.get)
        fillers.append(
            f"No ADKAR element is at or below 3.0; the weakest is {weakest} "
            f"({mean_text(adkar[weakest])} of 5), the place to reinforce first."
        )
    return (ordered + fillers)[:SUMMARY_LENGTH]


def actions(group: Group, meta: BriefMeta) -> dict[str, Any]:
    """The playbook's interventions in priority order, each with what triggered it."""
    recommendations = group.get("recommendations", [])
    shown = [
        {
            "title": r["title"]["en"],
            "action": r["action"]["en"],
            "owner": r["owner"],
            "timing": r["timing"],
            "triggers": list(dict.fromkeys(plain(f["text"], meta) for f in r["findings"])),
        }
        for r in recommendations[:ACTIONS_SHOWN]
    ]
    return {"shown": shown, "more": [r["title"]["en"] for r in recommendations[ACTIONS_SHOWN:]]}


def themes(group: Group) -> dict[str, Any]:
    """The unit's comment themes per language and at most three quotes, unless suppressed."""
    found = group.get("themes") or {"suppressed": True, "reason": "no comment themes"}
    if found.get("suppressed"):
        return {"suppressed": True, "reason": found.get("reason", "too few comments")}
    languages, candidates = [], []
    for code, language_themes in found.get("languages", {}).items():
        top = sorted(language_themes, key=lambda t: t["share"], reverse=True)[:THEMES_PER_LANGUAGE]
        languages.append(
            {
                "name": LANGUAGES.get(code, code),
                "themes": [
                    {
                        "terms": ", ".join(t["terms"][:5]),
                        "share": share_text(t["share"]),
                        "comments": t["comments"],
                    }
                    for t in top
                ],
            }
        )
        candidates += [(t["comments"], t["examples"][0]) for t in top if t["examples"]]
    quotes = [
        text
        if len(text) <= QUOTE_LENGTH
        else text[: QUOTE_LENGTH - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
        for _, text in sorted(candidates, key=lambda c: c[0], reverse=True)
    ]
    return {"suppressed": False, "languages": languages, "quotes": quotes[:QUOTES_SHOWN]}


def wave_changes(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> dict[str, Any] | None:
    """Change in the unit's key scores since the previous wave, with 95% intervals."""
    waves = analysis.get("waves")
    if not waves:
        return None
    changes = {c["scale"]: c for c in waves["changes"] if c["kind"] == "unit" and c["key"] == unit}
    order = [*WAVE_MEASURES, *(f"adoption-readiness.{e}" for e in ADKAR)]
    rows = []
    for scale in order:
        change = changes.get(scale)
        if change is None:
            continue
        is_index = scale in INDEX_MEASURES
        number = index_text if is_index else mean_text
        step = "{:+.0f}" if is_index else "{:+.2f}"
        rows.append(
            {
                "measure": INDEX_MEASURES.get(scale) or scale_title(meta, scale),
                "before": number(change["means"][0]),
                "now": number(change["means"][1]),
                "change": step.format(change["change"]),
                "interval": f"{step.format(change['ci95'][0])} to {step.format(change['ci95'][1])}",
                "significant": change["significant"],
            }
        )
    return {"previous": waves["previous"], "rows": rows}


def method(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> dict[str, Any]:
    """Respondents, reliability per scale, clustering quality and what was hidden and why."""
    quality = analysis.get("quality", {})
    reliability = [
        {
            "scale": scale_title(meta, s["scale"]),
            "alpha": MISSING if s.get("alpha") is None else f"{s['alpha']:.2f}",
            "n": s.get("n_complete"),
            "flag": "below threshold" if s.get("flagged") else "",
        }
        for s in quality.get("scales", [])
    ]
    found = analysis.get("patterns", {})
    clustering = found.get("quality") or {}
    hidden = [
        {
            "key": s["key"].replace("/", " / "),
            "kind": s["kind"].replace("+", " \N{MULTIPLICATION SIGN} "),
            "reason": s["reason"],
        }
        for s in analysis.get("suppressed", [])
        if s["key"] == unit or s["key"].startswith(unit + "/")
    ]
    return {
        "release": release_note(analysis.get("release"), analysis["min_group_size"]),
        "organisation_n": analysis.get("respondents"),
        "k": analysis["min_group_size"],
        "comment_k": analysis["min_comment_group_size"],
        "threshold": quality.get("threshold", 0.7),
        "reliability": reliability,
        "clustering": {
            "count": found.get("count"),
            "distinct": found.get("distinct"),
            "entropy": None
            if clustering.get("entropy") is None
            else f"{clustering['entropy']:.2f}",
            "avepp": None
            if clustering.get("min_avepp") is None
            else f"{clustering['min_avepp']:.2f}",
            "stability": None
            if clustering.get("stability_ari") is None
            else f"{clustering['stability_ari']:.2f}",
            "reason": found.get("reason"),
        },
        "hidden": hidden,
    }


def release_note(release: dict[str, Any] | None, k: int) -> str:
    """Which result release the figures are, and why answers given are not in them."""
    if not release or release.get("number") is None:
        return (
            "No results are released yet: figures appear with the first release, made once "
            f"at least {k} people have answered (every day, and at close)."
        )
    note = f"These figures are result release {release['number']} of {release['released_on']}."
    waiting = release.get("answers_waiting") or 0
    if not waiting:
        return note
    answers = f"{waiting} answer is" if waiting == 1 else f"{waiting} answers are"
    if release.get("closed"):
        return (
            f"{note} {answers} not in them: adding {'it' if waiting == 1 else 'them'} would "
            f"have changed some group by fewer than {k} people since the previous release, "
            "and comparing the two would have shown those people's answers."
        )
    return (
        f"{note} {answers} not in them yet: a new release (made every day) takes answers "
        f"in once they change every group by none or at least {k} people, so that no one's "
        "answers can be worked out by comparing releases."
    )
