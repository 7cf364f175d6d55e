"""Sync between a counter (or office hub) and its upstream server."""
