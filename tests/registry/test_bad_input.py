"""Bad registry input: a located error, exit code 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.registry.registry_files import GOOD_YAML
from vendorwatch.cli.main import app as cli

BAD_INPUTS = {
    "unknown criticality": (
        "registry.yaml",
        GOOD_YAML.replace("criticality: high", "criticality: severe"),
        ":27: field 'criticality': unknown value 'severe' (allowed: critical, high, medium, low)",
    ),
    "duplicate vendor name": (
        "registry.yaml",
        GOOD_YAML + "  - name: okta\n    criticality: low\n",
        ":37: field 'name': 'okta' is already used by vendor 'Okta' (line 2)",
    ),
    "alias shared across vendors": (
        "registry.yaml",
        GOOD_YAML.replace("domains: [github.com]", "aliases: [Okta Workforce Identity]"),
        ":25: field 'aliases': 'Okta Workforce Identity' is already used by vendor 'Okta' (line 2)",
    ),
    "bad SLA": (
        "registry.yaml",
        GOOD_YAML.replace("revocation_sla: 4h", "revocation_sla: 4x"),
        ":12: field 'revocation_sla': invalid duration '4x' (use e.g. 30m, 4h, 2d, 1w)",
    ),
    "missing name": (
        "registry.yaml",
        GOOD_YAML.replace("  - name: GitHub\n", "  - notes: no name here\n"),
        ":24: field 'name': is required",
    ),
    "credential without kind": (
        "registry.yaml",
        GOOD_YAML.replace("            kind: ssh-key\n", ""),
        ":34: field 'kind': is required",
    ),
    "malformed YAML": (
        "registry.yaml",
        GOOD_YAML.replace("aliases: [Okta", "aliases: [Okta: [x"),
        ":4: malformed YAML",
    ),
    "misspelt field": (
        "registry.yaml",
        GOOD_YAML.replace("revocation_sla: 4h", "revocation_sl: 4h"),
        ":12: field 'revocation_sl': unknown field (did you mean 'revocation_sla'?)",
    ),
    "unknown CSV column": (
        "registry.csv",
        "vendor,criticality,dependency,dependency_kind,credential,credential_kind,colour\n",
        ".csv:1: field 'colour': unknown field",
    ),
    "vendors not a list": ("registry.yaml", "vendors:\n  name: Okta\n", ":1: field 'vendors': 'vendors' must be"),
    "no vendors at all": ("registry.yaml", "- Okta\n", ":1: field 'vendors': expected a mapping with a 'vendors' list"),
    "CSV missing column": (
        "registry.csv",
        "vendor,criticality,dependency,dependency_kind,credential\nOkta,critical,SSO,sso,tok\n",
        ".csv:1: field 'credential_kind': missing column 'credential_kind'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_its_place(case: str, db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_YAML.replace("Okta", "Duo"), encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(good)], env=env).exit_code == 0
    before = runner.invoke(cli, ["registry", "export"], env=env).stdout

    name, text, expected = BAD_INPUTS[case]
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["registry", "import", str(bad)], env=env)

    assert result.exit_code == 2
    assert f"error: {bad}" in result.stderr and expected in result.stderr
    assert runner.invoke(cli, ["registry", "export"], env=env).stdout == before


def test_a_failure_late_in_the_file_rolls_back_the_whole_import(db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    bad = tmp_path / "registry.yaml"
    bad.write_text(GOOD_YAML.replace("rotation_sla: 2d", "rotation_sla: soon"), encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(bad)], env=env).exit_code == 2
    listed = runner.invoke(cli, ["vendors", "list", "--json"], env=env)
    assert listed.exit_code == 0 and listed.stdout.strip() == "[]"
