"""Runbooks: the credential-rotation tasks an alerted incident opens, tracked to done."""

from vendorwatch.runbooks.tasks import open_tasks
from vendorwatch.runbooks.templates import Runbooks, load_runbooks

__all__ = ["Runbooks", "load_runbooks", "open_tasks"]
