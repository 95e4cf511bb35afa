"""A small hand-written registry for triage specs."""

from __future__ import annotations

import pytest

from vendorwatch.triage import ItemText, VendorIndex, VendorTerms

VENDORS = [
    VendorTerms(1, "Okta", ("Okta Workforce Identity",), ("okta.com",), "critical"),
    VendorTerms(2, "Cloudflare", (), ("cloudflare.com",), "high"),
    VendorTerms(3, "Box", (), ("box.com",), "medium"),
    VendorTerms(4, "Slack", (), ("slack.com",), "high"),
    VendorTerms(5, "Drift", (), ("drift.com",), "low"),
    VendorTerms(6, "Heroku", (), ("heroku.com",), "high"),
    VendorTerms(7, "Travis CI", (), ("travis-ci.com",), "medium"),
    VendorTerms(8, "GitHub", (), ("github.com",), "high"),
    VendorTerms(9, "Zoom", (), ("zoom.us",), "medium"),
    VendorTerms(10, "Acme Segment", ("Segment",), ("segment.example",), "medium"),
    VendorTerms(11, "Ping", ("Ping Identity",), ("pingidentity.com",), "critical"),
]


@pytest.fixture(scope="session")
def index() -> VendorIndex:
    return VendorIndex.build(VENDORS)


def news(title: str, summary: str = "", **kw: object) -> ItemText:
    """An item from a news outlet unless overridden."""
    fields: dict[str, object] = {"url": "https://news.example/a", "source_id": "news", "trust": "news"}
    fields.update(kw)
    return ItemText(title=title, summary=summary, **fields)  # type: ignore[arg-type]
