"""Fixtures: an App on a controllable clock with a small registry of vendors of each criticality."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from registry import api as registry_api
from tests.slack_standin import SlackStandIn, slack_standin  # noqa: F401
from vendorwatch.app import App
from vendorwatch.settings import Settings

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

REGISTRY = """\
vendors:
  - name: Okta
    domains: [okta.com]
    criticality: critical
    owner: iam-team
    dependencies:
      - name: Workforce SSO
        kind: sso
        revocation_sla: 4h
  - name: GitHub
    criticality: high
    owner: platform-team
  - name: Zoom
    criticality: low
  - name: Vault
    criticality: critical
    review_cadence: 30d
"""


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def review_app(
    db_url: str,
    tmp_path: Path,
    clock: Clock,
    slack_standin: SlackStandIn,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[App]:
    """An App with the registry above, Slack pointed at the stand-in, owners mapped to Slack handles."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack_standin.token)
    settings = Settings(database_url=db_url, channels=["slack"], owners={"iam-team": "@iam-oncall"})
    settings.slack.api_url = slack_standin.api_url
    app = App(settings=settings, clock=clock)
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    with app.session() as s:
        registry_api.import_file(s, path)
    yield app
    app.engine.dispose()
