"""Hostile instrument files: arbitrary YAML-ish text, arbitrary structures and mutated real
instruments either load whole, or are refused with the catalog's `InputError`, every problem
placed at `file:line`, and the instrument tables exactly as they were.

mini-pulse version 1 is loaded first, so a mutation that keeps its id and version meets the
"already loaded with other content" refusal, and one that bumps the version loads beside it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from surveyapp.catalog.loading import LoadOutcome, checksum, load_instruments
from surveyapp.errors import InputError
from surveyapp.extensions import db
from surveyapp.models import Instrument, InstrumentVersion, Item, ResponseScale, Scale
from surveyapp.services.transaction import atomic
from tests.harness import REPO_DIR, TEST_INSTRUMENTS

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCHEMA = REPO_DIR / "instruments" / "schema.json"
MINI = TEST_INSTRUMENTS / "valid" / "mini-pulse.yaml"
SOURCES = [MINI, REPO_DIR / "instruments" / "ai-literacy.yaml"]
LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # every line break YAML counts
FILE_LEVEL = ("the file is empty", "cannot read the file")  # problems with no line to point at

YAML_PIECES = st.sampled_from(
    [
        *":-[]{}&*!|>'\"#%@`,?\\",
        *[" ", "  ", "\n", "\t", "\r\n", "\r", "\x00", "\x07", "\ufeff", "é", "\u2028", "\x85"],
        *["0", "1", "-1", "1e400", ".nan", "~", "yes", "a", "id", "version", "items"],
        *["type: likert", "!!binary", "!!python/object:os.system", "<<: ", "&a ", "*a"],
        *["---", "...", "%YAML 1.1", "2024-01-01", "0x7fffffffffffffffff"],
    ]
)
YAML_TEXT = st.lists(YAML_PIECES, max_size=60).map("".join) | st.sampled_from(
    [
        "",
        "# only a comment\n",
        "[" * 5000,
        "{a: " * 3000,
        "- " * 3000 + "x",
        "a: &x [*x]\n",
        "a: &a [1, 2]\nb: [*a, *a, *a]\n",
        "---\nid: a\n---\nid: b\n",
        "id: !!python/object/apply:os.system [echo]\n",
        "? [complex, key]\n: value\n",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**31, 2**63, 10**30, -1, 0])
    | st.floats()
    | st.dates()
    | st.text(max_size=20)
    | st.sampled_from(["mini-pulse\n", "", " ", "value_1", "a", "en", "es", "likert", "\x00"])
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(), children, max_size=4)
    ),
    max_leaves=25,
)


class Dumper(yaml.SafeDumper):
    """Writes a node each time it occurs: the catalog refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(document: Any) -> str:
    """`document` as YAML text, keys in their order (mixed key types cannot be sorted)."""
    return yaml.dump(document, Dumper=Dumper, allow_unicode=True, sort_keys=False)


def documents() -> list[dict[str, Any]]:
    """The real instruments the mutations start from."""
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SOURCES]


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in a parsed document, as the keys and indexes that lead to it."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from paths(child, (*prefix, index))


