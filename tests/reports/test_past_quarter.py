"""A past quarter's board report shows the registry at that quarter's end, not today's, and says which it shows."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from registry import api
from registry.repo import history
from reports.board import board_html, render_board
from reports.decide import board_summary
from reports.export import metrics_rows, to_csv
from reports.exposure import Blast
from reports.metrics import BoardMetrics, board_metrics
from reports.quarters import Quarter
from tests.reports.seed import NOW, Q3_REGISTRY, at, seed
from vendorwatch.app import App

# Last quarter's registry is imported then; the daily check at that quarter's end finds it unchanged.
TAKEN = at(9, 1)
MORE = "vendors:\n" + "".join(
    f"  - {{name: Extra {n}, category: saas, criticality: low, dependencies: [{{name: App, kind: oauth-grant}}]}}\n"
    for n in range(4)
)
SNAPSHOT = "the registry at the end of 2026Q3 (snapshot taken 2026-09-01)."
DETAIL = "registry detail as of 2026-11-15; the snapshot at the end of 2026Q3 keeps counts only."
NO_SNAPSHOT = "No registry snapshot by the end of 2026Q3: registry figures are as of 2026-11-15."


def _metrics(app: App, tmp_path: Path, *quarters: str, snapshot: bool = True) -> list[BoardMetrics]:
    """The seeded store grown by four vendors today; with `snapshot`, the Q3 registry recorded before Q3 ended.

    Then (Q3): Okta, GitHub, Duo; 4 dependencies, Okta in front of 50% of people and reaching no other vendor.
    Today: 3 + 4 vendors, 8 dependencies, Okta in front of 100% of people, its SSO reaching GitHub.
    """
    with app.session() as session:
        if snapshot:
            (tmp_path / "q3.yaml").write_text(Q3_REGISTRY, encoding="utf-8")
            api.import_file(session, tmp_path / "q3.yaml", now=TAKEN)
            history.record(session, at(9, 30, 23), at_most_every=history.DAILY)
        seed(session, tmp_path)
        (tmp_path / "more.yaml").write_text(MORE, encoding="utf-8")
        api.import_file(session, tmp_path / "more.yaml", now=NOW)
        return [board_metrics(session, Quarter.parse(q), now=NOW) for q in quarters]


def _text(m: BoardMetrics) -> str:
    """The board report's HTML as a reader sees its words: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", board_html(m))).split())


def _registry_rows(m: BoardMetrics) -> dict[tuple[str, str], object]:
    return {(r.subject, r.metric): r.value for r in metrics_rows(m) if r.section == "registry"}


def test_a_past_quarter_shows_the_concentration_and_blast_radius_of_the_snapshot_at_its_end(
    app: App, tmp_path: Path
) -> None:
    q3, q4 = _metrics(app, tmp_path, "2026Q3", "2026Q4")
    c = q3.concentration
    assert (c.hhi, c.total_deps, c.total_critical, q3.registry_vendors) == (3750, 4, 2, 3)
    assert [(s.vendor, s.deps, s.users_share) for s in c.shares] == [
        ("Okta", 2, 0.5),
        ("Duo", 1, 0.2),
        ("GitHub", 1, 1.0),
    ]
    assert q3.blast == Blast("Okta", 2, 4, 0.5)
    conc, blast = board_summary(q3).indicators[2:]
    assert (conc.value, blast.value) == ("Okta: 50% of people", "Okta: 50%")
    assert blast.reason.startswith("a breach of Okta reaches 2 of our 4 dependencies")
    assert conc.change == blast.change == "no data for 2026Q2: no registry snapshot by its end"
    # What a snapshot cannot give stays today's: the exposure ranking lists the vendors added since.
    assert {e.vendor for e in q3.exposure} == {e.vendor for e in q4.exposure} >= {"Extra 0", "Extra 3"}
    assert q3.registry_today.total_deps == 8


def test_the_current_quarter_shows_todays_registry_compared_with_the_snapshot(app: App, tmp_path: Path) -> None:
    (q4,) = _metrics(app, tmp_path, "2026Q4")
    assert (q4.registry.past, q4.registry.snapshot) == (False, None)
    assert q4.registry.figures("Concentration") == q4.registry.detail("Owners") == ""
    assert (q4.concentration.hhi, q4.concentration.total_deps, q4.registry_vendors) == (1562, 8, 7)
    assert q4.concentration is q4.registry_today
    assert q4.blast == Blast("Okta", 3, 8, 0.375)
    conc, blast = board_summary(q4).indicators[2:]
    assert (conc.value, conc.change) == ("Okta: 100% of people", "▲ 50 pts vs 2026Q3 (Okta: 50%)")
    assert (blast.value, blast.change) == ("Okta: 38%", "▼ 12 pts vs 2026Q3 (Okta: 50%)")
    text = _text(q4)
    assert "7 vendors, 8 dependencies" in text and "the spread index HHI is 1,562" in text
    assert "registry detail" not in text and "the registry at the end of" not in text
    assert "No registry snapshot by the end" not in text


