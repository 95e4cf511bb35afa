"""Settings: a TOML file plus environment overrides; secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorwatch.settings import ConfigError, load_settings


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vendorwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_file_values_and_durations_are_read(tmp_path: Path) -> None:
    path = _toml(
        tmp_path,
        '[slack]\nchannel = "C123"\n[[sources]]\nid = "okta"\nurl = "https://x.example/feed"\n'
        'interval = "10m"\ntrust = "vendor"\nvendor = "Okta"\n',
    )
    settings = load_settings(path)
    assert settings.slack.channel == "C123"
    assert settings.sources[0].interval == 600 and settings.sources[0].trust == "vendor"


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _toml(tmp_path, 'database_url = "sqlite:///from-file.db"\n[slack]\napi_url = "https://slack.com/api/"\n')
    monkeypatch.setenv("VENDORWATCH_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("VENDORWATCH_SLACK_API_URL", "http://127.0.0.1:9/api/")
    settings = load_settings(path)
    assert settings.database_url == "sqlite:///from-env.db"
    assert settings.slack.api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sources]]\nid = "a"\nurl = "https://x.example/"\ntrust = "blog"\n', "sources.0.trust"),
        ('[[routes]]\nchannel = "C1"\ncriticality = ["huge"]\n', "routes.0.criticality.0"),
        ('[[routes]]\nchannel = "C1"\nmin_severity = "urgent"\n', "routes.0.min_severity"),
        ('[[sources]]\nid = "a"\nurl = "https://x.example/"\ninterval = "5x"\n', "invalid duration '5x'"),
        ('[[sources]]\nid = "a"\nurl = "file:///etc/passwd"\n', "sources.0.url"),
        ("lookback_days = -1\n", "lookback_days"),
        ('unknown_key = "x"\n', "unknown_key"),
        ("this is not toml\n", "malformed TOML"),
    ],
)
def test_a_bad_setting_names_its_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_toml(tmp_path, text))
    assert message in str(caught.value) and str(tmp_path) in str(caught.value)


def test_secrets_in_the_file_are_refused_without_echoing_them(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_toml(tmp_path, '[slack]\ntoken = "xoxb-secret-value"\n'))
    assert "slack.token" in str(caught.value) and "environment" in str(caught.value)
    assert "xoxb-secret-value" not in str(caught.value)


def test_secrets_come_from_the_environment_or_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(None)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    secret_file = tmp_path / "token"
    secret_file.write_text("xoxb-from-file\n", encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(secret_file))
    token = settings.secret("slack_bot_token")
    assert token is not None and token.get_secret_value() == "xoxb-from-file"
    assert "xoxb" not in repr(token)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-env")
    assert settings.secret("slack_bot_token").get_secret_value() == "xoxb-from-env"  # type: ignore[union-attr]


def test_owner_names_that_look_like_secrets_are_just_names(tmp_path: Path) -> None:
    settings = load_settings(_toml(tmp_path, '[owners]\ntoken-team = "S0TOKENS"\n'))
    assert settings.owners == {"token-team": "S0TOKENS"}


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("VENDORWATCH_DATABASE_URL", "mysql://x", "database_url: must start with sqlite:// or postgresql+psycopg://"),
        ("VENDORWATCH_CHANNELS", '["slak"]', "channels: Value error, unknown channel 'slak' (allowed: console"),
        ("VENDORWATCH_CHANNELS", "slack", "lists and tables are JSON"),
        ("VENDORWATCH_LOOKBACK_DAYS", "abc", "lookback_days"),
    ],
)
def test_a_bad_environment_override_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, message: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert f"with {var} from the environment" in str(caught.value) and message in str(caught.value)


def test_an_unknown_source_kind_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sources.0.kind: .*unknown source kind 'rss2' \(allowed: cisa-kev, feed"):
        load_settings(_toml(tmp_path, '[[sources]]\nid = "a"\nurl = "https://x.example/"\nkind = "rss2"\n'))
