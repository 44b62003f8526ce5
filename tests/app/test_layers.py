"""The layers point one way: a test reads every module's imports (with `ast`) and fails on a
layer that reaches up, an import cycle, or a module grown past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "surveyapp"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    """`surveyapp/services/access.py` → `surveyapp.services.access` (a package is its __init__)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, source: str, is_package: bool = False) -> set[str]:
    """Every module `name` imports, at the top or inside a function, resolved to absolute names.

    `from surveyapp.x import y` counts as importing `surveyapp.x.y` when that is a module, else
    `surveyapp.x`; a relative import is resolved against the module's package."""
    tree = ast.parse(source)
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.add(candidate if candidate in MODULES else source)
    return found


IMPORTS = {
    name: _imports(name, path.read_text(encoding="utf-8"), path.name == "__init__.py")
    for name, path in MODULES.items()
}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{name} imports {target}"
        for name, targets in IMPORTS.items()
        if _within(name, layer)
        for target in targets
        if any(_within(target, banned) for banned in forbidden)
    )


def test_the_api_never_imports_the_staff_blueprint() -> None:
    assert _violations("surveyapp.api", ("surveyapp.staff",)) == []


def test_services_import_no_blueprint_command_brief_export_or_job() -> None:
    above = (
        *("staff", "api", "survey", "briefs", "exports", "evidence", "commands"),
        *("jobs", "posters", "cli", "demo"),
    )
    assert _violations("surveyapp.services", tuple(f"surveyapp.{name}" for name in above)) == []


def test_briefs_exports_and_evidence_packs_import_no_blueprint_command_or_job() -> None:
    above = ("staff", "api", "survey", "commands", "jobs", "posters", "cli", "demo")
    banned = tuple(f"surveyapp.{name}" for name in above)
    for layer in ("briefs", "exports", "evidence"):
        assert _violations(f"surveyapp.{layer}", banned) == []


def test_jobs_import_no_blueprint_or_command() -> None:
    banned = tuple(f"surveyapp.{name}" for name in ("staff", "api", "survey", "commands", "cli"))
    assert _violations("surveyapp.jobs", banned) == []


def test_no_blueprint_imports_another_blueprint() -> None:
    blueprints = ("surveyapp.staff", "surveyapp.api", "surveyapp.survey")
    for blueprint in blueprints:
        others = tuple(other for other in blueprints if other != blueprint)
        assert _violations(blueprint, others) == []


def test_analytics_imports_no_flask_database_models_or_services() -> None:
    banned = (
        "flask",
        "flask_sqlalchemy",
        "sqlalchemy",
        "surveyapp.models",
        "surveyapp.services",
        "surveyapp.extensions",
        "surveyapp.database",
    )
    assert _violations("surveyapp.analytics", banned) == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), in the import graph."""
    graph = {
        name: sorted(
            target
            for target in targets
            if target in MODULES and target != name and not _within(name, target)
        )
        for name, targets in IMPORTS.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return components


def test_no_import_cycle_among_surveyapp_modules() -> None:
    assert _cycles() == []


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_reader_counts_relative_and_function_level_imports() -> None:
    """A violation hidden in a function or written relatively is still seen, so rules can fail."""
    source = "def f():\n    from ..staff import scope\n    import surveyapp.briefs.render\n"
    found = _imports("surveyapp.services.example", source)
    assert found == {"surveyapp.staff", "surveyapp.briefs.render"}
