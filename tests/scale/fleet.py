"""Helpers for the scale tests and the latency benchmark: a registry, feeds, settings and worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
from email.utils import format_datetime
from pathlib import Path

from registry.types import utcnow

VENDORS = ("Okta", "1Password", "CircleCI", "LastPass", "Duo Security", "JumpCloud")


def registry_yaml(vendors: tuple[str, ...] = VENDORS) -> str:
    """A registry where every vendor is critical, with a dependency and a credential (so breaches alert)."""
    lines = ["vendors:"]
    for name in vendors:
        lines += [
            f"  - name: {name}",
            "    category: identity-provider",
            "    criticality: critical",
            "    owner: iam-team",
            "    dependencies:",
            "      - name: Workforce SSO",
            "        kind: sso",
            "        revocation_sla: 4h",
            "        credentials:",
            f"          - name: {name} admin API token",
            "            kind: api-token",
            "            owner: platform-team",
            "            rotation_sla: 24h",
        ]
    return "\n".join(lines) + "\n"


def breach_title(vendor: str, n: int = 0) -> str:
    """A headline triage reads as a breach of `vendor`."""
    suffix = f" (update {n})" if n else ""
    return f"{vendor} confirms breach of its support system; attackers accessed customer session tokens{suffix}"


def rss(items: list[tuple[str, str]]) -> str:
    """An RSS 2.0 feed of (guid, title) items, published now."""
    when = format_datetime(utcnow(), usegmt=True)
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://example.org/{guid}</link>"
        f"<description>{title}</description><pubDate>{when}</pubDate></item>"
        for guid, title in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'


def slug(vendor: str) -> str:
    """A source id / file name for a vendor."""
    return "".join(c for c in vendor.lower() if c.isalnum())


def settings_toml(db_url: str, feed_base: str, vendors: tuple[str, ...], interval: str, channel: str) -> str:
    """Settings with one vendor-published source per vendor."""
    lines = [
        f'database_url = "{db_url}"',
        'channels = ["slack"]',
        "fetch_timeout_s = 2",
        "",
        "[slack]",
        f'channel = "{channel}"',
        "timeout_s = 3",
        "",
    ]
    for vendor in vendors:
        s = slug(vendor)
        lines += [
            "[[sources]]",
            f'id = "{s}"',
            f'url = "{feed_base}{s}.xml"',
            f'vendor = "{vendor}"',
            'trust = "vendor"',
            f'interval = "{interval}"',
            "",
        ]
    return "\n".join(lines)


def worker_env(config: Path, slack_api_url: str, token: str) -> dict[str, str]:
    """Environment for a `vendorwatch run` subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENDORWATCH_")}
    env.update(VENDORWATCH_CONFIG=str(config), VENDORWATCH_SLACK_API_URL=slack_api_url, SLACK_BOT_TOKEN=token)
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `python -m vendorwatch -v run` with its output in `log`."""
    handle = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "vendorwatch", "-v", "run"], env=env, stdout=handle, stderr=handle)
