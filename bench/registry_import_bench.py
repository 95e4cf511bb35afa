"""Registry import at scale: generate N vendors / dependencies / credentials, import into SQLite.

Usage: python bench/registry_import_bench.py [--vendors 10000 --deps 50000 --creds 100000]
Reports seconds and peak memory (targets: <= 30 s, <= 1 GB), then a no-op re-import.
"""

from __future__ import annotations

import argparse
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
        out.append({"name": f"Vendor {v:05d}", "domains": [f"v{v}.example"], "criticality": "high",
                    "owner": "iam", "dependencies": dep_list})  # fmt: skip
    return {"vendors": out}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--vendors", type=int, default=10_000)
    p.add_argument("--deps", type=int, default=50_000)
    p.add_argument("--creds", type=int, default=100_000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.yaml"
        path.write_text(yaml.safe_dump(generate(a.vendors, a.deps, a.creds)), encoding="utf-8")
        app = App(settings=Settings(database_url=f"sqlite:///{tmp}/bench.db"))
        with app.session():
            pass
        started = time.perf_counter()
        with app.session() as s:
            changes = api.import_file(s, path)
        first = time.perf_counter() - started
        started = time.perf_counter()
        with app.session() as s:
            again = api.import_file(s, path)
        second = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'vendors / deps / creds':28}{a.vendors} / {a.deps} / {a.creds}")
    print(f"{'first import':28}{first:.1f} s ({len(changes.created)} vendors created)")
    print(f"{'re-import (no changes)':28}{second:.1f} s (changed: {again.changed})")
    print(f"{'peak RSS':28}{peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
