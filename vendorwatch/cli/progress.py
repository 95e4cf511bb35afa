"""A live status line on stderr while a slow step runs (polls, imports, sanitising, rendering).

Shown only when stderr is a terminal, so pipes, cron logs and `--json` output stay clean; it is
transient, leaving nothing behind once the step is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

_stderr = Console(stderr=True, highlight=False, markup=False, emoji=False)


@contextmanager
def working(message: str, *, quiet: bool = False, console: Console | None = None) -> Iterator[Callable[[str], None]]:
    """Show `message` with a spinner and the time elapsed while the block runs; yields a way to reword it."""
    target = console or _stderr
    if quiet or not target.is_terminal:
        yield lambda _text: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
    # stdout is left alone: Rich would otherwise route it through this stderr console, and alerts printed
    # by the console channel would land on stderr instead of where stdout was redirected.
    with Progress(*columns, console=target, transient=True, redirect_stdout=False) as bar:
        task = bar.add_task(message, total=None)
        yield lambda text: bar.update(task, description=text)
