"""The summary pages' model: quarters by disclosure, back-fills, as-of figures, indicators, risks and asks."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from registry import api
from reports.decide import board_summary
from reports.export import metrics_rows
from reports.metrics import BoardMetrics, board_metrics
from reports.quarters import Quarter
from tests.reports.seed import NOW, Q3_REGISTRY, at, incident, item, seed, task
from vendorwatch.app import App


def _backfilled(session: Session, ids: dict[str, int]) -> None:
    """GitHub disclosed on 15 Aug (Q3); `poll --since` found it on 10 Nov; its task closed in Q4."""
    inc = incident(session, ids["GitHub"], "GitHub old disclosure", disclosed=at(8, 15), alerted=at(11, 10))
    item(session, inc, 1, "GitHub discloses an old breach", first_seen=at(11, 10))
    task(session, inc, "d1", due=at(8, 21), closed=at(11, 11))


def _metrics(app: App, tmp_path: Path, *quarters: str, backfill: bool = False) -> list[BoardMetrics]:
    with app.session() as session:
        ids = seed(session, tmp_path)
        if backfill:
            _backfilled(session, ids)
        return [board_metrics(session, Quarter.parse(q), now=NOW) for q in quarters]


def test_back_filled_incident_counts_in_its_disclosure_quarter_without_detection_latency(
    app: App, tmp_path: Path
) -> None:
    (q3,) = _metrics(app, tmp_path, "2026Q3", backfill=True)
    assert [(r.incident.title, r.incident.backfilled) for r in q3.incidents] == [
        ("Okta earlier incident", False),
        ("GitHub old disclosure", True),
    ]
    back = q3.incidents[1].incident
    assert back.ttd_hours is None  # not the 87 days between disclosure and the back-fill
    assert (q3.current.incidents, q3.current.backfilled, q3.current.median_ttd_hours) == (2, 1, 10.0)


def test_quarters_before_the_first_poll_have_no_data_not_zero(app: App, tmp_path: Path) -> None:
    m, m3 = _metrics(app, tmp_path, "2026Q4", "2026Q3")
    assert [(t.quarter, t.covered) for t in m.trends] == [
        ("2026Q1", False),
        ("2026Q2", False),
        ("2026Q3", True),
        ("2026Q4", True),
    ]
    detect = board_summary(m).indicators[0]
    assert (detect.status, detect.value, detect.change) == ("amber", "6.0 h", "▼ 4.0 h vs 2026Q3 (10.0 h)")
    q3 = board_summary(m3).indicators[0]
    assert q3.change == "no data for 2026Q2: vendorwatch was not running"


def test_past_quarter_open_tasks_are_counted_at_the_quarters_end(app: App, tmp_path: Path) -> None:
    with app.session() as session:
        ids = seed(session, tmp_path)
        inc = incident(session, ids["GitHub"], "GitHub Q3", disclosed=at(9, 1), alerted=at(9, 1, 2))
        task(session, inc, "q3", due=at(9, 2), closed=at(10, 20))  # open and overdue on 30 Sep, closed since
        q3 = board_metrics(session, Quarter.parse("2026Q3"), now=NOW)
        q4 = board_metrics(session, Quarter.parse("2026Q4"), now=NOW)
    assert (q3.open_tasks, q3.overdue_tasks, q3.current.open_tasks) == (1, 1, 1)
    assert [r.task.title for r in q3.overdue_list] == ["Rotate q3"]
    assert (q4.open_tasks, q4.overdue_tasks) == (1, 1)  # today: only GitHub's c1


def test_indicators_status_reason_and_the_late_task_named(app: App, tmp_path: Path) -> None:
    s = board_summary(_metrics(app, tmp_path, "2026Q4")[0])
    assert [(i.name, i.status) for i in s.indicators] == [
        ("Time to detect", "amber"),
        ("Time to revoke against SLA", "red"),
        ("Identity concentration", "red"),
        ("Tenant isolation (blast radius)", "red"),
    ]
    revoke = s.indicators[1]
    assert revoke.value == "1 of 2 within SLA"
    assert revoke.reason.startswith("late: Rotate c1 (#3 GitHub, open, 13.7 d past due)")
    assert s.status == "red" and s.reason.startswith("Red: 1 of 2 incidents missed the revocation SLA (1 task late")
    assert s.reason.count(".") == 1  # one sentence, naming all three red indicators
    assert "; Okta sits in front of 100% of our people; and a breach of Okta reaches 75% of" in s.reason
    assert [i.change for i in s.indicators[2:]] == ["no data for 2026Q3: no registry snapshot by its end"] * 2


def test_concentration_headline_reconciles_the_hhi_with_one_dominant_vendor(app: App, tmp_path: Path) -> None:
    s = board_summary(_metrics(app, tmp_path, "2026Q4")[0])
    assert s.concentration.startswith("Concentrated: Okta sits in front of 100% of our people")


def test_risks_in_plain_words_and_asks_with_owners(app: App, tmp_path: Path) -> None:
    s = board_summary(_metrics(app, tmp_path, "2026Q4")[0])
    assert len(s.risks) == 3 and all(r.status == "red" for r in s.risks)
    assert s.risks[0].title == "Everyone signs in through Okta"
    assert [(a.decision, a.subject, a.owner) for a in s.asks] == [
        ("Accept", "Okta", "CISO"),
        ("Fund", "overdue rotations", "iam"),
    ]  # GitHub missed its SLA but holds no critical access and reaches only 25%: no "replace" to ask
    assert [line.split(" — ")[0] for line in s.incident_lines] == [
        "#1 Okta: Okta support system breach",
        "#3 GitHub: GitHub tokens leaked",
    ]


def test_concentration_and_blast_radius_change_since_the_registry_at_last_quarters_end(
    app: App, tmp_path: Path
) -> None:
    with app.session() as session:
        (tmp_path / "q3.yaml").write_text(Q3_REGISTRY, encoding="utf-8")
        api.import_file(session, tmp_path / "q3.yaml", now=at(9, 1))
        seed(session, tmp_path)  # today's registry, imported on 15 November
        q4, q3 = (board_metrics(session, Quarter.parse(q), now=NOW) for q in ("2026Q4", "2026Q3"))
    assert [i.change for i in board_summary(q4).indicators[2:]] == [
        "▲ 50 pts vs 2026Q3 (Okta: 50%)",  # Okta: 100% of people today
        "▲ 25 pts vs 2026Q3 (Okta: 50%)",  # 3 of 4 dependencies today, its own 2 then
    ]
    then = {r.metric: r.value for r in metrics_rows(q4) if r.section == "history"}
    assert (then["snapshot_taken_at"], then["leader_users_share"], then["blast_radius"]) == (
        at(9, 1).isoformat(),
        0.5,
        0.5,
    )
    assert [i.change for i in board_summary(q3).indicators[2:]] == [
        "no data for 2026Q2: no registry snapshot by its end"
    ] * 2
