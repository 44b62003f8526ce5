"""Required AI literacy per risk tier, read from literacy-requirements.yaml and checked whole.

The file says, for each risk tier (minimal, limited, high), the literacy level a group should
reach, the share that should reach it, and the kinds of measure everyone using a system of
that tier should have completed (EU AI Act art. 4: "taking into account ... the context the
AI systems are to be used in"; ISO/IEC 42001 7.2: determine the competence needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from surveyapp.analytics.scoring import LITERACY_LEVELS
from surveyapp.errors import InputError, Problem

RISK_TIERS = ("minimal", "limited", "high")
MEASURE_KINDS = ("training", "briefing", "policy_acknowledgement")
REQUIREMENTS_FILE = "literacy-requirements.yaml"


@dataclass(frozen=True)
class TierRequirement:
    """What people using a system of one risk tier should have: a level and measures."""

    tier: str
    min_level: str
    target_share: float
    measures: tuple[str, ...]


@dataclass(frozen=True)
class Requirements:
    """Every tier's requirement and the share of a group each measure should reach."""

    tiers: dict[str, TierRequirement]
    coverage_target: float


def _share(value: Any, where: str, problems: list[Problem], source: str) -> float:
    """A share between 0 and 1, or 0 after noting what is wrong."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        problems.append(Problem(source, where, f"{value!r} is not a share between 0 and 1"))
        return 0.0
    return float(value)


def _tier(name: str, entry: Any, source: str, problems: list[Problem]) -> TierRequirement:
    """One tier's requirement, noting every problem of its entry."""
    where = f"tiers.{name}"
    if not isinstance(entry, dict):
        problems.append(Problem(source, where, "expected min_level, target_share and measures"))
        return TierRequirement(name, LITERACY_LEVELS[0], 0.0, ())
    unknown = sorted(set(entry) - {"min_level", "target_share", "measures"})
    for key in unknown:
        problems.append(Problem(source, f"{where}.{key}", "unknown key"))
    level = entry.get("min_level")
    if level not in LITERACY_LEVELS:
        problems.append(
            Problem(
                source,
                f"{where}.min_level",
                f"{level!r} is not one of {', '.join(LITERACY_LEVELS)}",
            )
        )
        level = LITERACY_LEVELS[0]
    share = _share(entry.get("target_share"), f"{where}.target_share", problems, source)
    measures = entry.get("measures", [])
    if not isinstance(measures, list):
        problems.append(Problem(source, f"{where}.measures", "expected a list of measure kinds"))
        measures = []
    for kind in measures:
        if kind not in MEASURE_KINDS:
            problems.append(
                Problem(
                    source,
                    f"{where}.measures",
                    f"{kind!r} is not one of {', '.join(MEASURE_KINDS)}",
                )
            )
    return TierRequirement(name, level, share, tuple(k for k in measures if k in MEASURE_KINDS))


def parse_requirements(document: Any, source: str) -> Requirements:
    """Requirements from a parsed YAML document; an InputError lists every problem."""
    problems: list[Problem] = []
    if not isinstance(document, dict):
        raise InputError([Problem(source, "", "expected a mapping with coverage_target and tiers")])
    if document.get("version") != 1:
        problems.append(Problem(source, "version", "expected version: 1"))
    coverage = _share(document.get("coverage_target"), "coverage_target", problems, source)
    tiers = document.get("tiers")
    if not isinstance(tiers, dict):
        problems.append(Problem(source, "tiers", "expected one entry per risk tier"))
        tiers = {}
    for name in tiers:
        if name not in RISK_TIERS:
            problems.append(
                Problem(source, f"tiers.{name}", f"not a risk tier ({', '.join(RISK_TIERS)})")
            )
    for name in RISK_TIERS:
        if name not in tiers:
            problems.append(
                Problem(source, f"tiers.{name}", "missing: every risk tier needs a requirement")
            )
    parsed = {
        name: _tier(name, tiers[name], source, problems) for name in RISK_TIERS if name in tiers
    }
    if problems:
        raise InputError(problems)
    return Requirements(parsed, coverage)


def load_requirements(path: Path) -> Requirements:
    """Read and check the requirements file; an InputError names every problem in it."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "no such file")]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(str(path), "", f"not valid YAML: {error}")]) from None
    return parse_requirements(document, str(path))
