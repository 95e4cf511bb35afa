"""CSV cells a spreadsheet would evaluate are written with a leading `'` (OWASP CSV injection advice).

`=1+1`, `+1`, `-1+2`, `@SUM(A1)` and cells starting with a tab or CR are prefixed; plain numbers are not.
A cell that already starts with `'` before such a character is prefixed too, so `restore` undoes exactly
what `neutralise` did and a round trip is lossless.
"""

from __future__ import annotations

import re

_TRIGGER = re.compile(r"^'*[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _risky(cell: str) -> bool:
    return bool(_TRIGGER.match(cell)) and not _NUMBER.match(cell)


def neutralise(cell: object) -> object:
    """`cell` safe to open in a spreadsheet: text starting with = + - @ tab or CR gets a leading `'`."""
    if isinstance(cell, str) and _risky(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The value `neutralise` was given: drops the one `'` it added, and nothing else."""
    if cell.startswith("'") and _risky(cell[1:]):
        return cell[1:]
    return cell
