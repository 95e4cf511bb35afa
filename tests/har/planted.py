"""A HAR with 80+ planted secrets in every place issue #17 lists, each distinct and known by value.

Values are random-looking (seeded) and in each provider's real shape. This module plants URLs (userinfo,
path, fragment, nested URL-encoded parameters), headers of any name and cookies; `planted_bodies` plants
bodies, HTML, websocket frames, comments, titles and `_` fields.
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tests.har.builders import entry, header

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
UPPER = string.ascii_uppercase + string.digits


@dataclass
class Plant:
    """Makes random-looking secrets and records each as (place, value)."""

    rng: random.Random = field(default_factory=lambda: random.Random(1717))
    secrets: list[tuple[str, str]] = field(default_factory=list)

    def rand(self, n: int, alphabet: str = ALNUM) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def __call__(self, place: str, value: str) -> str:
        self.secrets.append((place, value))
        return value

    def new(self, place: str, n: int = 32, alphabet: str = ALNUM, prefix: str = "") -> str:
        return self(place, prefix + self.rand(n, alphabet))

    def jwt(self, place: str, *, jwe: bool = False) -> str:
        head = _b64u({"alg": "RSA-OAEP" if jwe else "RS256", "kid": self.rand(8)})
        body = "" if jwe else _b64u({"sub": self.rand(10), "scope": "openid"})
        parts = [self.rand(40, ALNUM + "-_") for _ in range(4 if jwe else 1)]
        return self(place, ".".join([head, body, *parts]) if jwe else f"{head}.{body}.{parts[0]}")


def _b64u(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def url_entries(p: Plant) -> list[dict[str, Any]]:
    pw, code = p.new("url userinfo password", 14), p.new("url query code")
    path_tok, frag = p.new("url path segment after /reset/", 40), p.new("url #access_token", 36)
    nested, twice = p.new("access_token URL-encoded in fromURI", 30), p.new("id_token URL-encoded twice", 28)
    jwt_path, sas = p.jwt("JWT as a URL path segment"), p.new("Azure SAS sig", 43, prefix="Zx")
    ticket = p("CAS ticket", f"ST-{p.rng.randint(10**5, 10**6)}-{p.rand(20)}-cas01")
    semi = p("password with ; in a query", f"{p.rand(6)};{p.rand(8)}")
    inner = quote(f"https://app.example.org/cb?state=ok&access_token={nested}&t=1", safe="")
    relay = quote(quote(f"/home?id_token={twice}", safe=""), safe="")
    saml_request = quote(p.new("SAMLRequest (deflated)", 60, ALNUM + "+/"))
    return [
        entry({"url": f"https://svc:{pw}@ftp.example.org/files?code={code}&view=1"}),
        entry({"url": f"https://app.example.org/reset/{path_tok}/confirm"}),
        entry({"url": f"https://app.example.org/home#access_token={frag}&expires_in=3600"}),
        entry({"url": f"https://login.example.org/login?fromURI={inner}&RelayState={relay}"}),
        entry({"url": f"https://api.example.org/v2/session/{jwt_path}/refresh"}),
        entry({"url": f"https://acct.blob.core.windows.net/c/b.pdf?sv=2024-01-01&sr=b&sp=r&sig={sas}%3D"}),
        entry({"url": f"https://cas.example.org/app/?ticket={ticket}"}),
        entry({"url": f"https://legacy.example.org/login?user=ops&password={semi}"}),
        entry({"url": f"https://api.example.org/items?api_key={p.new('query api_key', 32)}&limit=5"}),
        entry(
            {
                "url": f"https://idp.example.org/sso?SAMLRequest={saml_request}",
                "queryString": [header("SAMLRequest", "fZJNT8MwDIb")],
            }
        ),
        entry({"url": f"https://app.example.org/magic-link/{p.new('magic-link path token', 43, ALNUM + '_-')}"}),
    ]


def header_entries(p: Plant) -> list[dict[str, Any]]:
    sid, csrf = p.new("Cookie __Host-sid"), p.new("Cookie csrftoken")
    digest = p.new("Digest response", 32, HEX)
    aws_id, aws_sig = p.new("AWS4 Credential key id", 16, UPPER, "AKIA"), p.new("AWS4 Signature", 64, HEX)
    request_headers = {
        "Authentication": f"Bearer {p.new('Authentication: Bearer', 40)}",
        "X-Custom-Auth": p.new("X-Custom-Auth"),
        "X-Hub-Signature-256": "sha256=" + p.new("X-Hub-Signature-256", 64, HEX),
        "X-Vendor": "SSWS " + p.new("Okta SSWS in a custom header", 40, ALNUM + "_-", "00"),
        "Authorization": f'Digest username="ops", realm="r", nonce="n1", response="{digest}"',
        "Proxy-Authorization": "Negotiate " + p.new("Negotiate", 60, prefix="YII"),
        "X-Amz-Security-Token": p.new("X-Amz-Security-Token", 120, ALNUM + "/+"),
        "X-Goog-Api-Key": p.new("Google key in a header", 35, ALNUM + "_-", "AIza"),
        "X-Request-Context": "Token " + p.new("Token scheme in an unknown header", 40),
        "X-Debug": "basic " + p("Basic credentials in X-Debug", b64(f"ops:{p.rand(12)}")),
        "Cookie": f"theme=dark; __Host-sid={sid}; csrftoken={csrf}",
        "X-Signed": f"AWS4-HMAC-SHA256 Credential={aws_id}/20261201/us-east-1/s3/aws4_request, Signature={aws_sig}",
    }
    response = {
        "headers": [
            header("Set-Cookie", f"session={p.new('Set-Cookie session', 40)}; Path=/; Secure; HttpOnly"),
            header("X-Api-Token", p.new("GitLab token in X-Api-Token", 20, ALNUM + "_-", "glpat-")),
            header("Location", f"https://app.example.org/cb#id_token={p.jwt('Location #id_token')}"),
        ],
        "cookies": [{"name": "refresh", "value": p.new("response.cookies refresh", 48), "httpOnly": True}],
    }
    request = {"headers": [header(k, v) for k, v in request_headers.items()], "cookies": [header("__Host-sid", sid)]}
    return [entry(request, response)]
