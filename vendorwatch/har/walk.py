"""Walk one HAR item (an entry, a page, ...) and report every string leaf that holds secrets.

Name/value lists (headers, cookies, queryString, postData.params) are judged by name first; every
string is then scanned by value. Base64 bodies and binary websocket frames are decoded and scanned;
what cannot be decoded as text (or has an unknown `encoding`) is, by default, replaced whole.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from vendorwatch.har.formats import looks_random
from vendorwatch.har.leaf import BIG, Leaf
from vendorwatch.har.markup import named_value, secretish
from vendorwatch.har.model import BINARY_BODY, BINARY_FRAME, PLACEHOLDER_RE, UNKNOWN_ENCODING
from vendorwatch.har.patterns import Hit, header_hits, whole
from vendorwatch.har.textscan import merge, scan_text

NV_LISTS = frozenset({"headers", "cookies", "queryString", "params"})
BASE64_RE = re.compile(r"[A-Za-z0-9+/=\s]*")
SNIFF = 65_536  # base64 characters decoded first to tell a big binary body from text


def walk_item(holder: list[Any], path: str, *, keep_binary: bool = False) -> Iterator[Leaf]:
    """Leaves with secrets in the HAR item holder[0]; a replaced top-level string lands in holder[0]."""
    yield from _Walker(keep_binary).walk(holder, 0, path, None)


@dataclass
class _Walker:
    keep_binary: bool

    def walk(self, container: Any, key: Any, path: str, side: str | None) -> Iterator[Leaf]:
        node = container[key]
        if isinstance(node, str):
            hits = scan_text(node)
            if hits:
                yield Leaf(container, key, path, node, hits)
        elif isinstance(node, list):
            for i in range(len(node)):
                yield from self.walk(node, i, f"{path}[{i}]", side)
        elif isinstance(node, dict):
            for k, v in node.items():
                sub = f"{path}.{k}" if path else k
                here = k if k in ("request", "response") else side
                if isinstance(v, list) and (k in NV_LISTS or _is_name_values(v)):
                    yield from self._name_values(k, v, sub, here)
                elif k == "content" and isinstance(v, dict) and isinstance(v.get("text"), str):
                    yield from self._content(v, sub, here)
                elif k == "_webSocketMessages" and isinstance(v, list):
                    yield from self._websocket(v, sub)
                else:
                    yield from self.walk(node, k, sub, here)

    def _except(self, node: dict[str, Any], skip: str, path: str, side: str | None) -> Iterator[Leaf]:
        for k in list(node):
            if k != skip:
                yield from self.walk(node, k, f"{path}.{k}", side)

    def _name_values(self, list_name: str, items: list[Any], path: str, side: str | None) -> Iterator[Leaf]:
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                yield from self.walk(items, i, f"{path}[{i}]", side)
                continue
            name, value = item["name"], item.get("value")
            where = f"{path}[{name}]"
            if isinstance(value, str):
                named = _by_name(list_name, name, value, side)
                # The list's own rule (cookie pairs, auth schemes) decides; other rules only fill the gaps.
                hits = merge(named + [h for h in scan_text(value) if not any(_overlap(h, n) for n in named)])
                if hits:
                    yield Leaf(item, "value", where, value, hits)
            for k in item:
                if k not in ("name", "value"):
                    yield from self.walk(item, k, f"{where}.{k}", side)

    def _content(self, content: dict[str, Any], path: str, side: str | None) -> Iterator[Leaf]:
        encoding = content.get("encoding")
        yield from self._except(content, "text", path, side)
        if encoding in (None, ""):
            yield from self.walk(content, "text", f"{path}.text", side)
        elif encoding == "base64":
            yield from self._base64(content, "text", f"{path}.text", BINARY_BODY)
        elif self.keep_binary:
            yield from self.walk(content, "text", f"{path}.text", side)
        else:
            yield from _dropped(content, "text", f"{path}.text", UNKNOWN_ENCODING, drop_key="encoding")

    def _base64(self, node: dict[str, Any], key: str, path: str, kind: str) -> Iterator[Leaf]:
        raw = node[key]
        if len(raw) > BIG and not self.keep_binary and not _text_start(raw):
            yield from _dropped(node, key, path, kind, as_base64=True)  # without decoding it all
            return
        try:
            # Some tools wrap base64 at 76 columns; anything else outside the alphabet is not base64.
            data = base64.b64decode(raw) if BASE64_RE.fullmatch(raw) else None
        except (binascii.Error, ValueError):
            data = None
        if data is None:
            if self.keep_binary:
                yield from self.walk(node, key, path, None)
            else:
                yield from _dropped(node, key, path, kind, as_base64=True)
            return
        try:
            text, charset = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            if not self.keep_binary:
                yield from _dropped(node, key, path, kind, as_base64=True)
                return
            # latin-1 maps every byte, so re-encoding gives the original bytes back exactly.
            text, charset = data.decode("latin-1"), "latin-1"
        del data
        hits = scan_text(text)
        if hits:
            yield Leaf(node, key, path, text, hits, charset)

    def _websocket(self, messages: list[Any], path: str) -> Iterator[Leaf]:
        for i, msg in enumerate(messages):
            sub = f"{path}[{i}]"
            if isinstance(msg, dict) and msg.get("opcode") == 2 and isinstance(msg.get("data"), str):
                yield from self._except(msg, "data", sub, None)
                yield from self._base64(msg, "data", f"{sub}.data", BINARY_FRAME)
            else:
                yield from self.walk(messages, i, sub, None)


def _dropped(node: dict[str, Any], key: str, path: str, kind: str, **how: Any) -> Iterator[Leaf]:
    """The whole value, which could not be read as text, replaced by one placeholder."""
    raw = node[key]
    if raw and not PLACEHOLDER_RE.fullmatch(raw):
        yield Leaf(node, key, path, raw, [Hit(kind, "", 0, len(raw), raw)], **how)


def _text_start(raw: str) -> bool:
    """True when the first SNIFF characters of a base64 string decode to UTF-8 text."""
    try:
        head = base64.b64decode(re.sub(r"\s", "", raw[:SNIFF])[: SNIFF // 8 * 4])
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return True


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _is_name_values(items: list[Any]) -> bool:
    """A list shaped like HAR headers/params (`_queryString`, tool-specific copies) is judged by name too."""
    return bool(items) and all(isinstance(i, dict) and "name" in i and "value" in i for i in items)


def _by_name(list_name: str, name: str, value: str, side: str | None) -> list[Hit]:
    low = list_name.lower()
    if "header" in low:
        # Any header with a secret-ish name and a random-looking value, beside the header rules.
        hits = header_hits(name, value)
        return hits or (whole("high-entropy", value) if secretish(name) and looks_random(value) else [])
    if "cookie" in low:
        return whole("set-cookie" if side == "response" else "cookie", value)
    kind = named_value(name, unquote_plus(value), oauth=True)
    return whole(kind, value, decode=True) if kind else []
