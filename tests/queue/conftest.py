"""Fixtures of the queue tests (defined in queue_core_helpers.py, which tests also import helpers from)."""
from queue_core_helpers import clock, hub, queue, server  # noqa: F401
