"""Vendor matching: names, aliases and domains found by hash lookup, not a regex per vendor.

Text is tokenised once; each token is looked up in a dict keyed by the first token of every term, so the
cost per item depends on the item's length, not on how many vendors the registry holds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from vendorwatch.triage.model import How, Mention, VendorTerms, Where
from vendorwatch.triage.words import is_common_word

_TOKEN = re.compile(r"[^\W_]+")
_DOMAIN = re.compile(r"(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b")
# Words after an ambiguous term that show it is used as a name ("Box Inc", "Zoom says", "Slack API").
_NAME_FOLLOWERS = frozenset(
    [
        "inc",
        "incorporated",
        "labs",
        "corp",
        "corporation",
        "technologies",
        "ltd",
        "llc",
        "gmbh",
        "app",
        "apps",
        "platform",
        "api",
        "sso",
        "says",
        "said",
        "confirms",
        "confirmed",
        "discloses",
        "disclosed",
        "warns",
        "warned",
        "reports",
        "reported",
        "admits",
        "notifies",
        "security",
        "incident",
        "breach",
        "hack",
        "outage",
        "customers",
        "users",
        "accounts",
        "account",
        "integration",
        "integrations",
        "employees",
        "ceo",
        "staff",
        "tenant",
        "tenants",
        "workspace",
        "workspaces",
        "servers",
        "systems",
        "patches",
        "fixes",
        "revokes",
        "rotates",
        "resets",
        "investigates",
        "investigating",
        "suffers",
        "hit",
        "hacked",
        "breached",
        "urges",
    ]
)
_JOINERS = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or|&|/)\s*$")


@dataclass(frozen=True)
class Token:
    """A word of the text with its character span."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Term:
    key: tuple[str, ...]
    vendor_id: int
    term: str
    how: How
    ambiguous: bool


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens (letters and digits), keeping spans."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_ambiguous(term: str) -> bool:
    words = term.split()
    return len(words) == 1 and is_common_word(words[0])


def is_sentence_initial(text: str, start: int) -> bool:
    """True if the word at `start` opens a sentence or clause (start, after . ! ? : ;)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘([":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n"


def is_title_case(text: str) -> bool:
    """True if most longer words are capitalised, so capitals say nothing about names."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z']*", text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


class VendorIndex:
    """Lookup tables from tokens and domains to vendors; build once per registry."""

    def __init__(self, terms: dict[str, list[_Term]], domains: dict[str, int], vendors: dict[int, VendorTerms]):
        self._terms = terms
        self._domains = domains
        self.vendors = vendors
        self._by_name = {v.name.lower(): v.id for v in vendors.values()}

    @classmethod
    def build(cls, vendors: Iterable[VendorTerms]) -> VendorIndex:
        """Index every vendor's name, aliases and domains."""
        terms: dict[str, list[_Term]] = {}
        domains: dict[str, int] = {}
        by_id: dict[int, VendorTerms] = {}
        for v in vendors:
            by_id[v.id] = v
            named: list[tuple[str, How]] = [(v.name, "name"), *((a, "alias") for a in v.aliases)]
            for text, how in named:
                key = tuple(t.text.lower() for t in tokenize(text))
                if key:
                    terms.setdefault(key[0], []).append(_Term(key, v.id, text, how, _is_ambiguous(text)))
            for d in v.domains:
                domains[d.lower().strip(".")] = v.id
        for entries in terms.values():
            entries.sort(key=lambda t: -len(t.key))  # longest match first
        return cls(terms, domains, by_id)

    def vendor_id_for_name(self, name: str | None) -> int | None:
        """The id of the vendor with this registry name, if any."""
        return self._by_name.get(name.lower()) if name else None

    def name_of(self, vendor_id: int) -> str:
        """The registry name of a vendor."""
        return self.vendors[vendor_id].name

    def find(self, text: str, urls: Sequence[str] = (), *, where: Where = "summary") -> list[Mention]:
        """Vendors named in one text field or its links, ambiguous words kept only when used as names."""
        cands = self._scan(text, where) + self._scan_domains(text, where)
        url_hits = [m for u in urls for m in self._url_mentions(u)]
        return _disambiguate({where: text}, cands, url_hits, self)

    def find_item(self, title: str, summary: str, urls: Sequence[str] = ()) -> list[Mention]:
        """Vendors named in an item's title, summary and links (evidence is shared between fields)."""
        cands = [*self._scan(title, "title"), *self._scan_domains(title, "title")]
        cands += [*self._scan(summary, "summary"), *self._scan_domains(summary, "summary")]
        url_hits = [m for u in urls for m in self._url_mentions(u)]
        return _disambiguate({"title": title, "summary": summary}, cands, url_hits, self)

    def is_ambiguous_mention(self, m: Mention) -> bool:
        """True if the mention's term is an ordinary English word."""
        return m.how != "domain" and _is_ambiguous(m.term)

    def _scan(self, text: str, where: Where) -> list[Mention]:
        toks = tokenize(text)
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(text, toks, i)
            if hit is None:
                i += 1
                continue
            term, n = hit
            span = (toks[i].start, toks[i + n - 1].end)
            out.append(Mention(term.vendor_id, text[span[0] : span[1]], where, span, term.how))
            i += n
        return out

    def _match_at(self, text: str, toks: list[Token], i: int) -> tuple[_Term, int] | None:
        for term in self._terms.get(toks[i].text.lower(), ()):
            n = len(term.key)
            if i + n > len(toks):
                continue
            window = toks[i : i + n]
            if all(t.text.lower() == k for t, k in zip(window, term.key, strict=True)) and all(
                text[a.end : b.start] in (" ", "-") for a, b in itertools.pairwise(window)
            ):
                return term, n
        return None

    def _domain_vendor(self, host: str) -> tuple[int, str] | None:
        labels = host.lower().strip(".").split(".")
        for k in range(len(labels) - 1):
            cand = ".".join(labels[k:])
            if cand in self._domains:
                return self._domains[cand], cand
        return None

    def _scan_domains(self, text: str, where: Where) -> list[Mention]:
        out: list[Mention] = []
        for m in _DOMAIN.finditer(text):
            hit = self._domain_vendor(m.group())
            if hit:
                out.append(Mention(hit[0], m.group(), where, m.span(), "domain"))
        return out

    def _url_mentions(self, url: str) -> list[Mention]:
        host = urlsplit(url).hostname or ""
        hit = self._domain_vendor(host) if host else None
        return [Mention(hit[0], hit[1], "url", (0, len(url)), "domain")] if hit else []