def test_the_past_quarters_report_says_which_registry_each_figure_describes(app: App, tmp_path: Path) -> None:
    (q3,) = _metrics(app, tmp_path, "2026Q3")
    text = _text(q3)
    assert "Board report · generated 2026-11-15 00:00 UTC · 3 vendors, 4 dependencies" in text
    assert f"Concentration and blast radius: {SNAPSHOT}" in text  # under the indicators on page 1
    assert f"Shares, HHI and single points of failure: {SNAPSHOT}" in text  # the concentration appendix
    assert "the spread index HHI is 3,750 (highly concentrated" in text
    assert "Concentrated: Okta sits in front of 50% of our people" in text
    # Okta missed its SLA in Q3: the board is asked whether to replace it, quoting today's blast radius.
    assert "and a breach there reaches 38% of our dependencies" in text
    for what in (
        "Owners and the replace ask's blast radius",
        "Exposure and blast radius per vendor",
        "Fourth-party links",
        "ICT providers, parents and countries",
    ):
        assert f"{what}: {DETAIL}" in text
    assert "Okta SSO GitHub , Jira" in text  # today's link, under the caption saying so


def test_no_snapshot_by_a_past_quarters_end_shows_todays_registry_and_says_so(app: App, tmp_path: Path) -> None:
    q3, q4 = _metrics(app, tmp_path, "2026Q3", "2026Q4", snapshot=False)
    assert (q3.registry.past, q3.registry.snapshot) == (True, None)
    assert (q3.concentration.hhi, q3.blast) == (q4.concentration.hhi, q4.blast)
    text = _text(q3)
    assert text.count(NO_SNAPSHOT) == 6  # page 1, the asks, concentration, fourth-party links, exposure, providers
    assert "registry detail" not in text and "7 vendors, 8 dependencies" in text
    rows = _registry_rows(q3)
    assert rows[("concentration and blast radius", "source")] == "today"
    assert rows[("concentration and blast radius", "snapshot_taken_at")] is None
    assert rows[("concentration and blast radius", "note")] == NO_SNAPSHOT
    assert rows[("exposure and ict providers", "note")] == NO_SNAPSHOT


def test_the_export_carries_the_past_quarters_figures_and_names_their_registry(app: App, tmp_path: Path) -> None:
    q3, q4 = _metrics(app, tmp_path, "2026Q3", "2026Q4")
    rows = _registry_rows(q3)
    figures = {metric: v for (subject, metric), v in rows.items() if subject == "concentration and blast radius"}
    assert figures == {
        "source": "snapshot",
        "snapshot_taken_at": TAKEN.isoformat(),
        "vendors": 3,
        "dependencies": 4,
        "blast_radius_vendor": "Okta",
        "blast_radius": 0.5,
        "note": f"Concentration rows and blast radius: {SNAPSHOT}",
    }
    assert rows[("exposure and ict providers", "as_of")] == NOW.isoformat()
    assert rows[("exposure and ict providers", "note")] == f"Exposure and ICT provider rows: {DETAIL}"
    text = to_csv(metrics_rows(q3))
    assert "2026Q3,concentration,registry,hhi,3750\n" in text
    assert "2026Q3,concentration,Okta,users_share,0.5\n" in text and "Extra 0,dependency_share" not in text
    assert "2026Q3,exposure,Extra 0,pressure," in text  # the exposure ranking is today's, as the note says
    today = {metric: v for (subject, metric), v in _registry_rows(q4).items() if subject.startswith("concentration")}
    assert (today["source"], today["snapshot_taken_at"], today["dependencies"]) == ("today", None, 8)
    assert "note" not in today


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_the_past_quarters_captions_keep_the_summary_to_two_pages(app: App, tmp_path: Path) -> None:
    (q3,) = _metrics(app, tmp_path, "2026Q3")
    out = tmp_path / "board.pdf"
    render_board(q3, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = [" ".join(page.split()) for page in text.split("\f")]
    assert (
        f"Concentration and blast radius: {SNAPSHOT}" in pages[0]
        and "Top three risks" in pages[1]
        and f"Owners and the replace ask's blast radius: {DETAIL}" in pages[1]
    )
    assert "Appendix" not in pages[0] + pages[1] and "Appendix" in pages[2][:100]
