"""A loopback stand-in for the Slack Web API, for tests that point `WebClient(base_url=...)` at it.

Usage from any test module or conftest:

    from tests.slack_standin import SlackStandIn, slack_standin  # noqa: F401 (fixture)

    def test_x(slack_standin: SlackStandIn) -> None:
        settings = SlackSettings(channel="#alerts", token=slack_standin.token, api_url=slack_standin.api_url)
        slack_standin.fail_next([(429, {"Retry-After": "1"}), (500, {})])
        slack_standin.down(); slack_standin.up()
        slack_standin.root_messages("#alerts"); slack_standin.replies(ts); slack_standin.updates(ts)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

TOKEN = "xoxb-standin-0000-secret-token"
# Slack's Block Kit limits, enforced the way Slack reports them.
MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
FIELDS_MAX = 10
BLOCKS_CHARS_MAX = 12000

# (status, headers) or (status, headers, slack_error_code)
Failure = tuple[int, dict[str, str]] | tuple[int, dict[str, str], str]


@dataclass
class Call:
    """One request the stand-in received (including failed and scripted ones)."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    error: str | None = None
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic)


@dataclass(frozen=True)
class Phase:
    """A scripted stretch of time: `mode` is 429, 500, slow (answer after `delay` s) or drop_after_store."""

    mode: str
    until: float  # time.monotonic() when it ends
    retry_after: float = 1.0
    delay: float = 0.0
    methods: frozenset[str] | None = None  # None: every method

    def applies(self, method: str) -> bool:
        """True while it lasts, for its methods."""
        return time.monotonic() < self.until and (self.methods is None or method in self.methods)


