"""The README is the user's manual: every source kind, channel and command is in it."""

from __future__ import annotations

from pathlib import Path

import typer.main

from connectors import SOURCES
from notify import CHANNELS
from vendorwatch.cli.main import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_source_kind_and_channel_has_a_readme_row() -> None:
    for name in [*SOURCES, *CHANNELS]:
        assert f"| `{name}` |" in README, name


def test_every_command_is_documented() -> None:
    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"`{name}" in README or f"`vendorwatch {name}" in README, f"README does not explain `{name}`"
