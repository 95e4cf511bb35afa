"""Strict registry files: every malformed, hostile or out-of-range file is refused with its place, exit 2,
and the database stays as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.registry.registry_files import GOOD_YAML
from vendorwatch.cli.main import app as cli

HEADER = "vendor,criticality,dependency,dependency_kind,credential,credential_kind,notes\n"
ROW = "Okta,high,SSO,sso,t,api-token,x\n"
CREDENTIALS = ", ".join(f"{{name: c{i}, kind: k}}" for i in range(1000))
DEPENDENCIES = ", ".join(f"{{name: d{i}, kind: k, credentials: *c}}" for i in range(1000))
ALIAS_BOMB = f"c: &c [{CREDENTIALS}]\nd: &d [{DEPENDENCIES}]\nvendors: [{{name: V, dependencies: *d}}]\n"


def _yaml(old: str, new: str) -> bytes:
    assert old in GOOD_YAML
    return GOOD_YAML.replace(old, new).encode()


STRICT = {
    # duplicates and structure
    "YAML duplicate key": (
        "r.yaml",
        _yaml("criticality: critical", "criticality: critical\n    criticality: low"),
        ":7: field 'criticality': duplicate key 'criticality' (first on line 6)",
    ),
    "YAML two vendors lists": (
        "r.yaml",
        (GOOD_YAML + "vendors:\n  - name: Evil\n").encode(),
        ":37: field 'vendors': duplicate key 'vendors' (first on line 1)",
    ),
    "YAML second document": (
        "r.yaml",
        (GOOD_YAML + "---\nvendors:\n  - name: Evil\n").encode(),
        ":37: a second YAML document (---): one registry per file",
    ),
    "JSON duplicate key": (
        "r.json",
        b'{"vendors": [\n {"name": "Okta",\n  "criticality": "high",\n  "criticality": "low"}]}',
        ":4: field 'criticality': duplicate key 'criticality' (first on line 3)",
    ),
    "JSON two vendors lists": (
        "r.json",
        b'{"vendors": [],\n "vendors": [{"name": "Evil"}]}',
        ":2: field 'vendors': duplicate key 'vendors' (first on line 1)",
    ),
    "CSV duplicate column": (
        "r.csv",
        (HEADER.strip() + ",criticality\n" + ROW.strip() + ",low\n").encode(),
        ":1: field 'criticality': duplicate column (columns 2 and 8)",
    ),
    "CSV unterminated quote": (
        "r.csv",
        (HEADER + 'Okta,high,SSO,sso,t,api-token,"oops\n' + ROW).encode(),
        ":2: unterminated quoted field",
    ),
    "CSV short row": (
        "r.csv",
        (HEADER + "Okta,high,SSO,sso\n").encode(),
        ":2: field 'credential': row has 4 of the header's 7 fields",
    ),
    "CSV long row": (
        "r.csv",
        (HEADER + ROW.strip() + ",extra\n").encode(),
        ":2: field 'notes': row has 8 fields, the header only 7",
    ),
    # characters and encodings
    "CSV NUL byte": ("r.csv", (HEADER + "Okta\0" + ROW[4:]).encode(), ":2: NUL byte at byte offset 83 (column 5)"),
    "CSV escape character": (
        "r.csv",
        (HEADER + "Okta\x1b[2J" + ROW[4:]).encode(),
        ":2: field 'vendor': control character U+001B at character 5 is not allowed",
    ),
    "CSV tab before a formula": (
        "r.csv",
        (HEADER + '"\t=1+1"' + ROW[4:]).encode(),
        ":2: field 'vendor': control character U+0009 at character 1",
    ),
    "bidi override in a name": (
        "r.yaml",
        _yaml("name: GitHub", 'name: "Git\u202eHub"'),
        ":24: field 'name': control character U+202E at character 4",
    ),
    "YAML raw escape character": (
        "r.yaml",
        _yaml("name: GitHub", "name: Git\x1bHub"),
        ":24: malformed YAML: control characters are not allowed: U+001B (column 14)",
    ),
    "YAML escaped NUL": (
        "r.yaml",
        _yaml("owner: iam-team\n    users", 'owner: "iam\\0team"\n    users'),
        ":7: field 'owner': control character U+0000 at character 4",
    ),
    "Latin-1 file": (
        "r.yaml",
        GOOD_YAML.replace("Okta Workforce", "Okta Caf\u00e9").encode("latin-1"),
        ":3: not UTF-8: byte 0xE9 at byte offset 46 (column 23) cannot be decoded; save it as UTF-8",
    ),
    "UTF-16 with BOM": ("r.yaml", GOOD_YAML.encode("utf-16"), ": file is UTF-16 LE text (byte-order mark at byte 0)"),
    "UTF-16 without BOM": ("r.csv", (HEADER + ROW).encode("utf-16-le"), ":1: NUL byte at byte offset 1 (column 2)"),
    "invalid UTF-8 in JSON": (
        "r.json",
        b'{"vendors": [{"name": "Ok\xfa"}]}',
        ":1: not UTF-8: byte 0xFA at byte offset 25",
    ),
    # ranges
    "SLA of 500000 weeks": (
        "r.yaml",
        _yaml("revocation_sla: 4h", "revocation_sla: 500000w"),
        ":12: field 'revocation_sla': 500000w is out of range (allowed: 1m to 730d, 2 years)",
    ),
    "SLA under a minute": (
        "r.yaml",
        _yaml("rotation_sla: 12h", "rotation_sla: 30s"),
        ":23: field 'rotation_sla': 30s is out of range (allowed: 1m to 730d, 2 years)",
    ),
    "cadence over two years": (
        "r.yaml",
        _yaml("users: 800", "users: 800\n    review_cadence: 1000d"),
        ":9: field 'review_cadence': 1000d is out of range (allowed: 1d to 730d, 2 years)",
    ),
    "SLA with 5000 digits": (
        "r.csv",
        (HEADER.strip() + ",revocation_sla\n" + ROW.strip() + "," + "9" * 5000 + "h\n").encode(),
        ":2: field 'revocation_sla': invalid duration '9999",
    ),
    "too many users": (
        "r.yaml",
        _yaml("users: 800", "users: 1000000000000"),
        ":8: field 'users': 1000000000000 is out of range (allowed: 0 to 1,000,000,000)",
    ),
    "infinite users": ("r.yaml", _yaml("users: 800", "users: .inf"), ":8: field 'users': must be a whole number"),
    "name over 200 characters": (
        "r.yaml",
        _yaml("name: GitHub", "name: " + "G" * 201),
        ":24: field 'name': is 201 characters long (allowed: at most 200)",
    ),
    "notes over 10,000 characters": (
        "r.csv",
        (HEADER + ROW.replace(",x", "," + "n" * 10_001)).encode(),
        ":2: field 'notes': is 10,001 characters long (allowed: at most 10,000)",
    ),
    "CSV field over the csv limit": (
        "r.csv",
        (HEADER + ROW.replace(",x", ',"' + "n" * 200_000 + '"')).encode(),
        ":2: a field is longer than 131,072 characters",
    ),
    "semicolon inside an alias": (
        "r.yaml",
        _yaml("[Okta Workforce Identity]", '["Okta; Workforce"]'),
        ":3: field 'aliases': an entry contains ';' (it separates entries in CSV)",
    ),
    "too many aliases": (
        "r.yaml",
        _yaml("[Okta Workforce Identity]", str([f"a{i}" for i in range(101)])),
        ":3: field 'aliases': has 101 entries (allowed: at most 100)",
    ),
    # depth and numbers past the parsers' own limits (RecursionError, ValueError before)
    "deep JSON": (
        "r.json",
        b'{"vendors": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ":1: nested deeper than 32 levels (not a registry)",
    ),
    "deep YAML": (
        "r.yaml",
        b"vendors:\n  - name: Okta\n    notes: " + b"[" * 40 + b"]" * 40 + b"\n",
        ":3: nested deeper than 32 levels (not a registry)",
    ),
    "JSON number with 5000 digits": (
        "r.json",
        b'{"vendors": [{"name": "Okta", "users": ' + b"9" * 5000 + b"}]}",
        ": malformed JSON: a number is too long",
    ),
    "YAML alias bomb": ("r.yaml", ALIAS_BOMB.encode(), ":2: YAML aliases expand to more than 200,000 values"),
    "YAML impossible date": (
        "r.yaml",
        _yaml("owner: iam-team\n    users", "owner: 2026-13-45\n    users"),
        ":7: malformed YAML: timestamp value cannot be read",
    ),
}


@pytest.fixture
def env(db_url: str, tmp_path: Path, runner: CliRunner) -> dict[str, str]:
    """A database that already holds a registry (so "unchanged" means something)."""
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_YAML.replace("Okta", "Duo"), encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(good)], env=env).exit_code == 0
    return env


@pytest.mark.parametrize("case", sorted(STRICT))
def test_a_bad_file_is_refused_with_its_place(
    case: str, env: dict[str, str], tmp_path: Path, runner: CliRunner
) -> None:
    before = runner.invoke(cli, ["registry", "export", "--format", "json"], env=env).stdout
    name, data, expected = STRICT[case]
    bad = tmp_path / name
    bad.write_bytes(data)

    result = runner.invoke(cli, ["registry", "import", str(bad)], env=env)

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {bad}{expected}"), result.stderr
    assert "unexpected" not in result.stderr
    assert runner.invoke(cli, ["registry", "export", "--format", "json"], env=env).stdout == before


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
@pytest.mark.parametrize("suffix", ["yaml", "json", "csv"])
def test_utf8_with_or_without_bom_is_read(
    bom: bytes, suffix: str, tmp_path: Path, runner: CliRunner, env: dict[str, str]
) -> None:
    texts = {
        "yaml": "vendors:\n  - name: Café\n    criticality: high\n",
        "json": json.dumps({"vendors": [{"name": "Café", "criticality": "high"}]}, ensure_ascii=False),
        "csv": "vendor,criticality,dependency,dependency_kind,credential,credential_kind\nCafé,high,,,,\n",
    }
    path = tmp_path / f"r.{suffix}"
    path.write_bytes(bom + texts[suffix].encode())
    assert runner.invoke(cli, ["registry", "import", str(path)], env=env).exit_code == 0
    vendors = json.loads(runner.invoke(cli, ["vendors", "list", "--json"], env=env).stdout)
    assert {v["name"]: v["criticality"] for v in vendors}["Café"] == "high"


def test_a_file_over_64_mb_is_refused_unread(env: dict[str, str], tmp_path: Path, runner: CliRunner) -> None:
    before = runner.invoke(cli, ["registry", "export", "--format", "json"], env=env).stdout
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: no disk used
    result = runner.invoke(cli, ["registry", "import", str(big)], env=env)
    assert result.exit_code == 2
    assert f"error: {big}: file is larger than 67,108,864 bytes (the most allowed)" in result.stderr
    assert runner.invoke(cli, ["registry", "export", "--format", "json"], env=env).stdout == before
