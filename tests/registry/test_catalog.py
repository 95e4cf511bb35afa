"""Importing with the vendor catalog adds its aliases and domains; `sources suggest` proposes its feeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from registry import api
from registry.catalog import load_catalog
from registry.errors import RegistryImportError
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli

CATALOG = """\
government:
  - {id: cisa-kev, kind: cisa-kev, url: "https://gov.example/kev.json", trust: government, verified: false}
vendors:
  - name: Okta
    aliases: [Okta Workforce Identity]
    domains: [okta.com, oktacdn.com]
    feeds:
      - {id: okta-security, kind: feed, url: "https://okta.example/feed", trust: vendor, verified: true}
  - name: Zoom
    aliases: [Zoom Video Communications]
    domains: [zoom.us]
"""
REGISTRY = (
    "vendors:\n  - {name: Okta, domains: [okta.com], criticality: critical}\n  - {name: Acme, criticality: low}\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    return tmp_path / "catalog.yaml", tmp_path / "registry.yaml"


def test_catalog_aliases_and_domains_join_known_vendors_once(app: App, files: tuple[Path, Path]) -> None:
    catalog = load_catalog(files[0])
    with app.session() as s:
        api.import_file(s, files[1], catalog=catalog)
    with app.session() as s:
        again = api.import_file(s, files[1], catalog=catalog)
        okta = next(v for v, _ in api.list_vendors(s) if v.name == "Okta")
    assert okta.aliases == ["Okta Workforce Identity"] and okta.domains == ["okta.com", "oktacdn.com"]
    assert not again.changed


def test_a_catalog_alias_that_collides_is_refused(app: App, files: tuple[Path, Path], tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    clash.write_text(
        REGISTRY + "  - {name: Zoom Video Communications, criticality: low}\n  - {name: Zoom}\n", encoding="utf-8"
    )
    with pytest.raises(RegistryImportError, match="already used by vendor"), app.session() as s:
        api.import_file(s, clash, catalog=load_catalog(files[0]))


def test_sources_suggest_prints_settings_for_registry_vendors(
    files: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    env = {"VENDORWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'vw.db'}", "VENDORWATCH_CONFIG": ""}
    runner.invoke(cli, ["registry", "import", str(files[1])], env=env)
    result = runner.invoke(cli, ["sources", "suggest", "--catalog", str(files[0])], env=env)
    assert result.exit_code == 0
    assert 'id = "okta-security"' in result.stdout and 'vendor = "Okta"' in result.stdout
    assert 'id = "cisa-kev"' in result.stdout and "zoom" not in result.stdout.lower()
