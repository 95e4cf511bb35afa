"""Credential formats recognised by value alone, wherever they sit, and the high-entropy test.

One row per format: (kind, regex, group whose span is the secret). Provider prefixes follow each
vendor's documented token format; see docs/har.md for why this is our own table.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from vendorwatch.har.patterns import Hit, is_inert

B64 = r"A-Za-z0-9+/=%"  # base64, also when URL-encoded (%2B, %2F, %3D)
AWS_PREFIXES = ("A3T", "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AROA")
# Literal first, then the boundary as a lookbehind: a leading lookbehind would stop the regex engine
# from searching for the literal, which is ~5x slower on big bodies (likewise in the rows below).
AWS_ID = r"A(?<![A-Z0-9]A)(?:3T[A-Z0-9]|KIA|SIA|BIA|CCA|GPA|ROA)[A-Z0-9]{16}(?![A-Z0-9])"
AWS_PAIR = r".{1,80}?(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"  # the secret key near its id
AWS_SECRET = r"(?i)aws.{0,30}?(?:secret|key).{0,20}?[\"'=:\s]([0-9a-zA-Z/+]{40})(?![0-9a-zA-Z/+])"
PEM = (
    r"-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:[^-\"]|-(?!----END))*+"
    r"(?:-----END [A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----)?"
)


Format = tuple[str, re.Pattern[str], int, tuple[str, ...], Callable[[str], bool] | None]
SCHEMES = ("bearer", "basic", "ssws", "token", "negotiate", "ntlm", "mac")
SCHEME_FIRST = "".join(sorted({c for s in SCHEMES for c in s[0] + s[0].upper()}))  # a charset the engine skips by


def _f(
    kind: str,
    pattern: str,
    group: int = 0,
    flags: int = 0,
    needles: tuple[str, ...] = (),
    check: Callable[[str], bool] | None = None,
) -> Format:
    """A table row. `needles`: literal strings one of which every match contains, checked first because
    `in` is ~50x faster than a regex without a literal prefix on a 60 MB body; `check` confirms a match."""
    return kind, re.compile(pattern, flags), group, needles, check


def _saml_b64(blob: str) -> bool:
    """A long base64 run that decodes to SAML XML (any prefix, any namespace alias)."""
    try:
        head = base64.b64decode(unquote(blob[:800])[:640], validate=False)
    except (binascii.Error, ValueError):
        return False
    return b"urn:oasis:names:tc:SAML" in head or b"<saml" in head.lower()


FORMATS: tuple[Format, ...] = (
    # JWS/JWT (3 parts, the payload need not be JSON) and JWE (5 parts); `alg: none` has an empty signature.
    _f("jwt", r"eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){2,4}"),
    _f("private-key", PEM),  # stops at a `"`: in a JSON body the key ends with its string
    _f("private-key", r"PuTTY-User-Key-File-\d: .*?Private-MAC: [0-9a-f]+", flags=re.S),
    # SAML in base64 (`<samlp:`, `<saml:`, `<saml2p:`, `<?xml ...`) and as raw XML elements.
    _f("saml", rf"(?:PHNhbWxw|PHNhbWw6|PHNhbWwy|PD94bWwg)[{B64}]{{40,}}"),
    _f("saml", r"<(saml2?p?):(Response|Assertion|EncryptedAssertion)\b.*?</\1:\2>", flags=re.S),
    _f(
        "saml",
        r"<((?:\w+:)?)(Response|Assertion|EncryptedAssertion)\b[^>]*urn:oasis:names:tc:SAML.*?</\1\2>",
        flags=re.S,
    ),
    # XML starts with `<`, so its base64 starts with `P`: a literal first lets the regex engine skip ahead.
    _f("saml", r"P(?<![A-Za-z0-9+/%]P)(?:[A-Za-z0-9+/]|%2[BbFf]){199,}(?:=|%3[Dd]){0,2}", check=_saml_b64),
    _f("aws-access-key", AWS_ID, needles=AWS_PREFIXES),
    _f("aws-secret-key", AWS_SECRET, 1, needles=("aws", "AWS", "Aws")),
    _f("aws-secret-key", AWS_ID + AWS_PAIR, 1, re.S, needles=AWS_PREFIXES),
    _f("api-key", r"AIza[0-9A-Za-z_-]{35}"),  # Google
    _f(
        "api-key",
        r"g(?<!\wg)(?:h[pousr]_[A-Za-z0-9_]{30,}|ithub_pat_[A-Za-z0-9_]{30,})",
        needles=("gh", "github_pat_"),
    ),
    _f("api-key", r"gl(?<!\wgl)(?:pat|dt|rt|ptt|ft|soat|cbt|imt|oas)-[A-Za-z0-9_-]{20,}", needles=("gl",)),
    _f("api-key", r"x(?<!\wx)(?:ox[abposre]|app)-[A-Za-z0-9-]{10,}", needles=("xox", "xapp-")),  # Slack
    _f("access-token", r"ya29\.[0-9A-Za-z_-]{20,}", needles=("ya29.",)),  # Google OAuth access token
    _f("refresh-token", r"1//0(?<![\w/]1//0)[0-9A-Za-z_-]{30,}", needles=("1//0",)),  # Google OAuth refresh token
    _f("webhook-url", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{16,}"),
    _f(
        "api-key",
        r"\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}|\bwhsec_[0-9A-Za-z]{20,}",
        needles=("_live_", "_test_", "whsec_"),
    ),  # Stripe
    _f("api-key", r"npm_(?<!\wnpm_)[A-Za-z0-9]{36}\b", needles=("npm_",)),
    _f("api-key", r"[SA](?<![A-Za-z0-9][SA])[KC](?<=SK|AC)[0-9a-f]{32}(?![A-Za-z0-9])", needles=("SK", "AC")),  # Twilio
    _f("api-key", r"SG\.(?<!\wSG\.)[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}", needles=("SG.",)),  # SendGrid
    _f("api-key", r"sk-(?<!\wsk-)(?:proj-|ant-)?[A-Za-z0-9_-]{32,}", needles=("sk-",)),  # OpenAI, Anthropic
    _f("api-key", r"pypi-AgE[A-Za-z0-9_-]{50,}", needles=("pypi-",)),
    _f("api-key", r"\b[0-9a-f]{32}-us[0-9]{1,2}\b", needles=("-us",)),  # Mailchimp
    _f("api-key", r"sq0(?:csp|atp)-[0-9A-Za-z_-]{22,}", needles=("sq0",)),  # Square
    _f("api-key", r"00(?<![A-Za-z0-9_-]00)[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])", needles=("00",)),  # Okta (SSWS)
    _f("azure-key", r"AccountKey=([A-Za-z0-9+/=]{40,})", 1),
    _f("signed-url-signature", r"[?&;]sig=([A-Za-z0-9%+/=_-]{10,})", 1),  # Azure SAS
    # An auth scheme followed by credentials in free text (comments, frames, logs in bodies).
    _f(
        "authorization-other",
        rf"(?=[{SCHEME_FIRST}])\b(?:{'|'.join(SCHEMES)})[ \t]+([A-Za-z0-9._~+/=-]{{8,}})",
        1,
        re.I,
        needles=tuple(w for s in SCHEMES for w in (s, s.capitalize(), s.upper())),
    ),
    _f("authorization-other", r"AWS4-HMAC-SHA256[ \t]+(Credential=[^\r\n\"']{10,})", 1),
    _f(
        "authorization-other",
        r"\bDigest[ \t]+((?:\w+=(?:\\?\"[^\"\\]*\\?\"|[^,\s\"]*),?[ \t]*){2,})",
        1,
        needles=("Digest",),
    ),
    _f(
        "password",
        r"://(?<=[a-z0-9+.-]://)[^\s/?#@:\"'<>]{0,64}:([^\s/?#@\"'<>]{1,128})@",
        1,
        re.I,
        needles=("://",),
    ),  # URL userinfo
)
# A scheme word alone is not enough in prose ("Bearer authentication"): the credential must not be a word.
NOT_A_WORD = frozenset({"authorization-other"})


def format_hits(text: str) -> list[Hit]:
    """Hits for every known credential format in the text."""
    hits = []
    for kind, regex, group, needles, check in FORMATS:
        for m in _matches(regex, text, needles):
            secret = m.group(group)
            if not secret or is_inert(secret) or (kind in NOT_A_WORD and secret.isalpha()):
                continue
            if check and not check(secret):
                continue
            hits.append(Hit(kind, kind, m.start(group), m.end(group), secret))
    return hits


WINDOW_BACK, WINDOW_AHEAD, MAX_WINDOWS = 64, 4096, 16


def _matches(regex: re.Pattern[str], text: str, needles: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """All matches; with needles, only searched near where a needle occurs (or skipped if none does)."""
    if not needles:
        yield from regex.finditer(text)
        return
    starts: list[int] = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            if len(starts) == MAX_WINDOWS:  # a common needle: one pass over the text is cheaper
                yield from regex.finditer(text)
                return
            starts.append(i)
            i = text.find(needle, i + 1)
    seen: set[tuple[int, int]] = set()
    for i in sorted(starts):
        pos, end = max(0, i - WINDOW_BACK), i + WINDOW_AHEAD
        for m in regex.finditer(text, pos, end):
            if m.end() >= end:  # may run past the window: take it from the whole text
                m = regex.match(text, m.start()) or m
            if m.span() not in seen:
                seen.add(m.span())
                yield m


WORDS_RE = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[a-z]+(?:[_.-][a-z]+)*|[A-Z]+(?:_[A-Z]+)*")


def entropy(value: str) -> float:
    """Shannon entropy of the string in bits per character."""
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def looks_random(value: str) -> bool:
    """True when a value looks like a generated token: long enough, mixed characters, high entropy."""
    v = value.strip()
    if len(v) < 8 or len(v) > 20_000 or any(c.isspace() for c in v) or "://" in v or is_inert(v):
        return False
    if WORDS_RE.fullmatch(v):  # `Response`, `SomeWordHere`, `pending-approval`: words, not tokens
        return False
    classes = sum((any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v)))
    return (classes >= 2 or (len(v) >= 32 and v.isalnum())) and entropy(v) >= min(3.0, math.log2(len(v)) - 0.5)
