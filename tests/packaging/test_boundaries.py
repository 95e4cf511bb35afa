"""DESIGN.md's boundaries, read off the import graph: who may know the database, the registry and the app."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("vendorwatch", "registry", "connectors", "notify", "reports")
DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "psycopg")

# What each room must not import (DESIGN.md, "Boundaries").
FORBIDDEN = {
    "connectors": (*DATABASE, "registry", "vendorwatch", "reports", "notify"),
    "notify": (*DATABASE, "registry", "vendorwatch", "reports", "connectors"),
    "registry": ("vendorwatch", "connectors", "notify", "reports", "feedparser", "slack_sdk", "weasyprint", "httpx"),
    "reports": ("vendorwatch", "connectors", "notify", "alembic", "psycopg"),
}
# Reports only read the store: the models, its errors, types and vocabulary, and the read models of registry/repo/.
REPORTS_MAY_USE = (
    "registry.models",
    "registry.errors",
    "registry.types",
    "registry.durations",
    "registry.repo",
    "registry.safecsv",
    "registry.vocab",
)
# Outside registry/ the store is named, never queried: a handle in a signature is all another room may import.
HANDLES = {"Session", "Engine"}
DIALECT_ATTRIBUTES = {"dialect", "get_backend_name", "with_for_update"}

# Not done yet (issue #15): modules that still build queries or branch on the dialect. Each one moves its
# queries into registry/ and leaves this list. An entry that no longer offends fails the test, so the list
# always shows what remains.
PENDING_QUERIES: set[str] = set()
# The app is packages by domain (cli/, poll/, incidents/, delivery/, ops/, ...): no flat module is pending.
PENDING_RELAYOUT: set[str] = set()
MAX_TOP_MODULES = 12
# Shipped data is read through vendorwatch.bundled (an installed wheel has no source tree): none pending.
PENDING_SOURCE_TREE_DATA: set[str] = set()


@dataclass(frozen=True)
class Import:
    """One import statement: who imports, what module, which names, and where."""

    importer: str
    module: str
    names: tuple[str, ...]
    where: str


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imports() -> Iterator[Import]:
    for name, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):  # imports inside functions count too
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                yield from (Import(name, alias.name, (), where) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield Import(name, node.module, tuple(a.name for a in node.names), where)


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _room(module: str) -> str:
    return module.split(".")[0]


def _queries_outside_registry() -> dict[str, list[str]]:
    """Per module outside registry/: the database imports beyond a handle, and dialect branches."""
    found: dict[str, list[str]] = {}
    for imp in _imports():
        if _room(imp.importer) == "registry":
            continue
        db = any(_within(imp.module, p) for p in ("sqlalchemy", "sqlmodel"))
        if (db and not (imp.names and set(imp.names) <= HANDLES)) or _within(imp.module, "registry.queries"):
            found.setdefault(imp.importer, []).append(f"{imp.where} imports {imp.module} {list(imp.names)}")
    for name, path in _modules():
        if _room(name) == "registry":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in DIALECT_ATTRIBUTES:
                found.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.attr}")
    return found


def test_connectors_notify_registry_and_reports_import_only_what_design_allows() -> None:
    crossings = [
        f"{imp.where}: {_room(imp.importer)} imports {imp.module}"
        for imp in _imports()
        for banned in FORBIDDEN.get(_room(imp.importer), ())
        if _within(imp.module, banned)
    ]
    assert crossings == []


def test_reports_only_read_the_registry() -> None:
    writes = [
        f"{imp.where}: {imp.module}"
        for imp in _imports()
        if _room(imp.importer) == "reports" and _room(imp.module) == "registry"
        if not any(_within(imp.module, allowed) for allowed in REPORTS_MAY_USE)
    ]
    assert writes == []


def test_no_query_is_built_outside_registry_except_in_modules_still_pending() -> None:
    found = _queries_outside_registry()
    offending = {name: lines for name, lines in found.items() if name not in PENDING_QUERIES}
    assert offending == {}, "build the query in registry/ (registry/repo/) and call it"
    done = sorted(PENDING_QUERIES - set(found))
    assert done == [], f"no longer building queries: remove {done} from PENDING_QUERIES"


def test_shipped_data_is_read_through_the_resource_helper_not_next_to_the_source() -> None:
    found = {
        name
        for name, path in _modules()
        for line in path.read_text(encoding="utf-8").splitlines()
        if "__file__" in line and ('"config"' in line or "'config'" in line)
    }
    assert sorted(found - PENDING_SOURCE_TREE_DATA) == [], "read config/ with vendorwatch.bundled.bundled(...)"
    done = sorted(PENDING_SOURCE_TREE_DATA - found)
    assert done == [], f"reads its data through the helper now: remove {done} from PENDING_SOURCE_TREE_DATA"


def test_vendorwatch_top_holds_at_most_12_modules_besides_those_pending_relayout() -> None:
    top = {p.stem for p in (ROOT / "vendorwatch").glob("*.py") if p.stem not in ("__init__", "__main__")}
    settled = sorted(top - PENDING_RELAYOUT)
    assert len(settled) <= MAX_TOP_MODULES, f"{len(settled)} modules at the top of vendorwatch/: {settled}"
    gone = sorted(PENDING_RELAYOUT - top)
    assert gone == [], f"moved already: remove {gone} from PENDING_RELAYOUT"


def test_the_formatter_owns_layout() -> None:
    """No formatter-skip comments (fmt skip/off) anywhere: `ruff format` decides the layout (issue 15)."""
    marker = "# fmt" + ":"  # spelt in two parts so this file does not find itself
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in (*PACKAGES, "bench", "docs", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if marker in line
    ]
    assert found == [], "let ruff format lay these out"
