"""Registry files are UTF-8 (with or without a BOM); anything else is refused by name and byte offset."""

from __future__ import annotations

import codecs

from registry.errors import RegistryImportError
from registry.limits import MAX_FILE_BYTES

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "UTF-16 BE"),
)
_HINT = "save it as UTF-8"


def place(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in bytes) of byte `offset`."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def decode(data: bytes, file: str) -> str:
    """The text of a registry file, or a RegistryImportError naming the encoding problem and its byte."""
    if len(data) > MAX_FILE_BYTES:
        raise RegistryImportError(
            f"file is larger than {MAX_FILE_BYTES:,} bytes (the most allowed); split the registry", file=file
        )
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise RegistryImportError(f"file is {name} text (byte-order mark at byte 0); {_HINT}", file=file)
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = place(data, nul)
        what = "UTF-16 text without a byte-order mark?" if nul < 4 else "binary data?"
        raise RegistryImportError(
            f"NUL byte at byte offset {nul} (column {column}); {what} {_HINT}", file=file, line=line
        )
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line, column = place(data, offset)
        raise RegistryImportError(
            f"not UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} (column {column}) "
            f"cannot be decoded; {_HINT}",
            file=file,
            line=line,
        ) from None
