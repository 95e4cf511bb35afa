"""The demo's closing hints quote a command the user can paste as printed (issue 15's 'noticed' list)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vendorwatch.cli.demo import program


def test_a_venv_entry_point_not_on_path_is_quoted_by_its_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = tmp_path / ".venv" / "bin" / "vendorwatch"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(sys, "argv", [".venv/bin/vendorwatch", "demo"])
    assert program() == ".venv/bin/vendorwatch"


def test_the_entry_point_on_path_is_just_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "bin" / "vendorwatch"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(exe.parent))
    monkeypatch.setattr(sys, "argv", [str(exe), "demo"])
    assert program() == "vendorwatch"


def test_python_dash_m_is_printed_with_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/somewhere/vendorwatch/__main__.py", "demo"])
    assert program().endswith(" -m vendorwatch")
