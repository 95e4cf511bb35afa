"""Operations: the scheduler and workers, locks, health, metrics, logging."""
