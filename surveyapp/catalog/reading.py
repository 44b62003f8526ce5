"""Reading instrument YAML safely, remembering the line of every value for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from surveyapp.errors import Problem

PathKey = tuple[str | int, ...]
LIBRARY_FILES = frozenset({"patterns.yaml", "playbook.yaml", "literacy-requirements.yaml"})
MAX_FILE_BYTES = 1024 * 1024  # the largest shipped file is 21 KB; checked before parsing
MAX_DEPTH = 20  # an instrument nests six levels; much deeper is a mistake, or an attack


class InstrumentLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and without deep nesting.

    An instrument needs neither: an alias can point at the node that holds it (a loop no
    check could walk) or repeat a node until a small file is a huge document, and deep
    nesting exhausts Python's stack before any check runs.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Compose the next node, refusing an alias or a node nested too deep."""
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in instrument files", mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass
class SourceDocument:
    """A parsed file with the line number of each path in it (for messages)."""

    name: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of `path`, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def _index_lines(
    node: yaml.Node, path: PathKey, lines: dict[PathKey, int], name: str, problems: list[Problem]
) -> None:
    """Record the line of every node, and report keys that a mapping repeats."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        name,
                        render_path(path),
                        f"key {key!r} appears twice",
                        key_node.start_mark.line + 1,
                    )
                )
            seen.add(key)
            _index_lines(value_node, (*path, key), lines, name, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _index_lines(child, (*path, index), lines, name, problems)


def read_yaml(path: Path) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse one YAML file with PyYAML's safe loader (no arbitrary object construction)."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES // 1024} KB"
            return None, [
                Problem(name, "", f"the file is larger than {limit}, too large for an instrument")
            ]
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(name, "", f"cannot read the file: {error}")]
    try:
        loader = InstrumentLoader(text)  # the reader checks every character here
    except yaml.YAMLError as error:
        return None, [_yaml_problem(name, text, error)]
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(name, "", "the file is empty")]
        lines: dict[PathKey, int] = {}
        _index_lines(node, (), lines, name, problems)
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        return None, [_yaml_problem(name, text, error)]
    finally:
        loader.dispose()
    return SourceDocument(name, data, lines), problems


def _yaml_problem(name: str, text: str, error: yaml.YAMLError) -> Problem:
    """A YAML error at its line: the parser's mark, or where the reader met a bad character."""
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return Problem(
            name, "", f"not valid YAML: character U+{error.character:04X} is not allowed", line
        )
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(error, "problem", None) or str(error)
    return Problem(name, "", f"not valid YAML: {reason}", line)


def instrument_files(path: Path) -> list[Path]:
    """The instrument files at `path`: the file itself, or a folder's *.yaml but the libraries."""
    if path.is_dir():
        return sorted(
            file
            for file in path.iterdir()
            if file.suffix in (".yaml", ".yml") and file.name not in LIBRARY_FILES
        )
    return [path]


def render_path(path: PathKey, data: Any = None) -> str:
    """Show a path as `items[3](quiz_01).text`: list entries named by their id if they have one."""
    parts: list[str] = []
    node = data
    for key in path:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f"({node['id']})"
            else:
                node = None
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else key)
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"
