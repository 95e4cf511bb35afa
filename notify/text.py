"""Channel-neutral text hygiene: control characters, truncation and safe link targets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ELLIPSIS = "…"

# C0/C1 controls (ANSI escapes, bells, backspaces) would let feed text rewrite a terminal or a
# mail client's rendering; newlines and tabs are kept because summaries are multi-line.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# Whole ANSI sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`) go, not just their ESC byte.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def strip_controls(text: str) -> str:
    """Remove ANSI sequences, control and bidi-override characters, keeping newlines and tabs."""
    text = _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """Collapse all whitespace (including newlines) to single spaces, for titles and headers."""
    return " ".join(strip_controls(text).split())


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending in an ellipsis when something was cut."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def safe_url(url: str | None, *, max_len: int = 500) -> str | None:
    """Return `url` if it is an absolute http(s) URL of sane length, else None."""
    if not url:
        return None
    url = url.strip()
    if len(url) > max_len or _CONTROLS.search(url) or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def safe_links(url: str | None, links: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(label, url) pairs for an alert's source `url` and extra `links`: safe http(s) URLs, each once."""
    pairs = [("Source", url), *links] if url else list(links)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for label, raw in pairs:
        target = safe_url(raw)
        if target is not None and target not in seen:  # the source often reappears among the links
            seen.add(target)
            out.append((label, target))
    return out
