"""The DORA register fields and the `entity:` block: checked on import, unchanged through every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from registry import api
from registry.isocodes import COUNTRIES, lei_problem, lei_with_check
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli

ENTITY_LEI = lei_with_check("894500TESTBANK0000")
OKTA_LEI = lei_with_check("549300OKTATEST0000")
DORA_YAML = f"""\
entity:
  name: Test Bank SE
  lei: {ENTITY_LEI}
  country: LU
  authority: CSSF
vendors:
  - name: Okta
    criticality: critical
    lei: {OKTA_LEI.lower()}
    country: us
    parent: Okta Holding
    ict_service: s19
    substitutability: Difficult
    critical_function: Workforce authentication
    contract:
      ref: C-17
      start: 2024-01-01
      end: 2026-12-31
      annual_cost: 96000
      currency: usd
    data_location: [US, DE]
    exit_plan: true
    last_audit: 2026-03-15
    dependencies:
      - name: SSO
        kind: sso
        credentials:
          - {{name: SAML cert, kind: signing-key}}
  - name: Tiny
    criticality: low
"""


def _env(db_url: str) -> dict[str, str]:
    return {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}


def test_lei_check_digits_are_verified() -> None:
    assert lei_problem(OKTA_LEI) is None and lei_problem("5493001KJTIIGC8Y1R12") is None
    assert "check digits" in str(lei_problem(OKTA_LEI[:-1] + str((int(OKTA_LEI[-1]) + 1) % 10)))
    assert lei_problem("TOO-SHORT") and len(COUNTRIES) == 249


def test_fields_are_canonical_and_survive_every_format(app: App, tmp_path: Path) -> None:
    source = tmp_path / "registry.yaml"
    source.write_text(DORA_YAML, encoding="utf-8")
    with app.session() as s:
        api.import_file(s, source)
        yaml_out = api.export(s, "yaml")
    assert f"lei: {OKTA_LEI}\n" in yaml_out and "country: US" in yaml_out and "currency: USD" in yaml_out
    assert "ict_service: S19" in yaml_out and "substitutability: difficult" in yaml_out
    assert "authority: CSSF" in yaml_out and "last_audit: '2026-03-15'" in yaml_out
    for fmt in ("yaml", "csv", "json"):
        with app.session() as s:
            exported = api.export(s, fmt)
        again = tmp_path / f"again.{fmt}"
        again.write_text(exported, encoding="utf-8")
        with app.session() as s:
            changes = api.import_file(s, again)
            assert not changes.changed, (fmt, changes.details)
            assert api.export(s, "yaml") == yaml_out
            assert api.export(s, fmt) == exported


def test_a_file_without_an_entity_removes_it(app: App, tmp_path: Path) -> None:
    source = tmp_path / "registry.yaml"
    source.write_text(DORA_YAML, encoding="utf-8")
    with app.session() as s:
        api.import_file(s, source)
    source.write_text(DORA_YAML.split("vendors:\n", 1)[1].join(["vendors:\n", ""]), encoding="utf-8")
    with app.session() as s:
        assert api.import_file(s, source).changed
        assert "entity" not in api.export(s, "yaml")


BAD = {
    "bad LEI check digits": (
        "registry.yaml",
        DORA_YAML.replace(OKTA_LEI.lower(), OKTA_LEI[:-2].lower() + "00"),
        ":9: field 'lei': ",
        "check digits do not match",
    ),
    "entity LEI malformed": ("registry.yaml", DORA_YAML.replace(ENTITY_LEI, "12345"), ":3: field 'lei': ", "no LEI"),
    "unknown country": ("registry.yaml", DORA_YAML.replace("country: us", "country: XX"), ":10: field 'country'", ""),
    "EU is no country": (
        "registry.yaml",
        DORA_YAML.replace("[US, DE]", "[US, EU]"),
        ":21: field 'data_location'",
        "'EU'",
    ),
    "unknown service": ("registry.yaml", DORA_YAML.replace("s19", "S20"), ":12: field 'ict_service'", "S01 to S19"),
    "bad currency": (
        "registry.yaml",
        DORA_YAML.replace("currency: usd", "currency: XYZ"),
        ":20: field 'contract.currency'",
        "4217",
    ),
    "bad date": (
        "registry.yaml",
        DORA_YAML.replace("end: 2026-12-31", "end: 31.12.2026"),
        ":18: field 'contract.end'",
        "YYYY-MM-DD",
    ),
    "ends before it starts": (
        "registry.yaml",
        DORA_YAML.replace("end: 2026-12-31", "end: 2023-12-31"),
        ":18: field 'contract.end'",
        "before",
    ),
    "negative cost": ("registry.yaml", DORA_YAML.replace("96000", "-1"), ":19: field 'contract.annual_cost'", ""),
    "exit plan not a flag": (
        "registry.yaml",
        DORA_YAML.replace("exit_plan: true", "exit_plan: maybe"),
        ":22:",
        "true or false",
    ),
    "misspelt contract key": (
        "registry.yaml",
        DORA_YAML.replace("      currency:", "      curency:"),
        ":20: field 'curency'",
        "did you mean",
    ),
    "CSV bad LEI": (
        "registry.csv",
        f"vendor,criticality,dependency,dependency_kind,credential,credential_kind,lei\n"
        f"Okta,high,SSO,sso,cert,key,{OKTA_LEI[:-2]}99\n",
        ":2: field 'lei'",
        "check digits",
    ),
    "CSV bad contract start": (
        "registry.csv",
        "vendor,criticality,dependency,dependency_kind,credential,credential_kind,contract_start\n"
        "Okta,high,SSO,sso,cert,key,soon\n",
        ":2: field 'contract_start'",
        "YYYY-MM-DD",
    ),
    "CSV entity differs between rows": (
        "registry.csv",
        "vendor,criticality,dependency,dependency_kind,credential,credential_kind,entity_name\n"
        "Okta,high,SSO,sso,cert,key,Bank A\nOkta,high,SSO,sso,cert2,key,Bank B\n",
        ":3: field 'entity_name'",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_dora_field_is_refused_with_its_place(case: str, db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    name, text, place, reason = BAD[case]
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["registry", "import", str(bad)], env=_env(db_url))
    assert result.exit_code == 2, result.stdout
    assert f"error: {bad}{place}" in result.stderr and reason in result.stderr
    assert runner.invoke(cli, ["vendors", "list", "--json"], env=_env(db_url)).stdout.strip() == "[]"
