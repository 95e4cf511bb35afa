"""Logging set-up shared by the CLI and the scheduler (a light module: every command imports it at start)."""

from __future__ import annotations

import logging

__all__ = ["quiet_library_loggers"]


def quiet_library_loggers() -> None:
    """Keep secrets and noise out of logs, even at -vv: httpx logs each URL (a webhook URL is a secret)."""
    for name, level in (
        ("httpx", logging.WARNING),
        ("httpcore", logging.INFO),
        ("slack_sdk", logging.INFO),
        ("apscheduler", logging.WARNING),
    ):
        logging.getLogger(name).setLevel(level)
