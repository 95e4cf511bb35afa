"""Evaluate triage on a labelled corpus: phase 1 then phase 2 feeds, in-memory incidents, scored.

Usage: python bench/triage_eval.py CORPUS_DIR [--quiet]
Prints cluster recall, alert precision, duplicate alert threads, attached positives and every failure.
"""

from __future__ import annotations

import calendar
import html
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import yaml

from vendorwatch.triage import (
    IncidentSnapshot,
    ItemText,
    Triage,
    VendorIndex,
    VendorTerms,
    choose_incident,
    classify,
    should_alert,
    signature_of,
)
from vendorwatch.triage.model import INCIDENT_KINDS


@dataclass
class Incident:
    id: int
    vendor_id: int
    kind: str
    opened: datetime
    last: datetime
    signature: frozenset[str]
    links: list[str] = field(default_factory=list)
    alerted: bool = False

    def snapshot(self) -> IncidentSnapshot:
        return IncidentSnapshot(self.id, self.vendor_id, self.kind, self.opened, self.last, self.signature)  # type: ignore[arg-type]


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text or "")).split())


def canonical(url: str) -> str:
    p = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(p.query) if not k.lower().startswith(("utm_", "fbclid", "gclid"))]
    return urlunsplit((p.scheme, p.netloc.lower(), p.path, urlencode(q), ""))


def load_items(phase_dir: Path, feeds: dict[str, dict[str, str | None]]) -> list[tuple[str, ItemText]]:
    out = []
    for f in sorted(phase_dir.glob("*.xml")):
        meta = feeds.get(f.stem, {})
        for e in feedparser.parse(f.read_bytes()).entries:
            ts = e.get("published_parsed") or e.get("updated_parsed")
            when = datetime.fromtimestamp(calendar.timegm(ts), UTC) if ts else None
            item = ItemText(
                plain(e.get("title", "")),
                plain(e.get("summary", "")),
                e.get("link", ""),
                f.stem,
                meta.get("vendor"),
                meta.get("trust") or "news",
                when,
            )  # type: ignore[arg-type]
            out.append((e.get("link", ""), item))
    out.sort(key=lambda p: p[1].published or datetime.min.replace(tzinfo=UTC))
    return out


def load_index(path: Path) -> VendorIndex:
    data = yaml.safe_load(path.read_text())
    return VendorIndex.build(
        VendorTerms(
            i + 1,
            v["name"],
            tuple(v.get("aliases") or ()),
            tuple(v.get("domains") or ()),
            v.get("criticality", "medium"),
        )
        for i, v in enumerate(data["vendors"])
    )


class Loop:
    """The pipeline's clustering and alerting, in memory."""

    def __init__(self, index: VendorIndex) -> None:
        self.index = index
        self.incidents: list[Incident] = []
        self.seen: dict[str, list[Incident]] = {}
        self.triages: dict[str, Triage] = {}

    def process(self, link: str, item: ItemText) -> None:
        key = canonical(link)
        if key in self.seen:  # the same item re-published (aggregator): fold into the same incidents
            for inc in self.seen[key]:
                inc.links.append(link)
            self.triages.setdefault(link, self.triages.get(key + "#", classify(item, self.index)))
            return
        t = classify(item, self.index)
        self.triages[link] = self.triages[key + "#"] = t
        held: list[Incident] = []
        for subj in t.subjects:
            if subj.role != "subject" or t.kind == "not-incident":
                continue
            cands = [i.snapshot() for i in self.incidents if i.vendor_id == subj.vendor_id]
            iid = choose_incident(t, subj.vendor_id, item, cands)
            when = item.published or datetime.now(UTC)
            if iid is None:
                inc = Incident(len(self.incidents) + 1, subj.vendor_id, t.kind, when, when, frozenset())
                self.incidents.append(inc)
            else:
                inc = self.incidents[iid - 1]
            inc.opened, inc.last = min(inc.opened, when), max(inc.last, when)
            inc.signature |= signature_of(item, t)
            if inc.kind not in INCIDENT_KINDS and t.kind in INCIDENT_KINDS:
                inc.kind = t.kind
            inc.links.append(link)
            inc.alerted = inc.alerted or should_alert(t, subj)[0]
            held.append(inc)
        self.seen[key] = held


