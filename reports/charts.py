"""Inline SVG charts written by hand: no fetches, no fonts beyond the page's, cheap to render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from reports.render import _hours

PALETTE = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235")
LABEL_CHARS = 28


@dataclass(frozen=True)
class Bar:
    """One labelled row of values (one value per series)."""

    label: str
    values: tuple[float | None, ...]
    note: str = ""


def _label(text: str) -> str:
    text = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
    return escape(text)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"


def _legend(series: Sequence[str], x: int, y: int) -> str:
    parts, cx = [], x
    for i, name in enumerate(series):
        if i:  # each entry starts after the previous one's text (about 6 px a character at 10 px)
            cx += max(150, 14 + 6 * len(series[i - 1]) + 16)
        parts.append(f'<rect x="{cx}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{cx + 14}" y="{y}" class="lg">{escape(name)}</text>')
    return "".join(parts)


def hbar(bars: Sequence[Bar], series: Sequence[str], *, unit: str = "", width: int = 640) -> Markup:
    """Horizontal grouped bars, one group per row; empty input gives a 'no data' box."""
    if not bars:
        return empty_chart(width)
    row_h = 8 + 12 * len(series)
    # Notes get their own column at the right so a value label never runs under one.
    left, right = 190, 70 + (6 * max((len(b.note) for b in bars), default=0) if any(b.note for b in bars) else 0)
    height = 30 + row_h * len(bars)
    top = max((v for b in bars for v in b.values if v is not None), default=0.0) or 1.0
    scale = (width - left - right) / top
    parts = [_svg_open(width, height), _legend(series, left, 14)]
    for r, bar in enumerate(bars):
        y0 = 26 + r * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y0 + row_h / 2 + 3:.0f}" class="lb" text-anchor="end">{_label(bar.label)}</text>'
        )
        for s, value in enumerate(bar.values):
            y = y0 + 2 + 12 * s
            if value is None:  # unknown (e.g. still open): say so rather than draw a zero
                parts.append(f'<text x="{left + 4}" y="{y + 9}" class="vl">–</text>')
                continue
            w = max(0.0, value * scale)
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 9}" class="vl">{_fmt(value)}{escape(unit)}</text>')
        if bar.note:
            parts.append(f'<text x="{width - 4}" y="{y0 + 11}" class="vl" text-anchor="end">{escape(bar.note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece above went through escape()


def columns(
    labels: Sequence[str],
    bars: Sequence[float | None],
    line: Sequence[float | None],
    *,
    bar_name: str,
    line_name: str,
    width: int = 640,
    height: int = 220,
) -> Markup:
    """Vertical bars (left scale) with an overlaid line (right scale); a None bar is drawn as "no data", not 0."""
    if not labels:
        return empty_chart(width)
    left, bottom, top_pad = 40, 30, 30
    plot_h = height - bottom - top_pad
    slot = (width - 2 * left) / len(labels)
    bar_top = max((b for b in bars if b is not None), default=0.0) or 1.0
    line_top = max((v for v in line if v is not None), default=0.0) or 1.0
    parts = [_svg_open(width, height), _legend((bar_name, line_name), left, 14)]
    base = height - bottom
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#999"/>')
    points = []
    for i, (label, value) in enumerate(zip(labels, bars, strict=True)):
        cx = left + slot * (i + 0.5)
        parts.append(f'<text x="{cx:.1f}" y="{base + 14}" class="lb" text-anchor="middle">{_label(label)}</text>')
        if value is None:
            parts.append(f'<text x="{cx:.1f}" y="{base - 6}" class="vl" text-anchor="middle">no data</text>')
            continue
        h = plot_h * value / bar_top
        parts.append(
            f'<rect x="{cx - slot * 0.3:.1f}" y="{base - h:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"/>'
        )
        lv = line[i]
        ly = None if lv is None else base - plot_h * lv / line_top
        ty, fill = _count_spot(base, h, ly)
        parts.append(f'<text x="{cx:.1f}" y="{ty:.1f}" class="vl" text-anchor="middle"{fill}>{value:,.0f}</text>')
        if lv is not None and ly is not None:
            points.append(f"{cx:.1f},{ly:.1f}")
            parts.append(f'<circle cx="{cx:.1f}" cy="{ly:.1f}" r="3.5" fill="{PALETTE[1]}"/>')
            parts.append(
                f'<text x="{cx + slot * 0.3 + 4:.1f}" y="{ly + 3:.1f}" class="vl" style="fill:{PALETTE[1]}">'
                f"{escape(_hours(lv))}</text>"  # as the tables write it: "40 min", "6.0 h", "3.2 d"
            )
    if len(points) > 1:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[1]}" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece above went through escape()


def _count_spot(base: float, h: float, marker_y: float | None) -> tuple[float, str]:
    """Where a bar's count goes: inside tall bars (foot or top), else above; never under the line's marker."""
    # style, not a fill attribute: the class rule in <style> would win over a presentation attribute.
    spots = [(base - 4, ' style="fill:#fff"'), (base - h + 12, ' style="fill:#fff"')] if h > 16 else []
    spots.append((base - h - 3, ""))
    clear = [sp for sp in spots if marker_y is None or abs(sp[0] - 3 - marker_y) > 10]
    return (clear or spots)[0]


def empty_chart(width: int = 640) -> Markup:
    """A small box saying there is nothing to plot (never an empty frame)."""
    return Markup(  # noqa: S704 - constant markup and numbers only
        f'{_svg_open(width, 40)}<rect x="0.5" y="0.5" width="{width - 1}" height="39" fill="none" stroke="#ccc"/>'
        f'<text x="{width / 2:.0f}" y="24" class="lb" text-anchor="middle">No data for this period</text></svg>'
    )


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><style>.lb{{font-size:10px;fill:#333}}.vl{{font-size:9px;fill:#555}}'
        f".lg{{font-size:10px;fill:#333}}</style>"
    )
