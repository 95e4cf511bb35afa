"""A loopback Microsoft Teams webhook: checks every posted message against the Adaptive Card schema.

The schema is the subset of Adaptive Cards 1.x (adaptivecards.io/schemas/adaptive-card.json) that Teams takes
in a webhook's `message` + `attachments` envelope, strict (no unknown properties), so a card Teams would refuse
or render differently fails here. A refused card gets 400, as Teams answers a bad payload.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema
import pytest

_TEXT = {"type": "string", "minLength": 1}
_TEXT_BLOCK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "text"],
    "properties": {
        "type": {"const": "TextBlock"},
        "text": _TEXT,
        "wrap": {"type": "boolean"},
        "weight": {"enum": ["Default", "Lighter", "Bolder"]},
        "size": {"enum": ["Default", "Small", "Medium", "Large", "ExtraLarge"]},
        "isSubtle": {"type": "boolean"},
    },
}
_FACT_SET = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "facts"],
    "properties": {
        "type": {"const": "FactSet"},
        "facts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "value"],
                "properties": {"title": _TEXT, "value": _TEXT},
            },
        },
    },
}
_OPEN_URL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "title", "url"],
    "properties": {
        "type": {"const": "Action.OpenUrl"},
        "title": _TEXT,
        "url": {"type": "string", "pattern": "^https?://"},
    },
}
CARD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "attachments"],
    "properties": {
        "type": {"const": "message"},
        "attachments": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["contentType", "content"],
                "properties": {
                    "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                    "contentUrl": {"type": "null"},
                    "content": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["type", "version", "body"],
                        "properties": {
                            "$schema": {"const": "http://adaptivecards.io/schemas/adaptive-card.json"},
                            "type": {"const": "AdaptiveCard"},
                            "version": {"type": "string", "pattern": r"^1\.[0-6]$"},
                            "body": {"type": "array", "minItems": 1, "items": {"oneOf": [_TEXT_BLOCK, _FACT_SET]}},
                            "actions": {"type": "array", "minItems": 1, "maxItems": 6, "items": _OPEN_URL},
                            "msteams": {"type": "object", "properties": {"width": {"enum": ["Full"]}}},
                        },
                    },
                },
            },
        },
    },
}
MAX_BYTES = 28 * 1024  # Teams refuses webhook messages above about 28 KB
jsonschema.Draft202012Validator.check_schema(CARD_SCHEMA)


@dataclass
class TeamsStandIn:
    """Posted messages (`cards`: the valid ones' card contents), scripted answers, and the secret-looking URL."""

    url: str = ""
    posted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], str]] = field(default_factory=list)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [m["attachments"][0]["content"] for m in self.posted]

    def texts(self, index: int = -1) -> list[str]:
        """Every TextBlock text and fact of one card, in order."""
        out: list[str] = []
        for element in self.cards[index]["body"]:
            out += (
                [element["text"]]
                if element["type"] == "TextBlock"
                else [f"{f['title']}: {f['value']}" for f in element["facts"]]
            )
        return out


def problems(body: bytes) -> list[str]:
    """Why Teams would refuse this body (empty: it takes it)."""
    if len(body) > MAX_BYTES:
        return [f"message of {len(body)} bytes is above {MAX_BYTES}"]
    try:
        document = json.loads(body)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    validator = jsonschema.Draft202012Validator(CARD_SCHEMA)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@pytest.fixture
def teams_standin() -> Iterator[TeamsStandIn]:
    """A Teams webhook on 127.0.0.1:0; a valid card gets 200 `1` unless `answers` scripts otherwise."""
    standin = TeamsStandIn()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, text = standin.answers.pop(0) if standin.answers else (200, {}, "1")
            if found := problems(body):
                standin.refused += found
                status, headers, text = 400, {}, "Bad payload received by generic incoming webhook."
            elif 200 <= status < 300 and "error" not in text:
                standin.posted.append(json.loads(body))
            payload = text.encode()
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin.url = f"http://127.0.0.1:{server.server_address[1]}/webhookb2/0000-secret-path/IncomingWebhook/abc/def"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield standin
    server.shutdown()
    server.server_close()
