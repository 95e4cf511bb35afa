"""Delivery: the outbox, its dispatcher and the channels it sends through."""