def _disambiguate(
    fields: dict[Where, str], cands: list[Mention], url_hits: list[Mention], index: VendorIndex
) -> list[Mention]:
    """Keep unambiguous mentions, and ambiguous ones with evidence that they are names."""
    sure = {m.vendor_id for m in cands if not index.is_ambiguous_mention(m)} | {m.vendor_id for m in url_hits}
    kept: list[Mention] = []
    pending: list[Mention] = []
    for m in cands:
        if not index.is_ambiguous_mention(m) or m.vendor_id in sure:
            kept.append(m)
        elif _looks_like_name(fields[m.where], m):
            kept.append(m)
            sure.add(m.vendor_id)
        else:
            pending.append(m)
    # A second pass: "Dropbox and Box" — a word listed beside a vendor name is a name too; so is a
    # capitalised word opening both the title and a summary sentence (the story is about it).
    openers = {(m.vendor_id, m.where) for m in pending if is_sentence_initial(fields[m.where], m.span[0])}
    for m in pending:
        opens_both = {(m.vendor_id, "title"), (m.vendor_id, "summary")} <= openers
        named = m.vendor_id in sure or opens_both or _beside_a_name(fields[m.where], m, kept)
        if named and _case_fits(fields[m.where], m):
            kept.append(m)
    kept.sort(key=lambda m: (m.where != "title", m.where == "url", m.span))
    return kept + url_hits


def _case_fits(text: str, m: Mention) -> bool:
    word = text[m.span[0] : m.span[1]]
    return word[:1].isupper() and not word.isupper() and text[m.span[1] : m.span[1] + 1] != "-"


def _looks_like_name(text: str, m: Mention) -> bool:
    """Evidence that an ordinary word is used as a vendor name here."""
    start, end = m.span
    if not _case_fits(text, m) or text[start - 1 : start] == "-":
        return False
    after = text[end:]
    if re.match(r"['’]s\b", after):
        return True
    nxt = re.match(r"\s+([^\W_]+)", after)
    if nxt and (nxt.group(1).lower() in _NAME_FOLLOWERS or re.fullmatch(r"[A-Z]{2,4}", nxt.group(1))):
        return True
    return not is_sentence_initial(text, start) and not is_title_case(text)


def _beside_a_name(text: str, m: Mention, kept: list[Mention]) -> bool:
    for other in kept:
        if other.where != m.where or other.vendor_id == m.vendor_id:
            continue
        lo, hi = (other.span[1], m.span[0]) if other.span[1] <= m.span[0] else (m.span[1], other.span[0])
        if 0 <= hi - lo <= 8 and _JOINERS.match(text[lo:hi]):
            return True
    return False
