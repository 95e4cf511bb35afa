"""Alerts as readable plain text on a stream: what the demo shows when no Slack token is set."""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from notify.base import Alert, Receipt
from notify.text import one_line, safe_links, strip_controls, truncate

_HEADINGS = {"root": "NEW INCIDENT", "update": "UPDATED", "reply": "FOLLOW-UP"}


class ConsoleSettings(BaseModel):
    """Console output options."""

    model_config = ConfigDict(frozen=True)

    width: int = Field(default=78, ge=40, le=300)
    max_text: int = Field(default=2000, ge=100)


def render_text(alert: Alert, *, width: int = 78, max_text: int = 2000) -> str:
    """Plain-text rendering; control characters from feed text are removed so they cannot drive a terminal."""
    rule = "=" * width if alert.kind == "root" else "-" * width
    indent = "" if alert.kind == "root" else "  | "
    head = f"[{_HEADINGS[alert.kind]}] {alert.severity.upper()}"
    if alert.vendor:
        head += f" · {one_line(alert.vendor)}"
    lines = [head, one_line(alert.title)]
    if alert.kind == "update":  # the root message rewritten in place: only what changed matters here
        return "\n".join([rule, *(indent + line for line in lines), indent + _facts_line(alert), ""])
    body = truncate(strip_controls(alert.text).strip(), max_text)
    if body:
        lines += ["", *body.splitlines()]
    facts = [(f.label, f.value) for f in alert.fields]
    facts += safe_links(alert.url, alert.links)
    if alert.mentions:
        facts.append(("Owners", ", ".join(alert.mentions)))
    if facts:
        lines.append("")
        lines += [f"{one_line(label)}: {one_line(value)}" for label, value in facts]
    return "\n".join([rule, *(indent + line for line in lines), ""])


def _facts_line(alert: Alert) -> str:
    return "; ".join(f"{one_line(f.label)}: {one_line(f.value)}" for f in alert.fields)


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
        text = render_text(alert, width=self.settings.width, max_text=self.settings.max_text)
        stream = self._stream or sys.stdout
        with self._lock:  # one alert's lines stay together when dispatch runs in threads
            stream.write(text)
            stream.flush()
        return Receipt(channel=self.name, ref=f"console:{delivery_id}")
