"""Shared Hypothesis settings and strategies for the input fuzz tests.

CI runs a bounded number of examples; `VENDORWATCH_FUZZ=long` selects a long local run
(`VENDORWATCH_FUZZ_EXAMPLES` sets how many per test).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = os.environ.get("VENDORWATCH_FUZZ") == "long"
FUZZ = settings(
    max_examples=int(os.environ.get("VENDORWATCH_FUZZ_EXAMPLES", "100000")) if LONG else 25,
    deadline=None,
    database=None,  # no example database written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text a hostile file would carry: controls, bidi overrides, formula starts, quotes, separators.
TEXT = st.text(st.characters(codec="utf-8"), max_size=24) | st.sampled_from(
    ["", " ", "=1+1", "\t=1+1", "'=x", "-2", "@SUM(A1)", '"', "a;b", "\0", "\u202e", "x" * 300, "\r\n"]
)
SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
DURATION = st.sampled_from(["4h", "30s", "1m", "730d", "731d", "500000w", "0h", "9" * 30 + "d", "4x"]) | SCALAR


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with up to three bytes inserted, dropped or replaced (or unchanged)."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(out)))
        op = draw(st.sampled_from(["insert", "drop", "replace"]))
        byte = draw(st.sampled_from(b"\0\t\n\r\"',:;[]{}-&*!|>%@`\\\xff\xc3\xef") | st.integers(0, 255))
        if op == "insert":
            out.insert(at, byte)
        elif out:
            at = min(at, len(out) - 1)
            if op == "drop":
                del out[at]
            else:
                out[at] = byte
    return bytes(out)
