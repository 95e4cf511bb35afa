"""The only URL fetcher reports use: serves our bundled assets from memory and refuses everything else.

WeasyPrint's default fetcher reads file:, http(s), ftp and data URLs and follows redirects (PITFALLS.md,
WeasyPrint 70); version 70 wants a `URLFetcher` subclass, not a function.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

SCHEME = "vwasset"
MIME = {".css": "text/css", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".ttf": "font/ttf"}


@dataclass(frozen=True)
class Asset:
    """A bundled file served to the renderer."""

    body: bytes
    mime: str


def bundled_assets() -> dict[str, Asset]:
    """Every file in reports/static, keyed by its URL (vwasset:NAME)."""
    assets: dict[str, Asset] = {}
    for entry in resources.files("reports").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in MIME:
            assets[f"{SCHEME}:{entry.name}"] = Asset(entry.read_bytes(), MIME[suffix])
    return assets


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves exactly the URLs in `assets`; any other URL (file:, http:, data:, ...) is refused."""

    def __init__(self, assets: Mapping[str, Asset] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols={SCHEME}, allow_redirects=False)
        self._assets = dict(bundled_assets() if assets is None else assets)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """See URLFetcher.fetch; never touches the network or the file system."""
        asset = self._assets.get(url)
        if asset is None:
            scheme = url.split(":", 1)[0][:16] if ":" in url else "relative"
            self.refused.append(url)
            logger.warning("report renderer refused a %s: URL (only bundled assets are served)", scheme)
            raise ValueError("URL refused: only the report's bundled assets are served")
        return URLFetcherResponse(url, asset.body, {"Content-Type": asset.mime})
