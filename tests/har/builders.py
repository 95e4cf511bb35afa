"""Build test HARs programmatically, with a known, distinct secret planted in every place a HAR hides one."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def jwt(claim: str) -> str:
    def part(obj: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': claim, 'x': 'payload'})}.c2lnbmF0dXJl{claim}"


def secret(name: str) -> str:
    """A distinct, URL-safe secret that no other test string contains."""
    return f"zq{name}Kx7Vb3Nm9Pw2"


def header(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


@dataclass
class Planted:
    """One planted secret: the expected kind and location, and the secret text itself."""

    kind: str
    location: str
    value: str


@dataclass
class HarBuilder:
    """Accumulates entries and the secrets planted in them."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)

    def plant(self, kind: str, location: str, value: str) -> str:
        self.planted.append(Planted(kind, f"entries[{len(self.entries)}].{location}", value))
        return value

    def har(self) -> dict[str, Any]:
        return {
            "log": {
                "version": "1.2",
                "creator": {"name": "test", "version": "1"},
                "pages": [{"id": "page_1", "title": "https://app.example.com/"}],
                "entries": self.entries,
            }
        }


def entry(request: dict[str, Any], response: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    req = {
        "method": "GET",
        "url": "https://app.example.com/",
        "httpVersion": "HTTP/1.1",
        "headers": [],
        "queryString": [],
        "cookies": [],
        "headersSize": -1,
        "bodySize": 0,
        **request,
    }
    resp = {
        "status": 200,
        "statusText": "OK",
        "httpVersion": "HTTP/1.1",
        "headers": [],
        "cookies": [],
        "content": {"size": 0, "mimeType": "text/html", "text": ""},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": 0,
        **(response or {}),
    }
    return {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 12.5,
        "request": req,
        "response": resp,
        "cache": {},
        "timings": {"send": 0.1, "wait": 10.25, "receive": 2.15},
        **extra,
    }


def _oauth_callback(b: HarBuilder) -> None:
    code, state = secret("Code1"), secret("State1")
    sid, sess = secret("Cookie1"), secret("SetCookie1")
    frag, id_tok = secret("FragToken1"), jwt("IdFrag1")
    b.plant("oauth-code", "request.url ?code", code)
    b.plant("oauth-state", "request.url ?state", state)
    b.plant("oauth-code", "request.queryString[code]", code)
    b.plant("oauth-state", "request.queryString[state]", state)
    b.plant("cookie", "request.headers[Cookie] sid", sid)
    b.plant("cookie", "request.cookies[sid]", sid)
    b.plant("set-cookie", "response.headers[Set-Cookie] session", sess)
    b.plant("set-cookie", "response.cookies[session]", sess)
    for where in ("response.headers[Location]", "response.redirectURL"):
        b.plant("access-token", f"{where} #access_token", frag)
        b.plant("id-token", f"{where} #id_token", id_tok)
    home = f"https://app.example.com/home#access_token={frag}&token_type=bearer&id_token={id_tok}"
    b.entries.append(
        entry(
            {
                "url": f"https://app.example.com/callback?code={code}&state={state}",
                "queryString": [header("code", code), header("state", state)],
                "headers": [header("Cookie", f"sid={sid}; consent=1"), header("Accept", "text/html")],
                "cookies": [header("sid", sid)],
            },
            {
                "status": 302,
                "headers": [header("Set-Cookie", f"session={sess}; Path=/; HttpOnly"), header("Location", home)],
                "cookies": [{"name": "session", "value": sess, "path": "/", "httpOnly": True}],
                "redirectURL": home,
            },
        )
    )


def _token_endpoint(b: HarBuilder) -> None:
    basic, code, cs = b64(f"client-1:{secret('BasicPw1')}"), secret("Code2"), secret("ClientSecret1")
    at, rt, idt = jwt("Access1"), secret("Refresh1"), jwt("Id1")
    b.plant("authorization-basic", "request.headers[Authorization]", basic)
    b.plant("oauth-code", "request.postData.text ?code", code)
    b.plant("client-secret", "request.postData.text ?client_secret", cs)
    b.plant("client-secret", "request.postData.params[client_secret]", cs)
    b.plant("access-token", "response.content.text $.access_token", at)
    b.plant("refresh-token", "response.content.text $.tokens.refresh_token", rt)
    b.plant("id-token", "response.content.text $.tokens.id_token", idt)
    form = f"grant_type=authorization_code&code={code}&client_secret={cs}&redirect_uri=https%3A%2F%2Fa"
    body = json.dumps({"access_token": at, "token_type": "Bearer", "tokens": {"refresh_token": rt, "id_token": idt}})
    b.entries.append(
        entry(
            {
                "method": "POST",
                "url": "https://idp.example.com/oauth2/token",
                "headers": [header("Authorization", f"Basic {basic}")],
                "postData": {
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": form,
                    "params": [header("grant_type", "authorization_code"), header("client_secret", cs)],
                },
            },
            {"content": {"size": len(body), "mimeType": "application/json", "text": body}},
        )
    )
    b.planted.append(Planted("", "", secret("BasicPw1")))  # decoded Basic password: must vanish too


def _api_call(b: HarBuilder) -> None:
    at = jwt("Access1")  # the same token as the token endpoint issued
    key, csrf, xauth, digest = secret("ApiKey1"), secret("Csrf1"), secret("XAuth1"), secret("Digest1")
    pw, cs, sess = secret("Password1"), secret("ClientSecret2"), secret("SessionToken1")
    b.plant("authorization-bearer", "request.headers[Authorization]", at)
    b.plant("api-key-header", "request.headers[X-API-Key]", key)
    b.plant("csrf-token", "request.headers[X-CSRF-Token]", csrf)
    b.plant("api-key-header", "request.headers[x-auth-token]", xauth)
    b.plant("authorization-other", "request.headers[Proxy-Authorization]", f'username="u", response="{digest}"')
    b.plant("password", "request.postData.text $.password", pw)
    b.plant("client-secret", "request.postData.text $.nested.client_secret", cs)
    b.plant("session-id", "response.content.text (base64) $.sessionToken", sess)
    body = json.dumps({"user": "alice", "password": pw, "nested": {"client_secret": cs}})
    b.entries.append(
        entry(
            {
                "method": "POST",
                "url": "https://api.example.com/v1/things",
                "headers": [
                    header("Authorization", f"Bearer {at}"),
                    header("X-API-Key", key),
                    header("X-CSRF-Token", csrf),
                    header("x-auth-token", xauth),
                    header("Proxy-Authorization", f'Digest username="u", response="{digest}"'),
                ],
                "postData": {"mimeType": "application/json", "text": body},
            },
            {
                "content": {
                    "size": 40,
                    "mimeType": "application/json",
                    "encoding": "base64",
                    "text": b64(json.dumps({"status": "SUCCESS", "sessionToken": sess})),
                }
            },
        )
    )


def _saml_and_forms(b: HarBuilder) -> None:
    pw, saml_resp, saml_req = secret("Password2"), b64(secret("SamlResp1")), secret("SamlReq1")
    okta, sig, ref = secret("OktaSsws1"), secret("AmzSig1"), secret("RefererToken1")
    b.plant("password", "request.postData.text ?password", pw)
    b.plant("password", "request.postData.params[password]", pw)
    b.plant("saml-response", "request.queryString[SAMLResponse]", saml_resp)
    b.plant("saml-request", "request.headers[Referer] ?SAMLRequest", saml_req)
    b.plant("authorization-other", "request.headers[Authorization]", okta)
    relay = secret("Relay1")
    b.plant("relay-state", "request.url ?RelayState", relay)
    b.plant("relay-state", "request.queryString[RelayState]", relay)
    b.planted.append(Planted("", "", secret("SamlResp1")))  # decoded SAML: must vanish too
    b.entries.append(
        entry(
            {
                "method": "POST",
                "url": f"https://sp.example.com/acs?RelayState={relay}",
                "queryString": [header("RelayState", relay), header("SAMLResponse", saml_resp)],
                "headers": [
                    header("Referer", f"https://idp.example.com/sso?SAMLRequest={saml_req}"),
                    header("Authorization", f"SSWS {okta}"),
                ],
                "postData": {
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": f"username=alice&password={pw}",
                    "params": [header("username", "alice"), header("password", pw)],
                },
            },
        )
    )
    b.plant("signed-url-signature", "request.url ?X-Amz-Signature", sig)
    b.plant("access-token", "request.headers[Referer] ?access_token", ref)
    b.entries.append(
        entry(
            {
                "url": f"https://bucket.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature={sig}",
                "headers": [header("Referer", f"https://app.example.com/page?access_token={ref}")],
            }
        )
    )


def _websocket_and_html(b: HarBuilder) -> None:
    ws, ws_jwt, html_jwt = secret("WsToken1"), jwt("Ws2"), jwt("Html1")
    b.plant("token", "_webSocketMessages[0].data $.token", ws)
    b.plant("jwt", "_webSocketMessages[1].data jwt", ws_jwt)
    b.plant("jwt", "response.content.text jwt", html_jwt)
    messages = [
        {"type": "send", "time": 1.5, "opcode": 1, "data": json.dumps({"type": "auth", "token": ws})},
        {"type": "receive", "time": 1.6, "opcode": 1, "data": f'42["msg",{{"v":"{ws_jwt}"}}]'},
    ]
    html = f"<html><script>window.t = '{html_jwt}';</script></html>"
    b.entries.append(
        entry(
            {"url": "wss://rt.example.com/socket"},
            {"content": {"size": len(html), "mimeType": "text/html", "text": html}},
            _resourceType="websocket",
            _webSocketMessages=messages,
        )
    )


def planted_har() -> tuple[dict[str, Any], list[Planted]]:
    """A HAR with a distinct secret in each of ~30 places, and the list of what was planted where."""
    b = HarBuilder()
    for add in (_oauth_callback, _token_endpoint, _api_call, _saml_and_forms, _websocket_and_html):
        add(b)
    return b.har(), b.planted
