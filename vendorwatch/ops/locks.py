"""Locks that make several `vendorwatch run` processes safe; they live in the store (registry/repo/locks.py)."""

from __future__ import annotations

from registry.repo.locks import SINGLETON_KEY, AlreadyRunning, ProcessLock, SingletonLock

__all__ = ["SINGLETON_KEY", "AlreadyRunning", "ProcessLock", "SingletonLock"]
