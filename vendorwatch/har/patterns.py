"""What counts as a secret: sensitive names, header rules and patterns, applied to one string.

Each scanner returns `Hit`s: a kind, a readable sub-location, the span of the raw text to replace and
the decoded secret that is fingerprinted. Sources: PITFALLS.md "HAR files" and issue #8.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote_plus

from vendorwatch.har.model import PLACEHOLDER_RE


@dataclass(frozen=True)
class Hit:
    """A secret inside one string: text[start:end] is replaced; `secret` (decoded) is fingerprinted."""

    kind: str
    label: str
    start: int
    end: int
    secret: str


# Normalised name (lower case, letters and digits only) -> kind, for query, form and JSON keys.
NAMES: dict[str, str] = {
    **dict.fromkeys(("password", "passwd", "pwd", "pw", "pass", "passphrase", "passcode"), "password"),
    "relaystate": "relay-state",  # often an opaque server-side handle that resumes a sign-in
    **dict.fromkeys(("clientsecret", "secret", "apisecret", "consumersecret"), "client-secret"),
    **dict.fromkeys(("code", "authorizationcode", "authcode", "devicecode", "usercode"), "oauth-code"),
    **dict.fromkeys(("recoverycode", "backupcode", "recoverycodes", "backupcodes"), "mfa-code"),
    "codeverifier": "code-verifier",
    "state": "oauth-state",
    **dict.fromkeys(("accesstoken", "xamzsecuritytoken", "bearertoken"), "access-token"),
    "idtoken": "id-token",
    "refreshtoken": "refresh-token",
    **dict.fromkeys(("token", "authtoken", "apitoken"), "token"),
    **dict.fromkeys(("samlresponse", "wresult", "samlart"), "saml-response"),  # SAML, WS-Fed, artifact
    "samlrequest": "saml-request",
    **dict.fromkeys(("sig", "signature", "xamzsignature", "xgoogsignature"), "signed-url-signature"),
    **dict.fromkeys(
        ("sessiontoken", "sessionid", "sid", "jsessionid", "phpsessid", "session", "statetoken"),
        "session-id",
    ),
    **dict.fromkeys(
        ("csrf", "csrftoken", "xsrftoken", "authenticitytoken", "csrfmiddlewaretoken"),
        "csrf-token",
    ),
    "requestverificationtoken": "csrf-token",
    **dict.fromkeys(("apikey", "xapikey", "subscriptionkey"), "api-key"),
    **dict.fromkeys(("otp", "totp", "mfacode", "verificationcode", "pin", "passcode2fa", "smscode"), "mfa-code"),
    **dict.fromkeys(("ticket", "serviceticket", "proxyticket", "logintoken"), "ticket"),
    **dict.fromkeys(("authorization", "proxyauthorization", "authentication"), "authorization-other"),
    **dict.fromkeys(("clientassertion", "assertion"), "client-assertion"),
    "privatekey": "private-key",
}
# In JSON these names are mostly error codes and UI state; only an OAuth exchange makes them secret.
OAUTH_CONTEXT_ONLY = frozenset({"code", "state"})
OAUTH_CONTEXT_RE = re.compile(r"grant_type|redirect_uri|code_verifier")
INERT = frozenset({"redacted", "hidden", "removed", "filtered", "masked", "null", "none", "undefined", "true", "false"})

# A value runs to `&`/`#` or a `; ` (cookie style), not a bare `;`: `password=abc;def` is one password.
PARAM_RE = re.compile(r"(?:^|(?<=[?&#;\s'\"`]))([A-Za-z0-9_.\-\[\]%]{1,64})=((?:[^&#\s\"'<>\\;]|;(?!\s))*)")
JSON_KV_RE = re.compile(r'"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"')
COOKIE_RE = re.compile(r"(?:^|;)\s*([^=;\s]+)=\s*([^;]*?)\s*(?=;|$)")
SET_COOKIE_RE = re.compile(r"^\s*([^=;\s]+)=\s*([^;\r\n]*?)\s*(?=;|$)", re.M)
AUTH_RE = re.compile(r"^\s*(\S+)\s+(\S.*?)\s*$", re.S)
AUTH_SCHEMES = frozenset({"bearer", "basic", "digest", "negotiate", "ntlm", "token", "ssws", "aws4-hmac-sha256"})
# Challenges and handshake nonces, not credentials.
NOT_SECRET_HEADERS = frozenset(
    {"sec-websocket-key", "sec-websocket-accept", "idempotency-key", "www-authenticate", "proxy-authenticate"}
    | {":authority"}
)
# Header-name parts that mark the whole value as a credential (`Authentication`, `X-Custom-Auth`,
# `X-Hub-Signature-256`, `X-Okta-Token`, ...): matching any part fails closed on unknown vendors.
SECRET_HEADER_PARTS = ("auth", "token", "secret", "signature", "password", "credential", "ticket", "apikey", "api-key")


def norm(name: str) -> str:
    """Lower-case a parameter or key name and keep letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=4096)  # JSON bodies repeat the same few keys thousands of times
