"""Specs: an incident's assessments from baseline to follow-ups, over the real pipeline (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from registry.models import Assessment
from tests.assessments.conftest import NEWS, NOTICE, REPEAT, SCOPE, VICTIM, Story, phase2, write_phase
from vendorwatch import assessments


def _all(story: Story) -> list[Assessment]:
    with story.app.session() as s:
        rows = assessments.history(s, story.incident_id)
        s.expunge_all()
    return rows


def _factor(a: Assessment, prefix: str) -> dict[str, object]:
    return next(f for f in a.factors if str(f.get("factor", "")).startswith(prefix))


def test_baseline_scores_are_sums_of_named_factors(story: Story) -> None:
    [base] = _all(story)
    assert base.seq == 0 and not base.fired
    assert _factor(base, "publisher trust: vendor")["points"] == 45
    assert _factor(base, "corroborating sources: 1")["points"] == 0
    assert _factor(base, "vendor criticality: critical")["points"] == 35
    assert _factor(base, "registry dependence: 2/3")["points"] == 15  # round(min(15, 30 * 2/3))
    for name in ("confidence", "impact", "likelihood"):
        assert getattr(base, name) == min(100, sum(int(f["points"]) for f in base.factors if f["score"] == name))
    assert base.horizon_days == 7  # likelihood 50: the middle band


def test_baseline_texts_cite_the_incident_items_and_registry(story: Story) -> None:
    [base] = _all(story)
    cited = {story.items[NOTICE[1]]}
    for sentence in [*base.key_judgments, *base.indicators, *base.assumptions, *base.change_triggers]:
        assert sentence["text"] and sentence["evidence"], sentence
        refs = {int(e.split(":")[1]) for e in sentence["evidence"] if e.startswith("item:")}
        assert refs <= cited
    assert "Okta had a breach" in base.key_judgments[0]["text"]
    assert "registry:Okta.criticality" in base.key_judgments[1]["evidence"]
    assert {i["trigger"] for i in base.indicators} >= {"scope-expansion", "downstream-victim", "root-cause"}


def test_scope_expansion_fires_and_raises_impact(story: Story, tmp_path: Path) -> None:
    phase2(story, tmp_path)
    base, scoped = _all(story)[:2]
    assert scoped.seq == 1
    assert scoped.fired == [
        {
            "trigger": "scope-expansion",
            "item_id": story.items[SCOPE[1]],
            "evidence": "affected all customer support users",
        }
    ]
    assert scoped.impact > base.impact and scoped.likelihood > base.likelihood
    movement = scoped.factors[-1]
    assert movement["previous"]["impact"] == base.impact and movement["new"]["impact"] == scoped.impact
    assert "scope-expansion" not in {i["trigger"] for i in scoped.indicators}


def test_downstream_victim_fires_and_a_repeat_is_not_material(story: Story, tmp_path: Path) -> None:
    phase2(story, tmp_path)
    history = _all(story)
    assert [a.seq for a in history] == [0, 1, 2]
    victim = history[2]
    assert [(f["trigger"], f["item_id"]) for f in victim.fired] == [("downstream-victim", story.items[VICTIM[1]])]
    assert victim.likelihood > history[1].likelihood
    fired_items = {f["item_id"] for a in history for f in a.fired}
    assert not fired_items & {story.items[REPEAT[1]], story.items[NEWS[1]]}
    assert "corroborating sources: 2" in {f["factor"] for f in history[1].factors}  # the news report counts


def test_summary_text_for_the_thread_reply(story: Story, tmp_path: Path) -> None:
    phase2(story, tmp_path)
    base, scoped = _all(story)[:2]
    text = assessments.summary_text(scoped, base)
    assert text.startswith("Assessment 1: confidence ")
    assert f"impact {base.impact} → {scoped.impact} (+{scoped.impact - base.impact})" in text
    assert f"fired: scope-expansion (item {story.items[SCOPE[1]]}: 'affected all customer support users')" in text
    assert "Key judgment: Okta widened the incident's scope" in text
    assert assessments.summary_text(base, None).startswith("Assessment 0 (baseline): confidence ")


def test_a_second_report_of_the_same_root_cause_is_not_a_new_assessment(story: Story, tmp_path: Path) -> None:
    cause = (
        "Okta publishes root cause of support system breach",
        "https://sec.okta.com/rc1",
        "Mon, 23 Nov 2026 10:00:00 +0000",
        "Okta concluded its investigation: the root cause was a service "
        "account whose credentials were saved in an employee's personal browser profile.",
    )
    retold = (
        "How the Okta support breach happened",
        "https://news.example/rc2",
        "Mon, 23 Nov 2026 12:00:00 +0000",
        "Okta's root cause analysis says a service account's credentials saved in a personal browser profile "
        "let the attacker in.",
    )
    story.server.switch(write_phase(tmp_path / "rc", [NOTICE, cause], [retold], []))
    story.poll(datetime(2026, 11, 24, tzinfo=UTC))
    history = _all(story)
    assert [[f["trigger"] for f in a.fired] for a in history] == [[], ["root-cause"]]
