"""Pure rendering of an Alert into Slack Block Kit blocks plus a plain-text fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notify.base import Alert, AlertField
from notify.mrkdwn import (
    CONTEXT_ELEMENTS_MAX,
    FIELDS_PER_SECTION,
    HEADER_MAX,
    MAX_BLOCKS,
    SECTION_MAX,
    TOTAL_BUDGET,
    escape_truncated,
    link,
    mention,
)
from notify.text import safe_links, safe_url

Block = dict[str, Any]

FALLBACK_MAX = 300
LINKS_MAX = 5
MENTIONS_MAX = 10


@dataclass(frozen=True)
class SlackMessage:
    """What goes into chat.postMessage / chat.update: blocks and the notification fallback."""

    text: str
    blocks: list[Block]


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not auto-link bare URLs or channel names found in feed text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _fields(alert: Alert) -> list[list[Block]]:
    given = {f.label.strip().lower() for f in alert.fields}
    pairs = [] if "severity" in given else [AlertField("Severity", alert.severity)]
    if alert.vendor and "vendor" not in given:  # callers may supply richer Vendor/Severity fields
        pairs.append(AlertField("Vendor", alert.vendor))
    pairs.extend(alert.fields)
    cells = [
        _mrkdwn(f"*{escape_truncated(f.label, 40, single_line=True)}*\n{escape_truncated(f.value, 300)}")
        for f in pairs[: 2 * FIELDS_PER_SECTION]
    ]
    # A section holds at most 10 fields: a rich root takes two.
    return [cells[i : i + FIELDS_PER_SECTION] for i in range(0, len(cells), FIELDS_PER_SECTION)]


def _context(alert: Alert) -> list[Block]:
    links = safe_links(alert.url, alert.links)[:LINKS_MAX]
    elements = [_mrkdwn(link(url, label)) for label, url in links]
    if alert.mentions:
        owners = " ".join(mention(m) for m in alert.mentions[:MENTIONS_MAX])
        elements.append({"type": "mrkdwn", "text": f"Owners: {owners}"})
    if not elements:
        return []
    return [{"type": "context", "elements": elements[:CONTEXT_ELEMENTS_MAX]}]


# action_id -> button label; the button's value names our entity ("incident:12", "task:34").
INCIDENT_ACTIONS = {"vw_acknowledge": "Acknowledge", "vw_not_affected": "Not affected"}
TASK_ACTIONS = {"vw_done": "Done", "vw_not_affected": "Not affected", "vw_snooze": "Snooze 4 h"}


def _button(action_id: str, label: str, value: str) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": label, "emoji": False},
    }
    if action_id == "vw_done":
        button["style"] = "primary"
    return button


def _actions(alert: Alert) -> list[Block]:
    """Buttons for a root (on the incident) or a reminder (on its task), when the dashboard is public."""
    base = safe_url(alert.actions_url)
    if base is None:
        return []
    if alert.task_id:
        target, anchor, actions = f"task:{alert.task_id}", f"task-{alert.task_id}", TASK_ACTIONS
    elif alert.kind != "reply" and alert.incident_id:
        target, anchor, actions = f"incident:{alert.incident_id}", f"incident-{alert.incident_id}", INCIDENT_ACTIONS
    else:
        return []  # a plain thread reply, or a message tied to no incident: nothing to act on
    elements = [_button(action_id, label, target) for action_id, label in actions.items()]
    elements.append(
        {
            "type": "button",
            "action_id": "vw_open",
            "value": target,
            "url": f"{base.rstrip('/')}/#{anchor}",
            "text": {"type": "plain_text", "text": "Open in dashboard", "emoji": False},
        }
    )
    return [{"type": "actions", "block_id": f"vw:{target}", "elements": elements}]


def _chars(blocks: list[Block]) -> int:
    total = 0
    for block in blocks:
        items = [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        total += sum(len(item["text"]) for item in items if item)
    return total


def render(alert: Alert) -> SlackMessage:
    """Render an alert; every piece of alert text is escaped and cut to Block Kit limits."""
    fallback = f"[{alert.severity.upper()}] {alert.vendor + ': ' if alert.vendor else ''}{alert.title}"
    blocks: list[Block] = []
    if alert.kind == "reply":
        title_line = f"*{escape_truncated(alert.title, HEADER_MAX, single_line=True)}*"
    else:
        header = escape_truncated(alert.title, HEADER_MAX, single_line=True) or "Incident"
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}})
        title_line = ""
    blocks.extend({"type": "section", "fields": cells} for cells in _fields(alert))
    blocks.extend(_context(alert))
    # The body gets whatever the total budget leaves, capped at a section's limit.
    room = min(SECTION_MAX, TOTAL_BUDGET - _chars(blocks)) - len(title_line) - 1
    body = escape_truncated(alert.text, max(room, 1)) if alert.text.strip() else ""
    body_text = "\n".join(part for part in (title_line, body) if part)
    if body_text:
        blocks.insert(1 if alert.kind != "reply" else 0, {"type": "section", "text": _mrkdwn(body_text)})
    buttons = _actions(alert)
    blocks = blocks[: MAX_BLOCKS - len(buttons)] + buttons
    return SlackMessage(text=escape_truncated(fallback, FALLBACK_MAX, single_line=True), blocks=blocks)
