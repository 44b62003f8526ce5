"""Validating a set of instrument files and loading them into the database.

Loading is all-or-nothing and idempotent: a version already loaded with the same content is
left alone, and one loaded with different content is refused, because responses already
point at its items.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.catalog.levels import item_levels
from surveyapp.catalog.reading import SourceDocument, instrument_files, read_yaml
from surveyapp.catalog.validation import validate_document
from surveyapp.errors import InputError, Problem
from surveyapp.models import Instrument, InstrumentVersion, Item, ResponseScale, Scale


@dataclass(frozen=True)
class LoadOutcome:
    """What happened to one instrument version: `loaded` or `unchanged`."""

    slug: str
    version: int
    status: str


def checked_documents(path: Path, schema_path: Path) -> list[SourceDocument]:
    """Parse and validate every instrument file at `path`; raise with all problems found."""
    if not path.exists():
        raise InputError([Problem(str(path), "", "no such file or folder")])
    files = instrument_files(path)
    if not files:
        raise InputError([Problem(str(path), "", "no instrument files (*.yaml) here")])
    documents: list[SourceDocument] = []
    problems: list[Problem] = []
    for file in files:
        doc, read_problems = read_yaml(file)
        problems += read_problems
        if doc is not None:
            problems += validate_document(doc, schema_path)
            documents.append(doc)
    first_file: dict[tuple[str, int], str] = {}
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        key = (doc.data.get("id"), doc.data.get("version"))
        if not isinstance(key[0], str) or not isinstance(key[1], int):
            continue  # the schema has said what is wrong with them
        if key in first_file:
            problems.append(
                Problem(
                    doc.name,
                    "id",
                    f"{key[0]!r} version {key[1]} is also in {first_file[key]}",
                    doc.line_of(("id",)),
                )
            )
        first_file.setdefault(key, doc.name)
    if problems:
        raise InputError(problems)
    return documents


def checksum(data: dict[str, Any]) -> str:
    """SHA-256 of the document's content, blind to YAML formatting and key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _build_version(instrument: Instrument, data: dict[str, Any], digest: str) -> InstrumentVersion:
    """Turn a valid document into a version with its response scales, scales and items."""
    version = InstrumentVersion(
        instrument=instrument,
        version=data["version"],
        title=data["title"],
        description=data["description"],
        locales=data["locales"],
        pages=data.get("pages"),
        checksum=digest,
    )
    response_scales = {
        key: ResponseScale(key=key, points=spec["points"], labels=spec["labels"])
        for key, spec in data.get("response_scales", {}).items()
    }
    scales = {
        spec["id"]: Scale(
            key=spec["id"],
            position=position,
            title=spec["title"],
            adkar=spec.get("adkar"),
            cluster=spec.get("cluster", False),
            outcome=spec.get("outcome", False),
        )
        for position, spec in enumerate(data["scales"])
    }
    version.response_scales = list(response_scales.values())
    version.scales = list(scales.values())
    asked = item_levels(data)
    version.items = [
        Item(
            key=spec["id"],
            position=position,
            type=spec["type"],
            text=spec["text"],
            required=spec.get("required", False),
            scale=scales.get(spec.get("scale", "")),
            response_scale=response_scales.get(spec.get("response_scale", "")),
            reverse=spec.get("reverse", False),
            options=spec.get("options"),
            answer=spec.get("answer"),
            max_length=spec.get("max_length"),
            levels=None if asked[spec["id"]] is None else list(asked[spec["id"]]),
            dont_know=spec.get("dont_know", False),
        )
        for position, spec in enumerate(data["items"])
    ]
    return version


def load_instruments(session: Session, path: Path, schema_path: Path) -> list[LoadOutcome]:
    """Load every instrument at `path` in the caller's transaction; raise before any change."""
    documents = checked_documents(path, schema_path)
    outcomes: list[LoadOutcome] = []
    conflicts: list[Problem] = []
    for doc in documents:
        data, digest = doc.data, checksum(doc.data)
        instrument = session.scalar(sa.select(Instrument).where(Instrument.slug == data["id"]))
        if instrument is None:
            instrument = Instrument(slug=data["id"])
            session.add(instrument)
        loaded = next((v for v in instrument.versions if v.version == data["version"]), None)
        if loaded is None:
            session.add(_build_version(instrument, data, digest))
            outcomes.append(LoadOutcome(data["id"], data["version"], "loaded"))
        elif loaded.checksum == digest:
            outcomes.append(LoadOutcome(data["id"], data["version"], "unchanged"))
        else:
            conflicts.append(
                Problem(
                    doc.name,
                    "version",
                    f"{data['id']!r} version {data['version']} is already loaded with other "
                    "content; bump `version` to load the change",
                    doc.line_of(("version",)),
                )
            )
    if conflicts:
        raise InputError(conflicts)
    return outcomes
