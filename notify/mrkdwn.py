"""Slack mrkdwn for untrusted text: escaping, links we build, mentions and Block Kit limits.

Slack parses `&`, `<` and `>` as control characters in every text object, so feed text is
escaped (`&` first) before it goes anywhere near a message; only links and mentions we
build ourselves contain a raw `<`.
"""

from __future__ import annotations

import logging
import re

from notify.text import ELLIPSIS, one_line, safe_url, strip_controls

logger = logging.getLogger(__name__)

# Block Kit limits (https://api.slack.com/reference/block-kit): a section's text and a header's
# plain_text; per-field text; blocks per message. TOTAL_BUDGET keeps us well below the
# ~13k characters where Slack answers msg_blocks_too_long (PITFALLS: slack-sdk).
SECTION_MAX = 3000
HEADER_MAX = 150
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_ELEMENTS_MAX = 10
MAX_BLOCKS = 50
TOTAL_BUDGET = 11000

_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")


def escape(text: str) -> str:
    """Escape untrusted text for mrkdwn and plain_text: `&` first, then `<` and `>`."""
    text = strip_controls(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_truncated(text: str, limit: int, *, single_line: bool = False) -> str:
    """Escape `text` and cut the result to `limit` characters without splitting an entity."""
    escaped = escape(one_line(text) if single_line else text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    # An entity cut in half (`&am`) would render as garbage; drop the fragment.
    cut = _ENTITY_TAIL.sub("", cut)
    return cut.rstrip() + ELLIPSIS


def _encode_url(url: str) -> str:
    # `|` would end the URL part of <url|label>; `<` and `>` would close or open a new token.
    return url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")


def link(url: str | None, label: str, *, label_max: int = 100) -> str:
    """A mrkdwn link `<url|label>` for http(s) URLs; any other URL yields the escaped label only."""
    text = escape_truncated(label, label_max, single_line=True) or "link"
    target = safe_url(url)
    if target is None:
        return text
    return f"<{_encode_url(target)}|{text}>"


def mention(owner_id: str) -> str:
    """Render a trusted Slack user (U…/W…) or user-group (S…) id as a mention.

    Anything else is shown escaped and pings nobody.
    """
    if _USER_ID.match(owner_id):
        return f"<@{owner_id}>"
    if _GROUP_ID.match(owner_id):
        return f"<!subteam^{owner_id}>"
    logger.warning("mention %r is not a Slack user or group id; shown as text", owner_id[:40])
    return escape(owner_id)
