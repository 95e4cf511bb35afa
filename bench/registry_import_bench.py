"""Registry import at scale: generate N vendors / dependencies / credentials, import into SQLite.

Usage: python bench/registry_import_bench.py [--vendors 10000 --deps 50000 --creds 100000]
Reports seconds and peak memory (targets: <= 30 s, <= 1 GB), then a no-op re-import. The file is
generated first; the imports run in a child process so its peak memory is the import's own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import yaml

from registry import api
from vendorwatch.app import App
from vendorwatch.settings import Settings


def generate(vendors: int, deps: int, creds: int) -> dict[str, object]:
    """A synthetic registry with dependencies and credentials spread evenly over vendors."""
    out = []
    for v in range(vendors):
        dep_list = []
        for d in range(deps // vendors):
            cred_list = [
                {"name": f"cred-{c}", "kind": "api-token", "owner": "team", "rotation_sla": "24h"}
                for c in range(creds // deps)
            ]
            dep_list.append({"name": f"dep-{d}", "kind": "api-token", "revocation_sla": "4h", "credentials": cred_list})
        out.append(
            {
                "name": f"Vendor {v:05d}",
                "domains": [f"v{v}.example"],
                "criticality": "high",
                "owner": "iam",
                "dependencies": dep_list,
            }
        )
    return {"vendors": out}


def _import_twice(path: Path, url: str, results: dict[str, object]) -> None:
    app = App(settings=Settings(database_url=url))
    with app.session():
        pass  # schema first: not part of the import's time
    started = time.perf_counter()
    with app.session() as s:
        changes = api.import_file(s, path)
    results["first"], results["created"] = time.perf_counter() - started, len(changes.created)
    started = time.perf_counter()
    with app.session() as s:
        again = api.import_file(s, path)
    results["second"], results["changed"] = time.perf_counter() - started, again.changed
    results["peak_mb"] = _peak_mb()


def _peak_mb() -> float:
    # VmHWM belongs to this process's memory map; ru_maxrss would carry over the parent's peak across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--vendors", type=int, default=10_000)
    p.add_argument("--deps", type=int, default=50_000)
    p.add_argument("--creds", type=int, default=100_000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.yaml"
        path.write_text(yaml.safe_dump(generate(a.vendors, a.deps, a.creds)), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        with multiprocessing.Manager() as manager:
            results = manager.dict()
            child = multiprocessing.get_context("spawn").Process(
                target=_import_twice, args=(path, f"sqlite:///{tmp}/bench.db", results)
            )
            child.start()
            child.join()
            r = dict(results)
    print(f"{'vendors / deps / creds':28}{a.vendors} / {a.deps} / {a.creds} ({size_mb:.0f} MB of YAML)")
    print(f"{'first import':28}{r['first']:.1f} s ({r['created']} vendors created)   target <= 30 s")
    print(f"{'re-import (no changes)':28}{r['second']:.1f} s (changed: {r['changed']})")
    print(f"{'peak RSS of the importer':28}{r['peak_mb']:.0f} MB   target <= 1024 MB")


if __name__ == "__main__":
    main()
