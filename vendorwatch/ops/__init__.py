"""Operations: the scheduler and workers, heartbeats and job budgets, locks, health, metrics, logging."""
