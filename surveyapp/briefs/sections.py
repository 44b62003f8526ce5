"""The figures of a unit's brief, read off the analysis document's shown groups only.

Nothing here computes a group figure: every number comes from a group the document shows, and
a hidden group contributes its name and the words "hidden", never a number.
"""

from __future__ import annotations

from typing import Any

from surveyapp.briefs import charts
from surveyapp.briefs.meta import BriefMeta, index_text, mean_text, share_text

ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")
LITERACY_LEVELS = ("foundational", "developing", "proficient", "advanced")
LEVEL_NAMES = {"frontline": "Frontline", "manager": "Managers", "senior_leader": "Senior leaders"}
BARRIER_THRESHOLD = 3.0

Group = dict[str, Any]


def find_group(analysis: dict[str, Any], kind: str, key: str) -> Group | None:
    """The document's group of that kind and key, if it lists one."""
    return next((g for g in analysis["groups"] if g["kind"] == kind and g["key"] == key), None)


def scale_title(meta: BriefMeta, key: str) -> str:
    """A scale's title, or its construct name made readable."""
    return meta.scale_titles.get(key) or key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def short_label(key: str) -> str:
    """A construct's name for a chart axis: `ai-concerns.job_security` is "Job security"."""
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def function_name(meta: BriefMeta, code: str) -> str:
    """A function's name, or its code made readable."""
    return meta.function_names.get(code) or code.replace("-", " ").capitalize()


def participation(analysis: dict[str, Any], unit: str, meta: BriefMeta) -> dict[str, list]:
    """Respondents per function and per level of the unit; hidden groups say so, without n."""

    def rows(kind: str, name) -> list[dict]:
        found = [
            g for g in analysis["groups"] if g["kind"] == kind and g["key"].startswith(unit + "/")
        ]
        return [
            {
                "name": name(g["key"].split("/", 1)[1]),
                "n": None if g["suppressed"] else g["n"],
                "text": "hidden" if g["suppressed"] else str(g["n"]),
            }
            for g in found
        ]

    return {
        "functions": sorted(rows("unit+function", lambda c: function_name(meta, c)), key=_by_name),
        "levels": rows("unit+level", lambda c: LEVEL_NAMES.get(c, c)),
    }


def _by_name(row: dict) -> str:
    return row["name"]


def adkar_chart(group: Group, organisation: Group) -> charts.BarChart:
    """The unit's ADKAR profile, the organisation as markers, the barrier point highlighted."""
    barrier = group.get("barrier_point")
    bars = [
        charts.Bar(
            label=element.capitalize() + (" (barrier point)" if element == barrier else ""),
            value=group["adkar"].get(element),
            text=mean_text(group["adkar"].get(element)),
            reference=organisation["adkar"].get(element),
            highlight=element == barrier,
        )
        for element in ADKAR
        if element in group.get("adkar", {})
    ]
    profile = ", ".join(f"{b.label} {b.text}" for b in bars)
    return charts.bar_chart(
        "ADKAR profile",
        f"Mean of each ADKAR element on a 1 to 5 scale: {profile}. "
        f"The barrier point is the first element at or below {BARRIER_THRESHOLD:.1f}.",
        bars,
        (1.0, 5.0),
        [1, 2, 3, 4, 5],
        threshold=BARRIER_THRESHOLD,
    )


