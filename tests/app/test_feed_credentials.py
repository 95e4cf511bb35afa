"""Feed URLs with credentials: refused in the settings file (key named, value never echoed), read from the
environment through `url_env`, and never stored in clear."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel
from typer.testing import CliRunner

from registry.models import Source
from tests.pipeline.feeds import OKTA_BREACH, write_feed
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.feedserver import FeedServer
from vendorwatch.poll import pipeline
from vendorwatch.poll.sources import sync_sources, to_config
from vendorwatch.settings import ConfigError, Settings, SourceSettings, load_settings

SECRET = "s3cr3tvalue"


def _toml(tmp_path: Path, source: str, db: str = "sqlite:///x.db") -> Path:
    path = tmp_path / "vendorwatch.toml"
    path.write_text(f'database_url = "{db}"\n[[sources]]\nid = "okta"\n{source}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("url", "what"),
    [
        (f"https://user:{SECRET}@feeds.example/okta.xml", "a user:password part"),
        (f"https://feeds.example/okta.xml?api_key={SECRET}", "the query parameter 'api_key'"),
        (f"https://feeds.example/okta.xml?format=rss&X-Auth-Token={SECRET}", "the query parameter 'X-Auth-Token'"),
        ("https://feeds.example/okta.xml?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "a token-like value"),
        ("https://feeds.example/okta.xml?id=8f14e45fceea167a5a36dedd4bea2543", "a token-like value"),
    ],
)
def test_a_feed_url_with_credentials_is_refused(tmp_path: Path, url: str, what: str, runner: CliRunner) -> None:
    path = _toml(tmp_path, f'url = "{url}"', db=f"sqlite:///{tmp_path / 'vw.db'}")
    result = runner.invoke(cli, ["--config", str(path), "init"], env={"VENDORWATCH_CONFIG": ""})
    assert result.exit_code == 2
    assert f"sources.0.url: Value error, contains credentials ({what}" in result.stderr
    assert 'url_env = "MY_FEED_URL"' in result.stderr
    assert SECRET not in result.output and "eyJ" not in result.output
    assert not (tmp_path / "vw.db").exists(), "nothing written"


def test_an_ordinary_query_is_fine(tmp_path: Path) -> None:
    settings = load_settings(_toml(tmp_path, 'url = "https://feeds.example/rss?keywords=okta&page=2"'))
    assert settings.sources[0].url.endswith("page=2")


def test_url_env_reads_the_secret_url_and_only_its_name_is_stored(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_url = f"https://user:{SECRET}@feeds.example/okta.xml?api_key={SECRET}"
    (tmp_path / "feed-url").write_text(secret_url + "\n", encoding="utf-8")
    monkeypatch.setenv("OKTA_FEED_URL_FILE", str(tmp_path / "feed-url"))
    settings = load_settings(_toml(tmp_path, 'url_env = "OKTA_FEED_URL"'))
    with app.session() as s:
        sync_sources(s, settings.sources)
    with app.session() as s:
        row = s.execute(select(Source)).scalar_one()
        assert row.url == "env:OKTA_FEED_URL"
        assert to_config(row).url == secret_url


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('url_env = "OKTA_FEED_URL"', "url_env: OKTA_FEED_URL is not set (nor OKTA_FEED_URL_FILE)"),
        ('url = "https://feeds.example/a.xml"\nurl_env = "OKTA_FEED_URL"', "give either url or url_env"),
        ("", "give either url or url_env"),
        ('url = "https://feeds.example/a.xml"\ninterval = "500000w"', "sources.0.interval"),
    ],
)
def test_url_env_mistakes_are_named(tmp_path: Path, source: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OKTA_FEED_URL", raising=False)
    with pytest.raises(ConfigError, match=r"sources\.0") as err:
        load_settings(_toml(tmp_path, source))
    assert message in str(err.value)


def _all_rows(app: App) -> str:
    with app.engine.connect() as conn:
        return repr([conn.execute(table.select()).all() for table in SQLModel.metadata.sorted_tables])


def test_a_secret_feed_url_is_fetched_never_stored_and_a_missing_one_fails_alone(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    write_feed(tmp_path, "okta", [OKTA_BREACH])
    with FeedServer(tmp_path) as server:
        secret_url = server.url("okta.xml").replace("//", f"//svc:{SECRET}@") + f"?api_key={SECRET}"
        monkeypatch.setenv("OKTA_FEED_URL", secret_url)
        monkeypatch.setenv("OTHER_FEED_URL", server.url("okta.xml"))
        sources = [
            SourceSettings(id="okta", url_env="OKTA_FEED_URL"),
            SourceSettings(id="other", url_env="OTHER_FEED_URL"),
        ]
        app = App(settings=Settings(database_url=db_url, sources=sources, channels=["console"]))
        monkeypatch.delenv("OTHER_FEED_URL")  # a worker started without it: only that source fails
        report = pipeline.poll_once(app)

    assert report.new_items == 1
    assert [path for path, _ in server.requests] == [f"/okta.xml?api_key={SECRET}"]
    assert server.requests[0][1]["Authorization"].startswith("Basic ")
    with app.session() as s:
        other = s.get_one(Source, "other")
        assert other.last_error and other.consecutive_failures == 1
    assert SECRET not in _all_rows(app) and SECRET not in caplog.text
    app.engine.dispose()