def name_kind(name: str) -> str | None:
    """Kind of secret a parameter/JSON key of this name holds, or None."""
    n = norm(name)
    if n in NAMES:
        return NAMES[n]
    if "password" in n or "passwd" in n:
        return "password"
    if "privatekey" in n:
        return "private-key"
    if "secret" in n:
        return "client-secret"
    if "apikey" in n or "accesskey" in n:
        return "api-key"
    if n.endswith("token") and "type" not in n:
        return "csrf-token" if ("csrf" in n or "xsrf" in n) else "token"
    return None


def is_inert(value: str) -> bool:
    """True for values that cannot be a secret: empty, masked, or already a placeholder."""
    v = value.strip().strip("\"'[]<>{}")
    if len(v) < 3 or v.lower() in INERT or "redacted" in v.lower():
        return True
    return len(set(v)) == 1 or PLACEHOLDER_RE.fullmatch(value.strip()) is not None


def header_kind(name: str) -> str | None:
    """Kind for a header whose whole value is a secret (API-key, CSRF, session headers)."""
    n = name.lower()
    if n in NOT_SECRET_HEADERS:
        return None
    if "csrf" in n or "xsrf" in n:
        return "csrf-token"
    if "session" in n:
        return "session-id"
    if any(s in n for s in SECRET_HEADER_PARTS) or n.endswith(("-key", "_key", "-sig", "-pin", "-otp")):
        return "api-key-header"
    return None


def whole(kind: str, value: str, label: str = "", decode: bool = False) -> list[Hit]:
    """One hit spanning the whole value (after trimming), unless the value is inert."""
    raw = value.strip()
    if is_inert(raw):
        return []
    start = value.index(raw)
    secret = unquote_plus(raw) if decode else raw
    return [Hit(kind, label, start, start + len(raw), secret)]


def header_hits(name: str, value: str) -> list[Hit]:
    """Secrets a header carries by its name: cookies, Authorization schemes, key/CSRF headers."""
    n = name.lower()
    if n == "cookie":
        return _pairs(COOKIE_RE, "cookie", value)
    if n == "set-cookie":
        return _pairs(SET_COOKIE_RE, "set-cookie", value)
    by_name = header_kind(name)
    if n in ("authorization", "proxy-authorization") or (by_name and _has_scheme(value)):
        m = AUTH_RE.match(value)
        if not m and value.strip().lower() in AUTH_SCHEMES:
            return []
        if not m:
            return whole("authorization-other", value)
        scheme = m.group(1).lower()
        kind = {"bearer": "authorization-bearer", "basic": "authorization-basic"}.get(scheme, "authorization-other")
        creds = m.group(2)
        return [] if is_inert(creds) else [Hit(kind, "", m.start(2), m.end(2), creds)]
    return whole(by_name, value) if by_name else []


def _has_scheme(value: str) -> bool:
    head = value.strip().split(" ", 1)
    return len(head) == 2 and head[0].lower() in AUTH_SCHEMES


def _pairs(regex: re.Pattern[str], kind: str, value: str) -> list[Hit]:
    hits = []
    for m in regex.finditer(value):
        raw = m.group(2)
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        if not is_inert(raw):
            start = value.index(raw, m.start(2))
            hits.append(Hit(kind, m.group(1), start, start + len(raw), raw))
    return hits
