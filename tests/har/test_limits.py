"""Depth and size limits at the HAR reader's entry point: a clean exit-2 error with the place, never
"unexpected RecursionError"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendorwatch.cli.main import app as cli
from vendorwatch.har import stream

ENV = {"VENDORWATCH_CONFIG": "", "VENDORWATCH_FINGERPRINT_KEY": "test-key"}


def _har(tmp_path: Path, entry: bytes) -> Path:
    path = tmp_path / "crafted.har"
    path.write_bytes(b'{"log": {"version": "1.2", "entries": [{"startedDateTime": "x"}, ' + entry + b"]}}")
    return path


@pytest.mark.parametrize("command", ["scan", "sanitize"])
def test_a_deeply_nested_entry_is_refused_with_its_place(tmp_path: Path, runner: CliRunner, command: str) -> None:
    path = _har(tmp_path, b'{"request": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    args = ["har", command, str(path)] + (["-o", str(tmp_path / "out.har")] if command == "sanitize" else [])
    result = runner.invoke(cli, args, env=ENV)
    assert result.exit_code == 2, result.output
    assert f"error: {path}: nested deeper than 64 levels (not a HAR entry) near byte" in result.stderr
    assert "at log.entries[1]" in result.stderr and "unexpected" not in result.stderr
    assert not (tmp_path / "out.har").exists()


def test_an_entry_with_too_much_text_is_refused(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(stream, "MAX_ITEM_CHARS", 10_000)  # the real cap (512 M characters) is too big for a test
    path = _har(tmp_path, b'{"response": {"content": {"text": "' + b"a" * 20_000 + b'"}}}')
    result = runner.invoke(cli, ["har", "scan", str(path)], env=ENV)
    assert result.exit_code == 2, result.output
    assert "an item holds more than 10,000 characters of text" in result.stderr and "log.entries[1]" in result.stderr
