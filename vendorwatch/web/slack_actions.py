"""Slack interactivity: verify the signature, read the click, decide whether this user may act.

Signatures follow Slack's v0 scheme (HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret,
timestamp within 5 minutes, constant-time compare), checked by slack-sdk's SignatureVerifier.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from slack_sdk.signature import SignatureVerifier

from notify.mrkdwn import escape
from vendorwatch.settings import Settings
from vendorwatch.web.clicks import Click, Outcome, Target

logger = logging.getLogger(__name__)
ACTIONS = ("vw_done", "vw_not_affected", "vw_acknowledge", "vw_snooze", "vw_open")
_USER = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_VALUE = re.compile(r"^(task|incident):([0-9]{1,12})$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


class BadClick(ValueError):
    """A signed request we do not understand (not a button of ours); answered 400, nothing changes."""


@dataclass(frozen=True)
class Request:
    """A verified click plus where to answer it."""

    click: Click
    response_url: str | None
    message: dict[str, Any] | None


def verified(secret: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """True only for a request signed with our signing secret within the last 5 minutes."""
    if not secret:
        return False
    try:
        return SignatureVerifier(secret).is_valid_request(body, dict(headers))
    except ValueError:  # a timestamp that is not a number
        return False


def parse(body: bytes) -> Request:
    """The click in a block_actions payload (form field `payload`, JSON), or BadClick."""
    try:
        payload = json.loads(parse_qs(body.decode("utf-8"), strict_parsing=True)["payload"][0])
        action = payload["actions"][0]
        user = payload["user"]
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        raise BadClick("not a Slack block_actions payload") from None
    if payload.get("type") != "block_actions" or action.get("action_id") not in ACTIONS:
        raise BadClick("not one of our buttons")
    match = _VALUE.match(str(action.get("value", "")))
    user_id = str(user.get("id", ""))
    if match is None or not _USER.match(user_id):
        raise BadClick("button value or user id malformed")
    name = _CONTROLS.sub("", str(user.get("name") or user.get("username") or user_id)).strip()[:80] or user_id
    try:
        at = datetime.fromtimestamp(float(action.get("action_ts") or payload["container"]["message_ts"]), UTC)
    except (KeyError, TypeError, ValueError):
        raise BadClick("no action time") from None
    kind: Target = "task" if match.group(1) == "task" else "incident"
    click = Click(str(action["action_id"]), kind, int(match.group(2)), user_id, name, at)
    message = payload.get("message") if isinstance(payload.get("message"), dict) else None
    return Request(click, _response_url(payload.get("response_url")), message)


def _response_url(value: Any) -> str | None:
    # Signed by Slack, so trusted; still only https (or a loopback stand-in in tests) is ever posted to.
    if not isinstance(value, str):
        return None
    parts = urlsplit(value)
    loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
    return value if parts.scheme == "https" or loopback else None


def allowed(settings: Settings, user_id: str) -> bool:
    """Whether this Slack user may act: everyone, the user ids mapped in [owners], or serve.slack_users."""
    who = settings.serve.slack_actors
    if who == "all":
        return True
    if who == "owners":
        return user_id in settings.owners.values()
    return user_id in settings.serve.slack_users


def answer(request: Request, outcome: Outcome) -> list[dict[str, Any]]:
    """The response_url posts for a click: the reminder rewritten without its buttons, and a note to the user."""
    posts: list[dict[str, Any]] = []
    note = escape(outcome.text)
    if outcome.changed and request.click.target == "task" and request.message:
        blocks = [b for b in request.message.get("blocks") or [] if isinstance(b, dict) and b.get("type") != "actions"]
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note, "verbatim": True}]})
        posts.append({"replace_original": True, "text": str(request.message.get("text") or note), "blocks": blocks})
    if note:
        posts.append({"response_type": "ephemeral", "replace_original": False, "text": note})
    return posts
