"""Fixtures: a HAR with planted secrets (built by tests.har.builders), a registry, the CLI environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.har.builders import Planted, planted_har
from vendorwatch.cli.main import app as cli

REGISTRY = """\
vendors:
  - name: Okta
    criticality: critical
    owner: iam-team
    dependencies:
      - name: Workforce SSO
        kind: sso
        revocation_sla: 4h
      - name: Admin console
        kind: sso
        revocation_sla: 2h
  - name: Zoom
    criticality: low
    owner: it-team
"""


@pytest.fixture
def har_file(tmp_path: Path) -> tuple[Path, list[Planted]]:
    """A support-case HAR holding a known secret in every place HARs hide one."""
    har, secrets = planted_har()
    path = tmp_path / "okta-case.har"
    path.write_text(json.dumps(har, indent=2), encoding="utf-8")
    return path, secrets


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


@pytest.fixture
def cli_env(tmp_path: Path, registry_file: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for CLI runs on a fresh SQLite file with the registry imported; no fingerprint key set."""
    monkeypatch.delenv("VENDORWATCH_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("VENDORWATCH_FINGERPRINT_KEY_FILE", raising=False)
    db = tmp_path / "db" / "vendorwatch.db"
    db.parent.mkdir()
    env = {"VENDORWATCH_DATABASE_URL": f"sqlite:///{db}", "VENDORWATCH_CONFIG": ""}
    assert runner.invoke(cli, ["registry", "import", str(registry_file)], env=env).exit_code == 0
    return env
