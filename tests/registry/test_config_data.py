"""The shipped data in config/ is valid and consistent: registries, catalog, settings, demo feeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml

from registry.fileformat import CSV_COLUMNS, load_file
from registry.spec import VendorSpec
from registry.writers import dump_yaml
from vendorwatch.settings import load_settings

CONFIG = Path(__file__).resolve().parents[2] / "config"
DEMO = CONFIG / "demo"
CATEGORIES = {
    "identity-provider",
    "mfa",
    "pam",
    "secrets-manager",
    "password-manager",
    "ci-cd",
    "source-control",
    "support-portal",
    "saas",
    "cloud",
    "communications",
    "paas",
}
FEED_KINDS = {"feed", "jsonfeed", "statuspage", "cisa-kev"}
TRUSTS = {"vendor", "government", "news"}
REGISTRIES = ["registry.example.yaml", "registry.example.csv", "demo/registry.yaml"]


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    doc = yaml.safe_load((CONFIG / "catalog.yaml").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


@pytest.fixture(scope="module")
def example() -> list[VendorSpec]:
    return load_file(CONFIG / "registry.example.yaml")


def _all_feeds(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    vendor_feeds = [f for v in catalog["vendors"] for f in v["feeds"]]
    return [*catalog.get("government", []), *catalog.get("news", []), *vendor_feeds]


def _demo_entries(phase: int) -> dict[str, list[Any]]:
    files = sorted((DEMO / "feeds" / f"phase{phase}").glob("*.xml"))
    return {f.stem: feedparser.parse(f.read_bytes()).entries for f in files}


@pytest.mark.parametrize("name", REGISTRIES)
def test_shipped_registries_load_with_dependencies_and_credentials(name: str) -> None:
    vendors = load_file(CONFIG / name)
    assert len(vendors) >= 10
    for vendor in vendors:
        assert vendor.owner and vendor.category and vendor.domains, vendor.name
        assert 2 <= len(vendor.dependencies) <= 5, vendor.name
        assert all(d.credentials and d.revocation_sla_s for d in vendor.dependencies), vendor.name
    assert {v.name: v.criticality for v in vendors}["Okta"] == "critical"


def test_example_csv_is_the_yaml_flattened(example: list[VendorSpec]) -> None:
    csv_path = CONFIG / "registry.example.csv"
    header = csv_path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(CSV_COLUMNS)
    assert dump_yaml(load_file(csv_path)) == dump_yaml(example)


def test_fourth_party_links_name_registry_vendors(example: list[VendorSpec]) -> None:
    names = {v.name for v in example}
    reaches = {r for v in example for d in v.dependencies for r in d.reaches}
    assert reaches and reaches <= names
    drift = next(v for v in example if v.name == "Salesloft")
    assert any("Salesforce" in d.reaches and d.kind == "oauth-grant" for d in drift.dependencies)


def test_demo_registry_never_runs_rotation_hooks() -> None:
    creds = [c for v in load_file(DEMO / "registry.yaml") for d in v.dependencies for c in d.credentials]
    assert creds and not any(c.rotate_command or c.rotate_webhook_env for c in creds)


def test_catalog_vendors_are_complete_and_unambiguous(catalog: dict[str, Any]) -> None:
    vendors = catalog["vendors"]
    assert len(vendors) >= 25
    terms = [t.casefold() for v in vendors for t in [v["name"], *v.get("aliases", [])]]
    assert len(terms) == len(set(terms)), "a name or alias is used twice"
    for vendor in vendors:
        assert vendor["category"] in CATEGORIES, vendor["name"]
        assert vendor["domains"] and vendor["feeds"], vendor["name"]


def test_catalog_feeds_are_well_formed(catalog: dict[str, Any]) -> None:
    feeds = _all_feeds(catalog)
    assert len({f["id"] for f in feeds}) == len(feeds), "feed ids must be unique"
    for feed in feeds:
        assert set(feed) == {"id", "kind", "url", "trust", "verified"}, feed
        assert feed["kind"] in FEED_KINDS and feed["trust"] in TRUSTS, feed["id"]
        assert feed["url"].startswith("https://") and isinstance(feed["verified"], bool), feed["id"]
    gov = {f["kind"] for f in catalog["government"] if f["trust"] == "government"}
    assert {"cisa-kev", "feed"} <= gov


def test_example_registry_uses_catalog_names(catalog: dict[str, Any], example: list[VendorSpec]) -> None:
    for vendor in example:
        ours = {t.casefold() for t in [vendor.name, *vendor.aliases]}
        for entry in catalog["vendors"]:
            theirs = {t.casefold() for t in [entry["name"], *entry.get("aliases", [])]}
            if ours & theirs or set(vendor.domains) & set(entry["domains"]):
                assert vendor.name == entry["name"]


@pytest.mark.parametrize("phase", [1, 2])
def test_demo_feeds_parse_with_complete_items(phase: int) -> None:
    for source, entries in _demo_entries(phase).items():
        assert entries, source
        for entry in entries:
            assert entry.get("title") and entry.get("link") and entry.get("id"), source
            assert entry.get("published_parsed") and entry.get("summary"), entry.get("link")


def test_demo_phase2_extends_phase1_and_feeds_json_describes_every_source() -> None:
    phase1, phase2 = _demo_entries(1), _demo_entries(2)
    assert phase1.keys() == phase2.keys()
    for source, entries in phase1.items():
        assert {e.id for e in entries} < {e.id for e in phase2[source]}, source
    meta = json.loads((DEMO / "feeds.json").read_text(encoding="utf-8"))
    assert meta.keys() == phase1.keys()
    assert {m["trust"] for m in meta.values()} == TRUSTS


def test_demo_labels_point_at_items_and_registry_vendors() -> None:
    labels = json.loads((DEMO / "labels.json").read_text(encoding="utf-8"))
    links = {e.link for entries in _demo_entries(2).values() for e in entries}
    names = {v.name for v in load_file(DEMO / "registry.yaml")}
    assert labels.keys() == links
    for label in labels.values():
        assert set(label["expect"]) | set(label.get("allow", [])) <= names
    assert any("utm_source=" in link and labels[link]["expect"] for link in links)


def test_example_settings_load_and_match_the_registry(catalog: dict[str, Any], example: list[VendorSpec]) -> None:
    settings = load_settings(CONFIG / "vendorwatch.example.toml")
    names = {v.name for v in example}
    assert {s.vendor for s in settings.sources if s.vendor} <= names
    catalog_urls = {f["id"]: f["url"] for f in _all_feeds(catalog)}
    assert all(catalog_urls.get(s.id) == s.url for s in settings.sources)
    assert any(s.kind == "cisa-kev" and s.trust == "government" for s in settings.sources)
    owners = {v.owner for v in example} | {d.owner for v in example for d in v.dependencies}
    assert owners - {""} <= settings.owners.keys()
    assert settings.slack.channel and settings.routes
