"""The words of a brief: executive summary, actions, comment themes, change and method."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from surveyapp.analytics.suppression import CountBand
from surveyapp.briefs.labels import (
    INDEX_NAMES,
    LANGUAGE_NAMES,
    adkar_name,
    construct_label,
    function_label,
    gap_words,
    scale_label,
)
from surveyapp.briefs.meta import (
    MISSING,
    BriefMeta,
    index_text,
    long_date,
    mean_text,
    share_text,
    signed_mean,
    signed_text,
    statistic_text,
)
from surveyapp.briefs.sections import ADKAR, Group
from surveyapp.briefs.themes import theme_label
from surveyapp.language import N_, _, band_words, localized

SUMMARY_LENGTH = 3
FIRST_ACTIONS = 3
ACTIONS_SHOWN = 6
QUOTES_SHOWN = 3
QUOTE_LENGTH = 400  # a quote is an illustration; a longer one is cut (and cannot stall layout)
THEMES_PER_LANGUAGE = 4
WAVE_MEASURES = tuple(INDEX_NAMES)
SCALE_KEY = re.compile(r"\b[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*\b")
STATISTIC = re.compile(r"\s*\((?:d|g|r|R²) = [^)]*\)")


def plain(text: str, meta: BriefMeta) -> str:
    """A finding's own text with scale keys named and any statistic in brackets dropped."""
    named = SCALE_KEY.sub(
        lambda m: scale_label(meta, m[0]) if m[0] in meta.scale_titles else m[0], text
    )
    return STATISTIC.sub("", named)


def finding_text(
    finding: dict[str, Any], group: Group, organisation: Group, meta: BriefMeta
) -> str:
    """A finding as a sentence a manager can act on, from the group's own figures: names for
    every function and scale, sizes in words, "below" only where a score is below."""
    kind, key = finding["kind"], finding["key"]
    found = group.get("alignment") or {}
    if kind == "barrier" and key in (group.get("adkar") or {}):
        return _(
            "People are held back at %(step)s: it scores %(mean)s of 5, and work on the later "
            "ADKAR steps will not hold until it is cleared.",
            step=adkar_name(key),
            mean=mean_text(group["adkar"][key]),
        )
    if kind == "alignment" and key == "function_gap":
        flagged = [g for g in found.get("function_gaps", []) if g.get("flagged")]
        if flagged:
            worst = max(flagged, key=lambda g: g["d"])
            return _(
                "%(high)s and %(low)s disagree most on %(scale)s (%(high_mean)s against "
                "%(low_mean)s of 5): %(gap)s.",
                high=function_label(meta, worst["high"]),
                low=function_label(meta, worst["low"]),
                scale=scale_label(meta, worst["construct"]).lower(),
                high_mean=mean_text(worst["means"][worst["high"]]),
                low_mean=mean_text(worst["means"][worst["low"]]),
                gap=gap_words(worst["d"]),
            )
    if kind == "alignment" and key == "leader_frontline_gap":
        gap = found.get("leader_frontline") or {}
        if gap.get("reportable"):
            return _(
                "Leaders rate readiness %(leaders)s of 100 and frontline staff %(frontline)s: "
                "%(gap)s.",
                leaders=index_text(gap["leader_mean"]),
                frontline=index_text(gap["frontline_mean"]),
                gap=gap_words(gap.get("d")),
            )
    if kind == "literacy" and key == "low":
        return _(
            "%(share)s of the unit are at foundational or developing AI literacy.",
            share=share_text(finding["severity"]),
        )
    if kind == "pattern" and key in meta.pattern_names and "reference" in finding:
        return _(
            "%(share)s of the unit fit the pattern “%(pattern)s” (%(org)s across the "
            "organisation).",
            share=share_text(finding["severity"]),
            pattern=meta.pattern_names[key],
            org=share_text(finding["reference"]),
        )
    if kind == "driver":
        return _driver_text(key, group, organisation, meta) or plain(finding["text"], meta)
    return plain(finding["text"], meta)


def _driver_text(construct: str, group: Group, organisation: Group, meta: BriefMeta) -> str | None:
    """A priority driver: what weighs on people's intention, its score, and the organisation's
    score beside it ("below" only when it is below)."""
    rows = (group.get("drivers") or {}).get("drivers", [])
    row = next((d for d in rows if d["construct"].rpartition(".")[2] == construct), None)
    if row is None or row.get("mean") is None:
        return None
    mine = mean_text(row["mean"])
    reference = organisation.get("scales", {}).get(row["construct"], {}).get("mean")
    theirs = mean_text(reference)
    if reference is None or group is organisation:
        compared = ""
    elif round(row["mean"], 1) < round(reference, 1):
        compared = _(", below the organisation's %(mean)s", mean=theirs)
    elif round(row["mean"], 1) > round(reference, 1):
        compared = _(", above the organisation's %(mean)s", mean=theirs)
    else:
        compared = _(", the same as across the organisation")
    return _(
        "%(scale)s weighs most on whether people mean to use AI (%(share)s of what explains "
        "it) and scores %(mean)s of 5%(compared)s.",
        scale=construct_label(meta, construct),
        share=share_text(row["share"]),
        mean=mine,
        compared=compared,
    )


