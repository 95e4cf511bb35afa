"""Which items could concern a registry vendor at all: most of a news feed names none, and for those the vendor
match settles triage without the lexicon (most of classification's cost)."""

from __future__ import annotations

import re
from datetime import datetime

from registry.models import Item
from registry.repo.items import NewItem
from vendorwatch.incidents.folding import TriageContext
from vendorwatch.triage.matching import tokenize

# The word pattern of triage.matching.tokenize: every mention starts at one of these words, a domain's too.
_WORD = re.compile(r"[^\W_]+")
# Item.kind of an item that names no registry vendor and comes from no vendor's feed: stored, not classified.
UNRELATED = "no-registry-vendor"
UNRELATED_EVIDENCE = "names no registry vendor and no vendor publishes the source: not classified further"


class Prescreen:
    """Built once per triage context: the first word of every vendor name, alias and domain."""

    def __init__(self, ctx: TriageContext) -> None:
        keys: set[str] = set()
        for vendor in ctx.vendors.values():
            for term in (vendor.name, *vendor.aliases, *vendor.domains):
                words = tokenize(term)
                if words:
                    keys.add(words[0].text.lower())
        self._keys = frozenset(keys)
        self._publishers = {sid for sid, src in ctx.sources.items() if src.vendor}
        self._index = ctx.index
        # Items the store found naming a vendor: triage asks again about the same text, and the answer stands.
        self._named: set[tuple[str, str, str]] = set()

    def unrelated(self, item: Item | NewItem, cutoff: datetime) -> bool:
        """True if the item, within the look-back, cannot open, join or follow up an incident of a registry vendor.

        A vendor's own feed speaks of the vendor without naming it, so its items always go to triage.
        """
        when = item.published or (item.first_seen if isinstance(item, Item) else None)
        if item.source_id in self._publishers or when is None or when < cutoff:
            return False
        key = (item.source_id, item.guid, item.content_hash)
        if key in self._named:
            return False
        words = {w.lower() for w in set(_WORD.findall(f"{item.title} {item.summary} {item.url}"))}  # few distinct
        if words.isdisjoint(self._keys):
            return True  # no vendor term can start anywhere in the text: the matcher would find nothing
        if not self._index.find_item(item.title, item.summary, [item.url]):
            return True
        self._named.add(key)
        return False
