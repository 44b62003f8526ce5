"""The figures of a unit's brief, read off the analysis document's shown groups only.

Nothing here computes a group figure: every number comes from a group the document shows, and
a hidden group contributes its name and the words "hidden", never a number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from surveyapp.briefs import charts
from surveyapp.briefs.labels import (
    LITERACY_LEVEL_NAMES,
    adkar_name,
    function_label,
    gap_size,
    gap_words,
    level_label,
    literacy_level_title,
    scale_label,
)
from surveyapp.briefs.meta import BriefMeta, index_text, long_date, mean_text, share_text
from surveyapp.language import _, localized

ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")
LITERACY_LEVELS = tuple(LITERACY_LEVEL_NAMES)
NO_BARRIER = "none"
BARRIER_THRESHOLD = 3.0
FOCUS_ROWS = 5  # topics a brief shows when no gap between functions is worth acting on
GAP_ORDER = ("large", "clear", "small", "hardly any", "")

Group = dict[str, Any]


def find_group(analysis: dict[str, Any], kind: str, key: str) -> Group | None:
    """The document's group of that kind and key, if it lists one."""
    return next((g for g in analysis["groups"] if g["kind"] == kind and g["key"] == key), None)


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
                "text": _("hidden") if g["suppressed"] else str(g["n"]),
            }
            for g in found
        ]

    return {
        "functions": sorted(rows("unit+function", lambda c: function_label(meta, c)), key=_by_name),
        "levels": rows("unit+level", level_label),
    }


def _by_name(row: dict) -> str:
    return row["name"]


def adkar_chart(group: Group, organisation: Group) -> charts.BarChart | None:
    """The unit's ADKAR profile, the organisation as markers, the barrier point highlighted;
    None when the campaign does not measure readiness."""
    barrier = group.get("barrier_point")
    bars = [
        charts.Bar(
            label=_("%(step)s (held back here)", step=adkar_name(element))
            if element == barrier
            else adkar_name(element),
            value=group["adkar"].get(element),
            text=mean_text(group["adkar"].get(element)),
            reference=organisation["adkar"].get(element),
            highlight=element == barrier,
        )
        for element in ADKAR
        if element in (group.get("adkar") or {})
    ]
    if not bars:
        return None
    profile = charts.spoken(bars)
    return charts.bar_chart(
        _("ADKAR profile"),
        _(
            "Average of each ADKAR step on a 1 to 5 scale: %(profile)s. People are held back "
            "at the first step at or below %(threshold)s.",
            profile=profile,
            threshold=mean_text(BARRIER_THRESHOLD),
        ),
        bars,
        (1.0, 5.0),
        [1, 2, 3, 4, 5],
        threshold=BARRIER_THRESHOLD,
    )


def barrier_people(group: Group) -> dict[str, Any] | None:
    """Where each person is held back (their own first ADKAR step at or below 3.0), as shares
    of the group; None when the document does not report it (readiness not measured, or fewer
    counted people than the minimum group size)."""
    shares = group.get("barrier_distribution")
    if not shares:
        return None
    categories = [*ADKAR, NO_BARRIER]
    bars = [
        charts.Bar(
            label=adkar_name(c) if c != NO_BARRIER else _("Not held back"),
            value=(shares.get(c) or 0.0) * 100,
            text=share_text(shares.get(c) or 0.0),
            highlight=c != NO_BARRIER,
        )
        for c in categories
    ]
    top = max(ADKAR, key=lambda element: shares.get(element) or 0.0)
    top_share = shares.get(top) or 0.0
    lead = (
        _(
            "%(share)s are held back at %(step)s, the most common place; %(free)s are not "
            "held back at any step.",
            share=share_text(top_share),
            step=adkar_name(top),
            free=share_text(shares.get(NO_BARRIER) or 0.0),
        )
        if top_share > 0
        else _("Nobody is held back at any ADKAR step.")
    )
    chart = charts.bar_chart(
        _("Where people are held back"),
        _("Share of people whose own first ADKAR step at or below 3.0 is each step: ")
        + charts.spoken(bars),
        bars,
        (0.0, 100.0),
        [0, 25, 50, 75, 100],
        tick_format="{:g}%",
    )
    return {"lead": lead, "chart": chart}


