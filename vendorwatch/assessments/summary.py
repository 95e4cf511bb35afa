"""The plain-text summary of an assessment for a Slack thread reply (and `incidents show`)."""

from __future__ import annotations

from registry.models import Assessment

_SCORES = ("confidence", "impact", "likelihood")
_MAX_PHRASE = 80


def _score(name: str, new: int, old: int | None) -> str:
    unit = "%" if name == "confidence" else ""  # written as in alerts and `incidents show`: `confidence 85%`
    if old is None or old == new:
        return f"{name} {new}{unit}"
    return f"{name} {old}{unit} → {new}{unit} ({new - old:+d})"


def _phrase(text: str) -> str:
    return text if len(text) <= _MAX_PHRASE else text[: _MAX_PHRASE - 1].rstrip() + "…"


def summary_text(assessment: Assessment, previous: Assessment | None) -> str:
    """E.g. "Assessment 2: confidence 70% → 85% (+15), impact 60, ...; fired: scope-expansion (item 12: '...')."""
    label = f"Assessment {assessment.seq}" + (" (baseline)" if assessment.seq == 0 else "")
    scores = ", ".join(
        _score(name, getattr(assessment, name), getattr(previous, name) if previous else None) for name in _SCORES
    )
    parts = [f"{label}: {scores}; horizon {assessment.horizon_days} days"]
    if assessment.fired:
        fired = ", ".join(
            f"{f['trigger']} (item {f['item_id']}: '{_phrase(str(f['evidence']))}')" for f in assessment.fired
        )
        parts.append(f"fired: {fired}")
    text = "; ".join(parts) + "."
    judgment = _headline(assessment)
    return f"{text} Key judgment: {judgment}" if judgment else text


def _headline(assessment: Assessment) -> str:
    """The newest trigger's judgment if one fired, else the first judgment."""
    judgments = [j for j in assessment.key_judgments if isinstance(j, dict)]
    if not judgments:
        return ""
    fired = {f"rule:{f['trigger']}" for f in assessment.fired}
    chosen = next((j for j in judgments if fired & set(j.get("evidence", []))), judgments[0])
    return str(chosen["text"])
