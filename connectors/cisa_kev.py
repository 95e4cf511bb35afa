"""CISA's Known Exploited Vulnerabilities catalog (the JSON feed of the KEV catalog)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from connectors.base import Advisory, SourceConfig, SourceError
from connectors.normalize import load_json_object, make_advisory, text_field, to_utc

CATALOG_URL = "https://www.cisa.gov/known-exploited-vulnerabilities-catalog"


class CisaKevSource:
    """The KEV catalog: one advisory per CVE, guid = cveID. See Source.parse."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        """Parse the catalog JSON; entries without a cveID are skipped."""
        data = load_json_object(body, "the CISA KEV catalog")
        vulns = data.get("vulnerabilities")
        if not isinstance(vulns, list):
            raise SourceError("not the CISA KEV catalog: no vulnerabilities list")
        return [self._advisory(v) for v in vulns if isinstance(v, dict) and text_field(v, "cveID").strip()]

    def _advisory(self, vuln: dict[str, Any]) -> Advisory:
        cve = text_field(vuln, "cveID").strip()
        vendor = text_field(vuln, "vendorProject").strip()
        product = text_field(vuln, "product").strip()
        subject = " ".join(part for part in (vendor, product) if part) or "unknown product"
        ransomware = text_field(vuln, "knownRansomwareCampaignUse") or "Unknown"
        # Triage matches vendors and "exploited" wording in this text, so both are spelled out.
        sentences = [
            f"{text_field(vuln, 'vulnerabilityName')}.".lstrip("."),
            text_field(vuln, "shortDescription"),
            f"CISA added {cve} in {subject} to its Known Exploited Vulnerabilities catalog:",
            f"the vulnerability is known exploited (actively exploited in the wild). Vendor: {vendor}.",
            f"Known ransomware campaign use: {ransomware}.",
        ]
        if action := text_field(vuln, "requiredAction"):
            due = text_field(vuln, "dueDate")
            sentences.append(f"Required action: {action}" + (f" (due {due})." if due else ""))
        if notes := text_field(vuln, "notes"):
            sentences.append(f"Notes: {notes}")
        return make_advisory(
            self.config.id,
            guid=cve,
            link=f"{CATALOG_URL}?search={quote(cve)}",
            title=f"CISA adds {cve} ({subject}) to Known Exploited Vulnerabilities",
            summary=" ".join(s for s in sentences if s),
            published=to_utc(text_field(vuln, "dateAdded")),
        )