def executive_summary(group: Group, organisation: Group, meta: BriefMeta) -> list[str]:
    """The three findings that matter most: the barrier point first, then by severity.

    Findings come from the unit's recommendations; when there are fewer than three, the
    unit's readiness and weakest ADKAR element against the organisation fill the list.
    """
    findings: dict[str, tuple[bool, float]] = {}
    for recommendation in group.get("recommendations", []):
        for finding in recommendation["findings"]:
            text = finding_text(finding, group, organisation, meta)
            rank = (finding["kind"] == "barrier", finding["severity"])
            findings[text] = max(findings.get(text, rank), rank)
    ordered = sorted(findings, key=lambda text: findings[text], reverse=True)
    fillers = []
    if group.get("readiness_index") is not None and group is not organisation:
        fillers.append(
            _(
                "Readiness stands at %(index)s of 100, against %(org)s across the organisation.",
                index=index_text(group["readiness_index"]),
                org=index_text(organisation.get("readiness_index")),
            )
        )
    adkar = {e: v for e, v in (group.get("adkar") or {}).items() if v is not None}
    if adkar and not group.get("barrier_point"):
        weakest = min(adkar, key=adkar.get)
        fillers.append(
            _(
                "No ADKAR step is at or below 3.0 on average; the weakest is %(step)s (%(mean)s "
                "of 5), the place to reinforce first.",
                step=adkar_name(weakest),
                mean=mean_text(adkar[weakest]),
            )
        )
    literacy = group.get("literacy") or {}
    if literacy.get("index") is not None:
        values = {
            "index": index_text(literacy["index"]),
            "quiz": index_text(literacy.get("quiz_percent")) + "%",
            "org": index_text((organisation.get("literacy") or {}).get("index")),
        }
        fillers.append(
            _(
                "AI literacy stands at %(index)s of 100; %(quiz)s of quiz answers were right.",
                **values,
            )
            if group is organisation
            else _(
                "AI literacy stands at %(index)s of 100, against %(org)s across the "
                "organisation; %(quiz)s of quiz answers were right.",
                **values,
            )
        )
    return (ordered + fillers)[:SUMMARY_LENGTH]


def actions(group: Group, organisation: Group, meta: BriefMeta) -> dict[str, Any]:
    """The playbook's interventions in priority order, each with the findings behind it.

    Interventions triggered by exactly the same findings are one entry (the first leads, the
    others are done with it), so two actions never give the same reason; the first three are
    what to do first."""
    merged: list[dict[str, Any]] = []
    by_reason: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in group.get("recommendations", []):
        triggers = tuple(
            dict.fromkeys(finding_text(f, group, organisation, meta) for f in r["findings"])
        )
        step = {
            "title": localized(r["title"]),
            "action": localized(r["action"]),
            "owner": _(r["owner"]),
            "timing": _(r["timing"]),
        }
        if triggers in by_reason:
            by_reason[triggers]["with"].append(step)
            continue
        entry = {**step, "triggers": list(triggers), "with": []}
        by_reason[triggers] = entry
        merged.append(entry)
    shown = merged[:ACTIONS_SHOWN]
    return {
        "first": shown[:FIRST_ACTIONS],
        "then": shown[FIRST_ACTIONS:],
        "shown": shown,
        "more": [entry["title"] for entry in merged[ACTIONS_SHOWN:]],
    }


