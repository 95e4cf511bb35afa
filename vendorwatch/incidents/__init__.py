"""Incidents: folding reports into incidents, alerts, lifecycle, read views."""
