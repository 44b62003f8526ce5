"""Reading and checking the pattern library (patterns.yaml) and the playbook (playbook.yaml)."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from surveyapp.errors import InputError, Problem

LOCALES = ("en", "es")
ADKAR_ELEMENTS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
OWNERS: dict[str, dict[str, str]] = {
    "unit leader": {"en": "Unit leader", "es": "Responsable de la unidad"},
    "change manager": {"en": "Change manager", "es": "Gestor/a del cambio"},
    "HR / L&D": {"en": "HR / L&D", "es": "RR. HH. / Formación"},
    "executive sponsor": {"en": "Executive sponsor", "es": "Patrocinador/a ejecutivo/a"},
    "AI programme team": {"en": "AI programme team", "es": "Equipo del programa de IA"},
    "risk & compliance": {"en": "Risk & compliance", "es": "Riesgos y cumplimiento"},
}
TIMINGS: dict[str, dict[str, str]] = {
    "next 2 weeks": {"en": "Next 2 weeks", "es": "Próximas 2 semanas"},
    "next 30 days": {"en": "Next 30 days", "es": "Próximos 30 días"},
    "next quarter": {"en": "Next quarter", "es": "Próximo trimestre"},
}
# Finding kinds a rule can name, with the keys allowed (None: any slug, e.g. a construct name).
RULE_KEYS: dict[str, frozenset[str] | None] = {
    "barrier": frozenset(ADKAR_ELEMENTS),
    "pattern": None,
    "alignment": frozenset({"function_gap", "leader_frontline_gap", "low_agreement"}),
    "literacy": frozenset({"low"}),
    "driver": None,
}
# Two archetypes at least this similar (cosine) could not be told apart by pattern matching.
MAX_ARCHETYPE_SIMILARITY = 0.70
MAX_WEIGHT = 2.0
SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Archetype:
    """A known resistance pattern: its z-profile over the cluster constructs and its remedies."""

    id: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    signature: Mapping[str, float]
    interventions: tuple[str, ...]


@dataclass(frozen=True)
class Intervention:
    """A concrete action: what to do, who owns it, and by when."""

    id: str
    title: Mapping[str, str]
    action: Mapping[str, str]
    owner: str
    timing: str


@dataclass(frozen=True)
class Rule:
    """Findings of `kind` with `key` trigger these interventions, in this order."""

    kind: str
    key: str
    interventions: tuple[str, ...]


@dataclass(frozen=True)
class Playbook:
    """Interventions by id, and the rules that map findings to them."""

    interventions: Mapping[str, Intervention]
    rules: tuple[Rule, ...]

    def rules_for(self, kind: str, key: str) -> tuple[Rule, ...]:
        """The rules matching a finding's kind and key."""
        return tuple(rule for rule in self.rules if rule.kind == kind and rule.key == key)


def _entry_name(entry: Any) -> str:
    """`(id)` for an entry with an id, `(kind key)` for a rule, else nothing."""
    if not isinstance(entry, dict):
        return ""
    if isinstance(entry.get("id"), str):
        return f"({entry['id']})"
    if isinstance(entry.get("kind"), str) and isinstance(entry.get("key"), str):
        return f"({entry['kind']} {entry['key']})"
    return ""


