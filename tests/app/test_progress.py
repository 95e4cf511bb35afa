"""Progress shows on a terminal's stderr only: pipes and --json stay clean."""

from __future__ import annotations

import io

from rich.console import Console

from vendorwatch.cli.progress import working


def test_a_terminal_sees_the_status_line_while_the_step_runs() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with working("polling 6 sources", console=console) as reword:
        reword("sending 2 alerts")
    assert "sending 2 alerts" in screen.getvalue() or "polling 6 sources" in screen.getvalue()


def test_a_pipe_or_quiet_sees_nothing() -> None:
    for console, quiet in (
        (Console(file=io.StringIO(), force_terminal=False), False),
        (Console(file=io.StringIO(), force_terminal=True), True),
    ):
        with working("rendering the board report (PDF)", console=console, quiet=quiet) as reword:
            reword("still rendering")
        assert console.file.getvalue() == ""  # type: ignore[attr-defined]
