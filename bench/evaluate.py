"""End-to-end triage evaluation: serve a labelled corpus over loopback, poll twice, score the incidents.

Usage: python bench/evaluate.py CORPUS_DIR [--postgres URL] [--verbose]

CORPUS_DIR holds phase1/*.xml, phase2/*.xml, feeds.json, registry.yaml and labels.json (see the corpus
README). The real pipeline runs: registry import, FeedServer over loopback, `poll_once` for phase 1, then
phase 2, the outbox dispatched to a console sink. Prints cluster recall, alert precision, duplicate alert
threads and attached positives, plus every failure.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from connectors.normalize import canonical_url
from registry import api as registry_api
from registry.models import Delivery, Incident, IncidentReference, Item, Vendor
from vendorwatch import outbox, pipeline
from vendorwatch.app import App
from vendorwatch.channels import build_channels
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings, SourceSettings

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def run(corpus: Path, database_url: str) -> App:
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
        for phase in ("phase1", "phase2"):
            server.switch(phases / phase)
            started = time.perf_counter()
            report = pipeline.poll_once(app, since=EPOCH)
            outbox.dispatch_until_idle(app, build_channels(app.settings, stream=sink), timeout=30)
            print(f"{phase}: {report.new_items} new items, {report.incidents_opened} incidents, "
                  f"{len(report.alerts)} alerts, {len(report.errors)} source errors "
                  f"in {time.perf_counter() - started:.2f} s")  # fmt: skip
    return app


def score(app: App, labels: dict[str, dict[str, object]], verbose: bool) -> int:
    """Print the four scores and the failures; return the number of failures."""
    labels = {canonical_url(url): lab for url, lab in labels.items()}
    with app.session() as s:
        names = {v.id: v.name for v in s.execute(select(Vendor)).scalars()}
        alerts = list(s.execute(select(Incident).where(Incident.alerted.is_(True))).scalars())  # type: ignore[attr-defined]
        links: dict[int, set[str]] = defaultdict(set)
        for ref, item in s.execute(select(IncidentReference, Item).join(Item, Item.id == IncidentReference.item_id)):  # type: ignore[arg-type]
            links[ref.incident_id].add(item.url)
        roots = defaultdict(int)
        for d in s.execute(select(Delivery).where(Delivery.kind == "root", Delivery.status == "sent")).scalars():  # type: ignore[arg-type]
            roots[d.incident_id] += 1
        titles = {i.url: i.title for i in s.execute(select(Item)).scalars()}
    clusters: dict[tuple[str, str], set[str]] = defaultdict(set)
    for url, lab in labels.items():
        if lab.get("cluster") and not lab.get("ignore"):
            for vendor in lab.get("expect", []):  # type: ignore[union-attr]
                clusters[(str(lab["cluster"]), vendor)].add(url)
    failures: list[str] = []
    hit = dups = 0
    for (cluster, vendor), urls in sorted(clusters.items()):
        threads = [a for a in alerts if names[a.vendor_id] == vendor and links[a.id or 0] & urls]
        hit += bool(threads)
        dups += max(0, len(threads) - 1)
        if not threads:
            failures.append(f"MISSED {cluster}/{vendor}")
        elif len(threads) > 1:
            failures.append(f"DUPLICATE {cluster}/{vendor}: incidents {[a.id for a in threads]}")
    precise = 0
    for a in alerts:
        ok = any(names[a.vendor_id] in [*lab.get("expect", []), *lab.get("allow", [])]  # type: ignore[misc]
                 for lab in (labels.get(u, {}) for u in links[a.id or 0]))  # fmt: skip
        precise += ok
        if not ok:
            failures.append(f"FALSE ALERT {names[a.vendor_id]} #{a.id} {a.kind}: {a.title}")
    dup_roots = sum(n - 1 for n in roots.values() if n > 1)
    positives = [u for u, lab in labels.items() if lab.get("expect") and not lab.get("ignore")]
    attached = 0
    for url in positives:
        ok = all(
            any(names[a.vendor_id] == v and url in links[a.id or 0] for a in alerts) for v in labels[url]["expect"]
        )  # type: ignore[union-attr]
        attached += ok
        if not ok:
            failures.append(
                f"UNATTACHED {labels[url].get('id')} expect={labels[url]['expect']}: {titles.get(url, url)}"
            )
    n_cl, n_al = len(clusters), len(alerts)
    print(f"{'cluster recall':24}{hit}/{n_cl} = {100 * hit / max(1, n_cl):.1f}%")
    print(f"{'alert precision':24}{precise}/{n_al} = {100 * precise / max(1, n_al):.1f}%")
    print(f"{'duplicate threads':24}{dups} (root messages beyond one per incident: {dup_roots})")
    print(f"{'attached positives':24}{attached}/{len(positives)} = {100 * attached / max(1, len(positives)):.1f}%")
    for failure in failures:
        print("  " + failure)
    return len(failures)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    corpus = Path(args[0])
    url = sys.argv[sys.argv.index("--postgres") + 1] if "--postgres" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        app = run(corpus, url or f"sqlite:///{tmp}/eval.db")
        failures = score(app, json.loads((corpus / "labels.json").read_text()), "--verbose" in sys.argv)
        app.engine.dispose()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
