"""The board report's regulatory view: ICT concentration by provider, ultimate parent and country, and each
regime's reporting clocks met and missed, in the metrics, the JSON export and the rendered PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from registry import api
from registry.isocodes import lei_with_check
from reports.board import write_board_report
from reports.export import metrics_rows, to_json
from reports.metrics import BoardMetrics, board_metrics
from reports.quarters import Quarter
from tests.reports.seed import NOW, at, incident
from vendorwatch.app import App
from vendorwatch.incidents import clocks
from vendorwatch.settings import Settings

OKTA, GROUP, CISCO = (lei_with_check(x) for x in ("549300OKTATEST0000", "549300OKTAPARENT00", "549300CISCOTEST000"))
REGISTRY = f"""
vendors:
  - name: Okta
    criticality: critical
    users: 100
    lei: {OKTA}
    country: US
    parent: Okta Group
    dependencies: [{{name: SSO, kind: sso}}, {{name: Admin API, kind: api-token, privilege_scope: admin}}]
  - name: Auth0
    criticality: critical
    users: 40
    country: US
    parent: {GROUP}
    dependencies: [{{name: Customer login, kind: sso}}]
  - name: Okta Group
    criticality: low
    lei: {GROUP}
    country: US
  - name: Duo
    criticality: high
    users: 90
    country: IE
    parent: {CISCO}
    dependencies: [{{name: MFA admin, kind: api-token, privilege_scope: admin}}]
  - name: Yubico
    criticality: medium
    users: 100
    country: SE
    dependencies: [{{name: Keys, kind: signing-key}}]
"""


def _seed(app: App, tmp_path: Path) -> None:
    """The registry and an Okta incident classified major: DORA initial missed, intermediate met, final pending."""
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    with app.session() as s:
        api.import_file(s, tmp_path / "registry.yaml")
        s.flush()
        inc = incident(s, 1, "Okta support breach", disclosed=at(11, 3), alerted=at(11, 3))
        clocks.record(s, inc.id or 0, clocks.MAJOR, by="ciso", now=at(11, 3, 2))  # initial due 11-03 06:00
        clocks.submitted(s, inc.id or 0, "dora", "intermediate", by="ciso", now=at(11, 5))  # due 11-06 06:00


def _metrics(app: App, tmp_path: Path) -> BoardMetrics:
    _seed(app, tmp_path)
    with app.session() as s:
        return board_metrics(s, Quarter.parse("2026Q4"), now=NOW, regimes=["dora", "sec"])


def test_concentration_by_provider_ultimate_parent_and_country(app: App, tmp_path: Path) -> None:
    c = _metrics(app, tmp_path).regulation.concentration
    assert c.total_critical == 4  # Okta 2 (critical vendor), Auth0 1, Duo's admin grant 1
    assert [(g.name, g.critical_deps) for g in c.by_provider][:3] == [(f"Okta ({OKTA})", 2), ("Duo", 1), ("Auth0", 1)]
    # Okta named its parent by name, Auth0 by LEI: both roll up to Okta Group; Yubico is its own parent.
    parents = {g.name: (g.providers, g.critical_deps, g.critical_share, g.people) for g in c.by_parent}
    assert parents["Okta Group"] == (3, 3, 0.75, 100)
    assert parents[f"LEI {CISCO}"] == (1, 1, 0.25, 90) and parents["Yubico"] == (1, 0, 0.0, 100)
    assert [(g.name, g.critical_deps, g.providers) for g in c.by_country] == [("US", 3, 3), ("IE", 1, 1), ("SE", 0, 1)]


def test_clocks_met_and_missed_in_the_quarter_and_in_the_json_export(app: App, tmp_path: Path) -> None:
    m = _metrics(app, tmp_path)
    [dora, sec] = m.regulation.clocks
    assert (dora.regime, dora.due, dora.met, dora.missed, dora.pending) == ("dora", 3, 1, 1, 1)
    assert (sec.due, sec.missed) == (0, 0)  # no materiality determination: no SEC clock
    [missed] = m.regulation.missed
    assert (missed.label, missed.due, missed.submitted_at) == ("DORA initial notification", at(11, 3, 6), None)
    rows = {(r["section"], r["subject"], r["metric"]): r["value"] for r in json.loads(to_json(metrics_rows(m)))}
    assert rows["ultimate_parent", "Okta Group", "critical_deps"] == 3
    assert rows["country", "IE", "critical_share"] == 0.25
    assert rows["ict_provider", "Auth0", "people"] == 40
    assert (rows["clocks", "dora", "met"], rows["clocks", "dora", "missed"]) == (1, 1)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_the_pdf_shows_the_tables_and_a_missed_clock_on_page_two(tmp_path: Path) -> None:
    app = App(settings=Settings(database_url=f"sqlite:///{tmp_path / 'vw.db'}"))
    _seed(app, tmp_path)
    with app.session() as s:
        write_board_report(s, tmp_path / "board.pdf", now=NOW, regimes=["dora"])
    app.engine.dispose()
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "board.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [" ".join(p.split()) for p in text.split("\f")]
    assert "Regulatory deadlines missed: 1 of 3 reporting steps due in 2026Q4" in pages[1]
    appendix = " ".join(pages[2:])
    for heading in (
        "By ICT provider",
        "By ultimate parent",
        "By country of headquarters",
        "Regulatory reporting clocks in 2026Q4",
    ):
        assert heading in appendix
    assert "Okta Group 3 3 75.0% 100" in appendix and f"LEI {CISCO} 1 1 25.0% 90" in appendix
    assert "DORA 3 1 1 1" in appendix
    assert "DORA initial notification due 2026-11-03 06:00 UTC, not recorded as sent" in appendix


def test_without_recorded_parents_the_parent_table_is_not_repeated(app: App, tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(
        "vendors:\n  - {name: Okta, criticality: critical, country: US, dependencies: [{name: SSO, kind: sso}]}\n"
        "  - {name: Yubico, criticality: medium, country: SE, dependencies: [{name: Keys, kind: signing-key}]}\n",
        encoding="utf-8",
    )
    with app.session() as s:
        api.import_file(s, tmp_path / "registry.yaml")
        s.flush()
        assert not board_metrics(s, Quarter.parse("2026Q4"), now=NOW).regulation.concentration.parents_differ
    assert _metrics(app, tmp_path).regulation.concentration.parents_differ, "Okta, Auth0 roll up to Okta Group"
