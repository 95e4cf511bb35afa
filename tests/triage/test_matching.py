"""Vendor matching: names, aliases, domains, and ordinary words that are only sometimes names."""

from __future__ import annotations

from vendorwatch.triage import VendorIndex


def names(index: VendorIndex, title: str, summary: str = "", urls: tuple[str, ...] = ()) -> set[str]:
    return {index.name_of(m.vendor_id) for m in index.find_item(title, summary, urls)}


def test_plain_names_aliases_and_domains_match(index: VendorIndex) -> None:
    assert names(index, "Okta Workforce Identity outage") == {"Okta"}
    assert names(index, "Advisory", "see https://status.cloudflare.com/incidents") == {"Cloudflare"}
    assert names(index, "Advisory", "", ("https://github.com/blog/x",)) == {"GitHub"}


def test_word_boundaries(index: VendorIndex) -> None:
    assert names(index, "Oktapus phishing kit and DropBoxes of mail") == set()


def test_ordinary_words_are_not_vendors(index: VendorIndex) -> None:
    assert names(index, "Secure out of the box: hardening a cluster") == set()
    assert names(index, "Give your team some slack", "Model drift in production; ping the server.") == set()
    assert names(index, "Front-end teams ship faster", "Cut a small segment of traffic first.") == set()


def test_sentence_initial_word_alone_is_not_a_name(index: VendorIndex) -> None:
    assert names(index, "Zoom in on your attack surface") == set()
    assert names(index, "Drift happens in every model") == set()


def test_capitalised_names_in_context_match(index: VendorIndex) -> None:
    assert names(index, "Attackers abused Slack tokens") == {"Slack"}
    assert names(index, "Drift says a contractor account was hijacked") == {"Drift"}
    assert names(index, "Why lures ride on trusted services", "such as GitHub and Box, which pass checks") == {
        "GitHub",
        "Box",
    }
    assert names(index, "Zoom's installer", "") == {"Zoom"}


def test_own_domain_confirms_an_ordinary_word(index: VendorIndex) -> None:
    assert names(index, "Box patches a flaw", "", ("https://blog.box.com/post",)) == {"Box"}


def test_longest_term_wins(index: VendorIndex) -> None:
    found = index.find_item("Ping Identity fixes a bug", "")
    assert [(m.term, m.how) for m in found] == [("Ping Identity", "alias")]
