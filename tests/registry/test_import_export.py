"""Registry import is all-or-nothing and idempotent; export round-trips."""

from __future__ import annotations

from pathlib import Path

from registry import api
from tests.registry.registry_files import GOOD_YAML
from vendorwatch.app import App


def _write(tmp_path: Path, text: str, name: str = "registry.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_vendors_dependencies_and_credentials(app: App, tmp_path: Path) -> None:
    with app.session() as s:
        changes = api.import_file(s, _write(tmp_path, GOOD_YAML))
    assert changes.created == ["Okta", "GitHub"]
    with app.session() as s:
        rows = {spec.name: (spec, n) for spec, n in api.list_vendors(s)}
    okta, creds = rows["Okta"]
    assert okta.criticality == "critical" and creds == 2
    assert okta.dependencies[0].revocation_sla_s == 4 * 3600
    assert okta.dependencies[0].credentials[1].rotation_sla_s == 12 * 3600


def test_reimport_of_the_same_file_changes_nothing(app: App, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML)
    with app.session() as s:
        api.import_file(s, path)
    with app.session() as s:
        before = api.export(s, "yaml")
        again = api.import_file(s, path)
    assert not again.changed and again.unchanged == 2
    with app.session() as s:
        assert api.export(s, "yaml") == before


def test_upsert_updates_by_vendor_name_and_follows_the_file(app: App, tmp_path: Path) -> None:
    with app.session() as s:
        api.import_file(s, _write(tmp_path, GOOD_YAML))
    edited = GOOD_YAML.replace("criticality: high", "criticality: medium").replace(
        "          - name: SCIM bearer token\n            kind: api-token\n            owner: iam-team\n"
        "            rotation_sla: 12h\n",
        "",
    )
    with app.session() as s:
        changes = api.import_file(s, _write(tmp_path, edited, "v2.yaml"))
    assert changes.updated == ["GitHub"] and changes.children_removed == 1
    with app.session() as s:
        exported = api.export(s, "yaml")
    assert "SCIM bearer token" not in exported and "criticality: medium" in exported


def test_dry_run_reports_changes_and_writes_nothing(app: App, tmp_path: Path) -> None:
    with app.session() as s:
        changes = api.import_file(s, _write(tmp_path, GOOD_YAML), dry_run=True)
    assert changes.created == ["Okta", "GitHub"]
    with app.session() as s:
        assert api.list_vendors(s) == []


def test_export_round_trips_in_every_format(app: App, tmp_path: Path) -> None:
    with app.session() as s:
        api.import_file(s, _write(tmp_path, GOOD_YAML))
        original = api.export(s, "yaml")
    for fmt in ("yaml", "csv", "json"):
        with app.session() as s:
            dumped = api.export(s, fmt)
        other = App(settings=app.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / fmt}.db"}))
        with other.session() as s:
            api.import_file(s, _write(tmp_path, dumped, f"export.{fmt}"))
            assert api.export(s, "yaml") == original, fmt
        other.engine.dispose()


def test_yaml_anchors_and_merge_keys_are_understood(app: App, tmp_path: Path) -> None:
    text = (
        "defaults: &crit {criticality: critical, owner: iam-team}\n"
        "vendors:\n"
        "  - name: Okta\n    <<: *crit\n"
        "  - name: Duo\n    <<: *crit\n    owner: mfa-team\n"
    )
    with app.session() as s:
        api.import_file(s, _write(tmp_path, text))
        rows = {spec.name: spec for spec, _ in api.list_vendors(s)}
    assert (rows["Okta"].criticality, rows["Okta"].owner) == ("critical", "iam-team")
    assert (rows["Duo"].criticality, rows["Duo"].owner) == ("critical", "mfa-team"), "own keys win over merged ones"


def test_dry_run_lists_each_field_and_child_that_would_change(app: App, tmp_path: Path) -> None:
    with app.session() as s:
        api.import_file(s, _write(tmp_path, GOOD_YAML))
    edited = (
        GOOD_YAML.replace("criticality: high", "criticality: medium")
        .replace("revocation_sla: 4h", "revocation_sla: 2h")
        .replace("          - name: SCIM bearer token\n", "          - name: SCIM token v2\n")
    )
    with app.session() as s:
        changes = api.import_file(s, _write(tmp_path, edited, "v2.yaml"), dry_run=True)
    assert changes.details == [
        "~ GitHub: criticality: 'high' -> 'medium'",
        "~ Okta / Workforce SSO: revocation_sla: 4h -> 2h",
        "+ Okta / Workforce SSO / SCIM token v2",
        "- Okta / Workforce SSO / SCIM bearer token",
    ]
