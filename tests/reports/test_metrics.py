"""Board metrics on a small registry with known values, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.export import metrics_rows, to_csv
from reports.metrics import board_metrics
from reports.quarters import Quarter, QuarterError
from tests.reports.seed import NOW, seed
from vendorwatch.app import App


def test_board_metrics_match_hand_computed_figures(app: App, tmp_path: Path) -> None:
    with app.session() as session:
        seed(session, tmp_path)
        m = board_metrics(session, Quarter.parse("2026Q4"), now=NOW)
    c = m.concentration
    assert (c.hhi, c.hhi_band) == (3750, "highly concentrated")  # shares 50/25/25 %
    assert [s.vendor for s in c.single_points] == ["Okta"]  # Duo shares the category but holds nothing critical
    assert (c.shares[0].vendor, c.shares[0].critical_share, c.shares[0].users_share) == ("Okta", 1.0, 1.0)
    assert [(link.dependency, link.registered) for link in c.fourth_party] == [("SSO", ("GitHub",))]
    assert [r.incident.title for r in m.incidents] == ["Okta support system breach", "GitHub tokens leaked"]
    okta, github = m.incidents
    assert (okta.incident.ttd_hours, okta.incident.ttr_hours, okta.incident.sla_hours) == (6.0, 12.0, 24.0)
    assert (okta.sla_state, github.sla_state, github.incident.ttd_hours) == ("met", "overdue", None)
    assert okta.assessment is not None and okta.assessment.seq == 1
    assert okta.assessment.fired == ("scope-expansion",)
    assert [t.title for t in okta.timeline] == ["Okta confirms breach"]
    assert (m.open_tasks, m.overdue_tasks, m.overdue_list[0].vendor) == (1, 1, "GitHub")
    assert [(t.quarter, t.incidents, t.median_ttd_hours, t.median_ttr_hours) for t in m.trends[-2:]] == [
        ("2026Q3", 1, 10.0, 10.0),
        ("2026Q4", 2, 6.0, 12.0),
    ]
    assert [(r.vendor, r.days_overdue) for r in m.overdue_reviews] == [("Duo", None), ("Okta", 45)]


def test_default_quarter_is_the_quarter_of_now_and_rows_export(sqlite_url: str, tmp_path: Path) -> None:
    from vendorwatch.settings import Settings

    app = App(settings=Settings(database_url=sqlite_url))
    with app.session() as session:
        seed(session, tmp_path)
        m = board_metrics(session, now=NOW)
    assert m.quarter == "2026Q4"
    text = to_csv(metrics_rows(m))
    assert text.startswith("quarter,section,subject,metric,value\n")
    assert "2026Q4,exposure,Okta,pressure,288.0" in text
    assert "2026Q4,reviews,Duo,days_overdue,never reviewed" in text


@pytest.mark.parametrize("text", ["2026Q5", "Q4 2026", "2026-Q4", ""])
def test_bad_quarters_are_refused(text: str) -> None:
    with pytest.raises(QuarterError):
        Quarter.parse(text)


def test_quarter_bounds_and_previous() -> None:
    q = Quarter.parse("2026q1")
    assert (str(q.previous()), q.start.month, q.end.month, str(q.next())) == ("2025Q4", 1, 4, "2026Q2")
