"""A string of a HAR item that holds secrets, and how its replacement is put back."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vendorwatch.har.patterns import Hit

BIG = 8 * 1024 * 1024  # strings past this are patched in place (Patched), never copied whole


@dataclass
class Leaf:
    """A string at container[key] with its hits; `charset` is set when the string is base64 of text."""

    container: Any
    key: Any
    path: str
    text: str
    hits: list[Hit]
    charset: str | None = None
    as_base64: bool = False  # the replacement is stored base64-encoded (a dropped binary body or frame)
    drop_key: str | None = None  # a sibling key that no longer applies (the unknown `encoding`)
    placed: list[tuple[int, int]] = field(default_factory=list)  # spans of the placeholders after replace()

    def location(self, hit: Hit) -> str:
        """Readable location of one hit, e.g. `entries[3].request.headers[Cookie] sid`."""
        base = f"{self.path} (base64)" if self.charset else self.path
        return f"{base} {hit.label}" if hit.label else base

    def replace(self, new_for: dict[int, str]) -> bool:
        """Put the text back with hit i replaced by new_for[i] (re-encoded when it was base64).

        Returns True when the new text is in `self.text` for a rescan; a big plain string is stored as
        a `Patched` instead, written out piece by piece, so it is never copied whole.
        """
        if self.drop_key:
            self.container.pop(self.drop_key, None)
        if len(self.text) > BIG and not (self.charset or self.as_base64):
            spans = [(h.start, h.end, new_for[i]) for i, h in enumerate(self.hits)]
            self.container[self.key] = Patched(self.text, spans)
            return False
        out, pos, size = [], 0, 0
        self.placed = []
        for i, h in enumerate(self.hits):
            out += [self.text[pos : h.start], new_for[i]]
            size += h.start - pos
            self.placed.append((size, size + len(new_for[i])))
            size += len(new_for[i])
            pos = h.end
        out.append(self.text[pos:])
        self.text = "".join(out)
        del out
        if self.charset or self.as_base64:
            self.container[self.key] = base64.b64encode(self.text.encode(self.charset or "ascii")).decode("ascii")
        else:
            self.container[self.key] = self.text
        return not self.as_base64


@dataclass(frozen=True)
class Patched:
    """A big string with spans (start, end, replacement) replaced, kept as the original plus the spans."""

    text: str
    spans: list[tuple[int, int, str]]

    def pieces(self, chunk: int) -> Iterator[str]:
        """The patched text in pieces of at most `chunk` characters (placeholders whole)."""
        pos = 0
        for start, end, new in [*self.spans, (len(self.text), len(self.text), "")]:
            for i in range(pos, start, chunk):
                yield self.text[i : min(i + chunk, start)]
            yield new
            pos = end
