"""Checking instrument documents: the JSON Schema first, then the rules that span fields.

Every problem is collected (never stop at the first) so an author fixes a file in one pass.
The cross-field rules are written to tolerate documents that already failed the schema.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from surveyapp.catalog.levels import declared, item_levels
from surveyapp.catalog.reading import PathKey, SourceDocument, render_path
from surveyapp.errors import Problem

CHOICE_TYPES = ("single", "multi", "knowledge")
DONT_KNOW = "dont_know"  # the answer "I don't know" (or "not applicable") everywhere
MAX_SCHEMA_MESSAGE = 200


@cache
def schema_validator(schema_path: Path) -> jsonschema.protocols.Validator:
    """The validator for instruments/schema.json, built once per schema file."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


class _Checker:
    """Collects problems for one document, placing each at its path and line."""

    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: PathKey, reason: str) -> None:
        self.problems.append(
            Problem(self.doc.name, render_path(path, self.doc.data), reason, self.doc.line_of(path))
        )


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The entries of a list that are mappings, with their index."""
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]


def _known(value: Any, known: set[str]) -> bool:
    """Whether `value` is one of the ids in `known` (an id of the wrong type, even a list or
    a mapping, is simply not one: the schema has reported its type)."""
    return isinstance(value, str) and value in known


def _check_duplicates(check: _Checker, path: PathKey, entries: Any, what: str) -> set[str]:
    """Report ids used twice in a list of mappings; return the ids present."""
    counts = Counter(
        entry["id"] for _, entry in _dicts(entries) if isinstance(entry.get("id"), str)
    )
    for index, entry in _dicts(entries):
        entry_id = entry.get("id")
        if isinstance(entry_id, str) and counts[entry_id] > 1:
            check.add((*path, index, "id"), f"duplicate {what} id {entry_id!r}")
    return set(counts)


def _check_translations(check: _Checker, path: PathKey, texts: Any, locales: list[str]) -> None:
    """Each declared locale must have text; text for an undeclared locale is a typo."""
    if not isinstance(texts, dict):
        return
    for locale in locales:
        if locale not in texts:
            check.add(path, f"missing the {locale!r} translation")
    for locale in texts:
        if locale not in locales:
            check.add((*path, locale), f"text for {locale!r}, which `locales` does not declare")


def _check_response_scales(check: _Checker, data: dict[str, Any], locales: list[str]) -> None:
    """Every locale labels every point of every response scale."""
    scales = data.get("response_scales")
    if not isinstance(scales, dict):
        return
    for key, scale in scales.items():
        if not isinstance(scale, dict) or not isinstance(scale.get("labels"), dict):
            continue
        labels, path = scale["labels"], ("response_scales", key, "labels")
        _check_translations(check, path, labels, locales)
        for locale, texts in labels.items():
            if isinstance(texts, list) and len(texts) != scale.get("points"):
                check.add(
                    (*path, locale),
                    f"{len(texts)} labels for a {scale.get('points')}-point scale",
                )


def _check_item(
    check: _Checker, index: int, item: dict[str, Any], scale_ids: set[str], response_ids: set[str]
) -> None:
    """The rules that depend on an item's type."""
    path: PathKey = ("items", index)
    kind = item.get("type")
    if kind == "likert":
        for field, known, what in (
            ("scale", scale_ids, "scale"),
            ("response_scale", response_ids, "response scale"),
        ):
            if field not in item:
                check.add(path, f"a Likert item needs `{field}`")
            elif not _known(item[field], known):
                check.add((*path, field), f"unknown {what} {item[field]!r}")
    else:
        for field in ("scale", "response_scale", "reverse", "dont_know"):
            if field in item:
                check.add((*path, field), f"`{field}` applies only to Likert items, not {kind!r}")
    options = item.get("options")
    if kind in CHOICE_TYPES:
        if options is None:
            check.add(path, f"a {kind!r} item needs `options`")
        option_ids = _check_duplicates(check, (*path, "options"), options, "option")
        for option_index, option in _dicts(options):
            if kind == "knowledge" and option.get("id") == DONT_KNOW:
                check.add(
                    (*path, "options", option_index, "id"),
                    f'{DONT_KNOW!r} is kept for the "I don\'t know" answer the app adds',
                )
    elif options is not None:
        check.add((*path, "options"), f"`options` do not apply to {kind!r} items")
    if kind == "knowledge":
        if "answer" not in item:
            check.add(path, "a knowledge item needs its correct `answer`")
        elif options is not None and not _known(item["answer"], option_ids):
            check.add((*path, "answer"), f"the answer {item['answer']!r} is not one of the options")
    elif "answer" in item:
        check.add((*path, "answer"), "only knowledge items have a correct `answer`")
    if "max_length" in item and kind != "text":
        check.add((*path, "max_length"), "`max_length` applies only to text items")