def score(loop: Loop, labels: dict[str, dict], items: dict[str, ItemText]) -> int:
    name = loop.index.name_of
    alerts = [i for i in loop.incidents if i.alerted]
    clusters: dict[tuple[str, str], set[str]] = {}
    for link, lab in labels.items():
        if lab.get("cluster") and not lab.get("ignore"):
            for v in lab.get("expect", []):
                clusters.setdefault((lab["cluster"], v), set()).add(link)
    failures: list[str] = []
    hit = 0
    dups = 0
    for (cl, v), links in sorted(clusters.items()):
        threads = [a for a in alerts if name(a.vendor_id) == v and set(a.links) & links]
        hit += bool(threads)
        dups += max(0, len(threads) - 1)
        if not threads:
            failures.append(f"MISSED cluster {cl}/{v}")
        elif len(threads) > 1:
            failures.append(f"DUPLICATE {cl}/{v}: incidents {[a.id for a in threads]}")
    precise = 0
    for a in alerts:
        ok = any(
            name(a.vendor_id) in labels.get(ln, {}).get("expect", []) + labels.get(ln, {}).get("allow", [])
            for ln in a.links
        )
        precise += ok
        if not ok:
            failures.append(
                f"FALSE ALERT {name(a.vendor_id)} #{a.id} {a.kind}: " + " | ".join(items[ln].title for ln in a.links)
            )
    positives = [ln for ln, lab in labels.items() if lab.get("expect") and not lab.get("ignore") and ln in items]
    attached = 0
    for ln in positives:
        ok = all(any(name(a.vendor_id) == v and ln in a.links for a in alerts) for v in labels[ln]["expect"])
        attached += ok
        if not ok:
            failures.append(f"UNATTACHED {labels[ln].get('id')} expect={labels[ln]['expect']}: {items[ln].title}")
    for ln in labels:
        lab = labels[ln]
        if ln in loop.triages and not lab.get("expect") and not lab.get("ignore"):
            t = loop.triages[ln]
            if t.subject_ids() and t.kind in INCIDENT_KINDS:
                failures.append(
                    f"NOTE negative {lab.get('id')} has subjects {[name(i) for i in t.subject_ids()]}"
                    f" kind={t.kind} conf={t.confidence}"
                )
    n_cl, n_al = len(clusters), len(alerts)
    print(f"cluster recall:      {hit}/{n_cl} = {100 * hit / max(1, n_cl):.1f}%")
    print(f"alert precision:     {precise}/{n_al} = {100 * precise / max(1, n_al):.1f}%")
    print(f"duplicate threads:   {dups}")
    print(f"attached positives:  {attached}/{len(positives)} = {100 * attached / max(1, len(positives)):.1f}%")
    print(f"alerts per incident: {n_al / max(1, n_cl):.2f}")
    return _failures(failures, loop, labels, items)


def _failures(failures: list[str], loop: Loop, labels: dict[str, dict], items: dict[str, ItemText]) -> int:
    for f in failures:
        print("  " + f)
    if "--verbose" in sys.argv:
        for ln, t in loop.triages.items():
            if ln in items:
                subj = [(loop.index.name_of(s.vendor_id), s.role) for s in t.subjects]
                print(f"\n{labels.get(ln, {}).get('id')}: {t.kind} {t.not_incident_reason} {t.confidence} {subj}")
                print("   " + items[ln].title)
                for ev in t.evidence:
                    print("     - " + ev)
    return sum(not f.startswith("NOTE") for f in failures)


def main() -> int:
    corpus = Path(sys.argv[1])
    feeds = json.loads((corpus / "feeds.json").read_text())
    labels = json.loads((corpus / "labels.json").read_text())
    loop = Loop(load_index(corpus / "registry.yaml"))
    items: dict[str, ItemText] = {}
    for phase in ("phase1", "phase2"):
        for link, item in load_items(corpus / phase, feeds):
            if link not in items:
                items[link] = item
                loop.process(link, item)
    score(loop, labels, items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
