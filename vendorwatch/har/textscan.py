"""Scan any string for secrets: URL/form parameters, JSON key-value pairs, JWTs and provider keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

from vendorwatch.har.patterns import (
    JSON_KV_RE,
    JWT_RE,
    OAUTH_CONTEXT_ONLY,
    OAUTH_CONTEXT_RE,
    PARAM_RE,
    PROVIDER_KEY_RE,
    Hit,
    is_inert,
    name_kind,
    norm,
)

# Parsing a body only to name paths costs ~2x its size in memory; past this, locations say `$..key`.
PATHS_MAX_CHARS = 4_000_000


def scan_text(text: str) -> list[Hit]:
    """All secrets in a string by name and pattern, without overlaps, in text order."""
    if len(text) < 8:
        return []
    named = _param_hits(text) + _json_hits(text)
    patterned = [Hit("jwt", "jwt", m.start(), m.end(), m.group()) for m in JWT_RE.finditer(text)]
    patterned += [Hit("api-key", "key", m.start(), m.end(), m.group()) for m in PROVIDER_KEY_RE.finditer(text)]
    return merge(named, patterned)


def merge(first: list[Hit], *more: list[Hit]) -> list[Hit]:
    """Combine hit lists; earlier lists win where spans overlap."""
    kept: list[Hit] = []
    for hits in (first, *more):
        for h in hits:
            if all(h.end <= k.start or h.start >= k.end for k in kept):
                kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def _param_hits(text: str) -> list[Hit]:
    if "=" not in text:
        return []
    hits = []
    for m in PARAM_RE.finditer(text):
        kind = name_kind(unquote_plus(m.group(1)))
        raw = m.group(2)
        if kind is None or is_inert(unquote_plus(raw)):
            continue
        before = text[: m.start()]
        mark = "#" if before.rfind("#") > before.rfind("?") else "?"
        hits.append(Hit(kind, mark + m.group(1), m.start(2), m.end(2), unquote_plus(raw)))
    return hits


def _json_hits(text: str) -> list[Hit]:
    if '":' not in text and '" :' not in text:
        return []
    oauth = OAUTH_CONTEXT_RE.search(text) is not None
    found: list[tuple[str, str, int, int, str]] = []
    for m in JSON_KV_RE.finditer(text):
        name = m.group(1)
        kind = name_kind(name)
        if kind is None or (norm(name) in OAUTH_CONTEXT_ONLY and not oauth):
            continue
        value = _unescape(m.group(2))
        if value is not None and not is_inert(value):
            found.append((kind, name, m.start(2), m.end(2), value))
    if not found:
        return []
    paths = _json_paths(text, {(name, value) for _, name, _, _, value in found})
    return [Hit(k, paths.get((n, v), f"$..{n}"), s, e, v) for k, n, s, e, v in found]


def _unescape(raw: str) -> str | None:
    if "\\" not in raw:
        return raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _json_paths(text: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Map (key, value) pairs to their JSON path when the text is a JSON document."""
    if len(text) > PATHS_MAX_CHARS or text.lstrip()[:1] not in ("{", "["):
        return {}
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    paths: dict[tuple[str, str], str] = {}
    for path, key, value in _walk_json(doc, "$"):
        if (key, value) in wanted:
            paths.setdefault((key, value), path)
            if len(paths) == len(wanted):
                break
    return paths


def _walk_json(node: Any, path: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}.{k}"
            if isinstance(v, str):
                yield sub, k, v
            else:
                yield from _walk_json(v, sub)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_json(v, f"{path}[{i}]")
