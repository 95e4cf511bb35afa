"""Shipped data (catalog, runbooks, demo), installed as the package vendorwatch._config: see vendorwatch/bundled.py."""
