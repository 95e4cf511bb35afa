"""Alerts as readable plain text on a stream: what the demo shows when no Slack token is set."""

from __future__ import annotations

import shutil
import sys
import textwrap
import threading
from collections.abc import Mapping
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from notify.base import Alert, Receipt
from notify.text import one_line, safe_links, strip_controls, truncate

BULLET = "  - "  # a list entry; its wrapped lines hang under its text, so each entry reads as one


class ConsoleSettings(BaseModel):
    """Console output options."""

    model_config = ConfigDict(frozen=True)

    width: int | None = Field(default=None, ge=40, le=300)  # None: the terminal's width (COLUMNS, else 80)
    max_text: int = Field(default=2000, ge=100)


def render_text(alert: Alert, *, width: int = 78, max_text: int = 2000) -> str:
    """Plain-text rendering; control characters from feed text are removed so they cannot drive a terminal."""
    rule = "=" * width if alert.kind == "root" else "-" * width
    indent = "" if alert.kind == "root" else "  | "
    # A root tied to no incident (a daily digest, a review reminder) is a notice, not a new incident.
    # A notice's title says what it is about ("[DAILY DIGEST] ...: 3 tasks overdue").
    head = "[NOTICE]" if alert.notice else f"[{alert.heading}] {alert.severity.upper()}"
    if alert.vendor:
        head += f" · {one_line(alert.vendor)}"
    lines = [head, one_line(alert.title)]
    if alert.kind == "update":  # the root message rewritten in place: only what changed matters here
        return _framed(rule, indent, [*lines, _facts_line(alert)], width)
    body = truncate(strip_controls(alert.text).strip(), max_text)
    if body:
        lines += ["", *body.splitlines()]
    facts = [(f.label, f.value) for f in alert.fields]
    facts += safe_links(alert.url, alert.links)
    if alert.mentions:
        facts.append(("Owners", ", ".join(alert.mentions)))
    if facts:
        lines.append("")
        lines += [line for label, value in facts for line in _fact(label, value)]
    return _framed(rule, indent, lines, width)


def _entries(value: str) -> list[str]:
    return [one_line(entry) for entry in strip_controls(value).splitlines() if entry.strip()]


def _fact(label: str, value: str) -> list[str]:
    """`Label: value`, or for a list (one entry a line, e.g. Affected) the label, then one bullet per entry."""
    entries = _entries(value)
    if len(entries) <= 1:
        return [f"{one_line(label)}: {one_line(value)}"]
    return [f"{one_line(label)}:", *(f"{BULLET}{entry}" for entry in entries)]


def _framed(rule: str, indent: str, lines: list[str], width: int) -> str:
    """The rule, then each line wrapped to `width` with the thread gutter on every wrapped line too."""
    # URLs are never broken: a link split over two lines can no longer be clicked or copied.
    wrap = textwrap.TextWrapper(width=width - len(indent), break_long_words=False, break_on_hyphens=False)

    def wrapper(line: str) -> textwrap.TextWrapper:
        # Our list entries and a text's own bullets ("• ...", as digests write them) hang under their first line.
        lead = len(BULLET) if line.startswith(BULLET) else 2 if line.startswith("• ") else 0
        if not lead:
            return wrap
        return textwrap.TextWrapper(
            width=width - len(indent), break_long_words=False, break_on_hyphens=False, subsequent_indent=" " * lead
        )

    body = [indent + part for line in lines for part in (wrapper(line).wrap(line) or [""])]
    return "\n".join([rule, *(part.rstrip() if part.strip() == indent.strip() else part for part in body), ""])


def terminal_width() -> int:
    """The width alerts wrap to when none is configured: the terminal's, within 40..300 columns."""
    return min(max(shutil.get_terminal_size((80, 24)).columns, 40), 300)


def _facts_line(alert: Alert) -> str:
    return "; ".join(f"{one_line(f.label)}: {' · '.join(_entries(f.value))}" for f in alert.fields)


class ConsoleChannel:
    """Writes alerts to a text stream (stdout by default). See Channel.send; refs are synthetic."""

    name = "console"

    def __init__(self, settings: ConsoleSettings | None = None, *, stream: TextIO | None = None) -> None:
        self.settings = settings or ConsoleSettings()
        self._stream = stream
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ConsoleChannel:
        """Build from a settings mapping (TOML table merged with secrets from the environment)."""
        return cls(ConsoleSettings.model_validate(config))

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """Print the alert; the ref is `console:<delivery_id>` so updates and replies can refer to it."""
        width = self.settings.width or terminal_width()
        text = render_text(alert, width=width, max_text=self.settings.max_text)
        stream = self._stream or sys.stdout
        with self._lock:  # one alert's lines stay together when dispatch runs in threads
            stream.write(text)
            stream.flush()
        return Receipt(channel=self.name, ref=f"console:{delivery_id}")
