"""Name-based secrets inside free text: HTML inputs and meta tags, script and config assignments,
header lines (STOMP frames, multipart parts, raw HTTP), and tokens in URL path segments."""

from __future__ import annotations

import functools
import json
import re

from vendorwatch.har.formats import looks_random
from vendorwatch.har.patterns import OAUTH_CONTEXT_ONLY, Hit, header_hits, is_inert, name_kind, norm

# Parts of a name that make a random-looking value a secret (issue #17), matched on the normalised name.
SECRETISH = (
    "token",
    "secret",
    "pass",
    "key",
    "auth",
    "session",
    "sig",
    "ticket",
    "code",
    "otp",
    "pin",
    "csrf",
    "xsrf",
    "relay",
    "cred",
    "saml",
    "jwt",
    "bearer",
    "nonce",
    "cookie",
    "sid",
    "refresh",
)
TAG_RE = re.compile(r"<(?:input|meta|param|button|option)\b[^>]{0,4096}>", re.I)
ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
NAME_ATTRS = ("name", "id", "property", "http-equiv", "itemprop", "data-name")
VALUE_ATTRS = ("value", "content", "data-value")
ASSIGN_RE = re.compile(
    r"""(?<![\w.$@-])([A-Za-z0-9_$@][\w.$@-]{0,63})["']?[ \t]*[:=]\s*"""
    r"""(?:"((?:[^"\\\n]|\\.){1,8192})"|'((?:[^'\\\n]|\\.){1,8192})'|`([^`]{1,8192})`|([^\s"'`,;&<>{}()\[\]]{1,8192}))"""
)
HEADER_LINE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]{0,63})[ \t]*:[ \t]*([^\r\n]*)", re.M)
PATH_RE = re.compile(r"/([A-Za-z_-]{2,32})/([A-Za-z0-9._~%+=-]{8,1024})(?=[/?#\s\"'<>]|$)")
# Path words that precede a one-time link token (`/reset/<token>`, `/invite/<token>`), beside SECRETISH.
LINK_WORDS = frozenset(
    (
        "reset",
        "invite",
        "invitation",
        "verify",
        "verification",
        "confirm",
        "activate",
        "activation",
        "magic",
        "magiclink",
        "login",
        "signin",
        "sso",
        "callback",
        "share",
        "shared",
        "download",
        "unsubscribe",
        "recover",
        "recovery",
        "approve",
        "oauth",
        "saml",
        "enroll",
        "onboarding",
    )
)
# JSON inside a JSON string: `{\"access_token\": \"...\"}` in the raw text of a body.
ESCAPED_KV_RE = re.compile(r'\\"([^"\\]{1,64})\\"\s*:\s*\\"((?:[^"\\]|\\\\(?!"))*)\\"')
# `localStorage.setItem("token", "...")`, `sessionStorage.setItem(...)`, `cookies.set(...)`.
STORE_RE = re.compile(r"""\.(?:setItem|set)\(\s*["'`]([^"'`]{1,64})["'`]\s*,\s*["'`]([^"'`\n]{1,8192})["'`]""")
# XML elements holding a value: `<wsse:Password>...</wsse:Password>`, `<access_token>...</access_token>`.
XML_RE = re.compile(r"<(?:[\w.-]{1,32}:)?([\w.-]{1,64})(?:\s[^<>]{0,2048})?>([^<>]{1,8192})</(?:[\w.-]{1,32}:)?\1>")
# A named part of a multipart body: its headers, a blank line, then the value.
MULTIPART_RE = re.compile(r'\bname="([^"\r\n]{1,128})"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n){0,8}\r?\n([^\r\n]{1,8192})')


@functools.lru_cache(maxsize=4096)  # bodies repeat the same few keys thousands of times
def secretish(name: str) -> bool:
    """True when a name suggests a secret (token, key, session, code, ...)."""
    n = norm(name)
    return any(part in n for part in SECRETISH)


def named_value(name: str, value: str, oauth: bool) -> str | None:
    """Kind of secret `value` is under `name`: a name rule, or a secret-ish name with a random value."""
    kind = name_kind(name)
    if kind and (oauth or norm(name) not in OAUTH_CONTEXT_ONLY):
        return None if is_inert(value) else kind
    return "high-entropy" if secretish(name) and looks_random(value) else None


def markup_hits(text: str, oauth: bool) -> list[Hit]:
    """Secrets in HTML tags, assignments, header lines and URL paths of a text."""
    hits = _tags(text) + _pairs(XML_RE, text, oauth) if "<" in text else []
    if "\n" in text or text[:1].isalpha():
        hits += _header_lines(text)
    if "/" in text:
        hits += [
            Hit("path-token", "/" + m.group(1), m.start(2), m.end(2), m.group(2))
            for m in PATH_RE.finditer(text)
            if _link_word(m.group(1)) and looks_random(m.group(2))
        ]
    for regex, marker in ((ESCAPED_KV_RE, '\\"'), (MULTIPART_RE, 'name="'), (STORE_RE, "set")):
        if marker in text:
            hits += _pairs(regex, text, oauth)
    return hits


def _pairs(regex: re.Pattern[str], text: str, oauth: bool) -> list[Hit]:
    """Hits for a regex whose group 1 is a name and group 2 its value."""
    hits = []
    for m in regex.finditer(text):
        kind = named_value(m.group(1), m.group(2), oauth)
        if kind:
            hits.append(Hit(kind, m.group(1), m.start(2), m.end(2), m.group(2)))
    return hits


def _link_word(segment: str) -> bool:
    return secretish(segment) or norm(segment) in LINK_WORDS


def _tags(text: str) -> list[Hit]:
    hits = []
    for tag in TAG_RE.finditer(text):
        attrs = {m.group(1).lower(): m for m in ATTR_RE.finditer(tag.group())}
        name = next((_val(attrs[a])[0] for a in NAME_ATTRS if a in attrs), None)
        value_attr = next((attrs[a] for a in VALUE_ATTRS if a in attrs), None)
        if name is None or value_attr is None:
            continue
        value, group = _val(value_attr)
        kind = named_value(name, value, oauth=True)
        if kind:
            start = tag.start() + value_attr.start(group)
            hits.append(Hit(kind, f"<{name}>", start, start + len(value), value))
    return hits


def _val(m: re.Match[str]) -> tuple[str, int]:
    group = next(g for g in (2, 3, 4) if m.group(g) is not None)
    return m.group(group), group


def assignments(text: str, oauth: bool) -> list[Hit]:
    """`name: value` and `name = value` pairs (JSON, JS, YAML, INI, shell, STOMP) judged by name.

    The hit's label is the name; a double-quoted value has its JSON escapes undone (`\\/`) so a token
    gets the same fingerprint here as anywhere else."""
    if ":" not in text and "=" not in text:
        return []
    hits = []
    for m in ASSIGN_RE.finditer(text):
        group = m.lastindex or 2  # the one value alternative that matched is the last group
        value = m.group(group)
        kind = named_value(m.group(1), value, oauth)
        if kind:
            secret = _unescape(value) if group == 2 and "\\" in value else value
            hits.append(Hit(kind, m.group(1), m.start(group), m.end(group), secret))
    return hits


def _unescape(raw: str) -> str:
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _header_lines(text: str) -> list[Hit]:
    hits = []
    for m in HEADER_LINE_RE.finditer(text):
        for h in header_hits(m.group(1), m.group(2)):
            hits.append(Hit(h.kind, m.group(1), m.start(2) + h.start, m.start(2) + h.end, h.secret))
    return hits
