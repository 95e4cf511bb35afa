"""Helpers for the cog blocks in README.md (run by `make docs`, checked by `make test`)."""

from __future__ import annotations

from typer.testing import CliRunner

from vendorwatch.cli.main import app


def help_text(*args: str) -> str:
    """The --help output of a command, as a user sees it in an 100-column terminal."""
    result = CliRunner().invoke(
        app, [*args, "--help"], prog_name="vendorwatch", env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    )
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "```\n$ " + " ".join(["vendorwatch", *args, "--help"]) + "\n" + "\n".join(lines).strip("\n") + "\n```"
