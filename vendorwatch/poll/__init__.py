"""A poll end to end: sources, fetch, store, prescreen, triage pass."""
