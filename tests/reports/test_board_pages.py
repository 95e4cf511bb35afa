"""The board PDF as a reader sees it: rendered to PNG, two summary pages, nothing outside the margins."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from registry import api
from reports.board import board_charts, write_board_report
from reports.metrics import BoardMetrics
from reports.tables import Column, table
from tests.reports.seed import NOW, Q3_REGISTRY, at, incident, item, seed, task
from vendorwatch.app import App
from vendorwatch.settings import Settings

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="pdftoppm/pdftotext (poppler-utils) not installed",
)
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN_X, MARGIN_Y = 16 / 25.4 * 72, 18 / 25.4 * 72  # report.css @page margins
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
MORE = "\n".join(
    f"  - {{name: Extra {n:02d}, category: saas, criticality: low, dependencies: [{{name: App, kind: oauth-grant}}]}}"
    for n in range(30)
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BoardMetrics]:
    """The seeded registry plus 30 small vendors and a long-winded incident with many late tasks (rendered once)."""
    tmp_path = tmp_path_factory.mktemp("board")
    app = App(settings=Settings(database_url=f"sqlite:///{tmp_path / 'vendorwatch.db'}"))
    with app.session() as session:
        (tmp_path / "q3.yaml").write_text(Q3_REGISTRY, encoding="utf-8")
        api.import_file(session, tmp_path / "q3.yaml", now=at(9, 1))  # the registry as it stood last quarter
        ids = seed(session, tmp_path)
        (tmp_path / "more.yaml").write_text(f"vendors:\n{MORE}\n", encoding="utf-8")
        api.import_file(session, tmp_path / "more.yaml")
        inc = incident(session, ids["Duo"], "Duo " + "very long title " * 30, disclosed=at(11, 3), alerted=at(11, 3, 1))
        item(session, inc, 1, "Duo says " + "words " * 200)
        for n in range(12):
            task(session, inc, f"duo-{n} " + "long task name " * 10, due=at(11, 3, 5), closed=None)
        out = tmp_path / "board.pdf"
        m = write_board_report(session, out, now=NOW)
    app.engine.dispose()
    return out, m


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
        for page in html.split("<page ")[1:]
    ]


def test_two_pages_decide_and_the_appendix_starts_on_page_three(report: tuple[Path, BoardMetrics]) -> None:
    pages = _pages(report[0])
    assert "OVERALL STATUS: RED" in pages[0] and "The four indicators" in pages[0]
    assert "Vendor incidents disclosed in 2026Q4" in pages[0] and "Top three risks" not in pages[0]
    assert "Top three risks" in pages[1] and "What we ask of the board" in pages[1]
    assert "Appendix" not in pages[0] + pages[1]
    assert "Appendix" in pages[2][:200]
    for name in ("Time to detect", "Time to revoke against", "Identity concentration", "Tenant isolation"):
        assert name in pages[0]


def test_no_text_outside_the_margins(report: tuple[Path, BoardMetrics]) -> None:
    margin_words = {"Identity", "vendor", "risk", "—", "2026Q4", "vendorwatch", "·", "confidential", "Page", "of"}
    for n, words in enumerate(_words(report[0]), 1):
        assert words, f"page {n} is empty"
        for x0, y0, x1, y1, w in words:
            assert x0 >= MARGIN_X - 1 and x1 <= PAGE_W - MARGIN_X + 1, f"page {n}: {w!r} at x {x0:.0f}-{x1:.0f}"
            if y0 < MARGIN_Y - 1 or y1 > PAGE_H - MARGIN_Y + 1:  # only the running header and footer live there
                assert w in margin_words or w.isdigit(), f"page {n}: {w!r} in the top/bottom margin"


def test_every_page_renders_to_png_with_blank_side_margins(report: tuple[Path, BoardMetrics], tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(report[0]), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(_pages(report[0])) >= 3
    strip = int(14 / 25.4 * 50)  # 14 mm of the 16 mm side margins
    for png in pngs:
        img = Image.open(png).convert("L")
        w, h = img.size
        for box in ((0, 0, strip, h), (w - strip, 0, w, h)):
            assert img.crop(box).getextrema()[0] >= 250, f"{png.name}: ink in the side margin {box}"
        assert img.crop((strip, 0, w - strip, h)).getextrema()[0] < 100, f"{png.name}: blank page"


def test_charts_plot_every_vendor_or_say_top_n_of_m(report: tuple[Path, BoardMetrics]) -> None:
    out, m = report
    charts = board_charts(m)
    assert len(m.concentration.shares) == 33
    assert charts.concentration.labels == tuple(s.vendor for s in m.concentration.shares[:15])
    assert charts.concentration.caption.startswith("Top 15 of 33 vendors")
    assert charts.response.caption.startswith("All 3 incidents of 2026Q4")
    text = "".join(_pages(out))
    assert all(label in text for label in charts.concentration.labels + charts.exposure.labels)


def test_headers_are_whole_words_and_constant_columns_are_dropped(report: tuple[Path, BoardMetrics]) -> None:
    words = {w for page in _words(report[0]) for *_, w in page}
    for head in ("Exposed", "dependencies", "Critical", "share", "Revocation", "latency", "Privilege", "Criticality"):
        assert head in words, f"header word {head!r} was cut"
    appendix = "".join(_pages(report[0])[2:])
    assert "Same on every row, so not a column: Detection latency" not in appendix  # it varies here


def test_a_column_with_one_value_on_every_row_is_dropped_and_stated_once() -> None:
    t = table(
        [Column("Vendor", 2, keep=True), Column("Binding", 1, True), Column("E", 1, True)],
        [("Okta", "1.0", "300"), ("Duo", "1.0", "24")],
    )
    assert ([c.head for c in t.columns], t.rows, t.constant) == (
        ["Vendor", "E"],
        (("Okta", "300"), ("Duo", "24")),
        ("Binding 1.0",),
    )
    assert t.widths == (66.7, 33.3)


def test_the_concentration_headline_overrides_a_low_hhi(report: tuple[Path, BoardMetrics]) -> None:
    assert report[1].concentration.hhi_band == "unconcentrated"
    page2 = " ".join(_pages(report[0])[1].split())
    assert "Concentrated: Okta sits in front of 100% of our people" in page2


def test_no_data_quarters_are_said_not_drawn_as_zero(report: tuple[Path, BoardMetrics]) -> None:
    appendix = "".join(_pages(report[0])[2:])
    assert appendix.count("no data: vendorwatch was not running") == 2  # 2026Q1 and 2026Q2 in the trends table
    assert re.search(r"2026Q1\s+0\b", appendix) is None


def test_page_one_shows_the_change_since_the_registry_at_last_quarters_end(report: tuple[Path, BoardMetrics]) -> None:
    page1 = " ".join(_pages(report[0])[0].split())
    assert "▲ 50 pts vs 2026Q3 (Okta: 50%)" in page1  # in front of 100% of people now, 50% then
    assert "▼ 41 pts vs 2026Q3 (Okta: 50%)" in page1  # 3 of 34 dependencies now (30 new vendors), 2 of 4 then


def test_never_reviewed_vendors_are_one_sentence_and_the_table_keeps_the_late_ones(
    report: tuple[Path, BoardMetrics],
) -> None:
    appendix = " ".join("".join(_pages(report[0])[2:]).split())
    assert "Never reviewed, so due from the start (31 of 33 vendors): medium: Duo; low: Extra 00, Extra 01," in appendix
    assert re.search(r"Okta critical 2026-07-01 high 2026-10-01 45 d", appendix)
