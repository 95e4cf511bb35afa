"""Checks run on fetched bytes before any XML parser sees them (PITFALLS.md, feedparser)."""

from __future__ import annotations

import re
from typing import Any

from feedparser.encodings import convert_to_utf8

from connectors.base import SourceError

# An internal DTD subset is where entities are declared; quoted strings may hide a '>'.
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_INTERNAL_SUBSET = re.compile(rb"""<!DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*\[""", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_DOCTYPE_DECL = rb"""<!DOCTYPE(?:[^>"']|"[^"]*"|'[^']*')*>"""
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|" + _DOCTYPE_DECL + rb")", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)")
_HTML_DOCTYPE = re.compile(rb"<!DOCTYPE\s+html", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<\w")  # where feedparser stops looking for declarations (api.replace_doctype)


def _decoded_views(body: bytes, headers: dict[str, str]) -> list[bytes]:
    """The raw bytes and the UTF-8 text feedparser will actually parse (UTF-16, UTF-7, EBCDIC...)."""
    scratch: dict[str, Any] = {}
    try:
        converted = convert_to_utf8(dict(headers), body, scratch)
    except Exception:  # a decoding failure must not crash us; the raw check still applies
        return [body]
    return [body, converted] if converted != body else [body]


def refuse_entities(body: bytes, headers: dict[str, str]) -> None:
    """Raise SourceError when the document declares entities (internal DTD subset or <!ENTITY)."""
    for view in _decoded_views(body, headers):
        # Entities can only be declared in the prolog, before the first element: an article quoting
        # "<!ENTITY xxe SYSTEM ...>" in its text must not get its whole feed refused.
        first = _FIRST_ELEMENT.search(view)
        prolog = view[: first.start()] if first else view
        doctype = _DOCTYPE.search(prolog)
        if _ENTITY.search(prolog) or (doctype and _INTERNAL_SUBSET.match(prolog, doctype.start())):
            raise SourceError("refused: document declares entities")


def root_element(body: bytes) -> str:
    """Lower-cased local name of the first element, skipping BOM, XML declaration, comments, doctype."""
    head = body[:65536].lstrip(b"\xef\xbb\xbf")
    if b"\x00" in head[:4]:  # UTF-16/32: good enough for sniffing ASCII markup
        head = head.replace(b"\x00", b"")
    pos = 0
    while match := _PROLOG.match(head, pos):
        if match.end() == pos:
            break
        pos = match.end()
    root = _ROOT.match(head, pos)
    return root.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower() if root else ""


def refuse_html(body: bytes) -> None:
    """Raise SourceError when the body is an HTML page rather than a feed."""
    root = root_element(body)  # an XHTML doctype in front of <rss> is a sloppy feed, not a page
    if root == "html" or (not root and _HTML_DOCTYPE.search(body[:4096])):
        raise SourceError("not a feed (HTML page)")