def _parent(document: Any, path: tuple) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A real instrument with one to four places dropped, replaced, duplicated or renamed."""
    document = draw(st.sampled_from(documents()), label="source")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = [path for path in paths(document) if path]
        path = draw(st.sampled_from(places))
        parent, key = _parent(document, path), path[-1]
        action = draw(st.sampled_from(["drop", "replace", "duplicate", "rename", "version"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(STRUCTURES)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10) | st.sampled_from(["id", "type", "es"]))] = parent.pop(
                key
            )
        elif action == "version" and isinstance(document, dict):
            document["version"] = draw(st.integers(min_value=-1, max_value=2**64) | SCALARS)
    return document


@st.composite
def edited_texts(draw: st.DrawFn) -> str:
    """A real instrument file with lines deleted, repeated, re-indented or typed into."""
    lines = draw(st.sampled_from(SOURCES)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "indent", "type", "version"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(min_value=1, max_value=3)) + lines[index]
        elif action == "type":
            at = draw(st.integers(min_value=0, max_value=len(lines[index])))
            typed = draw(st.lists(YAML_PIECES, min_size=1, max_size=4).map("".join))
            lines[index] = lines[index][:at] + typed + lines[index][at:]
        elif action == "version":
            lines = [f"version: {draw(st.integers(min_value=2, max_value=2**40))}"] + [
                line for line in lines if not line.startswith("version:")
            ]
    return "\n".join(lines) + "\n"


def tables(app: Flask) -> dict[str, list[tuple]]:
    """Everything a load writes, to compare before and after."""
    with app.app_context():
        queries = {
            "instruments": sa.select(Instrument.id, Instrument.slug),
            "versions": sa.select(
                InstrumentVersion.id, InstrumentVersion.version, InstrumentVersion.checksum
            ),
            "items": sa.select(Item.id, Item.key, Item.instrument_version_id),
            "scales": sa.select(Scale.id, Scale.key),
            "response_scales": sa.select(ResponseScale.id, ResponseScale.key),
        }
        return {name: sorted(db.session.execute(query).all()) for name, query in queries.items()}


def load(app: Flask, path: Path) -> list[LoadOutcome] | InputError:
    """Load `path` as `surveyapp instruments load` does: its outcomes, or the refusal."""
    with app.app_context():
        try:
            with atomic():
                return load_instruments(db.session, path, SCHEMA)
        except InputError as error:
            return error


def check_load(app: Flask, path: Path) -> None:
    """A load of `path` is whole (and idempotent) or refused at file:line with nothing changed."""
    before = tables(app)
    outcome = load(app, path)
    if isinstance(outcome, InputError):
        assert tables(app) == before, "a refused load changed the instrument tables"
        line_count = len(LINE_BREAK.split(path.read_bytes().decode("utf-8", "replace")))
        assert outcome.problems
        for problem in outcome.problems:
            assert problem.source == str(path)
            if problem.line is None:
                assert problem.reason.startswith(FILE_LEVEL), problem
            else:
                assert 1 <= problem.line <= line_count, problem
                assert str(problem).startswith(f"{path}:{problem.line}: "), problem
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    after = tables(app)
    assert set(before["versions"]) <= set(after["versions"])
    with app.app_context():
        version = db.session.scalars(
            sa.select(InstrumentVersion)
            .join(Instrument)
            .where(Instrument.slug == data["id"], InstrumentVersion.version == data["version"])
        ).one()
        assert version.checksum == checksum(data)
        assert [item.key for item in version.items] == [item["id"] for item in data["items"]]
    again = load(app, path)
    assert not isinstance(again, InputError) and {o.status for o in again} == {"unchanged"}
    assert tables(app) == after


@pytest.fixture
def loaded(app: Flask) -> Flask:
    """The app with mini-pulse version 1 loaded."""
    outcome = load(app, MINI)
    assert not isinstance(outcome, InputError), outcome
    return app


@FUZZ
@given(text=YAML_TEXT)
@example(text="a: &x [*x]\n")  # regression: a self-referring alias was a RecursionError
@example(text="[" * 5000)  # regression: deep nesting was a RecursionError
@example(text="id: a\x00\n")  # regression: a NUL escaped as yaml.reader.ReaderError
def test_arbitrary_text_is_loaded_or_refused_at_its_line(loaded, tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    check_load(loaded, path)


@FUZZ
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_without_a_traceback(loaded, tmp_path, content):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content)
    check_load(loaded, path)


@FUZZ
@given(structure=STRUCTURES)
def test_arbitrary_structures_are_refused_at_their_line(loaded, tmp_path, structure):
    path = tmp_path / "fuzz.yaml"
    path.write_text(dump(structure), encoding="utf-8")
    check_load(loaded, path)


@settings(FUZZ, max_examples=60)
@given(document=mutated_documents())
def test_mutated_instruments_load_whole_or_not_at_all(loaded, tmp_path, document):
    path = tmp_path / "mutated.yaml"
    path.write_text(dump(document), encoding="utf-8")
    check_load(loaded, path)


@FUZZ
@given(text=edited_texts())
def test_edited_instrument_files_load_whole_or_not_at_all(loaded, tmp_path, text):
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    check_load(loaded, path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("version: 1", "version: 99999999999999999999"), "greater than the maximum"),
        (("id: mini-pulse", 'id: "mini-pulse\\n"'), "does not match"),
        (("id: value_1", "id: [value_1]"), "is not of type 'string'"),
        (("items: [quiz_1, comment]", "items: [{a: 1}, comment]"), "unknown item {'a': 1}"),
    ],
)
def test_regressions_found_by_the_fuzz_are_refused(loaded, tmp_path, change, reason):
    """Each of these once loaded garbage or raised something other than InputError."""
    path = tmp_path / "mini-pulse.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    outcome = load(loaded, path)
    assert isinstance(outcome, InputError)
    assert any(reason in problem.reason for problem in outcome.problems), outcome