def themes(group: Group) -> dict[str, Any]:
    """The unit's comment themes per language, each named by its most telling phrase, and at
    most three quotes, unless suppressed."""
    found = group.get("themes") or {"suppressed": True, "reason": N_("no comment themes")}
    if found.get("suppressed"):
        return {"suppressed": True, "reason": _(found.get("reason") or N_("too few comments"))}
    languages, candidates = [], []
    for code, language_themes in found.get("languages", {}).items():
        top = sorted(language_themes, key=lambda t: t["share"], reverse=True)[:THEMES_PER_LANGUAGE]
        languages.append(
            {
                "name": _(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code,
                "themes": [
                    {
                        "label": theme_label(t["terms"], t["examples"]),
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
        for _count, text in sorted(candidates, key=lambda c: c[0], reverse=True)
    ]
    return {"suppressed": False, "languages": languages, "quotes": quotes[:QUOTES_SHOWN]}


def wave_changes(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> dict[str, Any] | None:
    """Change in the unit's key scores since the previous wave (named, not by its slug).

    The change printed is the difference of the two figures printed, so 56 to 62 reads +6;
    the interval behind "a real change" is in the method section."""
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
        is_index = scale in INDEX_NAMES
        number = index_text if is_index else mean_text
        before, now = number(change["means"][0]), number(change["means"][1])
        places = 0 if is_index else 1
        step = signed_text if is_index else signed_mean
        rows.append(
            {
                "measure": scale_label(meta, scale),
                "before": before,
                "now": now,
                "change": step(
                    round(change["means"][1], places) - round(change["means"][0], places)
                )
                if MISSING not in (before, now)
                else MISSING,
                "interval": _(
                    "%(low)s to %(high)s", low=step(change["ci95"][0]), high=step(change["ci95"][1])
                ),
                "significant": change["significant"],
            }
        )
    return {"previous": meta.previous_name or _("the previous wave"), "rows": rows}


def method(analysis: dict[str, Any], group: Group, unit: str, meta: BriefMeta) -> dict[str, Any]:
    """The statistics behind the plain words: reliability per scale, how large each gap is as
    Cohen's d, what the driver model explains, clustering quality, and what was hidden and why."""
    quality = analysis.get("quality", {})
    reliability = [
        {
            "scale": scale_label(meta, s["scale"]),
            "alpha": MISSING if s.get("alpha") is None else statistic_text(s["alpha"]),
            "n": s.get("n_complete"),
            "flag": _("read with care") if s.get("flagged") else "",
        }
        for s in quality.get("scales", [])
    ]
    found = analysis.get("patterns", {})
    clustering = found.get("quality") or {}
    hidden = [
        {
            "key": s["key"].replace("/", " / "),
            "kind": s["kind"].replace("+", " \N{MULTIPLICATION SIGN} "),
            "reason": _(s["reason"]),
        }
        for s in analysis.get("suppressed", [])
        if s["key"] == unit or s["key"].startswith(unit + "/")
    ]
    gaps = (group.get("alignment") or {}).get("function_gaps", [])
    leader = (group.get("alignment") or {}).get("leader_frontline") or {}
    drivers = group.get("drivers") or {}

    def two(value: float | None) -> str | None:
        return None if value is None else statistic_text(value)

    return {
        "release": release_note(analysis.get("release"), analysis["min_group_size"]),
        "organisation_n": analysis.get("respondents"),
        "k": analysis["min_group_size"],
        "comment_k": analysis["min_comment_group_size"],
        "threshold": statistic_text(quality.get("threshold", 0.7)),
        "reliability": reliability,
        "gaps": [
            f"{scale_label(meta, g['construct'])} d = {statistic_text(g['d'])}"
            for g in sorted(gaps, key=lambda g: g["d"], reverse=True)
            if g.get("flagged")
        ],
        "leader_d": two(leader.get("d")) if leader.get("reportable") else None,
        "r_squared": two(drivers.get("r_squared")),
        "waves": [
            f"{row['measure']} {row['interval']}"
            for row in (wave_changes(analysis, unit, meta) or {"rows": []})["rows"]
        ],
        "clustering": {
            "count": found.get("count"),
            "distinct": found.get("distinct"),
            "entropy": two(clustering.get("entropy")),
            "avepp": two(clustering.get("min_avepp")),
            "stability": two(clustering.get("stability_ari")),
            "silhouette": two(clustering.get("silhouette")),
            "reason": found.get("reason"),
        },
        "hidden": hidden,
    }


def release_note(release: dict[str, Any] | None, k: int) -> str:
    """Which result release the figures are, and why answers given are not in them."""
    if not release or release.get("number") is None:
        return _(
            "No results are released yet: figures appear with the first release, made once "
            "at least %(k)s people have answered (once a week at most, and at close).",
            k=k,
        )
    note = _(
        "These figures are result release %(number)s of %(day)s.",
        number=release["number"],
        day=long_date(date.fromisoformat(release["released_on"]))
        if release.get("released_on")
        else MISSING,
    )
    waiting = release.get("answers_waiting_band")
    if not waiting:
        return note
    if release.get("closed"):
        held = _(
            "%(band)s answers are not in them: adding them would have changed some group by "
            "fewer than %(k)s people since the previous release, and comparing the two would "
            "have shown those people's answers.",
            band=band_words(CountBand(**waiting), capital=True),
            k=k,
        )
        return f"{note} {held}"
    held = _(
        "%(band)s answers are not in them yet: a new release (once a week at most) takes "
        "answers in once they change every group by none or at least %(k)s people, so that no "
        "one's answers can be worked out by comparing releases.",
        band=band_words(CountBand(**waiting), capital=True),
        k=k,
    )
    return f"{note} {held}"
