"""Per-corpus ablation of the triage rules: switch one rule, role cue or class off, score every corpus again.

Usage: python bench/ablate.py CORPUS_DIR [CORPUS_DIR ...] [--only NAME,NAME]

Runs `bench/evaluate.py`'s end-to-end pipeline once with everything on, then once per ablation, and prints a
Markdown table: per corpus, the scores (R recall, P precision, L late, D duplicate threads, M must-not-alert
items in alerts, X items in two incidents, A attached positives) when that part is off. A part whose row
equals the baseline on every corpus adds nothing there.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluate

from vendorwatch.triage import background, cluster, kind, roles, rules
from vendorwatch.triage.cue_classes import cue_class

classify = importlib.import_module("vendorwatch.triage.classify")  # the package exports a function by that name

NEVER = re.compile(r"(?!)")


def _patch(obj: object, attr: str, value: object) -> Callable[[], contextlib.AbstractContextManager[None]]:
    @contextlib.contextmanager
    def cm() -> Iterator[None]:
        old = getattr(obj, attr)
        setattr(obj, attr, value)
        try:
            yield
        finally:
            setattr(obj, attr, old)

    return cm


Patch = Callable[[], contextlib.AbstractContextManager[None]]


def ablations() -> dict[str, tuple[str, Patch]]:
    """Every part that can be switched off: name -> (class of text, patch)."""
    out: dict[str, tuple[str, Patch]] = {}
    for name in dict.fromkeys(r.name for r in rules.RULES):
        cls = next(r.cls for r in rules.RULES if r.name == name)
        out[f"rule {name}"] = (str(cls), _patch(kind, "RULES", tuple(r for r in rules.RULES if r.name != name)))
    for table in ("SUBJECT_BEFORE", "SUBJECT_AFTER", "REF_BEFORE", "REF_AFTER"):
        cues = getattr(roles, table)
        for name in dict.fromkeys(c[0] for c in cues):
            kept = tuple(c for c in cues if c[0] != name)
            out[f"cue {name} ({table.lower()})"] = (cue_class(name), _patch(roles, table, kept))
    inline = {
        "cue reports-own-incident": ("a vendor reports its own incident", "_OWN_INCIDENT_REPORTED"),
        "cue agent-of-revocation": ("a platform acts against an integration", "_AGENT_OF_REVOCATION"),
        "cue descriptor-opens-clause": ("a descriptor before a name opens the clause", "_DESCRIPTOR"),
        "cue instrument": ("the vendor's product was the way in", "_THROUGH_BEFORE"),
    }
    for name, (cls, attr) in inline.items():
        out[name] = (cls, _patch(roles, attr, NEVER))
    out["class default subject"] = ("default subject", _patch(classify, "_lone_vendor", lambda *a: None))
    out["class first-person incident"] = (
        "a customer's own post about its breach caused by a vendor's earlier one",
        _patch(classify, "first_person_incident", lambda item, hits: False),
    )
    out["class own voice (quiet rotation)"] = (
        "quiet rotation on the vendor's own feed",
        _patch(classify, "decide_kind", lambda hits, own_voice=False: kind.decide_kind(hits, False)),
    )
    story = "folding only when the story continues"
    out["class story link"] = (story, _patch(background, "names_incident", lambda b, a: False))
    window = lambda t, v, i, shared: cluster.SHARED_ID_WINDOW if shared else cluster.JOIN_WINDOW  # noqa: E731
    out["class named-incident window"] = (story, _patch(cluster, "_window", window))
    return out


def scores(corpus: Path) -> str:
    """The compact scores of one end-to-end run."""
    labels = json.loads((corpus / "labels.json").read_text())
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        out = evaluate.score(evaluate.run(corpus, f"sqlite:///{tmp}/eval.db"), labels)
    r, p, a = out["cluster recall"], out["alert precision"], out["attached positives"]
    zeros = [
        out[k][0] for k in ("late clusters", "duplicate threads", "must-not-alert in alerts", "items in >1 incident")
    ]
    return f"R{r[0]}/{r[1]} P{p[0]}/{p[1]} L{zeros[0]} D{zeros[1]} M{zeros[2]} X{zeros[3]} A{a[0]}/{a[1]}"


def main() -> int:
    corpora = [Path(a) for a in sys.argv[1:] if not a.startswith("--") and "," not in a and Path(a).is_dir()]
    if not corpora:
        print(__doc__)
        return 2
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    base = [scores(c) for c in corpora]
    print("| switched off | class | " + " | ".join(c.name for c in corpora) + " |")
    print("|---|---|" + "---|" * len(corpora))
    print("| (nothing) | | " + " | ".join(base) + " |")
    for name, (cls, patch) in ablations().items():
        if only and not any(o in name for o in only):
            continue
        with patch():
            row = [scores(c) for c in corpora]
        cells = [s if s != b else "=" for s, b in zip(row, base, strict=True)]
        print(f"| {name} | {cls} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
