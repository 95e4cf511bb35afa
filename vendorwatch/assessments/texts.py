"""Key judgments, indicators, assumptions and change triggers from templates; each cites its evidence.

Every sentence is stored as {"text": ..., "evidence": [...]} where evidence lists item ids (item:12),
rule names (rule:scope-expansion), registry facts (registry:Okta.criticality) or sources (source:x).
"""

from __future__ import annotations

from typing import Any

from registry.vocab import Trust
from vendorwatch.assessments.facts import IncidentFacts
from vendorwatch.assessments.scoring import SIGNAL_POINTS, Scores
from vendorwatch.assessments.triggers import WATCHED, Fired
from vendorwatch.wording import plural

Sentence = dict[str, Any]

_SIGNAL_JUDGMENTS = {
    "scope-expansion": "{v} widened the incident's scope ('{p}'): more of its customers, possibly us, are affected.",
    "confirmed-abuse": "Stolen material has been used against customers ('{p}'): treat exposed credentials as live.",
    "root-cause": "{v} has published how the attackers got in ('{p}'): what happened is now better established.",
    "downstream-victim": "Another company disclosed impact from the {v} incident ('{p}'): the stolen material works.",
    "government-advisory": "A government source reports the {v} incident ({p}).",
}
_WATCH = {
    "scope-expansion": ("{v} widens the scope (all customers, more than initially believed)", "impact, likelihood"),
    "confirmed-abuse": ("stolen tokens or credentials are confirmed used or replayed", "confidence, likelihood"),
    "root-cause": ("{v} publishes a root cause or concludes its investigation", "confidence, horizon"),
    "downstream-victim": ("another company ties its own breach to the {v} incident", "impact, likelihood"),
    "government-advisory": ("a government source (e.g. CISA) issues an advisory", "confidence"),
}


def _band(value: int) -> str:
    return "high" if value >= 75 else "moderate" if value >= 50 else "low"


def key_judgments(facts: IncidentFacts, scores: Scores, signals: list[Fired]) -> list[Sentence]:
    """The headline judgments: what happened, what it touches of ours, what the follow-ups changed."""
    reg, srcs = facts.registry, facts.sources()
    trust = [f for f in scores.factors if f["factor"].startswith("publisher trust")]
    out: list[Sentence] = [
        {
            "text": f"We assess with {_band(scores.confidence)} confidence ({scores.confidence}%) that {reg.vendor} "
            f"had a {facts.kind}, reported by {plural(len(srcs), 'independent source')} ({', '.join(srcs)}).",
            "evidence": [i.ref for i in facts.items] + [f"source:{s}" for s in srcs] + trust[0]["evidence"][:1],
        },
        {
            "text": f"{reg.vendor} is a {reg.criticality}-criticality vendor for us: {reg.dependencies} of "
            f"{plural(reg.all_dependencies, 'registered dependency', 'registered dependencies')}, "
            f"{plural(reg.credentials, 'credential')} and {plural(reg.users, 'user')} rely on it "
            f"(impact {scores.impact}/100).",
            "evidence": [f"registry:{reg.vendor}.{k}" for k in ("criticality", "dependencies", "credentials", "users")],
        },
    ]
    exposed = facts.credential_exposure()
    if exposed is not None:
        out.append(
            {
                "text": f"Reports say credentials or tokens were exposed; treat {reg.credentials} registered "
                f"credentials as at risk until rotated (likelihood {scores.likelihood}/100).",
                "evidence": [exposed.ref, exposed.secret_evidence() or f"kind:{exposed.kind}"],
            }
        )
    seen: set[str] = set()
    for fired in signals:
        if fired.trigger in seen or fired.trigger not in _SIGNAL_JUDGMENTS:
            continue
        seen.add(fired.trigger)
        text = _SIGNAL_JUDGMENTS[fired.trigger].format(v=reg.vendor, p=fired.evidence)
        out.append({"text": text, "evidence": [f"item:{fired.item_id}", f"rule:{fired.trigger}"]})
    return out


def change_triggers(facts: IncidentFacts, signals: list[Fired]) -> list[Sentence]:
    """The developments that would produce the next assessment, with the scores each would move."""
    fired = {f.trigger for f in signals}
    out = []
    for name, (what, moves) in _WATCH.items():
        if name in WATCHED and name in fired:
            continue  # a first government advisory can only happen once
        if name == "government-advisory" and any(i.trust == Trust.government for i in facts.items):
            continue
        points = ", ".join(f"{k} +{v}" for k, v in SIGNAL_POINTS[name].items())
        out.append(
            {
                "trigger": name,
                "text": f"If {what.format(v=facts.registry.vendor)}: reassess ({points}).",
                "moves": moves,
                "evidence": [f"rule:{name}"],
            }
        )
    return out


def indicators(facts: IncidentFacts, signals: list[Fired]) -> list[Sentence]:
    """What to watch for: the change triggers that have not fired yet, as plain indicators."""
    fired = {f.trigger for f in signals}
    first = [i.ref for i in facts.items[:1]]
    vendor = facts.registry.vendor
    watch = [t["trigger"] for t in change_triggers(facts, signals) if t["trigger"] not in fired]
    return [
        {
            "trigger": name,
            "text": f"Watch for: {_WATCH[name][0].format(v=vendor)}.",
            "evidence": [f"rule:{name}", *first],
        }
        for name in watch
    ]


def assumptions(facts: IncidentFacts) -> list[Sentence]:
    """What the scores take for granted until a report says otherwise."""
    reg = facts.registry
    first = [facts.items[0].ref] if facts.items else []
    out: list[Sentence] = [
        {
            "text": f"Our {reg.vendor} tenant is among those affected until {reg.vendor} says otherwise.",
            "evidence": [*first, "rule:worst-case-until-scoped"],
        },
        {
            "text": f"The registry lists every dependency on {reg.vendor} ({reg.dependencies} today).",
            "evidence": [f"registry:{reg.vendor}.dependencies"],
        },
    ]
    if facts.credential_exposure() is None:
        out.append(
            {
                "text": "No credentials or tokens were exposed: no report in the timeline says so.",
                "evidence": [*(i.ref for i in facts.items), "rule:credential-exposure-absent"],
            }
        )
    return out


def references(facts: IncidentFacts) -> list[Sentence]:
    """The reports this assessment rests on."""
    return [
        {"item_id": i.item_id, "source_id": i.source_id, "trust": i.trust, "title": i.title, "url": i.url}
        for i in facts.items
    ]
