"""Streaming a large registry YAML file vendor by vendor, keeping the line of every mapping and key.

PyYAML composes the whole document into nodes before constructing anything: a 13 MB registry took
~800 MB that way. Here libyaml's event stream is turned into plain values one vendor at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from registry.limits import MAX_ALIAS_VALUES, MAX_DEPTH

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class ShapeError(ValueError):
    """The document is valid YAML but not a mapping with a `vendors` list."""

    def __init__(self, message: str, line: int, field: str | None = "vendors") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


def duplicate(key: str, first: int) -> str:
    """The message for a key given twice in one mapping."""
    return f"duplicate key {key!r} (first on line {first})"


_MERGE = object()  # the `<<` key of a YAML merge


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else 0


class _Stream:
    def __init__(self, text: str) -> None:
        self.loader = _Loader(text)
        self.anchors: dict[str, Any] = {}
        self.depth = 0
        self.values = 0  # values built so far, aliases counted at their expanded size
        self.expanded = 0  # of which through aliases
        self.sizes: dict[str, int] = {}

    def _sequence(self) -> list[Any]:
        result = []
        while not self.loader.check_event(yaml.SequenceEndEvent):
            result.append(self.value())
        self.loader.get_event()
        return result

    def value(self) -> Any:
        event = self.loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event)
        before = self.values
        self.values += 1
        if isinstance(event, yaml.ScalarEvent):
            result = self._scalar(event)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:  # before Python's own recursion limit turns it into RecursionError
                raise ShapeError(f"nested deeper than {MAX_DEPTH} levels (not a registry)", _line(event), None)
            result = self._sequence() if isinstance(event, yaml.SequenceStartEvent) else self._mapping(event)
            self.depth -= 1
        else:
            raise ShapeError(f"unexpected {type(event).__name__}", _line(event))
        if getattr(event, "anchor", None):
            self.anchors[event.anchor] = result
            self.sizes[event.anchor] = self.values - before
        return result

    def _alias(self, event: yaml.AliasEvent) -> Any:
        # Aliases share one object, but the records built from it are not shared: a few lines of
        # aliases to aliases would make millions of credentials. Charge each use its expanded size.
        size = self.sizes.get(str(event.anchor), 1)
        self.values += size
        self.expanded += size
        if self.expanded > MAX_ALIAS_VALUES:
            raise ShapeError(f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} values", _line(event), None)
        return self.anchors.get(str(event.anchor))

    def _mapping(self, start: yaml.MappingStartEvent) -> Located:
        mapping = Located()
        mapping.line, mapping.key_lines = _line(start), {}
        merged: list[Any] = []
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self.loader.peek_event()
            key = self.value()
            if key is _MERGE:  # YAML merge key: `<<: *defaults`
                value = self.value()
                merged.extend(value if isinstance(value, list) else [value])
                continue
            if str(key) in mapping:  # PyYAML keeps the last silently: `criticality: high` then `low`
                raise ShapeError(duplicate(str(key), mapping.key_lines[str(key)]), _line(key_event), str(key)[:50])
            mapping.key_lines[str(key)] = _line(key_event)
            mapping[str(key)] = self.value()
        self.loader.get_event()
        for source in merged:  # keys written in the mapping itself win over merged ones
            if isinstance(source, dict):
                for key, value in source.items():
                    if key not in mapping:
                        mapping[key] = value
                        mapping.key_lines[key] = getattr(source, "key_lines", {}).get(key, mapping.line)
        return mapping

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            return _MERGE
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        construct = self.loader.yaml_constructors.get(tag) or self.loader.yaml_constructors[None]
        try:
            return construct(self.loader, node)
        except (ValueError, OverflowError):  # `2026-13-45` as a timestamp, an int past 4,300 digits
            message = f"malformed YAML: {tag.rsplit(':', 1)[-1]} value cannot be read"
            raise ShapeError(message, _line(event), None) from None


def iter_vendors(text: str, others: dict[str, Any] | None = None) -> Iterator[Located]:
    """Yield the items of the top-level `vendors` list one at a time (raises yaml.YAMLError, ShapeError).

    Other top-level keys go into `others` when given (the `entity:` block).
    """
    stream = _Stream(text)
    try:
        loader = stream.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise ShapeError("the file is empty", 1)
        loader.get_event()  # document start
        start = loader.get_event()
        if not isinstance(start, yaml.MappingStartEvent):
            raise ShapeError("expected a mapping with a 'vendors' list", _line(start))
        found = False
        seen: dict[str, int] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key = stream.value()
            if str(key) in seen:  # two `vendors:` lists: both used to be imported
                raise ShapeError(duplicate(str(key), seen[str(key)]), _line(key_event), str(key)[:50])
            seen[str(key)] = _line(key_event)
            if key == "vendors" and loader.check_event(yaml.SequenceStartEvent):
                found = True
                loader.get_event()
                while not loader.check_event(yaml.SequenceEndEvent):
                    yield stream.value()
                loader.get_event()
            else:
                value = stream.value()  # other top-level keys are kept for the caller, or ignored
                if others is not None:
                    others[str(key)] = value
                if key == "vendors":
                    raise ShapeError("'vendors' must be a list", _line(key_event))
        if not found:
            raise ShapeError("expected a mapping with a 'vendors' list", _line(start))
        _one_document(loader)
    finally:
        stream.loader.dispose()


def _one_document(loader: Any) -> None:
    """Refuse a second document (`---`): its vendors would be ignored without a word."""
    loader.get_event()  # mapping end
    loader.get_event()  # document end
    event = loader.get_event()
    if not isinstance(event, yaml.StreamEndEvent):
        raise ShapeError("a second YAML document (---): one registry per file", _line(event), None)