@dataclass
class Message:
    """A message as the stand-in stores it; `updates` holds each chat.update's args in order."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    thread_ts: str | None
    updates: list[dict[str, Any]] = field(default_factory=list)


def block_errors(blocks: Any) -> list[str]:
    """Return Slack-like validation errors for a blocks payload (empty list: valid)."""
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    errors = [f"too many blocks ({len(blocks)})"] if len(blocks) > MAX_BLOCKS else []
    chars = 0
    for i, block in enumerate(blocks):
        texts = [block.get("text"), *list(block.get("fields", [])), *list(block.get("elements", []))]
        texts = [t for t in texts if t]
        chars += sum(len(t.get("text", "")) for t in texts)
        if any(not t.get("text") for t in texts):
            errors.append(f"block {i}: empty text")
        if block.get("type") == "header" and len(block["text"]["text"]) > HEADER_MAX:
            errors.append(f"block {i}: header longer than {HEADER_MAX}")
        if block.get("type") == "section":
            if block.get("text") and len(block["text"]["text"]) > SECTION_MAX:
                errors.append(f"block {i}: section text longer than {SECTION_MAX}")
            if len(block.get("fields", [])) > FIELDS_MAX:
                errors.append(f"block {i}: more than {FIELDS_MAX} fields")
            if any(len(f["text"]) > 2000 for f in block.get("fields", [])):
                errors.append(f"block {i}: field longer than 2000")
            if not block.get("text") and not block.get("fields"):
                errors.append(f"block {i}: section without text or fields")
    if chars > BLOCKS_CHARS_MAX:
        errors.append(f"blocks too long ({chars} chars)")
    return errors


class SlackStandIn:
    """The server plus a thread-safe record of calls and messages."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self._messages: dict[str, Message] = {}
        self._channels: dict[str, str] = {}
        self._failures: list[tuple[str | None, Failure]] = []
        self._lock = threading.Lock()
        self._counter = 0
        self._mode = "up"
        self._lose: list[str] = []
        self._phases: list[Phase] = []
        self._port = 0
        self.scopes = {"chat:write", "channels:read", "channels:history"}  # the bot's scopes
        self.list_page = 100  # conversations.list page size (Slack pages with a cursor)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        """Base URL for `WebClient(base_url=...)` / `SlackSettings.api_url`."""
        return f"http://127.0.0.1:{self._port}/api/"

    def start(self) -> SlackStandIn:
        """Listen on 127.0.0.1 (port 0 the first time, the same port after `down("refuse")`)."""
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening; connections are refused until `start()`/`up()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def down(self, mode: str = "refuse") -> None:
        """Make Slack unreachable: `refuse` closes the port, `drop` accepts then closes without answering."""
        if mode not in ("refuse", "drop"):
            raise ValueError(mode)
        self._mode = mode
        if mode == "refuse":
            self.stop()

    def up(self) -> None:
        """Answer again after `down()`."""
        if self._server is None:
            self.start()
        self._mode = "up"

    def lose_next_response(self, method: str) -> None:
        """Process the next call of `method` normally but close the connection instead of answering."""
        with self._lock:
            self._lose.append(method)

    def take_lost_response(self, method: str) -> bool:
        """True (once) when this call's answer is to be lost."""
        with self._lock:
            if method in self._lose:
                self._lose.remove(method)
                return True
            return False

    def phase(
        self,
        mode: str,
        seconds: float,
        *,
        retry_after: float = 1.0,
        delay: float = 0.0,
        methods: Sequence[str] | None = None,
    ) -> None:
        """From now on for `seconds`: answer 429 (with Retry-After) or 500, answer slowly, or store then drop."""
        if mode not in ("429", "500", "slow", "drop_after_store"):
            raise ValueError(mode)
        only = frozenset(methods) if methods is not None else None
        with self._lock:
            self._phases.append(Phase(mode, time.monotonic() + seconds, retry_after, delay, only))

    def active_phase(self, method: str) -> Phase | None:
        """The scripted phase in force for `method` now, if any."""
        with self._lock:
            return next((p for p in self._phases if p.applies(method)), None)

    def fail_next(self, failures: Sequence[Failure], *, method: str | None = None) -> None:
        """Answer the next calls (optionally only of `method`) with these statuses, in order."""
        with self._lock:
            self._failures.extend((method, f) for f in failures)

    # -- accessors ---------------------------------------------------------------------------
    def channel_id(self, channel: str) -> str:
        """The id (C…) the stand-in assigned to a channel name, assigning one if new."""
        with self._lock:
            return self._channel_id(channel)

    def recreate(self, name: str) -> str:
        """Archive channel `name` and create a new one of that name: the old id is then unknown."""
        with self._lock:
            old = self._channels.pop(name)
            self._channels[f"archived-{old}"] = f"X{old}"
            return self._channel_id(name)

    def root_messages(self, channel: str) -> list[Message]:
        """Top-level messages in a channel (name or id), oldest first."""
        cid = self.channel_id(channel)
        with self._lock:
            return [m for m in self._messages.values() if m.channel == cid and m.thread_ts is None]

    def replies(self, thread_ts: str) -> list[Message]:
        """Messages posted in the thread under `thread_ts`, oldest first."""
        with self._lock:
            return [m for m in self._messages.values() if m.thread_ts == thread_ts]

    def updates(self, ts: str) -> list[dict[str, Any]]:
        """The args of every successful chat.update of message `ts`, in order."""
        with self._lock:
            return list(self._messages[ts].updates) if ts in self._messages else []

    def message(self, ts: str) -> Message:
        """The current state of message `ts`."""
        with self._lock:
            return self._messages[ts]

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call of one API method."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    # -- request handling (called from server threads) ----------------------------------------
    def _channel_id(self, channel: str) -> str:
        if channel in self._channels.values():
            return channel
        return self._channels.setdefault(channel, f"C{len(self._channels) + 1:08d}")

    def _next_failure(self, method: str) -> Failure | None:
        for i, (only, failure) in enumerate(self._failures):
            if only is None or only == method:
                del self._failures[i]
                return failure
        return None

    def record_dropped(self, call: Call) -> None:
        """Record a call that `down("drop")` left unanswered."""
        call.status, call.error = 0, "dropped"
        with self._lock:
            self.calls.append(call)

    def handle(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one API call: scripted failure, auth check, then the method itself."""
        phase = self.active_phase(call.method)
        with self._lock:
            self.calls.append(call)
            failure = self._next_failure(call.method)
            if failure is None and phase is not None and phase.mode in ("429", "500"):
                headers = {"Retry-After": f"{phase.retry_after:g}"} if phase.mode == "429" else {}
                failure = (int(phase.mode), headers)
            if failure is not None:
                status, headers = failure[0], failure[1]
                default = "ratelimited" if status == 429 else "internal_error" if status >= 500 else "failed"
                call.status, call.error = status, (failure[2] if len(failure) > 2 else default)
                return status, headers, {"ok": False, "error": call.error}
            auth = call.headers.get("authorization", "")
            if not auth.startswith("Bearer "):
                call.error = "not_authed"
            elif auth.removeprefix("Bearer ") != self.token:
                call.error = "invalid_auth"
            else:
                body = self._dispatch(call)
                call.error = None if body.get("ok") else str(body.get("error"))
                return 200, {}, body
            return 200, {}, {"ok": False, "error": call.error}

    def _dispatch(self, call: Call) -> dict[str, Any]:
        args = call.args
        if call.method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "team_id": "T0001", "bot_id": "B0001"}
        if call.method == "chat.postMessage":
            return self._post(args)
        if call.method == "chat.update":
            return self._update(args)
        if call.method in ("conversations.history", "conversations.replies"):
            return self._scoped("channels:history") or self._history(call.method, args)
        if call.method == "conversations.list":
            return self._scoped("channels:read") or self._list(args)
        return {"ok": False, "error": "unknown_method"}

    def _scoped(self, scope: str) -> dict[str, Any] | None:
        if scope in self.scopes:
            return None
        return {"ok": False, "error": "missing_scope", "needed": scope, "provided": ",".join(sorted(self.scopes))}

    def _list(self, args: dict[str, Any]) -> dict[str, Any]:
        names = {cid: name for name, cid in self._channels.items() if name.startswith("#")}
        ids = sorted(set(self._channels.values()))
        start = int(args.get("cursor") or 0)
        page = ids[start : start + self.list_page]
        channels = [{"id": cid, "name": names.get(cid, cid.lower()).removeprefix("#")} for cid in page]
        more = start + self.list_page < len(ids)
        return {
            "ok": True,
            "channels": channels,
            "response_metadata": {"next_cursor": str(start + len(page)) if more else ""},
        }

    def _check(self, args: dict[str, Any]) -> dict[str, Any] | None:
        blocks = args.get("blocks")
        if blocks is not None:
            errors = block_errors(blocks)
            if errors:
                too_long = any(e.startswith("blocks too long") for e in errors)
                return {
                    "ok": False,
                    "error": "msg_blocks_too_long" if too_long else "invalid_blocks",
                    "errors": errors,
                }
        if not args.get("text") and not blocks:
            return {"ok": False, "error": "no_text"}
        return None

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._check(args)
        if problem:
            return problem
        target = str(args.get("channel", ""))
        if not target.startswith("#") and target not in self._channels.values():
            return {"ok": False, "error": "channel_not_found"}  # an id Slack does not know
        cid = self._channel_id(target)
        thread_ts = args.get("thread_ts")
        if thread_ts is not None and thread_ts not in self._messages:
            return {"ok": False, "error": "thread_not_found"}
        self._counter += 1
        ts = f"1767225600.{self._counter:06d}"
        self._messages[ts] = Message(
            cid,
            ts,
            str(args.get("text", "")),
            list(args.get("blocks") or []),
            args.get("metadata"),
            thread_ts,
        )
        return {"ok": True, "channel": cid, "ts": ts, "message": {"text": args.get("text"), "ts": ts}}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._check(args)
        if problem:
            return problem
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        message = self._messages.get(ts)
        if channel not in self._channels.values():
            return {"ok": False, "error": "channel_not_found"}  # chat.update takes ids, not names
        if message is None or message.channel != channel:
            return {"ok": False, "error": "message_not_found"}
        message.text, message.blocks = str(args.get("text", "")), list(args.get("blocks") or [])
        if "metadata" in args:
            message.metadata = args["metadata"]
        message.updates.append(dict(args))
        return {"ok": True, "channel": channel, "ts": ts, "text": message.text}

    def _history(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self._channels.values():
            return {"ok": False, "error": "channel_not_found"}
        oldest = Decimal(str(args.get("oldest") or "0"))
        limit = int(args.get("limit") or 100)
        with_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [m for m in self._messages.values() if m.channel == channel and Decimal(m.ts) > oldest]
        if method == "conversations.history":
            found = [m for m in found if m.thread_ts is None]
            found.reverse()  # newest first, like Slack
        else:
            root = str(args.get("ts", ""))
            found = [m for m in found if m.ts == root or m.thread_ts == root]
        out = []
        for m in found[:limit]:
            item: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text, "blocks": m.blocks}
            if m.thread_ts:
                item["thread_ts"] = m.thread_ts
            if with_meta and m.metadata:
                item["metadata"] = m.metadata
            out.append(item)
        return {"ok": True, "messages": out, "has_more": len(found) > limit}


class _Handler(BaseHTTPRequestHandler):
    owner: SlackStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _args(self) -> dict[str, Any]:
        args: dict[str, Any] = dict(parse_qsl(urlsplit(self.path).query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if raw and ctype.startswith("application/json"):
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode("utf-8")))
        for key in ("blocks", "metadata"):  # form posts carry these as JSON strings
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    def _serve(self) -> None:
        method = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
        headers = {k.lower(): v for k, v in self.headers.items()}
        call = Call(method, self._args(), headers)
        if self.owner._mode == "drop":
            # Recorded with status 0, then the connection is closed without an answer.
            self.owner.record_dropped(call)
            self.close_connection = True
            self.connection.close()
            return
        status, extra, body = self.owner.handle(call)
        phase = self.owner.active_phase(call.method)
        if phase is not None and phase.mode == "slow":
            time.sleep(phase.delay)  # processed (a message may be stored); the answer comes late
        dropped = phase is not None and phase.mode == "drop_after_store"
        if self.owner.take_lost_response(call.method) or dropped:
            # Processed (a message may now be posted), then the answer is lost on the way back.
            self.close_connection = True
            self.connection.close()
            return
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("X-OAuth-Scopes", ",".join(sorted(self.owner.scopes)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (a `slow` phase): Slack's answer is lost

    do_GET = _serve
    do_POST = _serve


@pytest.fixture
def slack_standin() -> Iterator[SlackStandIn]:
    """A running Slack stand-in on a free loopback port, stopped after the test."""
    standin = SlackStandIn().start()
    try:
        yield standin
    finally:
        standin.stop()
