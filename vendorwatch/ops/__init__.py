"""Operations: worker heartbeats, job budgets and the health checks `status` runs."""