def literacy(group: Group, organisation: Group, meta: BriefMeta) -> dict[str, Any] | None:
    """Level distribution, self-assessed dimensions and quiz, beside the organisation's."""
    mine, theirs = group.get("literacy"), organisation.get("literacy")
    if not mine or not mine.get("levels"):
        return None
    names = [level.capitalize() for level in LITERACY_LEVELS]
    levels = charts.stacked_bars(
        "AI-literacy levels",
        "Share of respondents at each AI-literacy level: "
        + ", ".join(
            f"{n} {share_text(mine['levels'].get(lv))}"
            for n, lv in zip(names, LITERACY_LEVELS, strict=True)
        ),
        [
            ("This unit", [mine["levels"].get(level) or 0.0 for level in LITERACY_LEVELS]),
            ("Organisation", [theirs["levels"].get(level) or 0.0 for level in LITERACY_LEVELS]),
        ],
        names,
    )
    dimension_keys = [key for key in group["scales"] if key.startswith("ai-literacy.")]
    bars = [
        charts.Bar(
            label=short_label(key),
            value=group["scales"][key]["mean"],
            text=mean_text(group["scales"][key]["mean"]),
            reference=organisation["scales"].get(key, {}).get("mean"),
        )
        for key in dimension_keys
    ]
    dimensions = charts.bar_chart(
        "AI-literacy dimensions",
        "Self-assessed AI literacy on a 1 to 5 scale: "
        + ", ".join(f"{b.label} {b.text}" for b in bars),
        bars,
        (1.0, 5.0),
        [1, 2, 3, 4, 5],
    )
    return {
        "index": index_text(mine.get("index")),
        "org_index": index_text(theirs.get("index")),
        "quiz": index_text(mine.get("quiz_percent")),
        "org_quiz": index_text(theirs.get("quiz_percent")),
        "levels": levels,
        "dimensions": dimensions if bars else None,
    }


def patterns(analysis: dict[str, Any], group: Group, organisation: Group) -> dict[str, Any]:
    """Each resistance pattern's share in the unit against the organisation's."""
    found = analysis["patterns"]
    if found.get("suppressed") or not found.get("items"):
        return {
            "chart": None,
            "note": found.get("reason") or "No resistance patterns were computed.",
        }
    bars = [
        charts.Bar(
            label=item["label"]["en"],
            value=group["pattern_shares"].get(item["id"], 0.0) * 100,
            text=share_text(group["pattern_shares"].get(item["id"], 0.0)),
            reference=organisation["pattern_shares"].get(item["id"], 0.0) * 100,
        )
        for item in found["items"]
    ]
    top = max(50.0, *(b.value for b in bars), *(b.reference for b in bars))
    top = float(-(-top // 25) * 25)
    chart = charts.bar_chart(
        "Resistance patterns",
        "Share of the unit in each pattern, with the organisation's share as a marker: "
        + ", ".join(f"{b.label} {b.text}" for b in bars),
        bars,
        (0.0, top),
        [t for t in range(0, int(top) + 1, 25)],
        tick_format="{:g}%",
    )
    note = (
        None
        if found.get("distinct")
        else (
            "The patterns are not distinct enough to rely on: "
            + (found.get("reason") or "the clustering quality is below its thresholds")
            + ". Read the shares as tendencies."
        )
    )
    return {"chart": chart, "note": note}


def alignment(group: Group, meta: BriefMeta) -> dict[str, Any]:
    """The function-by-construct heatmap of the unit's shown functions and the leader gap."""
    gaps = group.get("alignment", {}).get("function_gaps", [])
    codes = sorted({code for gap in gaps for code in gap["means"]})
    rows = [
        (
            short_label(gap["construct"]),
            [gap["means"].get(code) for code in codes],
            f"d {gap['d']:.2f}" if gap.get("d") is not None else "",
            bool(gap.get("flagged")),
        )
        for gap in gaps
    ]
    chart = (
        charts.heatmap(
            "Alignment between functions",
            "Mean score of each function of the unit on each construct, 1 to 5; the last "
            "column gives Cohen's d between the most distant functions.",
            [function_name(meta, code) for code in codes],
            rows,
        )
        if len(codes) >= 2 and rows
        else None
    )
    gap = group.get("alignment", {}).get("leader_frontline") or {}
    leaders = None
    if gap.get("reportable"):
        bars = [
            charts.Bar(
                "Managers and senior leaders", gap["leader_mean"], index_text(gap["leader_mean"])
            ),
            charts.Bar("Frontline staff", gap["frontline_mean"], index_text(gap["frontline_mean"])),
        ]
        leaders = {
            "chart": charts.bar_chart(
                "Readiness of leaders and frontline",
                f"Readiness index, 0 to 100: leaders {bars[0].text}, frontline {bars[1].text}.",
                bars,
                (0.0, 100.0),
                [0, 25, 50, 75, 100],
            ),
            "d": f"{gap['d']:.2f}",
            "flagged": gap.get("flagged"),
        }
    return {"heatmap": chart, "leaders": leaders, "leaders_reason": gap.get("reason")}
