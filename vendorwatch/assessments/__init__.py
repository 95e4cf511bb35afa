"""Incident assessments: confidence, impact and likelihood with their factors, judgments and live triggers.

The lead wires two calls into the pipeline: `baseline` when an incident is first alerted, `reassess`
after a follow-up item joins an alerted incident. Everything is deterministic rules and templates.
"""

from registry.repo.assessments import history, latest
from vendorwatch.assessments.service import baseline, reassess, scores_of
from vendorwatch.assessments.summary import summary_text

__all__ = ["baseline", "history", "latest", "reassess", "scores_of", "summary_text"]
