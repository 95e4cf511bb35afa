"""Charts: no count under the line's marker, notes in their own column, "no data" instead of a zero bar."""

from __future__ import annotations

import re

from reports import charts

TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def test_a_bar_count_never_sits_under_the_line_marker() -> None:
    for line in (1.0, 5.0, 9.0, 10.0):  # markers from near the axis to the top of the bar
        svg = str(charts.columns(["Q3", "Q4"], [10.0, 10.0], [line, 10.0], bar_name="n", line_name="h"))
        marker_y = float(re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)[0])
        count_y = next(float(y) for x, y, t in TEXT.findall(svg) if t == "10" and float(x) < 320)
        assert abs(count_y - 3 - marker_y) > 10, (line, count_y, marker_y)


def test_quarters_without_data_say_so_instead_of_a_zero_bar() -> None:
    svg = str(charts.columns(["Q1", "Q2"], [None, 3.0], [None, 2.0], bar_name="n", line_name="h"))
    assert "no data" in svg and svg.count("<rect") == 3  # two legend boxes and one bar


def test_value_labels_end_before_the_note_column() -> None:
    bars = [charts.Bar("#1 Okta", (100.0,), note="back-filled"), charts.Bar("#2 Duo", (50.0,), note="met")]
    svg = str(charts.hbar(bars, ("h",), unit=" h"))
    texts = TEXT.findall(svg)
    value_end = max(float(x) + 6 * len(t) for x, _, t in texts if t.endswith(" h"))
    note_start = min(640 - 4 - 6 * len(t) for x, _, t in texts if t in ("back-filled", "met"))
    assert value_end <= note_start
