"""`report dora-roi` writes an xBRL-CSV report package: metadata, parameters, filing indicators that match the
tables written, and with --zip one archive named as the EBA's remittance convention asks."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from reports.dora_package import DORA_ENTRY_POINT, TEMPLATES
from tests.reports.test_dora_roi import BANK, REGISTRY, _run
from vendorwatch.cli.main import app as cli

NO_CONTRACTS = (
    f"entity: {{name: Test Bank SE, lei: {BANK}, country: LU}}\nvendors:\n  - {{name: Okta, criticality: high}}\n"
)


def _indicators(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["templateID", "reported"]
    return dict(rows[1:])


def test_the_package_layout_metadata_and_parameters(tmp_path: Path, db_url: str, runner: CliRunner) -> None:
    reports, _ = _run(tmp_path, db_url, runner)
    root = reports.parent
    package = json.loads((root / "META-INF" / "reportPackage.json").read_text(encoding="utf-8"))
    assert package == {"documentInfo": {"documentType": "https://xbrl.org/report-package/2023"}}
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert report["documentInfo"] == {"documentType": "https://xbrl.org/2021/xbrl-csv", "extends": [DORA_ENTRY_POINT]}
    parameters = dict(csv.reader(io.StringIO((reports / "parameters.csv").read_text(encoding="utf-8"))))
    assert parameters["entityID"] == f"rs:{BANK}.IND" and parameters["refPeriod"] == "2026-12-31"
    assert (parameters["baseCurrency"], parameters["decimalsMonetary"]) == ("iso4217:EUR", "-3")


def test_filing_indicators_match_the_tables_written(tmp_path: Path, db_url: str, runner: CliRunner) -> None:
    reports, _ = _run(tmp_path, db_url, runner)
    indicators = _indicators((reports / "FilingIndicators.csv").read_text(encoding="utf-8"))
    assert list(indicators) == list(TEMPLATES)  # all 15 templates of Implementing Regulation 2024/2956
    tables = {p.stem.upper() for p in reports.glob("b_*.csv")}
    assert {t for t, on in indicators.items() if on == "true"} == tables
    assert set(indicators.values()) == {"true", "false"} and indicators["B_99.01"] == "false"


def test_a_template_without_rows_is_reported_false_and_has_no_file(
    tmp_path: Path, db_url: str, runner: CliRunner
) -> None:
    reports, _ = _run(tmp_path, db_url, runner, registry=NO_CONTRACTS)
    indicators = _indicators((reports / "FilingIndicators.csv").read_text(encoding="utf-8"))
    assert [t for t, on in indicators.items() if on == "true"] == ["B_01.01", "B_05.01"]
    assert sorted(p.name for p in reports.glob("b_*.csv")) == ["b_01.01.csv", "b_05.01.csv"]


def test_zip_holds_the_package_in_one_folder_named_like_it(tmp_path: Path, db_url: str, runner: CliRunner) -> None:
    reports, _ = _run(tmp_path, db_url, runner, "--zip", "--level", "con")
    [archive] = reports.parent.glob("*.zip")
    assert re.fullmatch(rf"{BANK}\.CON_LU_DORA010100_DORA_2026-12-31_\d{{17}}\.zip", archive.name)
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        folder = archive.stem
        assert {n.split("/")[0] for n in names} == {folder}
        assert f"{folder}/META-INF/reportPackage.json" in names
        inside = {n.removeprefix(f"{folder}/reports/") for n in names if "/reports/" in n}
        assert inside == {p.name for p in reports.iterdir()}  # the same files as the directory
        assert z.read(f"{folder}/reports/parameters.csv").decode().count(f"rs:{BANK}.CON") == 1


def test_zip_needs_the_entity_lei_and_country_and_writes_nothing_without(
    tmp_path: Path, db_url: str, runner: CliRunner
) -> None:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    (tmp_path / "r.yaml").write_text(REGISTRY.split("vendors:")[0].replace("country: LU, ", "") + "vendors: []\n")
    assert runner.invoke(cli, ["registry", "import", str(tmp_path / "r.yaml")], env=env).exit_code == 0
    out = tmp_path / "roi"
    out.mkdir()
    result = runner.invoke(cli, ["report", "dora-roi", "-o", str(out), "--zip"], env=env)
    assert result.exit_code == 2 and "entity.country missing" in result.stderr
    assert list(out.iterdir()) == []
    bad = runner.invoke(cli, ["report", "dora-roi", "-o", str(out), "--currency", "EURO"], env=env)
    assert bad.exit_code == 2 and "not an ISO 4217 currency" in bad.stderr
