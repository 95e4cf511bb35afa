"""Strict JSON for registry files: duplicate keys and deep nesting refused, every object located by line.

The standard decoder keeps the last of two equal keys and recurses without a bound (RecursionError on
deep input); its pure-Python scanner lets us see each object and value position instead.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from typing import Any

from registry.limits import MAX_DEPTH
from registry.yamlstream import Located, ShapeError, duplicate


class _Decoder(json.JSONDecoder):
    def __init__(self, text: str) -> None:
        super().__init__(strict=True)
        self.text = text
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.depth = 0
        self.parse_object = self._object
        self.parse_array = self._array
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def _enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ShapeError(f"nested deeper than {MAX_DEPTH} levels (not a registry)", self.line(offset), None)

    def _object(self, s_and_end: tuple[str, int], strict: bool, scan_once: Any, *args: Any) -> tuple[Located, int]:
        start = s_and_end[1] - 1
        self._enter(start)
        positions: list[int] = []

        def scan_value(string: str, idx: int) -> Any:
            positions.append(idx)
            return scan_once(string, idx)

        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_value, None, list, args[-1])  # type: ignore[attr-defined]
        self.depth -= 1
        result = Located()
        result.line, result.key_lines = self.line(start), {}
        for (key, value), at in zip(pairs, positions, strict=True):
            if key in result:
                raise ShapeError(duplicate(key, result.key_lines[key]), self.line(at), key[:50])
            result[key], result.key_lines[key] = value, self.line(at)
        return result, end

    def _array(self, s_and_end: tuple[str, int], scan_once: Any, *args: Any) -> tuple[list[Any], int]:
        self._enter(s_and_end[1] - 1)
        result: tuple[list[Any], int] = json.decoder.JSONArray(s_and_end, scan_once, *args)  # type: ignore[attr-defined]
        self.depth -= 1
        return result


def load_json(text: str) -> Any:
    """The JSON value of `text`; raises json.JSONDecodeError or ShapeError (duplicate key, depth)."""
    return _Decoder(text).decode(text)
