"""Why an incident may be closed without clean-up (an option of the command line, so kept light)."""

from __future__ import annotations

from enum import StrEnum


class DismissReason(StrEnum):
    """Why an incident needs no clean-up."""

    false_positive = "false-positive"
    not_affected = "not-affected"
    duplicate = "duplicate"
