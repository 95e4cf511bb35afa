"""Write a copy of a HAR with every secret replaced by `REDACTED-<kind>-<fingerprint>`, streaming.

The copy is written beside `dst`, rescanned with the full detector, and only then renamed into place:
a copy that still holds anything the scanner finds is removed and the run fails.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from vendorwatch.har.leaf import Patched
from vendorwatch.har.model import SanitizeReport, UnsafeOutputError, fingerprint, placeholder, summarize
from vendorwatch.har.scan import scan_har
from vendorwatch.har.stream import Token, read_har
from vendorwatch.har.textscan import scan_text
from vendorwatch.har.walk import walk_item

logger = logging.getLogger(__name__)
PASSES = 4  # a replacement can expose what an overlapping rule matched: rescan a string until it is clean
CHUNK = 1 << 20  # big strings are JSON-encoded a slice at a time, so no second full copy is made
NEAR = 4096  # characters rescanned on each side of a placeholder


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
            self.value(value)

    def value(self, node: Any) -> None:
        """JSON-encode one value; ASCII output, so lone surrogates from `\\u` escapes cannot break it."""
        if isinstance(node, dict):
            self.out.write("{")
            for i, (k, v) in enumerate(node.items()):
                self.out.write((", " if i else "") + json.dumps(k, ensure_ascii=True) + ": ")
                self.value(v)
            self.out.write("}")
        elif isinstance(node, list):
            self.out.write("[")
            for i, v in enumerate(node):
                self.out.write(", " if i else "")
                self.value(v)
            self.out.write("]")
        elif isinstance(node, Patched) or (isinstance(node, str) and len(node) > CHUNK):
            pieces = (
                node.pieces(CHUNK)
                if isinstance(node, Patched)
                else (node[i : i + CHUNK] for i in range(0, len(node), CHUNK))
            )
            self.out.write('"')
            for piece in pieces:
                self.out.write(json.dumps(piece, ensure_ascii=True)[1:-1])
            self.out.write('"')
        else:
            self.out.write(json.dumps(node, ensure_ascii=True))


class _Redactor:
    """Replaces secrets in items; one placeholder per fingerprint, kind taken from its first sighting."""

    def __init__(self, key: bytes, keep_binary: bool) -> None:
        self.key = key
        self.keep_binary = keep_binary
        self.memo: dict[str, str] = {}
        self.kinds: Counter[str] = Counter()

    def clean(self, item: Any, path: str) -> Any:
        holder = [item]
        for leaf in walk_item(holder, path, keep_binary=self.keep_binary):
            for _ in range(PASSES):
                new_for = {}
                for i, hit in enumerate(leaf.hits):
                    fp = fingerprint(self.key, hit.secret)
                    new_for[i] = self.memo.setdefault(fp, placeholder(hit.kind, fp))
                    self.kinds[hit.kind] += 1
                if not leaf.replace(new_for) or not _dirty_near(leaf.text, leaf.placed):
                    break
                leaf.hits = scan_text(leaf.text)
                if not leaf.hits:
                    break
        return holder[0]


def _dirty_near(text: str, placed: list[tuple[int, int]]) -> bool:
    """Whether anything is found next to a placeholder: what is left of a hit that lost an overlap sits
    right beside one, so only a window around each is rescanned (the whole string only if needed)."""
    windows: list[list[int]] = []
    for start, end in placed:
        lo, hi = max(0, start - NEAR), min(len(text), end + NEAR)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return any(scan_text(text[lo:hi]) for lo, hi in windows)


def sanitize_har(src: Path, dst: Path, key: bytes, *, keep_binary: bool = False) -> SanitizeReport:
    """Stream `src` to `dst` with each secret replaced, rescan the result; raises HarError, UnsafeOutputError."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    redactor = _Redactor(key, keep_binary)
    items = 0
    try:
        with _create(tmp, src) as out:
            writer = _Writer(out)
            for token in read_har(src):
                value = redactor.clean(token.value, token.text) if token.op == "item" else None
                items += token.op == "item" and token.text.startswith("entries[")
                writer.write(token, value)
            out.write("\n")
        left = summarize(scan_har(tmp, key, keep_binary=keep_binary))
        if left.total:
            raise UnsafeOutputError(dst, left.by_kind)
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
        verified=True,
    )


def _create(tmp: Path, src: Path) -> IO[str]:
    """Open a new file with the input's permissions or 0600, whichever is stricter."""
    try:
        mode = stat.S_IMODE(src.stat().st_mode) & 0o600
    except OSError:
        mode = 0o600
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    os.fchmod(fd, mode)  # the umask may not have applied what we asked for exactly
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")
