"""One vocabulary: each list of words (kinds, trust, criticality, severity, statuses) is spelt once.

Its home is registry/vocab.py. Read off the source like the boundary tests: no `Literal[...]`, enum, tuple
or set of a vocabulary's words elsewhere, no dict keyed by its bare words; and every dict keyed by a
vocabulary covers all of its words.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

from registry import vocab

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("vendorwatch", "registry", "connectors", "notify", "reports")
HOME = ROOT / "registry" / "vocab.py"
WORDS = {v.__name__: frozenset(m.value for m in v) for v in vocab.VOCABULARIES}
# Lists that happen to share a vocabulary's words but are another scale, with the reason.
OTHER_SCALES = {
    "vendorwatch/reviews.py:RATINGS": "a review's rating of a vendor, not the vendor's criticality",
}
# Dicts keyed by a vocabulary that need not cover it, with the reason.
PARTIAL = {
    "vendorwatch.incidents.lifecycle.QUIET": "kinds without their own quiet period use QUIET_OTHER",
}


def _sources() -> Iterator[tuple[str, ast.AST]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != HOME and "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _strings(nodes: list[ast.expr]) -> list[str] | None:
    values = [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return values if len(values) == len(nodes) else None


def _vocabulary_of(values: list[str] | None) -> str | None:
    """The vocabulary these words are all taken from (two words at least), if any."""
    if not values or len(set(values)) < 2:
        return None
    return next((name for name, words in WORDS.items() if set(values) <= words), None)


def _name(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    while node in parents and not isinstance(node, ast.Assign | ast.AnnAssign | ast.ClassDef):
        node = parents[node]
    if isinstance(node, ast.ClassDef):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", node)]
    return ",".join(t.id for t in targets if isinstance(t, ast.Name))


def _spellings() -> Iterator[str]:
    """Every place outside registry/vocab.py that spells a vocabulary's words as a list of its own."""
    for where, tree in _sources():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            found: str | None = None
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
                elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                found = _vocabulary_of(_strings(elements))
            elif isinstance(node, ast.Tuple | ast.List | ast.Set):
                found = _vocabulary_of(_strings(node.elts))
            elif isinstance(node, ast.Dict):
                keys = [k for k in node.keys if k is not None]
                found = _vocabulary_of(_strings(keys)) if len(keys) == len(node.keys) else None
            elif isinstance(node, ast.ClassDef):  # an enum of its own with the same members
                assigned = [s.value for s in node.body if isinstance(s, ast.Assign)]
                found = _vocabulary_of(_strings(assigned)) if assigned else None
            label = f"{where}:{_name(node, parents)}"
            if found and label not in OTHER_SCALES:
                yield f"{where}:{getattr(node, 'lineno', 0)} ({_name(node, parents)}) spells {found}"


def test_each_vocabulary_is_spelt_only_in_registry_vocab() -> None:
    assert sorted(set(_spellings())) == [], "use the enum of registry/vocab.py (members, or a dict keyed by them)"


def test_the_exceptions_still_exist() -> None:
    spelt = {f"{w}:{_name(n, {})}" for w, tree in _sources() for n in ast.walk(tree) if isinstance(n, ast.Assign)}
    assert set(OTHER_SCALES) <= spelt, "an exception no longer applies: remove it from OTHER_SCALES"


def _keyed_dicts() -> Iterator[tuple[str, type[StrEnum], dict[object, object]]]:
    """Module-level dicts annotated `dict[<vocabulary>, ...]`, with their values at run time."""
    by_name = {v.__name__: v for v in vocab.VOCABULARIES}
    for where, tree in _sources():
        module = where.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        for node in getattr(tree, "body", []):
            if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
                continue
            hint = node.annotation
            if isinstance(hint, ast.Subscript) and isinstance(hint.value, ast.Name) and hint.value.id == "dict":
                key = hint.slice.elts[0] if isinstance(hint.slice, ast.Tuple) else None
                if isinstance(key, ast.Name) and key.id in by_name:
                    value = getattr(importlib.import_module(module), node.target.id)
                    yield f"{module}.{node.target.id}", by_name[key.id], value


def test_every_dict_keyed_by_a_vocabulary_covers_all_its_words() -> None:
    found = list(_keyed_dicts())
    assert len(found) >= 8, "the scan finds the tables (severity points, trust bonus, cadences...)"
    gaps = {
        name: sorted(set(vocabulary) - set(table))
        for name, vocabulary, table in found
        if name not in PARTIAL and set(vocabulary) - set(table)
    }
    assert gaps == {}
    assert set(PARTIAL) <= {name for name, _, _ in found}, "remove a PARTIAL entry that no longer exists"


@pytest.mark.parametrize("vocabulary", vocab.VOCABULARIES, ids=lambda v: v.__name__)
def test_members_are_named_as_their_stored_words(vocabulary: type[StrEnum]) -> None:
    for member in vocabulary:
        assert member.name == member.value.replace("-", "_")  # the word, spelt as a Python name


def test_an_unknown_word_is_refused_with_the_place_and_the_allowed_words() -> None:
    with pytest.raises(vocab.UnknownWordError) as caught:
        vocab.parse(vocab.TaskStatus, "closed", where="tasks.yaml:3")
    assert str(caught.value) == "tasks.yaml:3: 'closed' is not a task status (allowed: open, done, waived)"