def literacy(group: Group, organisation: Group, meta: BriefMeta) -> dict[str, Any] | None:
    """Level distribution, self-assessed dimensions and quiz, beside the organisation's."""
    mine, theirs = group.get("literacy"), organisation.get("literacy")
    if not mine or not mine.get("levels"):
        return None
    names = [literacy_level_title(level) for level in LITERACY_LEVELS]
    levels = charts.stacked_bars(
        _("AI-literacy levels"),
        _("Share of respondents at each AI-literacy level: ")
        + ", ".join(
            f"{n} {share_text(mine['levels'].get(lv))}"
            for n, lv in zip(names, LITERACY_LEVELS, strict=True)
        ),
        [
            (_("This group"), [mine["levels"].get(level) or 0.0 for level in LITERACY_LEVELS]),
            (_("Organisation"), [theirs["levels"].get(level) or 0.0 for level in LITERACY_LEVELS]),
        ],
        names,
    )
    dimension_keys = [key for key in group["scales"] if key.startswith("ai-literacy.")]
    bars = [
        charts.Bar(
            label=scale_label(meta, key),
            value=group["scales"][key]["mean"],
            text=mean_text(group["scales"][key]["mean"]),
            reference=organisation["scales"].get(key, {}).get("mean"),
        )
        for key in dimension_keys
    ]
    dimensions = charts.bar_chart(
        _("AI-literacy dimensions"),
        _("Self-assessed AI literacy on a 1 to 5 scale: ") + charts.spoken(bars),
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


def patterns(analysis: dict[str, Any], group: Group, organisation: Group) -> dict[str, Any] | None:
    """Each resistance pattern's share in the unit against the organisation's; None when the
    campaign's instruments hold no scale that feeds the patterns."""
    found = analysis["patterns"]
    if not found.get("items"):
        if found.get("reason") in (None, "no scales"):
            return None
        return {
            "chart": None,
            "note": _("No resistance patterns: %(reason)s.", reason=_(found["reason"])),
        }
    bars = [
        charts.Bar(
            label=localized(item["label"]),
            value=group["pattern_shares"].get(item["id"], 0.0) * 100,
            text=share_text(group["pattern_shares"].get(item["id"], 0.0)),
            reference=organisation["pattern_shares"].get(item["id"], 0.0) * 100,
        )
        for item in found["items"]
    ]
    top = max(50.0, *(b.value for b in bars), *(b.reference for b in bars))
    top = float(-(-top // 25) * 25)
    chart = charts.bar_chart(
        _("Resistance patterns"),
        _("Share of the unit in each pattern, with the organisation's share as a marker: ")
        + charts.spoken(bars),
        bars,
        (0.0, top),
        [t for t in range(0, int(top) + 1, 25)],
        tick_format="{:g}%",
    )
    note = (
        None
        if found.get("distinct")
        else _("The patterns overlap too much to rely on: read the shares as tendencies.")
    )
    return {"chart": chart, "note": note}


def _alignment_heatmap(columns: list[str], rows: list) -> charts.Heatmap:
    """Functions side by side on the given topics."""
    return charts.heatmap(
        _("Alignment between functions"),
        _(
            "Average score of each function on each topic, 1 to 5; the last column says how "
            "far apart the most distant functions are."
        ),
        columns,
        rows,
    )


def alignment(group: Group, meta: BriefMeta) -> dict[str, Any]:
    """The function-by-construct heatmap of the unit's shown functions and the leader gap,
    each gap said in words (the statistic is in the method section)."""
    gaps = group.get("alignment", {}).get("function_gaps", [])
    codes = sorted({code for gap in gaps for code in gap["means"]})
    rows = [
        (
            scale_label(meta, gap["construct"]),
            [gap["means"].get(code) for code in codes],
            gap_size(gap.get("d")) if gap.get("d") is not None else "",
            bool(gap.get("flagged")),
        )
        for gap in gaps
    ]
    columns = [function_label(meta, code) for code in codes]
    flagged = [row for row in rows if row[3]]
    focus = flagged or sorted(rows, key=lambda row: GAP_ORDER.index(row[2]))[:FOCUS_ROWS]
    rows = [(name, means, _(size) if size else "", flag) for name, means, size, flag in rows]
    focus = [(name, means, _(size) if size else "", flag) for name, means, size, flag in focus]
    chart, focused = (
        (_alignment_heatmap(columns, rows), _alignment_heatmap(columns, focus))
        if len(codes) >= 2 and rows
        else (None, None)
    )
    gap = group.get("alignment", {}).get("leader_frontline") or {}
    leaders = None
    if gap.get("reportable"):
        bars = [
            charts.Bar(
                _("Managers and senior leaders"),
                gap["leader_mean"],
                index_text(gap["leader_mean"]),
            ),
            charts.Bar(
                _("Frontline staff"), gap["frontline_mean"], index_text(gap["frontline_mean"])
            ),
        ]
        leaders = {
            "chart": charts.bar_chart(
                _("Readiness of leaders and frontline"),
                _(
                    "Readiness index, 0 to 100: leaders %(leaders)s, frontline %(frontline)s.",
                    leaders=bars[0].text,
                    frontline=bars[1].text,
                ),
                bars,
                (0.0, 100.0),
                [0, 25, 50, 75, 100],
            ),
            "words": gap_words(gap.get("d")),
            "flagged": gap.get("flagged"),
        }
    measured = group.get("readiness_index") is not None
    return {
        "heatmap": chart,
        "focus": focused,
        "unfocused": len(rows) - len(focus),
        "leaders": leaders,
        "leaders_reason": None if leaders or not measured else _("one of the two sides is hidden"),
        "measured": measured,
    }


def said_and_done(actions: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The unit's actions since the last wave ("What we said, what we did") as the brief prints
    them: titles and findings as their authors wrote them, the playbook's owner role and the
    dates in the brief's language."""
    if actions is None:
        return None
    return [
        {
            **action,
            "owner_role": _(action["owner_role"]) if action.get("owner_role") else "",
            "due_on": long_date(date.fromisoformat(action["due_on"])),
            "done_on": action["done_on"] and long_date(date.fromisoformat(action["done_on"])),
        }
        for action in actions
    ]
