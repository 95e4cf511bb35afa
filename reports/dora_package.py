"""The DORA register of information as an xBRL-CSV report package (what the ESAs' filing takes), and its zip.

Layout (XBRL Report Package 1.0 and xBRL-CSV 1.0, as in the EBA's sample package for the register):
META-INF/reportPackage.json, reports/report.json (extends the EBA taxonomy's DORA module), parameters.csv,
FilingIndicators.csv and one b_XX.XX.csv per template reported; a template not reported has no CSV
(EBA filing rules 5.8: no table file for a negative filing indicator). See docs/regulation.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from reports.dora import Register, table_csv

REPORT_PACKAGE = "https://xbrl.org/report-package/2023"
XBRL_CSV = "https://xbrl.org/2021/xbrl-csv"
# The entry point of the EBA taxonomy's DORA module (taxonomy 4.0), as the EBA's sample package's report.json
# extends it. Not read from the taxonomy itself: check it against the release your authority uses.
DORA_ENTRY_POINT = "http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"
MODULE_CODE = "DORA010100"  # the module code in the package name of the EBA's sample
# Every template of Implementing Regulation (EU) 2024/2956, in the upper case filing indicators use.
TEMPLATES = (
    "B_01.01",
    "B_01.02",
    "B_01.03",
    "B_02.01",
    "B_02.02",
    "B_02.03",
    "B_03.01",
    "B_03.02",
    "B_03.03",
    "B_04.01",
    "B_05.01",
    "B_05.02",
    "B_06.01",
    "B_07.01",
    "B_99.01",
)
DECIMALS_INTEGER, DECIMALS_MONETARY = "0", "-3"  # as in the EBA's sample parameters.csv
LEVELS = ("ind", "con")  # individual or consolidated register


class PackageError(ValueError):
    """The package cannot be named or written as asked; the message names the missing field."""


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def reported(reg: Register) -> dict[str, bool]:
    """Each template's filing indicator: true when the registry filled at least one row."""
    return {t: bool(reg.tables.get(t.lower())) for t in TEMPLATES}


def package_files(
    reg: Register, entity: dict[str, str], day: dt.date, *, level: str = "ind", currency: str = "EUR"
) -> dict[str, str]:
    """The package as relative path -> text: the metadata, parameters, filing indicators and reported tables."""
    lei = entity.get("lei", "")
    parameters = [
        ["name", "value"],
        ["entityID", f"rs:{lei}.{level.upper()}" if lei else ""],
        ["refPeriod", day.isoformat()],
        ["baseCurrency", f"iso4217:{currency.upper()}"],
        ["decimalsInteger", DECIMALS_INTEGER],
        ["decimalsMonetary", DECIMALS_MONETARY],
    ]
    indicators = reported(reg)
    files = {
        "META-INF/reportPackage.json": _json({"documentInfo": {"documentType": REPORT_PACKAGE}}),
        "reports/report.json": _json({"documentInfo": {"documentType": XBRL_CSV, "extends": [DORA_ENTRY_POINT]}}),
        "reports/parameters.csv": _csv(parameters),
        "reports/FilingIndicators.csv": _csv(
            [["templateID", "reported"], *([t, "true" if on else "false"] for t, on in indicators.items())]
        ),
    }
    for template, on in indicators.items():
        if on:
            name = template.lower()
            files[f"reports/{name}.csv"] = table_csv(name, reg.tables[name])
    return files


def _json(data: object) -> str:
    return json.dumps(data, indent=2) + "\n"


def package_name(entity: dict[str, str], day: dt.date, created: dt.datetime, *, level: str = "ind") -> str:
    """The EBA's remittance name: LEI.IND_CC_DORA010100_DORA_2026-12-31_yyyyMMddHHmmssSSS."""
    missing = [f"entity.{k}" for k in ("lei", "country") if not entity.get(k)]
    if missing:
        raise PackageError(f"the package is named after the entity: {' and '.join(missing)} missing in the registry")
    stamp = created.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{entity['lei']}.{level.upper()}_{entity['country']}_{MODULE_CODE}_DORA_{day.isoformat()}_{stamp}"


def write_package(files: dict[str, str], directory: Path) -> list[Path]:
    """Write the package's files under `directory` (META-INF/ and reports/); the paths written."""
    written = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def zip_package(files: dict[str, str], directory: Path, name: str) -> Path:
    """NAME.zip in `directory`, its files inside one top-level folder NAME (as the report package format wants)."""
    target = directory / f"{name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in files.items():
            archive.writestr(f"{name}/{relative}", text)
    return target
