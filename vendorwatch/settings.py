"""Settings: a TOML file plus environment overrides; secrets only from the environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from registry.connect import Timeouts
from registry.durations import MAX_SLA_S, DurationError, parse_duration
from registry.vocab import Criticality, SeverityLevel, Trust
from vendorwatch import feedurls

DEFAULT_CONFIG = Path("config/vendorwatch.toml")
SECRET_ENV = {
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "webhook_url": "VENDORWATCH_WEBHOOK_URL",
    "webhook_secret": "VENDORWATCH_WEBHOOK_SECRET",
    "teams_webhook_url": "VENDORWATCH_TEAMS_WEBHOOK_URL",
    "smtp_password": "VENDORWATCH_SMTP_PASSWORD",
    "fingerprint_key": "VENDORWATCH_FINGERPRINT_KEY",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "serve_bearer": "VENDORWATCH_SERVE_TOKEN",
}
# Flat spellings from DESIGN.md for nested keys.
ENV_ALIASES = {
    "VENDORWATCH_SLACK_API_URL": ("slack", "api_url"),
    "VENDORWATCH_SLACK_CHANNEL": ("slack", "channel"),
}


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the key and what is allowed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _seconds(value: Any) -> int:
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


class SlackSettings(_Strict):
    """Where Slack alerts go (the token is a secret: SLACK_BOT_TOKEN)."""

    channel: str = "#identity-alerts"
    escalation_channel: str | None = None
    api_url: str = "https://slack.com/api/"
    timeout_s: float = 10.0
    min_interval_s: float = Field(default=1.0, ge=0, le=60)  # per channel: Slack takes about 1 message/s


class EmailSettings(_Strict):
    """SMTP delivery (the password is a secret: VENDORWATCH_SMTP_PASSWORD)."""

    host: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    sender: str
    recipients: list[str]


class SourceSettings(_Strict):
    """One polled source: `url`, or `url_env` naming the variable that holds a URL with credentials."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    url: str = Field(default="", pattern=r"^(https?://|$)")
    url_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    kind: str = "feed"
    vendor: str | None = None
    trust: Trust = Trust.news
    interval: int = Field(default=300, le=MAX_SLA_S)  # a larger one overflows the next-poll time

    _interval = field_validator("interval", mode="before")(_seconds)

    @field_validator("url")
    @classmethod
    def _no_credentials(cls, url: str) -> str:
        what = feedurls.credential_in(url)
        if what:
            raise ValueError(feedurls.refusal(what))
        return url

    @model_validator(mode="after")
    def _one_url(self) -> SourceSettings:
        if bool(self.url) == bool(self.url_env):
            raise ValueError("give either url or url_env (the name of an environment variable holding the URL)")
        if self.url_env:
            try:
                feedurls.env_url(self.url_env)  # fail closed at start-up, not at the first poll
            except feedurls.UrlSecretError as exc:
                raise ValueError(f"url_env: {exc}") from None
        return self

    @property
    def stored_url(self) -> str:
        """What the database keeps: the URL, or `env:VAR` for a URL that is a secret."""
        return f"{feedurls.ENV_PREFIX}{self.url_env}" if self.url_env else self.url

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        from connectors import KINDS  # not SOURCES: that loads every source module (feedparser, httpx)

        if kind not in KINDS:
            raise ValueError(f"unknown source kind {kind!r} (allowed: {', '.join(sorted(KINDS))})")
        return kind


TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"  # HH:MM, 24-hour


def _zone(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as UTC or Europe/Berlin)") from None
    return name


class Route(_Strict):
    """Send matching incidents to a channel: all conditions given must hold. `digest`: a daily digest too."""

    channel: str
    vendors: list[str] = []
    criticality: list[Criticality] = []
    min_severity: SeverityLevel | None = None
    digest: bool = False
    digest_at: str | None = Field(default=None, pattern=TIME_OF_DAY)  # else [digest] at
    timezone: str | None = None  # the digest's time zone, else [digest] timezone

    _timezone = field_validator("timezone")(_zone)


class DigestSettings(_Strict):
    """The daily digest's defaults (docs/notify.md): when, in which zone, and for the default route too."""

    at: str = Field(default="08:00", pattern=TIME_OF_DAY)
    timezone: str = "UTC"
    default_route: bool = False  # the default route ([slack] channel: incidents no rule matches) sends one

    _timezone = field_validator("timezone")(_zone)


class ServeSettings(_Strict):
    """`vendorwatch serve`: where it listens, who may read it, who may click in Slack (docs/serve.md)."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    auth: Literal["none", "bearer", "proxy"] = "none"  # "none" is refused unless the host is loopback
    trusted_proxies: list[str] = []  # addresses or networks whose identity header is believed (auth = "proxy")
    proxy_user_header: str = "X-Forwarded-User"
    public_url: str | None = Field(default=None, pattern=r"^https?://")  # set: Slack messages get buttons
    slack_actors: Literal["all", "owners", "list"] = "owners"
    slack_users: list[str] = []  # Slack user ids allowed to click when slack_actors = "list"


class Settings(BaseSettings):
    """Everything vendorwatch reads from its configuration."""

    model_config = SettingsConfigDict(env_prefix="VENDORWATCH_", extra="forbid", env_nested_delimiter="__")

    database_url: str = Field(
        default="sqlite:///vendorwatch.db",
        pattern=r"^(sqlite|postgresql(\+psycopg)?)://",
        description="sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
    )
    lookback_days: int = Field(default=3, ge=0, le=3650)  # `now - lookback` must stay a valid date
    channels: list[str] = ["slack"]
    slack: SlackSettings = SlackSettings()
    email: EmailSettings | None = None
    sources: list[SourceSettings] = []
    routes: list[Route] = []
    digest: DigestSettings = DigestSettings()
    owners: dict[str, str] = {}
    runbooks_dir: str | None = None
    reminder_before: int = Field(default=4 * 3600, le=MAX_SLA_S)
    # Follow-up reports of one incident are coalesced into at most one thread reply per this many minutes.
    reply_window_minutes: int = Field(default=15, ge=0, le=24 * 60)
    reports_dir: str = "reports-out"
    metrics_port: int | None = None
    metrics_addr: str = "127.0.0.1"  # 0.0.0.0 in a container, so Prometheus can scrape it
    fetch_timeout_s: float = 20.0
    max_body_mb: int = 10
    # Feeds are parsed in this many worker processes, on another core than store and triage; 0: in threads.
    parse_processes: int = Field(default=1, ge=0, le=64)
    parse_timeout_s: float = Field(default=60.0, gt=0)  # one feed's parse; past it the worker is replaced
    serve: ServeSettings = ServeSettings()
    # Health (issue 24): the database never makes a job or `status` wait forever; workers beat and give up.
    db_connect_timeout_s: float = Field(default=5.0, gt=0)
    db_statement_timeout_s: float = Field(default=30.0, gt=0)
    db_lock_timeout_s: float = Field(default=10.0, gt=0)
    heartbeat_s: float = Field(default=10.0, gt=0)
    give_up_after: int = Field(default=600, gt=0)
    # Regulatory clocks (issue 26): which regimes' deadlines incidents carry (dora, nis2, sec); none by default.
    regimes: list[str] = []
    # How long before each regulatory deadline its reminder goes to the incident's thread, by "regime.step"
    # (e.g. "dora.initial" = "2h"); steps not named keep their default (vendorwatch.incidents.deadlines).
    deadline_reminders: dict[str, int] = {}

    _reminder = field_validator("reminder_before", "give_up_after", mode="before")(_seconds)

    @field_validator("regimes")
    @classmethod
    def _known_regimes(cls, regimes: list[str]) -> list[str]:
        from registry.deadlines import REGIMES  # not the store: loading settings stays light (status)

        if unknown := [r for r in regimes if r not in REGIMES]:
            raise ValueError(f"unknown regime {unknown[0]!r} (allowed: {', '.join(REGIMES)})")
        return regimes

    @field_validator("deadline_reminders", mode="before")
    @classmethod
    def _deadline_leads(cls, leads: Any) -> dict[str, int]:
        from registry.deadlines import LABELS

        if not isinstance(leads, dict):
            raise ValueError('a table of "regime.step" = duration, e.g. "dora.initial" = "2h"')
        known = {f"{regime}.{step}" for regime, step in LABELS}
        if unknown := [k for k in leads if k not in known]:
            raise ValueError(f"unknown step {unknown[0]!r} (allowed: {', '.join(sorted(known))})")
        return {key: _seconds(value) for key, value in leads.items()}

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, channels: list[str]) -> list[str]:
        from notify import NAMES  # not CHANNELS: that loads every channel module (slack-sdk, httpx)

        if unknown := [c for c in channels if c not in NAMES]:
            raise ValueError(f"unknown channel {unknown[0]!r} (allowed: {', '.join(sorted(NAMES))})")
        return channels

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings, init_settings)

    @property
    def db_timeouts(self) -> Timeouts:
        """How long the store waits for the database: to connect, for one statement, for a lock."""
        return Timeouts(self.db_connect_timeout_s, self.db_statement_timeout_s, self.db_lock_timeout_s)

    def secret(self, name: str) -> SecretStr | None:
        """A secret from its environment variable, or from the file named by VAR_FILE."""
        try:
            value = feedurls.read_env_secret(SECRET_ENV[name])
        except feedurls.UrlSecretError as exc:
            raise ConfigError(str(exc)) from None
        return SecretStr(value) if value else None


def config_path(explicit: str | None) -> Path | None:
    """The settings file to read: --config, then VENDORWATCH_CONFIG, then ./config/vendorwatch.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get("VENDORWATCH_CONFIG"):
        return Path(os.environ["VENDORWATCH_CONFIG"])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def load_settings(path: Path | None) -> Settings:
    """Read settings from `path` (if any) with environment overrides applied."""
    data: dict[str, Any] = {}
    label = str(path) if path else "settings"
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    _refuse_secrets(data, label)
    for var, (section, key) in ENV_ALIASES.items():
        if os.environ.get(var):
            data.setdefault(section, {})[key] = os.environ[var]
    fields = {f"VENDORWATCH_{name.upper()}" for name in Settings.model_fields}
    overridden = sorted(k for k in os.environ if k in ENV_ALIASES or k.split("__")[0] in fields)
    where = f"{label} (with {', '.join(overridden)} from the environment)" if overridden else label
    try:
        return Settings(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if key == "database_url":
            msg = "must start with sqlite:// or postgresql+psycopg:// (e.g. sqlite:///vendorwatch.db)"
        raise ConfigError(f"{where}: {key}: {msg}") from None
    except SettingsError as exc:  # an environment value that is not even parseable (e.g. JSON for a list)
        hint = ' (lists and tables are JSON, e.g. VENDORWATCH_CHANNELS=\'["slack", "console"]\')'
        raise ConfigError(f"{where}: {exc}{hint}") from None


def _refuse_secrets(data: dict[str, Any], label: str) -> None:
    words = ("token", "password", "secret", "webhook_url")
    # [owners] keys are names from the registry ("token-team" is a team, not a token).
    stack: list[tuple[str, Any]] = [("", {k: v for k, v in data.items() if k != "owners"})]
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                path = f"{prefix}{key}"
                if any(w in str(key).lower() for w in words):
                    raise ConfigError(f"{label}: {path}: secrets are read from the environment only, not from the file")
                stack.append((path + ".", value))
