"""Tables fit the terminal: 80 columns without a broken frame, a row at most two lines, long text cut once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rich.console import Console
from rich.table import Table

from registry.models import Task
from registry.repo.incidents import IncidentView
from vendorwatch.cli.tables import audit_rows, incident_table, task_table

T0 = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
LONG = "Rotate Salesforce OAuth refresh token held by Drift (Drift chat to Salesforce sync) " * 3


def _render(table: Table, width: int) -> list[str]:
    console = Console(record=True, width=width, soft_wrap=True)  # soft wrap: as the CLI's own console prints
    console.print(table)
    return console.export_text().splitlines()


def _task(n: int, title: str) -> tuple[Task, str, bool]:
    task = Task(
        id=n,
        incident_id=3,
        vendor_id=1,
        key=f"k{n}",
        step="idp-rotate-api-token",
        title=title,
        owner="platform-team",
        due_at=T0,
    )
    return task, "Salesloft", n % 2 == 0


def _incident(n: int, title: str) -> IncidentView:
    return IncidentView(
        id=n,
        vendor="Cloudflare",
        title=title,
        kind="credential-exposure",
        severity="critical",
        severity_score=84.0,
        severity_parts=[],
        confidence=0.9,
        status="open",
        alerted=True,
        alert_reason="",
        first_seen=T0,
        disclosed_at=None,
        alerted_at=None,
        evidence=[],
        references=[],
        tasks_done=1,
        tasks_total=14,
        thread_ref=None,
    )


@pytest.mark.parametrize("width", [80, 120])
def test_task_rows_fit_and_take_at_most_two_lines(width: int) -> None:
    lines = _render(task_table([_task(n, LONG if n % 3 else "Short") for n in range(1, 31)]), width)
    assert max(len(line) for line in lines) <= width
    body = lines[3:]  # title, header, rule
    assert len(body) <= 2 * 30 and sum(line.startswith(("1 ", "2 ", "30")) for line in body) == 3
    assert "…" in "\n".join(lines) and "11-23 06:30" in lines[3] and "platform-team" in lines[3]
    assert "idp-rotate-api-token" not in "\n".join(lines)  # step ids only with --wide


def test_wide_tasks_show_step_ids_and_full_dates() -> None:
    lines = _render(task_table([_task(1, "Rotate the token")], wide=True), 120)
    assert "idp-rotate-api-token" in lines[3] and "2026-11-23 06:30" in lines[3]


@pytest.mark.parametrize("width", [80, 120])
def test_incident_titles_take_the_spare_width(width: int) -> None:
    lines = _render(incident_table([_incident(n, LONG) for n in range(1, 8)]), width)
    assert max(len(line) for line in lines) <= width
    assert len(lines) <= 3 + 2 * 7 + 1  # title, header, rule, two lines a row, caption
    title_start = lines[1].index("Title")
    assert width - title_start >= 20  # the title column is the widest one
    assert "credential-exposure" in lines[3] and "Cloudflare" in lines[3]


@pytest.mark.parametrize("width", [80, 120])
def test_audit_rows_keep_the_timestamp_whole(width: int) -> None:
    events = [
        {
            "id": n,
            "at": T0.isoformat(),
            "actor": "vendorwatch",
            "action": "task.opened",
            "entity": "task",
            "entity_id": n,
        }
        for n in range(1, 6)
    ]
    changes = iter([("", "key=purge-support-artifacts, title=" + LONG)] * 5)
    lines = _render(audit_rows(events, changes), width)
    assert max(len(line) for line in lines) <= width and len(lines) <= 3 + 2 * 5
    assert all("11-23 06:30" in line for line in lines[3::2])
