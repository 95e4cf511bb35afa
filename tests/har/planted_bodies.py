"""Planted secrets in bodies (form, JSON, XML, multipart, text, base64, unknown encodings), HTML forms,
meta tags and scripts, websocket frames (JSON, STOMP, text, binary), comments, titles and `_` fields."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.har.builders import entry, header
from tests.har.planted import ALNUM, HEX, UPPER, Plant, b64

SAML = (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_{id}"><saml:Assertion '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Subject>ops@example.org</saml:Subject>'
    "</saml:Assertion></samlp:Response>"
)


def pem(p: Plant, place: str, kind: str = "PRIVATE KEY") -> str:
    lines = "\n".join(p.rand(64, ALNUM + "+/") for _ in range(4))
    return p(place, f"-----BEGIN {kind}-----\nMIIE{lines}\n-----END {kind}-----")


def content(text: str, mime: str = "application/json", **extra: Any) -> dict[str, Any]:
    return {"content": {"size": len(text), "mimeType": mime, "text": text, **extra}}


def post(text: str, mime: str, **extra: Any) -> dict[str, Any]:
    return {"method": "POST", "postData": {"mimeType": mime, "text": text, **extra}}


def form_and_json(p: Plant) -> list[dict[str, Any]]:
    pw, otp = p.new("form password", 16), p("form otp", str(p.rng.randint(100000, 999999)))
    form = f"username=ops&password={pw}&otp={otp}&remember=1"
    params = [header("username", "ops"), header("password", pw), header("otp", otp)]
    request_json = {
        "privateKeyPem": pem(p, "PEM under privateKeyPem"),
        "client_secret": p.new("JSON client_secret", 40),
        "apiToken": p.new("JSON apiToken", 36),
        "deviceCredential": p.new("high entropy under deviceCredential", 44),
        "payload": json.dumps({"access_token": p.new("JSON inside a JSON string", 30)}),
        "blob": p.jwt("JWE under a neutral name", jwe=True),
    }
    creds = {
        "AccessKeyId": p.new("AWS ASIA key id", 16, UPPER, "ASIA"),
        "SecretAccessKey": p.new("AWS secret access key", 40, ALNUM + "/+"),
        "SessionToken": p.new("AWS session token", 100, ALNUM + "/+"),
    }
    providers = {
        "notes": [
            p.new("GitHub classic token", 36, ALNUM, "ghp_"),
            p.new("GitHub fine-grained token", 60, ALNUM + "_", "github_pat_"),
            p("Slack bot token", f"xoxb-{p.rng.randint(10**10, 10**11)}-{p.rand(24)}"),
            p.new("Stripe live key", 24, ALNUM, "sk_live_"),
            p.new("npm token", 36, ALNUM, "npm_"),
            p.new("Twilio API key", 32, HEX, "SK"),
            p("SendGrid key", f"SG.{p.rand(22, ALNUM + '_-')}.{p.rand(43, ALNUM + '_-')}"),
            p(
                "Slack webhook",
                f"https://hooks.slack.com/services/T{p.rand(8, UPPER)}/B{p.rand(8, UPPER)}/{p.rand(24)}",
            ),
            p.new("Okta token in a list", 40, ALNUM, "00"),
            p.new("Google key in a list", 35, ALNUM, "AIza"),
        ]
    }
    token_resp = {
        "access_token": p.jwt("token response access_token"),
        "refresh_token": p.new("refresh_token", 48),
        "id_token": p.jwt("token response id_token"),
    }
    gql = {"query": "mutation { login }", "variables": {"input": {"pin": p("GraphQL pin", "48213907")}}}
    numbers = '{"otp": ' + p("numeric JSON otp", str(p.rng.randint(10**5, 10**6))) + ', "remember": true}'
    legacy = f"user=ops&pass={p.new('form pass with ;', 6)};{p.rand(6)}&go=1"
    return [
        entry(post(form, "application/x-www-form-urlencoded", params=params)),
        entry(post(json.dumps(request_json), "application/json"), content(json.dumps(creds))),
        entry({}, content(json.dumps(providers))),
        entry(post(json.dumps(gql), "application/json"), content(numbers)),
        entry(post(legacy, "application/x-www-form-urlencoded")),
        entry({}, content(b64(json.dumps(token_resp)), encoding="base64")),
    ]


def markup(p: Plant) -> list[dict[str, Any]]:
    saml = p("SAMLResponse in auto-post form", b64(SAML.format(id=p.rand(20))))
    html = (
        f'<html><head><meta name="csrf-token" content="{p.new("meta csrf-token", 40)}">'
        f'<title>Signing in</title></head><body onload="document.forms[0].submit()">'
        f'<form method="post" action="https://sp.example.org/acs">'
        f'<input type="hidden" name="SAMLResponse" value="{saml}"/>'
        f'<input type="hidden" name="RelayState" value="{p.new("RelayState hidden input", 24)}"/>'
        f"<input name='csrf_token' type='hidden' value='{p.new('csrf_token hidden input', 32)}'></form>"
        f"<script>window.cfg = {{ apiToken: '{p.new('apiToken in a script', 32)}', env: 'prod' }};"
        f'var sessionKey = "{p.new("sessionKey var in a script", 28)}";</script></body></html>'
    )
    xml = f"<soap:Envelope><soap:Body>{SAML.format(id=p.rand(12))}</soap:Body></soap:Envelope>"
    p(
        "raw SAML assertion in a SOAP body",
        xml[len("<soap:Envelope><soap:Body>") : -len("</soap:Body></soap:Envelope>")],
    )
    multipart = (
        '--b1\r\nContent-Disposition: form-data; name="api_secret"\r\n\r\n'
        f'{p.new("multipart api_secret", 32)}\r\n--b1\r\nContent-Disposition: form-data; name="f"; '
        f'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n'
    )
    log = (
        f"12:00:01 GET /me Authorization: Bearer {p.new('Bearer in a text/plain log', 40)}\n"
        f"export AWS_SECRET_ACCESS_KEY={p.new('AWS secret in a shell line', 40, ALNUM + '/+')}\n"
        f"{pem(p, 'RSA key in a text body', 'RSA PRIVATE KEY')}\n"
    )
    soap = (
        f"<s:Envelope><s:Header><wsse:Security><wsse:Password>{p.new('WS-Security password', 18)}</wsse:Password>"
        f"</wsse:Security></s:Header><s:Body><Login><apiKey>{p.new('XML element apiKey', 32)}</apiKey>"
        "</Login></s:Body></s:Envelope>"
    )
    spa = (
        f"<script>localStorage.setItem('access_token', '{p.new('localStorage.setItem access_token', 36)}');"
        f'window.__AUTH_TOKEN__ = "{p.new("window.__AUTH_TOKEN__", 40)}";'
        f"fetch('/api', {{headers: {{'X-Api-Key': '{p.new('fetch X-Api-Key in a script', 32)}'}}}});</script>"
        f'<div data-session-key="{p.new("data-session-key attribute", 32)}"></div>'
    )
    return [
        entry(post(soap, "application/soap+xml")),
        entry({}, content(spa, "text/html")),
        entry({}, content(html, "text/html")),
        entry(post(xml, "text/xml")),
        entry(post(multipart, "multipart/form-data; boundary=b1")),
        entry({}, content(log, "text/plain")),
    ]


def frames(p: Plant) -> list[dict[str, Any]]:
    stomp = (
        f"CONNECT\naccept-version:1.2\nlogin:ops\npasscode:{p.new('STOMP passcode', 20)}\n"
        f"Authorization:Bearer {p.new('STOMP Authorization Bearer', 40)}\n\n\x00"
    )
    text_binary = base64.b64encode(json.dumps({"sid": p.new("sid in a UTF-8 binary frame", 32)}).encode()).decode()
    raw = b"\x00\xff\x81" + p.new("token inside an undecodable frame", 32).encode() + bytes(range(128, 256))
    out = [
        {
            "type": "send",
            "time": 1.0,
            "opcode": 1,
            "data": json.dumps({"op": "auth", "accessToken": p.new("ws JSON accessToken")}),
        },
        {"type": "send", "time": 1.1, "opcode": 1, "data": stomp},
        {
            "type": "receive",
            "time": 1.2,
            "opcode": 1,
            "data": f"welcome; your session token={p.new('ws text token=', 30)}",
        },
        {"type": "receive", "time": 1.3, "opcode": 2, "data": text_binary},
        {"type": "receive", "time": 1.4, "opcode": 2, "data": base64.b64encode(raw).decode()},
    ]
    out.append({"type": "send", "time": 1.5, "opcode": 1, "data": f'42["auth",{{"jwt":"{p.jwt("socket.io jwt")}"}}]'})
    out.append(
        {"type": "send", "time": 1.6, "opcode": 1, "data": f"AUTH {p.new('text frame AUTH (ssws)', 40, ALNUM, '00')}"}
    )
    return out


def frames_and_extras(p: Plant) -> tuple[list[dict[str, Any]], dict[str, str]]:
    png = b"\x89PNG\r\n\x1a\n" + p.new("secret inside a binary PNG body", 32).encode() + bytes(range(256))
    odd = f"=?utf-8?q?token={p.new('secret in an unknown-encoding body', 32)}?="
    entries = [
        entry({"url": "wss://rt.example.org/ws"}, _resourceType="websocket", _webSocketMessages=frames(p)),
        entry({}, content(base64.b64encode(png).decode(), "image/png", encoding="base64")),
        entry({}, content(odd, "text/plain", encoding="quoted-printable")),
        entry(
            {"url": "https://app.example.org/dl"},
            {"status": 302, "redirectURL": f"https://app.example.org/cb?code={p.new('redirectURL code', 40)}&state=x1"},
        ),
        entry(
            {
                "url": "https://app.example.org/api/x",
                "comment": f"pasted: Bearer {p.new('Bearer in a request comment', 40)}",
            },
            comment=f"retry with key {p.new('Google key in an entry comment', 35, ALNUM, 'AIza')}",
            _initiator={
                "type": "script",
                "url": f"https://cdn.example.org/a.js?api_key={p.new('_initiator api_key', 32)}",
            },
            _debug=f"sessionid={p.new('_debug sessionid', 32)}",
            _queryString=[header("access_token", p.new("_queryString access_token", 30))],
        ),
    ]
    page = {
        "title": f"https://app.example.org/reset?token={p.new('page title token', 30)}",
        "comment": f"SSO via Bearer {p.new('Bearer in a page comment', 40)}",
        "_userNote": f"password={p.new('_userNote password', 16)}",
    }
    return entries, page


def planted_har80() -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The whole planted HAR and its (place, value) list."""
    p = Plant()
    from tests.har.planted import header_entries, url_entries

    entries = url_entries(p) + header_entries(p) + form_and_json(p) + markup(p)
    more, page = frames_and_extras(p)
    log = {
        "version": "1.2",
        "creator": {"name": "planted", "version": "17"},
        "comment": f"exported for case 17, key {p.new('log comment Stripe key', 24, ALNUM, 'rk_live_')}",
        "pages": [{"startedDateTime": "2026-12-01T09:00:00.000Z", "id": "page_1", "pageTimings": {}, **page}],
        "entries": entries + more,
    }
    return {"log": log}, p.secrets
