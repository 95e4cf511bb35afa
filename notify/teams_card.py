"""Pure rendering of an Alert into a Microsoft Teams message carrying one Adaptive Card (1.4).

Teams renders a Markdown subset in TextBlock text and in FactSet titles and values, so every piece of feed
text is escaped there: `[label](url)` links, `**bold**`, lists, headings, `<at>` mentions and entities from a
feed show as the characters they are. Links are only ours (Action.OpenUrl, http(s) URLs we checked) and there
are no mentions: a Teams mention needs an Entra user id the registry does not hold.
"""

from __future__ import annotations

import json
import re
from typing import Any

from notify.base import Alert, AlertField
from notify.text import one_line, safe_links, strip_controls, truncate

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"  # what Teams renders on every client; nothing here needs more
TITLE_MAX = 200
TEXT_MAX = 3000  # a webhook message may be about 28 KB in all: the card stays well below it
FACTS_MAX = 20
FACT_TITLE_MAX = 40
FACT_VALUE_MAX = 500
ACTIONS_MAX = 5  # link buttons; Teams shows up to six actions in a row
ACTION_TITLE_MAX = 60
MESSAGE_BUDGET = 24 * 1024  # bytes of JSON: escaping (and JSON's own) can triple feed text, so sizes are measured

# The characters that open a Markdown construct anywhere in a line (emphasis, code, links and images, raw
# HTML and <at> mentions, entities, tables, strike-through), backslash-escaped as CommonMark allows; `(`, `)`
# and `!` only act next to an (escaped) bracket. List and heading markers act only at a line's start. A
# Markdown line break needs two trailing spaces, so kept newlines become paragraph breaks (`\n\n`).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#~&|])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)

Element = dict[str, Any]


def escape(text: str) -> str:
    """Untrusted text for a TextBlock or Fact: controls removed, every Markdown character backslash-escaped."""
    return _LINE_START.sub(_marker, _MARKDOWN.sub(r"\\\1", strip_controls(text)))


def _marker(match: re.Match[str]) -> str:
    lead, marker = match.groups()
    # `1.` becomes `1\.` (the dot is what makes a list), `-` becomes `\-`.
    return f"{lead}{marker}\\" if marker[0].isdigit() else f"{lead}\\{marker}"


def _block(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _paragraphs(text: str, limit: int) -> str:
    """Escaped text within `limit` characters, cut before escaping so no escape is split; one paragraph a line."""
    lines = [line.strip() for line in strip_controls(text).splitlines() if line.strip()]
    return "\n\n".join(escape(line) for line in truncate("\n".join(lines), limit).splitlines())


def _facts(alert: Alert, scale: float) -> list[Element]:
    given = {f.label.strip().lower() for f in alert.fields}
    pairs = [] if "severity" in given else [AlertField("Severity", alert.severity)]
    if alert.vendor and "vendor" not in given:
        pairs.append(AlertField("Vendor", alert.vendor))
    pairs.extend(alert.fields)
    facts = [
        {
            "title": escape(truncate(one_line(f.label), FACT_TITLE_MAX)),
            "value": _paragraphs(f.value, max(int(FACT_VALUE_MAX * scale), 1)) or "-",
        }
        for f in pairs[:FACTS_MAX]
    ]
    return [{"type": "FactSet", "facts": facts}] if facts else []


def _actions(alert: Alert) -> list[Element]:
    links = safe_links(alert.url, alert.links)[:ACTIONS_MAX]
    return [
        {"type": "Action.OpenUrl", "title": truncate(one_line(label), ACTION_TITLE_MAX) or "link", "url": url}
        for label, url in links
    ]


def card(alert: Alert, scale: float = 1.0) -> Element:
    """The Adaptive Card for an alert: a label line, the title, the text, the facts, and link buttons.

    `scale` shrinks the text and fact limits (see message).
    """
    context = alert.heading if alert.notice else f"{alert.heading} · {alert.severity.upper()}"
    if alert.kind != "root" and alert.incident_id:
        context += f" · incident #{alert.incident_id}"  # no threads on a webhook: say which incident it is about
    body: list[Element] = [
        _block(escape(context), isSubtle=True, size="Small", weight="Bolder"),
        _block(escape(truncate(one_line(alert.title), TITLE_MAX)) or "Incident", size="Medium", weight="Bolder"),
    ]
    if alert.kind != "update" and alert.text.strip():  # an update repeats the root's facts, not its story
        body.append(_block(_paragraphs(alert.text, max(int(TEXT_MAX * scale), 1))))
    body.extend(_facts(alert, scale))
    content: Element = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions := _actions(alert):
        content["actions"] = actions
    return content


def message(alert: Alert) -> Element:
    """What an Incoming Webhook or a Workflows "post to a channel" flow takes: a message with the card attached.

    Text and facts are cut further until the JSON fits MESSAGE_BUDGET (Teams refuses more than about 28 KB).
    """
    for scale in (1.0, 0.5, 0.25, 0.1, 0.05):
        envelope = _envelope(alert, scale)
        if len(json.dumps(envelope, separators=(",", ":")).encode()) <= MESSAGE_BUDGET:
            break
    return envelope


def _envelope(alert: Alert, scale: float) -> Element:
    return {
        "type": "message",
        "attachments": [{"contentType": CONTENT_TYPE, "contentUrl": None, "content": card(alert, scale)}],
    }
