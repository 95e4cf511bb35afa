"""End-to-end triage evaluation: serve a labelled corpus over loopback, poll twice, score the incidents.

Usage: python bench/evaluate.py CORPUS_DIR [--postgres URL] [--verbose]

CORPUS_DIR holds phase1/*.xml, phase2/*.xml, feeds.json, registry.yaml and labels.json (see the corpus
README). The real pipeline runs: registry import, FeedServer over loopback, `poll_once` for phase 1, then
phase 2, the outbox dispatched to a console sink. Prints every score the corpus README defines (cluster
recall, precision by opening report, late clusters, duplicate threads, must-not-alert items in alerted
incidents, items in more than one incident, attached positives), then every failure; `--verbose` adds each
item's triage and evidence. Exit 1 if any score misses its target.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from connectors.normalize import canonical_url
from registry import api as registry_api
from registry.models import Incident, IncidentReference, Item, Vendor
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.feedserver import FeedServer
from vendorwatch.poll import pipeline
from vendorwatch.settings import Settings, SourceSettings

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
Labels = dict[str, dict[str, object]]


@dataclass
class Store:
    """What the pipeline left in the database, read once."""

    names: dict[int, str]
    alerted: dict[int, Incident]
    vendor_of: dict[int, int]
    links: dict[int, set[str]]  # incident id -> canonical item urls
    opener: dict[int, str]  # incident id -> canonical url of its first report
    items: dict[str, Item]
    phase1_alerts: dict[int, set[str]] = field(default_factory=dict)  # alerted after phase 1, with links


def read_store(app: App) -> Store:
    """Read incidents, their timelines and items from the store."""
    with app.session() as s:
        names = {v.id or 0: v.name for v in s.execute(select(Vendor)).scalars()}
        incidents = list(s.execute(select(Incident)).scalars())
        links: dict[int, set[str]] = defaultdict(set)
        opener: dict[int, str] = {}
        rows = s.execute(select(IncidentReference, Item).join(Item, Item.id == IncidentReference.item_id))  # type: ignore[arg-type]
        for ref, item in sorted(rows, key=lambda r: r[0].id or 0):
            url = canonical_url(item.url)
            links[ref.incident_id].add(url)
            if ref.role == "first report" or ref.incident_id not in opener:
                opener.setdefault(ref.incident_id, url)
        items = {canonical_url(i.url): i for i in s.execute(select(Item)).scalars()}
        s.expunge_all()
    alerted = {i.id or 0: i for i in incidents if i.alerted}
    return Store(names, alerted, {i.id or 0: i.vendor_id for i in incidents}, dict(links), opener, items)


def run(corpus: Path, database_url: str) -> Store:
    """Import the registry, poll phase 1 then phase 2 over loopback, dispatch alerts."""
    feeds = json.loads((corpus / "feeds.json").read_text())
    phases = corpus if (corpus / "phase1").is_dir() else corpus / "feeds"  # the demo keeps them under feeds/
    with FeedServer(phases / "phase1") as server:
        sources = [
            SourceSettings(id=sid, url=server.url(f"{sid}.xml"), vendor=meta.get("vendor"), trust=meta["trust"])
            for sid, meta in sorted(feeds.items())
        ]
        app = App(settings=Settings(database_url=database_url, channels=["console"], sources=sources))
        with app.session() as s:
            registry_api.import_file(s, corpus / "registry.yaml")
        sink = io.StringIO()
        after_phase1: dict[int, set[str]] = {}
        for phase in ("phase1", "phase2"):
            server.switch(phases / phase)
            started = time.perf_counter()
            report = pipeline.poll_once(app, since=EPOCH)
            outbox.dispatch_until_idle(app, build_channels(app.settings, stream=sink), timeout=30)
            print(
                f"{phase}: {report.new_items} new items, {report.incidents_opened} incidents, "
                f"{len(report.alerts)} alerts, {len(report.errors)} source errors "
                f"in {time.perf_counter() - started:.2f} s"
            )
            if phase == "phase1":
                first = read_store(app)
                after_phase1 = {iid: first.links.get(iid, set()) for iid in first.alerted}
    store = read_store(app)
    store.phase1_alerts = after_phase1
    app.engine.dispose()
    return store


def _wanted(lab: dict[str, object]) -> list[str]:
    return [*lab.get("expect", []), *lab.get("allow", [])]  # type: ignore[misc]


def _clusters(labels: Labels) -> dict[tuple[str, str], set[str]]:
    clusters: dict[tuple[str, str], set[str]] = defaultdict(set)
    for url, lab in labels.items():
        if lab.get("cluster") and not lab.get("ignore"):
            for vendor in lab.get("expect", []):  # type: ignore[attr-defined]
                clusters[(str(lab["cluster"]), vendor)].add(url)
    return clusters


def score_clusters(st: Store, labels: Labels, out: dict[str, tuple[int, int]], fails: list[str]) -> None:
    """Cluster recall, duplicate threads and late clusters."""
    clusters = _clusters(labels)
    hit = dups = late = had_phase1 = 0
    for (cluster, vendor), urls in sorted(clusters.items()):
        threads = [i for i in st.alerted if st.names[st.vendor_of[i]] == vendor and st.links.get(i, set()) & urls]
        hit += bool(threads)
        dups += max(0, len(threads) - 1)
        if not threads:
            fails.append(f"MISSED {cluster}/{vendor}")
        elif len(threads) > 1:
            fails.append(f"DUPLICATE {cluster}/{vendor}: incidents {threads}")
        if any(labels[u].get("phase") == 1 for u in urls):
            had_phase1 += 1
            early = [i for i, held in st.phase1_alerts.items() if st.names[st.vendor_of[i]] == vendor and held & urls]
            if threads and not early:
                late += 1
                fails.append(f"LATE {cluster}/{vendor}: a phase-1 report, first alerted in phase 2")
    out["cluster recall"] = (hit, len(clusters))
    out["duplicate threads"] = (dups, 0)
    out["late clusters"] = (late, had_phase1)


def score_alerts(st: Store, labels: Labels, out: dict[str, tuple[int, int]], fails: list[str]) -> None:
    """Precision by opening report, must-not-alert items in alerted incidents."""
    precise = bad_items = 0
    for iid, inc in sorted(st.alerted.items()):
        vendor = st.names[inc.vendor_id]
        opener = st.opener.get(iid, "")
        ok = vendor in _wanted(labels.get(opener, {}))
        precise += ok
        if not ok:
            title = st.items[opener].title if opener in st.items else opener
            opened_by = labels.get(opener, {}).get("id")
            fails.append(f"FALSE ALERT {vendor} #{iid} {inc.kind}, opened by {opened_by}: {title}")
        for url in sorted(st.links.get(iid, set())):
            lab = labels.get(url)
            if lab and not lab.get("expect") and not lab.get("ignore") and vendor not in _wanted(lab):
                bad_items += 1
                fails.append(f"MUST-NOT-ALERT {lab.get('id')} in alerted {vendor} #{iid}: {st.items[url].title}")
    out["alert precision"] = (precise, len(st.alerted))
    out["must-not-alert in alerts"] = (bad_items, 0)


def score_items(st: Store, labels: Labels, out: dict[str, tuple[int, int]], fails: list[str]) -> None:
    """Items filed in more than one incident (of one vendor, or of a vendor they are not about); attached."""
    held: dict[str, list[int]] = defaultdict(list)
    for iid, urls in st.links.items():
        for url in urls:
            held[url].append(iid)
    multi = 0
    for url, iids in sorted(held.items()):
        vendors = [st.names[st.vendor_of[i]] for i in iids]
        stray = [v for v in vendors if v not in _wanted(labels.get(url, {}))]
        if len(iids) > 1 and (len(set(vendors)) < len(vendors) or stray):
            multi += 1
            fails.append(f"MULTI-FILED {labels.get(url, {}).get('id')} in incidents {sorted(iids)} ({vendors})")
    positives = [u for u, lab in labels.items() if lab.get("expect") and not lab.get("ignore")]
    attached = 0
    for url in positives:
        expect: list[str] = labels[url]["expect"]  # type: ignore[assignment]
        holders = {st.names[st.vendor_of[i]] for i in st.alerted if url in st.links.get(i, set())}
        ok = set(expect) <= holders
        attached += ok
        if not ok:
            title = st.items[url].title if url in st.items else url
            fails.append(f"UNATTACHED {labels[url].get('id')} expect={expect}: {title}")
    out["items in >1 incident"] = (multi, 0)
    out["attached positives"] = (attached, len(positives))


def score(st: Store, labels: Labels) -> dict[str, tuple[int, int]]:
    """Print every score and the failures; return the scores."""
    labels = {canonical_url(url): lab for url, lab in labels.items()}
    out: dict[str, tuple[int, int]] = {}
    fails: list[str] = []
    score_clusters(st, labels, out, fails)
    score_alerts(st, labels, out, fails)
    score_items(st, labels, out, fails)
    for name in SCORES:
        n, d = out[name]
        pct = f" = {100 * n / max(1, d):.1f}%" if name in RATIOS else ""
        print(f"{name:26}{n}/{d}{pct}" if name in RATIOS or name == "late clusters" else f"{name:26}{n}")
    for failure in fails:
        print("  " + failure)
    return out


SCORES = (
    "cluster recall",
    "alert precision",
    "late clusters",
    "duplicate threads",
    "must-not-alert in alerts",
    "items in >1 incident",
    "attached positives",
)
RATIOS = ("cluster recall", "alert precision", "attached positives")


def meets_targets(out: dict[str, tuple[int, int]]) -> bool:
    """The issue's targets: recall 100%, precision >= 95%, zero counts, >= 95% attached."""
    ratio = {k: out[k][0] / max(1, out[k][1]) for k in RATIOS}
    zeros = ("late clusters", "duplicate threads", "must-not-alert in alerts", "items in >1 incident")
    return (
        ratio["cluster recall"] == 1
        and ratio["alert precision"] >= 0.95
        and ratio["attached positives"] >= 0.95
        and all(out[k][0] == 0 for k in zeros)
    )


