"""Fixtures for end-to-end pipeline tests: a registry, loopback feeds and the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from registry import api as registry_api
from tests.notify.teams_standin import teams_standin  # noqa: F401 (fixture)
from tests.pipeline.feeds import REGISTRY
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings, SourceSettings


@pytest.fixture
def feeds_dir(tmp_path: Path) -> Path:
    """The directory the feed server serves (tests write feeds into it)."""
    path = tmp_path / "feeds"
    path.mkdir()
    return path


@pytest.fixture
def feed_server(feeds_dir: Path) -> Iterator[FeedServer]:
    """A loopback server for feeds_dir."""
    with FeedServer(feeds_dir) as server:
        yield server


@pytest.fixture
def slack_app(
    db_url: str, tmp_path: Path, feed_server: FeedServer, slack_standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    """An App with two news sources on loopback, alerts to the Slack stand-in, the registry imported."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack_standin.token)
    sources = [SourceSettings(id=name, url=feed_server.url(f"{name}.xml")) for name in ("wire", "blog")]
    settings = Settings(database_url=db_url, sources=sources, channels=["slack"])
    settings.slack.api_url = slack_standin.api_url
    settings.slack.min_interval_s = 0.1  # Slack's ~1/s per channel, scaled down to keep the tests short
    app = App(settings=settings)
    registry_file = tmp_path / "registry.yaml"
    registry_file.write_text(REGISTRY, encoding="utf-8")
    with app.session() as s:
        registry_api.import_file(s, registry_file)
    yield app
    app.engine.dispose()
