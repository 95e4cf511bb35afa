"""HTML from autoescaped Jinja2 templates, PDF from WeasyPrint in a child process with limits.

WeasyPrint has no time or memory limit of its own (PITFALLS.md): a limited child process bounds both.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT_S = 120.0


class RenderError(RuntimeError):
    """The PDF could not be produced (timeout, memory limit, renderer failure)."""


def _hours(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1:  # "0.7 h" reads as a typo on a board page; minutes do not
        return f"{round(value * 60)} min"
    return f"{value / 24:.1f} d" if value >= 72 else f"{value:.1f} h"


def _pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def _when(value: datetime | None) -> str:
    return "–" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _day(value: datetime | None) -> str:
    return "–" if value is None else value.strftime("%Y-%m-%d")


def environment() -> Environment:
    """The Jinja2 environment for every report template: autoescape on for all of them."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(hours=_hours, pct=_pct, when=_when, day=_day, num=lambda v: f"{v:,.0f}")
    return env


def render_html(template: str, **context: Any) -> str:
    """Render one template (e.g. "board.html.j2") to an HTML string."""
    return environment().get_template(template).render(**context)


def _child(html: str, target: str, memory_limit: int) -> None:
    import resource

    from weasyprint import HTML

    from reports.fetcher import AssetFetcher

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    HTML(string=html, base_url=None, url_fetcher=AssetFetcher()).write_pdf(target)


def html_to_pdf(html: str, out: Path, *, timeout: float = TIMEOUT_S, memory_limit: int = MEMORY_LIMIT) -> None:
    """Write `html` as a PDF to `out`, rendered in a spawned child under a memory limit and timeout."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(html, str(partial), memory_limit))
    proc.start()
    proc.join(timeout)
    try:
        if proc.is_alive():
            proc.kill()
            proc.join()
            raise RenderError(f"rendering the PDF took longer than {timeout:.0f} s")
        if proc.exitcode != 0 or not partial.exists():
            raise RenderError(f"the PDF renderer failed (exit code {proc.exitcode}); it may have hit the memory limit")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
