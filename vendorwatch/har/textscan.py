"""Scan any string for secrets: URL/form parameters, JSON key-value pairs, markup, credential formats.

Parameter values that are themselves URL-encoded (`fromURI=https%3A%2F%2F...%3Faccess_token%3D...`) are
decoded and scanned again, and each secret found is mapped back to its encoded span.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from vendorwatch.har.formats import format_hits
from vendorwatch.har.markup import assignments, markup_hits, named_value
from vendorwatch.har.patterns import OAUTH_CONTEXT_RE, PARAM_RE, Hit, is_inert

# Parsing a body only to name paths costs ~2x its size in memory; past this, locations say `$..key`.
PATHS_MAX_CHARS = 4_000_000


MAX_DEPTH = 3  # URL-encoding levels undone inside parameter values


def scan_text(text: str, depth: int = 0) -> list[Hit]:
    """All secrets in a string by name and pattern, without overlaps, in text order."""
    if len(text) < 3:
        return []
    oauth = OAUTH_CONTEXT_RE.search(text) is not None
    # Names first (they say what a secret is for), then formats, then the looser markup rules.
    named = _param_hits(text, oauth) + _labelled(text, assignments(text, oauth))
    found = merge(named, format_hits(text), markup_hits(text, oauth))
    if depth < MAX_DEPTH and "%" in text:
        found = merge(found, _nested(text, depth))
    return _echoes(text, found)


def _nested(text: str, depth: int) -> list[Hit]:
    """Secrets inside URL-encoded parameter values, with spans in the raw text."""
    hits = []
    for m in PARAM_RE.finditer(text):
        raw = m.group(2)
        if "%" not in raw:
            continue
        for inner in scan_text(unquote_plus(raw), depth + 1):
            spans = [_find(raw, form) for form in _encoded_forms(inner.secret)]
            start, end = next((s for s in spans if s), (0, len(raw)))  # not found as such: the whole value
            hits.append(
                Hit(inner.kind, f"{m.group(1)}>{inner.label}", m.start(2) + start, m.start(2) + end, inner.secret)
            )
    return hits


def _encoded_forms(secret: str) -> list[str]:
    once = [quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret, safe="-_.~"), secret]
    return once + [quote(f, safe="") for f in once[:2]]


def _find(raw: str, form: str) -> tuple[int, int] | None:
    i = raw.find(form)
    if i < 0:
        i = raw.lower().find(form.lower())  # %2f vs %2F
    return (i, i + len(form)) if i >= 0 else None


def _echoes(text: str, hits: list[Hit]) -> list[Hit]:
    """Add every other copy of a found secret (8+ characters) in the same string, e.g. an echoed token."""
    extra = []
    for h in hits:
        if len(h.secret) < 8:
            continue
        i = text.find(h.secret)
        while i >= 0:
            extra.append(Hit(h.kind, h.label, i, i + len(h.secret), h.secret))
            i = text.find(h.secret, i + len(h.secret))
    return merge(hits, extra) if extra else hits


def merge(*lists: list[Hit]) -> list[Hit]:
    """Combine hit lists without overlaps, in text order: a hit inside another goes (the wider span
    covers it, e.g. a SAML element over names in it); on partial overlaps the earlier list wins."""
    ranked = sorted(
        ((h, rank) for rank, hits in enumerate(lists) for h in hits),
        key=lambda hr: (hr[0].start, hr[0].start - hr[0].end, hr[1]),
    )
    kept: list[tuple[Hit, int]] = []
    for h, rank in ranked:
        if kept and h.start < kept[-1][0].end:
            last, last_rank = kept[-1]
            if h.end > last.end and rank < last_rank:  # partial overlap, and h's rule ranks higher
                kept[-1] = (h, rank)
            continue
        kept.append((h, rank))
    return [h for h, _ in kept]


def _param_hits(text: str, oauth: bool) -> list[Hit]:
    if "=" not in text:
        return []
    hits = []
    for m in PARAM_RE.finditer(text):
        raw = m.group(2)
        kind = named_value(unquote_plus(m.group(1)), unquote_plus(raw), oauth=True)
        if kind is None or is_inert(unquote_plus(raw)):
            continue
        before = text[: m.start()]
        mark = "#" if before.rfind("#") > before.rfind("?") else "?"
        hits.append(Hit(kind, mark + m.group(1), m.start(2), m.end(2), unquote_plus(raw)))
    return hits


def _labelled(text: str, hits: list[Hit]) -> list[Hit]:
    """In a JSON document, label each `key: value` hit with its JSON path (`$.tokens.refresh_token`)."""
    if not hits or text.lstrip()[:1] not in ("{", "["):
        return hits
    paths = _json_paths(text, {(h.label, h.secret) for h in hits})
    return [Hit(h.kind, paths.get((h.label, h.secret), f"$..{h.label}"), h.start, h.end, h.secret) for h in hits]


def unescape(raw: str) -> str | None:
    """A JSON string's raw content with its escapes undone, or None if they are invalid."""
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
