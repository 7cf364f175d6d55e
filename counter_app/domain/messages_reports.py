"""Texts of the reports feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
}
