"""Tiny RSS feeds for pipeline tests, written to a directory a FeedServer serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

REGISTRY = """\
vendors:
  - name: Okta
    domains: [okta.com]
    category: identity-provider
    criticality: critical
    owner: iam-team
    dependencies:
      - name: Workforce SSO
        kind: sso
        revocation_sla: 4h
        credentials:
          - {name: Okta admin API token, kind: api-token, owner: platform-team, rotation_sla: 24h}
  - name: CircleCI
    domains: [circleci.com]
    category: ci-cd
    criticality: high
    owner: platform-team
    dependencies:
      - name: Deploy pipelines
        kind: api-token
        revocation_sla: 8h
        credentials:
          - {name: CircleCI project token, kind: api-token, rotation_sla: 12h}
"""

OKTA_BREACH = (
    "Okta confirms breach of its support case system; attackers stole customer session tokens",
    "Okta said an attacker used a stolen credential to access its support case management system and "
    "view files uploaded by customers, including HAR files containing session tokens.",
)
OKTA_FOLLOW_UP = (
    "Okta says support system breach affected all customer support users",
    "Okta's root-cause update says the attacker downloaded a report naming all users of its "
    "customer support system, more than initially disclosed.",
)
CIRCLECI_BREACH = (
    "CircleCI breach: rotate all secrets now, company warns",
    "CircleCI says an attacker gained unauthorised access to its systems and customers must "
    "rotate every secret and API token stored in the platform.",
)


def rss(items: list[tuple[str, str]], *, base: str = "https://news.example/", start: datetime | None = None) -> str:
    """An RSS 2.0 document with one item per (title, summary), an hour apart, newest last."""
    start = start or datetime.now(UTC) - timedelta(days=1)
    entries = []
    for n, (title, summary) in enumerate(items):
        when = format_datetime(start + timedelta(hours=n))
        link = f"{base}{n}-{abs(hash(title)) % 10**8}"
        entries.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{when}</pubDate><description>{escape(summary)}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example/</link>'
        "<description>d</description>" + "".join(entries) + "</channel></rss>"
    )


def write_feed(directory: Path, name: str, items: list[tuple[str, str]], **kw: object) -> Path:
    """Write `items` as directory/name.xml."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.xml"
    path.write_text(rss(items, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return path
