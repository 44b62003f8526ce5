"""Who is asked what: an item's levels from its own, its scale's and its page's `levels`."""

from __future__ import annotations

from typing import Any

from surveyapp.models.org import LEVELS

Levels = tuple[str, ...] | None  # the levels asked, in LEVELS order; None: everyone


def declared(entry: Any) -> frozenset[str] | None:
    """The known levels a page, scale or item names; None when it names none (unknown
    names are the schema's to report, and would only repeat as "asked of nobody")."""
    levels = entry.get("levels") if isinstance(entry, dict) else None
    if not isinstance(levels, list):
        return None
    return frozenset(level for level in LEVELS if level in levels) or None


def _entries(value: Any) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def item_levels(data: dict[str, Any]) -> dict[str, Levels]:
    """Item id -> the levels asked it: those its page, its scale and the item all allow.

    Restrictions narrow and never widen, so a page for leaders cannot be reopened to
    frontline staff by one of its items. An empty tuple means nobody is asked (validation
    refuses that); None means everyone.
    """
    scales = {
        scale.get("id"): declared(scale)
        for scale in _entries(data.get("scales"))
        if isinstance(scale.get("id"), str)
    }
    pages: dict[str, frozenset[str] | None] = {}
    for page in _entries(data.get("pages")):
        members = page.get("items")
        for item_id in members if isinstance(members, list) else []:
            if isinstance(item_id, str):
                pages.setdefault(item_id, declared(page))
    result: dict[str, Levels] = {}
    for item in _entries(data.get("items")):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        scale = item.get("scale")
        limits = [
            limit
            for limit in (
                declared(item),
                scales.get(scale) if isinstance(scale, str) else None,
                pages.get(item_id),
            )
            if limit is not None
        ]
        if not limits:
            result[item_id] = None
            continue
        common = frozenset.intersection(*limits)
        result[item_id] = tuple(level for level in LEVELS if level in common)
    return result


def asks(levels: Levels, level: str) -> bool:
    """Whether an item with these levels is asked of someone at `level`."""
    return levels is None or level in levels
