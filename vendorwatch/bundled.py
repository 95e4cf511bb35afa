"""The data the tool ships (config/ in a checkout, `vendorwatch._config` once installed), by relative path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# setup.py maps the repository's config/ to this package, in the wheel and in an editable install alike.
PACKAGE = "vendorwatch._config"


def bundled(*parts: str) -> Path:
    """The path of a shipped file or folder, e.g. `bundled("runbooks")` or `bundled("demo", "feeds.json")`."""
    root = resources.files(PACKAGE)
    # Installed wheels are unpacked on disk, and the demo's feed server and the runbook loader want real folders.
    if not isinstance(root, Path):
        raise RuntimeError(f"{PACKAGE} is not on the file system ({root!r}): install vendorwatch unzipped")
    return root.joinpath(*parts)
