"""The starter settings file `init` writes when none exists, and where vendorwatch looks for one."""

from __future__ import annotations

import os
from pathlib import Path

STARTER = """\
# vendorwatch settings, written by `vendorwatch init` (every key: config/vendorwatch.example.toml).
# Secrets never go here: SLACK_BOT_TOKEN and friends come from the environment.

# SQLite beside this file's working directory; several workers need PostgreSQL:
#   database_url = "postgresql+psycopg://vendorwatch@db.internal/vendorwatch"
database_url = "sqlite:///vendorwatch.db"

# Alerts print to the terminal until Slack is set up: add "slack", set [slack] channel and SLACK_BOT_TOKEN.
channels = ["console"]

# [slack]
# channel = "C0IDENTITY1"

# Feeds to poll. After `vendorwatch registry import FILE`, `vendorwatch sources suggest` prints these
# for your vendors from the bundled catalog.
# [[sources]]
# id = "okta-security"
# url = "https://sec.okta.com/feed"
# vendor = "Okta"
# trust = "vendor"
"""


def places_looked() -> str:
    """Where a settings file was looked for, in order, for the warning when none was found."""
    from vendorwatch.settings import DEFAULT_CONFIG  # late: settings load pydantic

    env = "VENDORWATCH_CONFIG empty" if "VENDORWATCH_CONFIG" in os.environ else "VENDORWATCH_CONFIG not set"
    return f"no --config, {env}, no ./{DEFAULT_CONFIG.as_posix()}"


def write_starter(path: Path | None) -> Path | None:
    """Write the starter settings to `path` (default ./config/vendorwatch.toml) unless a file is there."""
    from vendorwatch.settings import DEFAULT_CONFIG

    target = path or DEFAULT_CONFIG
    if target.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(STARTER, encoding="utf-8")
    return target
