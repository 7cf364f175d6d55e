"""Hostile-input suite: every attack that once broke the counter, hub or server, replayed
against the real server (SQLite and PostgreSQL) and a real counter so none comes back."""
