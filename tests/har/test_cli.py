"""`har scan` and `har sanitize` from the command line: exit codes, per-kind summary, no secret printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.har.planted_bodies import planted_har80
from vendorwatch.cli.main import app as cli
from vendorwatch.har import sanitize as sanitize_module

HAR, SECRETS = planted_har80()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "VENDORWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'vw.db'}",
        "VENDORWATCH_CONFIG": "",
        "VENDORWATCH_FINGERPRINT_KEY": "cli-test-key",
    }


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "case.har"
    path.write_text(json.dumps(HAR), encoding="utf-8")
    return path


def leaked(text: str) -> list[str]:
    return [place for place, value in SECRETS if value in text]


def test_sanitize_prints_counts_per_kind_and_the_copy_scans_clean(runner: CliRunner, env, src, tmp_path):
    dst = tmp_path / "clean.har"
    result = runner.invoke(cli, ["har", "sanitize", str(src), "-o", str(dst)], env=env)
    assert result.exit_code == 0, result.output
    assert "rescan clean" in result.output and "binary-body 1" in result.output and "jwt " in result.output
    scan = runner.invoke(cli, ["har", "scan", str(dst)], env=env)
    assert scan.exit_code == 0 and "no replayable auth material found" in scan.output
    assert leaked(result.output + dst.read_text()) == []


def test_scan_of_the_planted_file_lists_findings_and_never_a_secret(runner: CliRunner, env, src):
    for args in (["har", "scan", str(src)], ["har", "scan", str(src), "--json"]):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 1 and leaked(result.output) == []
    assert len(json.loads(runner.invoke(cli, ["har", "scan", str(src), "--json"], env=env).stdout)) >= len(SECRETS)


def test_a_copy_that_rescans_dirty_is_removed_and_the_run_fails(runner, env, src, tmp_path, monkeypatch):
    monkeypatch.setattr(sanitize_module, "PASSES", 0)  # a rewriter that replaces nothing: the net must hold
    dst = tmp_path / "clean.har"
    result = runner.invoke(cli, ["har", "sanitize", str(src), "-o", str(dst)], env=env)
    assert result.exit_code == 1
    assert "still held" in result.stderr and "jwt" in result.stderr and leaked(result.output) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".db") == ["case.har"]
