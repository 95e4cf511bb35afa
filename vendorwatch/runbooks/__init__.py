"""Runbooks: the credential-rotation tasks an alerted incident opens, tracked to done."""

from vendorwatch.runbooks.tasks import open_tasks

__all__ = ["open_tasks"]
