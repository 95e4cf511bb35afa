"""An Okta incident told in two polls: a vendor notice, then a news report and follow-ups."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry import api as registry_api
from registry.models import Incident, IncidentReference, Item
from vendorwatch import assessments
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.poll import pipeline
from vendorwatch.settings import SourceSettings

REGISTRY = """
vendors:
  - {name: Okta, domains: [okta.com], criticality: critical, users: 800,
     dependencies: [{name: Workforce SSO, kind: sso, users: 800, privilege_scope: admin, trust_width: 30,
                     credentials: [{name: Okta admin API token, kind: api-token}]},
                    {name: SCIM, kind: scim, privilege_scope: write, trust_width: 5, token_binding: device}]}
  - {name: Zendesk, domains: [zendesk.com], criticality: medium,
     dependencies: [{name: Help desk, kind: oauth-grant}]}
"""
NOTICE = (
    "Unauthorized access to Okta's support case management system",
    "https://sec.okta.com/a1",
    "Fri, 20 Nov 2026 21:30:00 +0000",
    "Okta Security identified adversarial activity that used a stolen "
    "credential to access our support case management system. The threat actor viewed HAR files that can "
    "contain session tokens. All affected customers have been notified.",
)
NEWS = (
    "Okta says hackers breached its support system and viewed customer files",
    "https://news.example/n1",
    "Sat, 21 Nov 2026 08:00:00 +0000",
    "Okta said attackers used a stolen credential to access its support "
    "case system and view files uploaded by customers, including session tokens.",
)
SCOPE = (
    "Update: support system breach affected all customer support users",
    "https://sec.okta.com/a2",
    "Tue, 24 Nov 2026 23:00:00 +0000",
    "A report the threat actor ran contained the names and email "
    "addresses of all Okta customer support system users, more customers than initially believed.",
)
VICTIM = (
    "Kestrel Payments says breach traced to session token stolen from Okta support system",
    "https://news.example/n2",
    "Wed, 25 Nov 2026 13:15:00 +0000",
    "Kestrel Payments says attackers reached "
    "its Okta tenant with a session token taken from a HAR file stolen in the Okta support breach.",
)
REPEAT = (
    "Okta support system breach: what we know",
    "https://other.example/n3",
    "Wed, 25 Nov 2026 15:00:00 +0000",
    "Okta disclosed that hackers used a stolen credential to access its support case system and view customer files.",
)
SINCE = datetime(2026, 11, 1, tzinfo=UTC)


def rss(*items: tuple[str, str, str, str]) -> str:
    """A minimal RSS 2.0 document."""
    body = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid><pubDate>{d}</pubDate>"
        f"<description>{s}</description></item>"
        for t, u, d, s in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{body}</channel></rss>'


def write_phase(
    directory: Path,
    okta: list[tuple[str, str, str, str]],
    news: list[tuple[str, str, str, str]],
    other: list[tuple[str, str, str, str]],
) -> Path:
    directory.mkdir()
    for name, items in (("okta", okta), ("news", news), ("other", other)):
        (directory / f"{name}.xml").write_text(rss(*items), encoding="utf-8")
    return directory


@dataclass
class Story:
    """The app after the scenario, the incident, and item ids by link."""

    app: App
    incident_id: int
    items: dict[str, int]
    server: FeedServer

    def poll(self, when: datetime) -> None:
        """Poll at `when`, then assess as the pipeline does: baseline on alert, reassess per follow-up."""
        self.app.clock = lambda: when
        # The story is told in publication order across sources: triage after every source has answered.
        pipeline.poll_once(self.app, since=SINCE, stream=False)
        with self.app.session() as s:
            for incident in s.execute(select(Incident).where(col(Incident.alerted))).scalars():
                assessments.baseline(s, incident, now=when)
                refs = select(IncidentReference).where(col(IncidentReference.incident_id) == incident.id)
                for ref in s.execute(refs.order_by(col(IncidentReference.id))).scalars():
                    assessments.reassess(s, incident, s.get_one(Item, ref.item_id), now=when)
            self.items = {i.url: i.id or 0 for i in s.execute(select(Item)).scalars()}
            self.incident_id = s.execute(select(Incident.id)).scalars().one() or 0


@pytest.fixture
def story(app: App, tmp_path: Path) -> Iterator[Story]:
    """Phase 1 polled and assessed; call `story.phase2()` for the follow-ups."""
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    with app.session() as s:
        registry_api.import_file(s, tmp_path / "registry.yaml")
    phase1 = write_phase(tmp_path / "p1", [NOTICE], [], [])
    with FeedServer(phase1) as server:
        app.settings.channels = ["console"]
        app.settings.sources = [
            SourceSettings(id="okta-security", url=server.url("okta.xml"), vendor="Okta", trust="vendor"),
            SourceSettings(id="newsone", url=server.url("news.xml")),
            SourceSettings(id="othernews", url=server.url("other.xml")),
        ]
        story = Story(app, 0, {}, server)
        story.poll(datetime(2026, 11, 22, tzinfo=UTC))
        yield story


def phase2(story: Story, tmp_path: Path) -> None:
    """A news report, the vendor widens the scope, a downstream victim speaks, another outlet repeats it."""
    story.server.switch(write_phase(tmp_path / "p2", [SCOPE, NOTICE], [VICTIM, NEWS], [REPEAT]))
    story.poll(datetime(2026, 11, 26, tzinfo=UTC))
