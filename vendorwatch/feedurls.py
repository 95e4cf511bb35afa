"""Feed URLs that carry credentials are secrets: refused in the settings file, read from the environment.

A source writes `url_env = "OKTA_FEED_URL"` instead of `url`; the URL is read from that variable (or the
file named by `OKTA_FEED_URL_FILE`), like the webhook URL. The database keeps only `env:OKTA_FEED_URL`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ENV_PREFIX = "env:"
_SECRET_ENDINGS = (
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "pwd",
    "sig",
    "signature",
    "jwt",
    "session",
    "sessionid",
    "auth",
    "authorization",
    "credential",
    "credentials",
)
_JWT = re.compile(r"^eyJ[\w-]+\.[\w-]+")
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_.~-]{32,}$")


class UrlSecretError(ValueError):
    """A URL that holds a credential, or a secret variable that cannot be read."""


def credential_in(url: str) -> str | None:
    """What in `url` looks like a credential (never the value itself), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None  # not a URL at all: the field's own pattern says so
    if parts.username is not None or parts.password is not None:
        return "a user:password part"
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        normal = re.sub(r"[^a-z0-9]", "", name.lower())  # api_key, api-key, X-Api-Key, apiKey
        if normal.endswith(_SECRET_ENDINGS) or any(w in normal for w in ("token", "secret", "password")):
            return f"the query parameter {name[:40]!r}"
        if _JWT.match(value) or (_OPAQUE.match(value) and re.search(r"\d", value) and re.search(r"[A-Za-z]", value)):
            return f"a token-like value in the query parameter {name[:40]!r}"
    return None


def refusal(what: str) -> str:
    """The message for a credential found in the settings file."""
    return (
        f"contains credentials ({what}); keep the URL out of the file: set it in an environment variable "
        'and name that here with url_env = "MY_FEED_URL" (or point MY_FEED_URL_FILE at a secret file)'
    )


def read_env_secret(var: str) -> str | None:
    """The value of `var`, or of the file named by `var_FILE`; None when neither is set."""
    value = os.environ.get(var)
    if not value and os.environ.get(f"{var}_FILE"):
        try:
            value = Path(os.environ[f"{var}_FILE"]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UrlSecretError(f"{var}_FILE: cannot read the file ({exc.strerror})") from None
    return value or None


def env_url(var: str) -> str:
    """The http(s) URL held by environment variable `var` (or its _FILE)."""
    value = read_env_secret(var)
    if value is None:
        raise UrlSecretError(f"{var} is not set (nor {var}_FILE)")
    if not re.match(r"^https?://", value):
        raise UrlSecretError(f"{var} must hold an http(s) URL")
    return value


def fetch_url(stored: str) -> str:
    """The URL to fetch for a stored source URL: `env:VAR` is read from the environment (see env_url)."""
    return env_url(stored[len(ENV_PREFIX) :]) if stored.startswith(ENV_PREFIX) else stored