def _check_pages(check: _Checker, data: dict[str, Any], item_ids: set[str]) -> None:
    """Pages list known items, each item exactly once."""
    if "pages" not in data:
        return
    _check_duplicates(check, ("pages",), data["pages"], "page")
    placed: Counter[str] = Counter()
    for page_index, page in _dicts(data["pages"]):
        members = page.get("items")
        for position, item_id in enumerate(members if isinstance(members, list) else []):
            if not _known(item_id, item_ids):
                check.add(("pages", page_index, "items", position), f"unknown item {item_id!r}")
                continue
            if placed[item_id]:
                check.add(
                    ("pages", page_index, "items", position), f"item {item_id!r} is on two pages"
                )
            placed[item_id] += 1
    for item_id in sorted(item_ids - set(placed)):
        check.add(("pages",), f"item {item_id!r} is on no page")


def _check_levels(check: _Checker, data: dict[str, Any]) -> None:
    """Every item is asked of somebody once its own, its scale's and its page's `levels` meet."""
    asked = item_levels(data)
    scales = {
        scale["id"]: scale
        for _, scale in _dicts(data.get("scales"))
        if isinstance(scale.get("id"), str)
    }
    pages = {
        item_id: page
        for _, page in _dicts(data.get("pages"))
        for item_id in (page.get("items") if isinstance(page.get("items"), list) else [])
        if isinstance(item_id, str)
    }
    for index, item in _dicts(data.get("items")):
        item_id = item.get("id")
        if not isinstance(item_id, str) or asked.get(item_id) != ():
            continue
        sources = [
            f"{what} ({', '.join(sorted(levels))})"
            for what, entry in (
                ("its own", item),
                (f"its scale {item.get('scale')!r}", scales.get(str(item.get("scale")))),
                (
                    f"its page {pages[item_id].get('id')!r}" if item_id in pages else "",
                    pages.get(item_id),
                ),
            )
            if (levels := declared(entry)) is not None
        ]
        check.add(
            ("items", index, "levels") if "levels" in item else ("items", index),
            f"asked of nobody: the levels of {' and '.join(sources)} have none in common",
        )


def check_rules(doc: SourceDocument) -> list[Problem]:
    """Cross-field rules: references, duplicate ids, translations and type-specific fields."""
    data = doc.data
    check = _Checker(doc)
    if not isinstance(data, dict):
        return check.problems
    declared = data.get("locales")
    locales = (
        [locale for locale in declared if isinstance(locale, str)]
        if isinstance(declared, list)
        else []
    )
    for field in ("title", "description"):
        _check_translations(check, (field,), data.get(field), locales)
    _check_response_scales(check, data, locales)
    scale_ids = _check_duplicates(check, ("scales",), data.get("scales"), "scale")
    item_ids = _check_duplicates(check, ("items",), data.get("items"), "item")
    response_ids = (
        set(data["response_scales"]) if isinstance(data.get("response_scales"), dict) else set()
    )
    for index, scale in _dicts(data.get("scales")):
        _check_translations(check, ("scales", index, "title"), scale.get("title"), locales)
    used_scales: set[str] = set()
    for index, item in _dicts(data.get("items")):
        _check_translations(check, ("items", index, "text"), item.get("text"), locales)
        for option_index, option in _dicts(item.get("options")):
            _check_translations(
                check,
                ("items", index, "options", option_index, "text"),
                option.get("text"),
                locales,
            )
        _check_item(check, index, item, scale_ids, response_ids)
        if isinstance(item.get("scale"), str):
            used_scales.add(item["scale"])
    for index, scale in _dicts(data.get("scales")):
        if _known(scale.get("id"), scale_ids - used_scales):
            check.add(("scales", index), f"scale {scale['id']!r} has no items")
    for index, page in _dicts(data.get("pages")):
        _check_translations(check, ("pages", index, "title"), page.get("title"), locales)
    _check_pages(check, data, item_ids)
    _check_levels(check, data)
    return check.problems


def validate_document(doc: SourceDocument, schema_path: Path) -> list[Problem]:
    """All problems of one parsed instrument document, schema violations first."""
    check = _Checker(doc)
    for error in sorted(
        schema_validator(schema_path).iter_errors(doc.data), key=lambda e: e.json_path
    ):
        message = error.message
        if len(message) > MAX_SCHEMA_MESSAGE:
            message = message[: MAX_SCHEMA_MESSAGE - 1] + "…"
        check.add(tuple(error.absolute_path), message)
    return check.problems + check_rules(doc)
