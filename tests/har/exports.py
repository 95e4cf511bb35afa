"""HAR exports in the shapes Chrome DevTools, Firefox DevTools, Charles and Fiddler write (our own making)."""

from __future__ import annotations

import base64
import json
from typing import Any

TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ims3In0.eyJzdWIiOiIwMHU5cGxhbnQiLCJzY3AiOlsib3BlbmlkIl19.Qm9ndXNTaWduYXR1cmVYeQ"
SID = "s%3A9hQm2vXc7LpR4tWz.k3Jd8FqN0aYb"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200))).decode()
TIMINGS = {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.2, "wait": 48.5, "receive": 3.1}


def nv(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def _request(method: str, url: str, headers: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "headers": headers,
        "queryString": [],
        "cookies": [],
        "headersSize": -1,
        "bodySize": 0,
        **extra,
    }


def _response(status: int, mime: str, text: str, **extra: Any) -> dict[str, Any]:
    content: dict[str, Any] = {"size": len(text), "mimeType": mime, "text": text}
    if extra.pop("b64", False):
        content["encoding"] = "base64"
    return {
        "status": status,
        "statusText": "OK" if status < 300 else "Found",
        "httpVersion": "HTTP/1.1",
        "headers": extra.pop("headers", []),
        "cookies": extra.pop("cookies", []),
        "content": content,
        "redirectURL": extra.pop("redirectURL", ""),
        "headersSize": -1,
        "bodySize": len(text),
        **extra,
    }


def _entry(request: dict[str, Any], response: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "startedDateTime": "2026-12-01T09:00:00.123Z",
        "time": 53.0,
        "request": request,
        "response": response,
        "cache": {},
        "timings": dict(TIMINGS),
        **extra,
    }


def _common() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    auth = [nv("Authorization", f"Bearer {TOKEN}"), nv("Cookie", f"connect.sid={SID}"), nv("Accept", "*/*")]
    body = json.dumps({"items": [{"id": 1, "name": "alpha"}], "next": None})
    login = "username=ops&password=Wq7%23zL9pXv&remember=on"
    return [
        (_request("GET", "https://app.example.net/api/items?page=2", auth), _response(200, "application/json", body)),
        (
            _request(
                "POST",
                "https://app.example.net/login",
                [nv("Content-Type", "application/x-www-form-urlencoded")],
                postData={
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": login,
                    "params": [nv("username", "ops"), nv("password", "Wq7%23zL9pXv")],
                },
            ),
            _response(
                302,
                "text/html",
                "",
                redirectURL="/home",
                headers=[nv("Set-Cookie", f"connect.sid={SID}; Path=/; HttpOnly")],
                cookies=[{"name": "connect.sid", "value": SID, "path": "/", "httpOnly": True}],
            ),
        ),
        (_request("GET", "https://cdn.example.net/logo.png", []), _response(200, "image/png", PNG, b64=True)),
    ]


def chrome() -> dict[str, Any]:
    entries = [
        _entry(
            rq,
            rs,
            _initiator={"type": "script"},
            _priority="High",
            _resourceType="fetch",
            serverIPAddress="203.0.113.7",
            connection="443",
        )
        for rq, rs in _common()
    ]
    frames = [{"type": "send", "time": 1733043600.5, "opcode": 1, "data": json.dumps({"type": "auth", "token": TOKEN})}]
    ws = _entry(
        _request("GET", "wss://rt.example.net/socket", []),
        _response(101, "x-unknown", ""),
        _resourceType="websocket",
        _webSocketMessages=frames,
    )
    for e in entries:
        e["pageref"] = "page_1"
        e["response"]["_transferSize"] = 512
    return _log({"name": "WebInspector", "version": "537.36"}, [*entries, ws], pages=True)


def firefox() -> dict[str, Any]:
    entries = [
        _entry(rq, rs, pageref="page_1", serverIPAddress="203.0.113.7", connection="443") for rq, rs in _common()
    ]
    return _log(
        {"name": "Firefox", "version": "133.0"}, entries, pages=True, browser={"name": "Firefox", "version": "133.0"}
    )


def charles() -> dict[str, Any]:
    entries = [_entry(rq, rs, serverIPAddress="203.0.113.7", _charlesStatus="COMPLETE") for rq, rs in _common()]
    return _log({"name": "Charles Proxy", "version": "4.6.7"}, entries)


def fiddler() -> dict[str, Any]:
    entries = [_entry(rq, rs, comment="", connection="ClientPort:51234") for rq, rs in _common()]
    for e in entries:
        e["response"]["content"]["compression"] = 0
    return _log({"name": "Fiddler", "version": "5.0.20243.10853", "comment": "http://www.telerik.com/fiddler"}, entries)


def _log(creator: dict[str, str], entries: list[dict[str, Any]], pages: bool = False, **extra: Any) -> dict[str, Any]:
    log: dict[str, Any] = {"version": "1.2", "creator": creator, **extra, "entries": entries}
    if pages:
        log["pages"] = [
            {
                "startedDateTime": "2026-12-01T09:00:00.000Z",
                "id": "page_1",
                "title": "App",
                "pageTimings": {"onContentLoad": 120.5, "onLoad": 300.25},
            }
        ]
    return {"log": log}


EXPORTS = {"chrome": chrome, "firefox": firefox, "charles": charles, "fiddler": fiddler}