class _Checker:
    """Collects problems for one file, each naming the entry it is about."""

    def __init__(self, source: Path) -> None:
        self.source = str(source)
        self.problems: list[Problem] = []

    def fail(self, where: str, reason: str) -> None:
        self.problems.append(Problem(self.source, where, reason))

    def text_map(self, node: Any, where: str) -> dict[str, str]:
        if not isinstance(node, dict):
            self.fail(where, f"must be a map of locale to text ({', '.join(LOCALES)})")
            return {}
        for locale in LOCALES:
            if not isinstance(node.get(locale), str) or not node[locale].strip():
                self.fail(where, f"missing the {locale!r} translation")
        return {str(key): str(value) for key, value in node.items()}

    def entries(self, data: Any, key: str) -> list[tuple[str, dict[str, Any]]]:
        """The dict entries of list `key`, each with its place (`key[3](id)`)."""
        node = data.get(key) if isinstance(data, dict) else None
        if not isinstance(node, list) or not node:
            self.fail(key, "must be a non-empty list")
            return []
        found = []
        for index, entry in enumerate(node):
            where = f"{key}[{index}]{_entry_name(entry)}"
            if not isinstance(entry, dict):
                self.fail(where, "must be a map")
                continue
            found.append((where, entry))
        return found

    def slug_id(self, entry: dict[str, Any], where: str, seen: set[str]) -> str:
        entry_id = entry.get("id")
        if not isinstance(entry_id, str) or not SLUG.match(entry_id):
            self.fail(f"{where}.id", "must be a slug (lower-case letters, digits, - or _)")
            return ""
        if entry_id in seen:
            self.fail(f"{where}.id", f"duplicate id {entry_id!r}")
        seen.add(entry_id)
        return entry_id

    def id_list(self, node: Any, where: str) -> tuple[str, ...]:
        if not isinstance(node, list) or not all(isinstance(item, str) for item in node):
            self.fail(where, "must be a list of intervention ids")
            return ()
        return tuple(node)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _read(path: Path, checker: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        checker.fail("", f"cannot read the file: {error}")
    except yaml.YAMLError as error:
        checker.fail("", f"not valid YAML: {getattr(error, 'problem', None) or error}")
    checker.raise_if_any()
    return None


def _cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    names = set(first) | set(second)
    dot = sum(first.get(name, 0.0) * second.get(name, 0.0) for name in names)
    norm = math.sqrt(sum(v * v for v in first.values()) * sum(v * v for v in second.values()))
    return dot / norm if norm else 0.0


def _signature(node: Any, where: str, constructs: Collection[str] | None, check: _Checker):
    if not isinstance(node, dict) or not node:
        check.fail(where, "must map construct names to weights in z units")
        return {}
    signature: dict[str, float] = {}
    for name, weight in node.items():
        if constructs is not None and name not in constructs:
            check.fail(f"{where}.{name}", f"unknown construct (known: {', '.join(constructs)})")
        elif isinstance(weight, bool) or not isinstance(weight, int | float):
            check.fail(f"{where}.{name}", f"weight {weight!r} is not a number")
        elif not 0 < abs(weight) <= MAX_WEIGHT:
            check.fail(f"{where}.{name}", f"weight must be non-zero and within ±{MAX_WEIGHT}")
        else:
            signature[str(name)] = float(weight)
    return signature


def load_patterns(path: Path, constructs: Collection[str] | None = None) -> tuple[Archetype, ...]:
    """Read patterns.yaml: a top-level `archetypes` list; raise InputError naming file and entry.

    `constructs` (e.g. the cluster scale ids) restricts the construct names a signature may use.
    Two signatures with cosine >= MAX_ARCHETYPE_SIMILARITY are rejected as indistinguishable.
    """
    check = _Checker(path)
    data = _read(path, check)
    seen: set[str] = set()
    archetypes = []
    for where, entry in check.entries(data, "archetypes"):
        archetypes.append(
            Archetype(
                id=check.slug_id(entry, where, seen),
                label=check.text_map(entry.get("label"), f"{where}.label"),
                description=check.text_map(entry.get("description"), f"{where}.description"),
                signature=_signature(
                    entry.get("signature"), f"{where}.signature", constructs, check
                ),
                interventions=check.id_list(
                    entry.get("interventions", []), f"{where}.interventions"
                ),
            )
        )
    for first, second in combinations(archetypes, 2):
        similarity = _cosine(first.signature, second.signature)
        if similarity >= MAX_ARCHETYPE_SIMILARITY:
            check.fail(
                f"archetypes({first.id}, {second.id}).signature",
                f"signatures too similar to tell apart (cosine {similarity:.2f})",
            )
    check.raise_if_any()
    return tuple(archetypes)


def _intervention(entry: dict[str, Any], where: str, seen: set[str], check: _Checker):
    owner, timing = entry.get("owner"), entry.get("timing")
    if owner not in OWNERS:
        check.fail(f"{where}.owner", f"{owner!r} is not one of: {', '.join(OWNERS)}")
    if timing not in TIMINGS:
        check.fail(f"{where}.timing", f"{timing!r} is not one of: {', '.join(TIMINGS)}")
    return Intervention(
        id=check.slug_id(entry, where, seen),
        title=check.text_map(entry.get("title"), f"{where}.title"),
        action=check.text_map(entry.get("action"), f"{where}.action"),
        owner=str(owner),
        timing=str(timing),
    )


def _rule(entry: dict[str, Any], where: str, known: Mapping[str, Any], check: _Checker) -> Rule:
    kind, key = entry.get("kind"), entry.get("key")
    if kind not in RULE_KEYS:
        check.fail(f"{where}.kind", f"{kind!r} is not one of: {', '.join(RULE_KEYS)}")
    else:
        allowed = RULE_KEYS[kind]
        if not isinstance(key, str) or (allowed is not None and key not in allowed):
            expected = ", ".join(sorted(allowed)) if allowed else "a construct or archetype id"
            check.fail(f"{where}.key", f"{key!r} is not a valid {kind} key ({expected})")
    interventions = check.id_list(entry.get("interventions"), f"{where}.interventions")
    for name in interventions:
        if name not in known:
            check.fail(f"{where}.interventions", f"unknown intervention {name!r}")
    return Rule(kind=str(kind), key=str(key), interventions=interventions)


def load_playbook(path: Path) -> Playbook:
    """Read playbook.yaml (`interventions` and `rules`); raise InputError naming file and entry."""
    check = _Checker(path)
    data = _read(path, check)
    seen: set[str] = set()
    interventions = {}
    for where, entry in check.entries(data, "interventions"):
        intervention = _intervention(entry, where, seen, check)
        interventions[intervention.id] = intervention
    rules: list[Rule] = []
    for where, entry in check.entries(data, "rules"):
        rule = _rule(entry, where, interventions, check)
        if any((rule.kind, rule.key) == (other.kind, other.key) for other in rules):
            check.fail(where, f"a second rule for {rule.kind} {rule.key!r}")
        rules.append(rule)
    check.raise_if_any()
    return Playbook(interventions=interventions, rules=tuple(rules))


def load_library(
    patterns_path: Path, playbook_path: Path, constructs: Collection[str] | None = None
) -> tuple[tuple[Archetype, ...], Playbook]:
    """Read both files, check archetypes name known interventions, and add their pattern rules.

    The rules for resistance patterns are the archetypes' `interventions` lists (one source of
    truth); they are appended to the playbook's rules as kind "pattern", key = archetype id.
    """
    archetypes = load_patterns(patterns_path, constructs)
    playbook = load_playbook(playbook_path)
    check = _Checker(patterns_path)
    for index, archetype in enumerate(archetypes):
        for name in archetype.interventions:
            if name not in playbook.interventions:
                where = f"archetypes[{index}]({archetype.id}).interventions"
                check.fail(where, f"unknown intervention {name!r} (not in {playbook_path})")
        if archetype.interventions and playbook.rules_for("pattern", archetype.id):
            check.fail(
                f"archetypes[{index}]({archetype.id})",
                f"also has a pattern rule in {playbook_path}; keep one",
            )
    check.raise_if_any()
    pattern_rules = tuple(
        Rule("pattern", archetype.id, archetype.interventions)
        for archetype in archetypes
        if archetype.interventions
    )
    return archetypes, Playbook(playbook.interventions, playbook.rules + pattern_rules)
