"""`report dora-roi`: the register of information as EBA-coded CSV, and what is missing per vendor."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from registry.isocodes import lei_with_check
from vendorwatch.cli.main import app as cli

BANK = lei_with_check("894500TESTBANK0000")
OKTA = lei_with_check("549300OKTATEST0000")
PARENT = lei_with_check("549300OKTAPARENT00")
REGISTRY = f"""\
entity: {{name: Test Bank SE, lei: {BANK}, country: LU, authority: CSSF}}
vendors:
  - name: Okta
    criticality: critical
    lei: {OKTA}
    country: US
    parent: Okta Group
    ict_service: S19
    substitutability: difficult
    critical_function: Workforce authentication
    contract: {{ref: C-17, start: 2024-01-01, annual_cost: 96000, currency: EUR}}
    data_location: [DE, US]
    exit_plan: true
    last_audit: 2026-03-15
  - name: Okta Group
    criticality: low
    lei: {PARENT}
  - name: "=Sheet"
    criticality: low
"""


def _run(tmp_path: Path, db_url: str, runner: CliRunner, *extra: str, registry: str = REGISTRY) -> tuple[Path, str]:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    source = tmp_path / "registry.yaml"
    source.write_text(registry, encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(source)], env=env).exit_code == 0
    out = tmp_path / "roi"
    out.mkdir()
    result = runner.invoke(cli, ["report", "dora-roi", "-o", str(out), "--date", "2026-12-31", *extra], env=env)
    assert result.exit_code == 0, result.output
    return out / "reports", result.stdout


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_templates_carry_eba_codes(tmp_path: Path, db_url: str, runner: CliRunner) -> None:
    out, stdout = _run(tmp_path, db_url, runner)
    assert "does not certify" in stdout
    names = sorted(p.name for p in out.iterdir() if p.name.startswith("b_"))
    assert names == [f"b_{t}.csv" for t in ("01.01", "02.01", "02.02", "05.01", "05.02", "06.01", "07.01")]
    assert _rows(out / "b_01.01.csv") == [
        {
            "c0010": BANK,
            "c0020": "Test Bank SE",
            "c0030": "eba_GA:LU",
            "c0040": "",
            "c0050": "CSSF",
            "c0060": "2026-12-31",
        }
    ]
    assert _rows(out / "b_02.01.csv") == [
        {"c0010": "C-17", "c0020": "eba_CO:x1", "c0030": "", "c0040": "eba_CU:EUR", "c0050": "96000"}
    ]
    specific = _rows(out / "b_02.02.csv")[0]
    assert (specific["c0020"], specific["c0030"], specific["c0040"]) == (BANK, OKTA, "eba_qCO:qx2000")
    assert (specific["c0050"], specific["c0060"], specific["c0070"]) == ("F1", "eba_TA:S19", "2024-01-01")
    assert specific["c0080"] == "9999-12-31" and specific["c0150"] == "eba_GA:DE"
    okta = next(r for r in _rows(out / "b_05.01.csv") if r["c0030"] == "Okta")
    assert (okta["c0010"], okta["c0050"], okta["c0060"], okta["c0070"]) == (OKTA, "eba_GA:US", "eba_CU:EUR", "96000")
    assert okta["c0080"] == PARENT  # the parent named by vendor, reported by its LEI
    assessment = _rows(out / "b_07.01.csv")[0]
    assert (assessment["c0050"], assessment["c0070"], assessment["c0080"]) == (
        "eba_ZZ:x960",
        "2026-03-15",
        "eba_BT:x28",
    )
    assert _rows(out / "b_06.01.csv")[0]["c0030"] == "Workforce authentication"
    assert "'=Sheet" in (out / "b_05.01.csv").read_text(encoding="utf-8")  # no formula reaches a spreadsheet


def test_validation_lists_each_missing_mandatory_field_per_vendor(
    tmp_path: Path, db_url: str, runner: CliRunner
) -> None:
    out, _ = _run(tmp_path, db_url, runner)
    out = out.parent  # validation.csv sits beside the package, not in it: it is not submitted
    missing = {(r["vendor"], r["field"]) for r in _rows(out / "validation.csv")}
    assert not any(vendor == "Okta" and field for vendor, field in missing)  # complete, bar what no registry holds
    assert ("Okta Group", "country") in missing and ("Okta Group", "contract.ref") in missing
    assert ("Okta Group", "lei") not in missing
    assert ("'=Sheet", "lei") in missing and not any(v == "(entity)" for v, _ in missing)
    reasons = [r for r in _rows(out / "validation.csv") if r["vendor"] == "Okta"]
    assert [(r["template"], r["column"]) for r in reasons] == [("b_07.01", "c0060")]


def test_output_must_be_a_directory(tmp_path: Path, db_url: str, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    result = runner.invoke(cli, ["report", "dora-roi", "-o", str(tmp_path / "nope")], env=env)
    assert result.exit_code == 2 and "is not a directory" in result.stderr
    result = runner.invoke(cli, ["report", "dora-roi", "-o", str(tmp_path), "--date", "31.12.2026"], env=env)
    assert result.exit_code == 2 and "not a date" in result.stderr
