"""Write a copy of a HAR with every secret replaced by `REDACTED-<kind>-<fingerprint>`, streaming."""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from vendorwatch.har.model import SanitizeReport, fingerprint, placeholder
from vendorwatch.har.stream import Token, read_har
from vendorwatch.har.walk import walk_item

logger = logging.getLogger(__name__)


@dataclass
class _Frame:
    op: str
    count: int = 0


class _Writer:
    """Writes the token stream back as JSON, one item per line."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.stack: list[_Frame] = []

    def write(self, token: Token, value: Any = None) -> None:
        if token.op in ("}", "]"):
            self.stack.pop()
            self.out.write("\n" + token.op)
            return
        if token.op == "key" or (self.stack and self.stack[-1].op == "["):
            top = self.stack[-1]
            self.out.write(",\n" if top.count else "\n")
            top.count += 1
        if token.op == "key":
            self.out.write(json.dumps(token.text) + ": ")
        elif token.op in ("{", "["):
            self.out.write(token.op)
            self.stack.append(_Frame(token.op))
        else:
            # ASCII output: lone surrogates from \\u escapes in the input cannot break the encoding.
            self.out.write(json.dumps(value, ensure_ascii=True))


class _Redactor:
    """Replaces secrets in items; one placeholder per fingerprint, kind taken from its first sighting."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.memo: dict[str, str] = {}
        self.kinds: Counter[str] = Counter()

    def clean(self, item: Any, path: str) -> Any:
        holder = [item]
        for leaf in walk_item(holder, path):
            new_for = {}
            for i, hit in enumerate(leaf.hits):
                fp = fingerprint(self.key, hit.secret)
                new_for[i] = self.memo.setdefault(fp, placeholder(hit.kind, fp))
                self.kinds[hit.kind] += 1
            leaf.replace(new_for)
        return holder[0]


def sanitize_har(src: Path, dst: Path, key: bytes) -> SanitizeReport:
    """Stream `src` to `dst` with each secret replaced by a keyed placeholder; raises HarError."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    redactor = _Redactor(key)
    items = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            writer = _Writer(out)
            for token in read_har(src):
                value = redactor.clean(token.value, token.text) if token.op == "item" else None
                items += token.op == "item" and token.text.startswith("entries[")
                writer.write(token, value)
            out.write("\n")
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("sanitised %s: %d items, %d secrets replaced", src, items, sum(redactor.kinds.values()))
    return SanitizeReport(
        src=src,
        dst=dst,
        entries=items,
        replaced=sum(redactor.kinds.values()),
        distinct=len(redactor.memo),
        by_kind=tuple(sorted(redactor.kinds.items())),
    )
