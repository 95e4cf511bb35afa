"""Who may read the dashboard: loopback only by default, else a bearer token or a trusted reverse proxy.

The bind is checked before the server starts: a non-loopback address without an auth mode is refused.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from vendorwatch.settings import ConfigError, Settings

LOOPBACK_NAMES = ("localhost",)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Access:
    """The checked auth mode of one server; `token` is only held in memory, never shown."""

    mode: str
    token: str | None
    proxies: tuple[Network, ...]
    user_header: str

    def __repr__(self) -> str:
        return f"Access(mode={self.mode!r}, proxies={len(self.proxies)})"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def configure(settings: Settings, host: str) -> Access:
    """The access policy for serving on `host`, or ConfigError naming the setting to fix."""
    serve = settings.serve
    if serve.auth == "none" and not is_loopback(host):
        raise ConfigError(
            f"serve: host {host} is not loopback: set serve.auth = 'bearer' (token in VENDORWATCH_SERVE_TOKEN) "
            "or 'proxy' (with serve.trusted_proxies); see docs/serve.md"
        )
    token = settings.secret("serve_bearer")
    if serve.auth == "bearer" and token is None:
        raise ConfigError('serve.auth = "bearer" needs VENDORWATCH_SERVE_TOKEN in the environment')
    proxies: list[Network] = []
    for i, value in enumerate(serve.trusted_proxies):
        try:
            proxies.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ConfigError(f"serve.trusted_proxies[{i}]: {value!r} is not an address or network") from None
    if serve.auth == "proxy" and not proxies:
        raise ConfigError('serve.auth = "proxy" needs serve.trusted_proxies (the proxy\'s addresses)')
    secret = token.get_secret_value() if token and serve.auth == "bearer" else None
    return Access(serve.auth, secret, tuple(proxies), serve.proxy_user_header)


def viewer(access: Access, client_host: str | None, headers: Mapping[str, str]) -> str | None:
    """Who is asking (a name for the logs), or None when the request must be refused."""
    if access.mode == "none":
        return "local" if client_host is not None and is_loopback(client_host) else None
    if access.mode == "bearer":
        given = headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        ok = access.token is not None and scheme.lower() == "bearer"
        # compare_digest on bytes: constant time whatever the length or characters of the guess.
        return "bearer" if ok and hmac.compare_digest(value.strip().encode(), (access.token or "").encode()) else None
    if client_host is None or not _from_proxy(access, client_host):
        return None
    user = headers.get(access.user_header.lower(), "").strip()
    return user[:200] if user else None


def _from_proxy(access: Access, client_host: str) -> bool:
    try:
        address = ipaddress.ip_address(client_host)
    except ValueError:
        return False
    return any(address in network for network in access.proxies)
