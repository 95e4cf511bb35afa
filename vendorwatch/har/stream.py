"""Read a HAR as a stream of structure tokens and whole items, never holding the file in memory.

`log` is walked event by event; each item of an array under `log` (every entry, every page) and every
other value under `log` is built alone, so memory follows the largest single entry, not the file.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from vendorwatch.har.model import HarError

# ijson slows down sharply on strings much larger than its buffer (1.5 s vs 0.07 s on 20 MB of HAR
# with 2.5 MB bodies at 16 KB vs 1 MB); the cost is error offsets precise only to the chunk read.
BUF_SIZE = 1024 * 1024
# Limits at the entry point: a real entry nests about six levels (bodies are strings), and detection
# walks items recursively, so a deeper one would end in RecursionError instead of a located error.
MAX_DEPTH = 64
MAX_ITEM_CHARS = 512 * 1024 * 1024
STARTS = frozenset({"start_map", "start_array"})
ENDS = frozenset({"end_map", "end_array"})


@dataclass(frozen=True)
class Token:
    """`{`, `}`, `[`, `]`, `key` (text = key) or `item` (text = path like `entries[3]`, value = item)."""

    op: str
    text: str = ""
    value: Any = None


class _Limit(Exception):
    """An item deeper or larger than the reader accepts."""


class _Where:
    path = "top level"


def read_har(path: Path) -> Iterator[Token]:
    """Tokens of the HAR at `path`; raises HarError (file, byte offset, JSON path) on bad input."""
    where = _Where()
    try:
        f = path.open("rb")
    except OSError as exc:
        raise HarError(path, f"cannot read file ({exc.strerror})") from None
    with f:
        if os.fstat(f.fileno()).st_size == 0:
            raise HarError(path, "empty file")
        events = ijson.basic_parse(f, use_float=True, buf_size=BUF_SIZE)
        try:
            yield from _root(path, events, where)
        except ijson.JSONError:
            # ijson's message quotes the input around the error, which may be a secret: drop it.
            raise HarError(path, "invalid JSON", offset=f.tell(), where=where.path) from None
        except UnicodeDecodeError:
            raise HarError(path, "not UTF-8 text", offset=f.tell(), where=where.path) from None
        except _Limit as exc:
            raise HarError(path, str(exc), offset=f.tell(), where=where.path) from None


def _root(path: Path, events: Iterator[tuple[str, Any]], where: _Where) -> Iterator[Token]:
    first = next(events, None)
    if first is None:
        raise HarError(path, "empty file")
    if first[0] != "start_map":
        raise HarError(path, "not a HAR: the top level is not an object", offset=0)
    yield Token("{")
    has_entries = False
    for event, key in events:
        if event == "end_map":
            break
        if key != "log":
            raise HarError(path, "not a HAR: unexpected top-level key (only `log` is allowed)")
        yield Token("key", key)
        if next(events)[0] != "start_map":
            raise HarError(path, "not a HAR: `log` is not an object", where="log")
        yield Token("{")
        has_entries = yield from _log(path, events, where)
        yield Token("}")
    if not has_entries:
        raise HarError(path, "not a HAR: no `log.entries` array")
    yield Token("}")
    for _ in events:  # drain so trailing garbage raises
        pass


def _log(path: Path, events: Iterator[tuple[str, Any]], where: _Where) -> Generator[Token, None, bool]:
    has_entries = False
    for event, key in events:
        if event == "end_map":
            return has_entries
        yield Token("key", key)
        event, value = next(events)
        if key == "entries" and event != "start_array":
            raise HarError(path, "not a HAR: `log.entries` is not an array", where="log.entries")
        if event != "start_array":
            where.path = f"log.{key}"
            yield Token("item", key, _build(event, value, events))
            continue
        has_entries = has_entries or key == "entries"
        yield Token("[")
        for index, (event, value) in enumerate(events):
            if event == "end_array":
                break
            where.path = f"log.{key}[{index}]"
            item = _build(event, value, events)
            if key == "entries" and not isinstance(item, dict):
                raise HarError(path, "not a HAR: an entry is not an object", where=where.path)
            yield Token("item", f"{key}[{index}]", item)
        yield Token("]")
    return has_entries


def _build(event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    """Build one JSON value from its first event and the events that follow it."""
    if event not in STARTS:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth, chars = 1, 0
    for event, value in events:
        builder.event(event, value)
        if isinstance(value, str):
            chars += len(value)
            if chars > MAX_ITEM_CHARS:
                raise _Limit(f"an item holds more than {MAX_ITEM_CHARS:,} characters of text")
        if event in STARTS:
            depth += 1
            if depth > MAX_DEPTH:
                raise _Limit(f"nested deeper than {MAX_DEPTH} levels (not a HAR entry)")
        elif event in ENDS:
            depth -= 1
            if depth == 0:
                break
    return builder.value
