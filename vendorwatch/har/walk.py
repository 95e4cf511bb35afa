"""Walk one HAR item (an entry, a page, ...) and report every string leaf that holds secrets.

Name/value lists (headers, cookies, queryString, postData.params) are judged by name first; every
string is then scanned by pattern. Base64 bodies and binary websocket frames are decoded and scanned.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vendorwatch.har.patterns import Hit, header_hits, name_kind, whole
from vendorwatch.har.textscan import merge, scan_text

NV_LISTS = frozenset({"headers", "cookies", "queryString", "params"})


@dataclass
class Leaf:
    """A string at container[key] with its hits; `charset` is set when the string is base64 of text."""

    container: Any
    key: Any
    path: str
    text: str
    hits: list[Hit]
    charset: str | None = None

    def location(self, hit: Hit) -> str:
        """Readable location of one hit, e.g. `entries[3].request.headers[Cookie] sid`."""
        base = f"{self.path} (base64)" if self.charset else self.path
        return f"{base} {hit.label}" if hit.label else base

    def replace(self, new_for: dict[int, str]) -> None:
        """Put the text back with hit i replaced by new_for[i] (re-encoded when it was base64)."""
        out, pos = [], 0
        for i, h in enumerate(self.hits):
            out += [self.text[pos : h.start], new_for[i]]
            pos = h.end
        new = "".join(out) + self.text[pos:]
        for i, h in enumerate(self.hits):
            # A token echoed elsewhere in the same string (e.g. an error message) goes too.
            if len(h.secret) >= 8 and h.secret in new:
                new = new.replace(h.secret, new_for[i])
        if self.charset:
            new = base64.b64encode(new.encode(self.charset)).decode("ascii")
        self.container[self.key] = new


def walk_item(holder: list[Any], path: str) -> Iterator[Leaf]:
    """Leaves with secrets in the HAR item holder[0]; a replaced top-level string lands in holder[0]."""
    yield from _walk(holder, 0, path, None)


def _walk(container: Any, key: Any, path: str, side: str | None) -> Iterator[Leaf]:
    node = container[key]
    if isinstance(node, str):
        hits = scan_text(node)
        if hits:
            yield Leaf(container, key, path, node, hits)
    elif isinstance(node, list):
        for i in range(len(node)):
            yield from _walk(node, i, f"{path}[{i}]", side)
    elif isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}.{k}" if path else k
            here = k if k in ("request", "response") else side
            if k in NV_LISTS and isinstance(v, list):
                yield from _name_values(k, v, sub, here)
            elif k == "content" and isinstance(v, dict) and v.get("encoding") == "base64":
                yield from _base64_field(v, "text", f"{sub}.text")
                yield from _walk_except(v, "text", sub, here)
            elif k == "_webSocketMessages" and isinstance(v, list):
                yield from _websocket(v, sub)
            else:
                yield from _walk(node, k, sub, here)


def _walk_except(node: dict[str, Any], skip: str, path: str, side: str | None) -> Iterator[Leaf]:
    for k in node:
        if k != skip:
            yield from _walk(node, k, f"{path}.{k}", side)


def _name_values(list_name: str, items: list[Any], path: str, side: str | None) -> Iterator[Leaf]:
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            yield from _walk(items, i, f"{path}[{i}]", side)
            continue
        name, value = item["name"], item.get("value")
        where = f"{path}[{name}]"
        if isinstance(value, str):
            hits = merge(_by_name(list_name, name, value, side), scan_text(value))
            if hits:
                yield Leaf(item, "value", where, value, hits)
        for k in item:
            if k not in ("name", "value"):
                yield from _walk(item, k, f"{where}.{k}", side)


def _by_name(list_name: str, name: str, value: str, side: str | None) -> list[Hit]:
    if list_name == "headers":
        return header_hits(name, value)
    if list_name == "cookies":
        return whole("set-cookie" if side == "response" else "cookie", value)
    kind = name_kind(name)
    return whole(kind, value, decode=True) if kind else []


def _base64_field(node: dict[str, Any], key: str, path: str) -> Iterator[Leaf]:
    raw = node.get(key)
    if not isinstance(raw, str):
        return
    try:
        data = base64.b64decode(raw, validate=False)
    except (binascii.Error, ValueError):
        yield from _walk(node, key, path, None)
        return
    try:
        text, charset = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # latin-1 maps every byte, so re-encoding gives the original bytes back exactly.
        text, charset = data.decode("latin-1"), "latin-1"
    hits = scan_text(text)
    if hits:
        yield Leaf(node, key, path, text, hits, charset)


def _websocket(messages: list[Any], path: str) -> Iterator[Leaf]:
    for i, msg in enumerate(messages):
        sub = f"{path}[{i}]"
        if isinstance(msg, dict) and msg.get("opcode") == 2:
            yield from _base64_field(msg, "data", f"{sub}.data")
            yield from _walk_except(msg, "data", sub, None)
        else:
            yield from _walk(messages, i, sub, None)
