"""CisaKevSource: one advisory per known exploited CVE, worded so triage can match the vendor."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors import SourceConfig, SourceError
from connectors.cisa_kev import CisaKevSource

SOURCE = CisaKevSource(SourceConfig(id="kev", url="https://www.cisa.gov/kev.json", kind="cisa-kev", trust="government"))

CATALOG = {
    "title": "CISA Catalog of Known Exploited Vulnerabilities",
    "catalogVersion": "2024.05.01",
    "vulnerabilities": [
        {
            "cveID": "CVE-2024-0012",
            "vendorProject": "Palo Alto Networks",
            "product": "PAN-OS",
            "vulnerabilityName": "Palo Alto Networks PAN-OS Missing Authentication Vulnerability",
            "dateAdded": "2024-11-18",
            "shortDescription": "Allows an unauthenticated attacker to gain admin privileges.",
            "requiredAction": "Apply mitigations per vendor instructions.",
            "dueDate": "2024-12-09",
            "knownRansomwareCampaignUse": "Unknown",
            "notes": "https://security.paloaltonetworks.com/CVE-2024-0012",
        },
        {"vendorProject": "no cve id: skipped"},
    ],
}


def test_kev_entry_reads_like_an_advisory():
    [item] = SOURCE.parse(json.dumps(CATALOG).encode(), {})
    assert item.guid == "CVE-2024-0012"
    assert item.title == "CISA adds CVE-2024-0012 (Palo Alto Networks PAN-OS) to Known Exploited Vulnerabilities"
    assert "actively exploited" in item.summary and "known exploited" in item.summary
    assert "Palo Alto Networks" in item.summary and "admin privileges" in item.summary
    assert item.url == "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search=CVE-2024-0012"
    assert item.published == datetime(2024, 11, 18, tzinfo=UTC)


@pytest.mark.parametrize(("body", "message"), [(b'{"count": 1}', "no vulnerabilities list"), (b"<html>", "HTML")])
def test_not_a_catalog(body, message):
    with pytest.raises(SourceError, match=message):
        SOURCE.parse(body, {})
