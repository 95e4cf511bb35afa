"""CSV the tool writes never holds a cell a spreadsheet would evaluate; the registry import undoes exactly
the `'` it adds, so export -> import is lossless."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from typer.testing import CliRunner

from vendorwatch.cli.main import app as cli

HOSTILE_YAML = """\
vendors:
  - name: '=HYPERLINK("https://evil.example","x")'
    aliases: ['+cmd|'' /C calc''!A0', "'=already quoted"]
    category: "-2+3"
    criticality: critical
    owner: "@SUM(A1)"
    users: 1200
    notes: "\\t=1+1 after a tab\\r\\nline two\\rline three"
    dependencies:
      - name: "-1"
        kind: sso
        revocation_sla: 4h
        credentials:
          - name: "'"
            kind: api-token
            rotate_command: "=rotate --now"
"""
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _unsafe(text: str) -> list[str]:
    return [c for c in _cells(text) if FORMULA.match(c) and not NUMBER.match(c)]


def test_registry_csv_is_safe_and_round_trips(db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    (tmp_path / "r.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(tmp_path / "r.yaml")], env=env).exit_code == 0
    original = runner.invoke(cli, ["registry", "export"], env=env).stdout
    exported = runner.invoke(cli, ["registry", "export", "--format", "csv"], env=env).stdout

    assert _unsafe(exported) == []
    assert '\'=HYPERLINK("https://evil.example","x")' in _cells(exported)
    assert "'\t=1+1 after a tab\nline two\nline three" in _cells(exported), "one kind of line break"
    assert "-1" in _cells(exported), "a plain number is left alone"

    other = {**env, "VENDORWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
    (tmp_path / "r.csv").write_text(exported, encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(tmp_path / "r.csv")], env=other).exit_code == 0
    assert runner.invoke(cli, ["registry", "export"], env=other).stdout == original


def test_metrics_csv_is_safe(sqlite_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": sqlite_url, "VENDORWATCH_CONFIG": ""}
    (tmp_path / "r.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(tmp_path / "r.yaml")], env=env).exit_code == 0

    result = runner.invoke(cli, ["report", "metrics", "--quarter", "2026Q4", "--format", "csv"], env=env)

    assert result.exit_code == 0, result.output
    assert '\'=HYPERLINK("https://evil.example","x")' in _cells(result.stdout)
    assert _unsafe(result.stdout) == []
