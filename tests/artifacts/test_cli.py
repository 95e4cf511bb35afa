"""The har and artifacts commands on a built HAR: exit codes, and no secret ever in the output."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.har.builders import Planted
from vendorwatch.cli.main import app as cli


def _no_secret_in(output: str, planted: list[Planted]) -> None:
    leaked = [p.kind for p in planted if p.value in output]
    assert not leaked, f"secrets of kinds {leaked} printed"


def test_scan_lists_findings_without_secrets_and_exits_1(
    har_file: tuple[Path, list[Planted]], cli_env: dict[str, str], runner: CliRunner
) -> None:
    path, planted = har_file
    result = runner.invoke(cli, ["har", "scan", str(path), "--json"], env=cli_env)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert {f["kind"] for f in findings} >= {p.kind for p in planted if p.kind}
    assert all(len(f["fingerprint"]) == 16 for f in findings)
    table = runner.invoke(cli, ["har", "scan", str(path)], env=cli_env)
    assert table.exit_code == 1
    _no_secret_in(result.output + table.output, planted)


def test_sanitized_copy_scans_clean(
    har_file: tuple[Path, list[Planted]], cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    path, planted = har_file
    clean = tmp_path / "clean.har"
    result = runner.invoke(cli, ["har", "sanitize", str(path), "-o", str(clean)], env=cli_env)
    assert result.exit_code == 0, result.output
    _no_secret_in(clean.read_text(encoding="utf-8") + result.output, planted)
    assert json.loads(clean.read_text(encoding="utf-8"))["log"]["entries"]
    assert runner.invoke(cli, ["har", "scan", str(clean)], env=cli_env).exit_code == 0


def test_not_a_har_exits_2_without_echoing_content(cli_env: dict[str, str], runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.har"
    bad.write_text('{"log": {"entries": [{"request": "Bearer zqLEAKKx7Vb3"', encoding="utf-8")
    result = runner.invoke(cli, ["har", "scan", str(bad)], env=cli_env)
    assert result.exit_code == 2
    assert "bad.har" in result.stderr and "zqLEAK" not in result.output


def test_record_keeps_fingerprints_only(
    har_file: tuple[Path, list[Planted]], cli_env: dict[str, str], runner: CliRunner
) -> None:
    path, planted = har_file
    args = ["artifacts", "record", "--vendor", "okta", "--case", "CASE-1234", str(path), "--by", "alice"]
    result = runner.invoke(cli, args, env=cli_env)
    assert result.exit_code == 0, result.output
    with create_engine(cli_env["VENDORWATCH_DATABASE_URL"]).connect() as conn:
        rows = conn.execute(text("select tokens, sha256, case_ref from artifact")).all()
        audit = conn.execute(text("select after from auditevent where entity = 'artifact'")).all()
    [(tokens, sha, case)] = rows
    assert case == "CASE-1234" and len(sha) == 64
    assert {t["kind"] for t in json.loads(tokens)} >= {p.kind for p in planted if p.kind}
    _no_secret_in(str(tokens) + str(audit) + result.output, planted)
    listed = json.loads(runner.invoke(cli, ["artifacts", "list", "--vendor", "Okta", "--json"], env=cli_env).stdout)
    assert [(a["filename"], a["vendor"], a["recorded_by"]) for a in listed] == [("okta-case.har", "Okta", "alice")]


def test_record_refuses_unknown_vendor(
    har_file: tuple[Path, list[Planted]], cli_env: dict[str, str], runner: CliRunner
) -> None:
    result = runner.invoke(
        cli, ["artifacts", "record", "--vendor", "Nope", "--case", "1", str(har_file[0])], env=cli_env
    )
    assert result.exit_code == 2 and "no vendor named 'Nope'" in result.stderr
    assert runner.invoke(cli, ["artifacts", "list", "--vendor", "Nope"], env=cli_env).exit_code == 2


def test_generated_key_is_private_and_fingerprints_are_stable(
    har_file: tuple[Path, list[Planted]], cli_env: dict[str, str], runner: CliRunner
) -> None:
    first = runner.invoke(cli, ["har", "scan", str(har_file[0]), "--json"], env=cli_env).stdout
    key_file = (
        Path(cli_env["VENDORWATCH_DATABASE_URL"].removeprefix("sqlite:///")).parent / ".vendorwatch-fingerprint.key"
    )
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert runner.invoke(cli, ["har", "scan", str(har_file[0]), "--json"], env=cli_env).stdout == first
    other = runner.invoke(
        cli, ["har", "scan", str(har_file[0]), "--json"], env={**cli_env, "VENDORWATCH_FINGERPRINT_KEY": "k2"}
    )
    assert other.stdout != first