def verbose(st: Store, labels: Labels) -> None:
    """Every item's triage, its label and its evidence."""
    labels = {canonical_url(url): lab for url, lab in labels.items()}
    for url, item in sorted(st.items.items(), key=lambda p: (p[1].published or EPOCH, p[0])):
        lab = labels.get(url, {})
        subjects = [(st.names.get(s["vendor_id"], "?"), s["role"]) for s in item.subjects or []]
        print(
            f"\n{lab.get('id')} expect={lab.get('expect')} allow={lab.get('allow')}: {item.kind} "
            f"{item.confidence} {subjects}\n   {item.title}\n   {item.summary}"
        )
        for ev in item.evidence or []:
            print("     - " + ev)
    print("\nincidents:")
    for iid, urls in sorted(st.links.items()):
        mark = "ALERTED" if iid in st.alerted else "recorded"
        ids = [labels.get(u, {}).get("id", u) for u in sorted(urls, key=lambda u: st.items[u].published or EPOCH)]
        print(f"  #{iid} {st.names[st.vendor_of[iid]]} {mark}: {ids}")


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    corpus = Path(args[0])
    url = sys.argv[sys.argv.index("--postgres") + 1] if "--postgres" in sys.argv else None
    labels = json.loads((corpus / "labels.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        store = run(corpus, url or f"sqlite:///{tmp}/eval.db")
    if "--verbose" in sys.argv:
        verbose(store, labels)
    return 0 if meets_targets(score(store, labels)) else 1


if __name__ == "__main__":
    sys.exit(main())
