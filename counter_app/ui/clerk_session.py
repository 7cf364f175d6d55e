"""The logged-in clerk's session, in a module of its own: the login dialog needs it before
any screen's modules are loaded (they load while the password is checked)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from counter_app.services.views import ClerkView


@dataclass
class Session:
    """Who is at the counter and how this office prints (loaded once at login)."""

    clerk: ClerkView
    office: Any  # OfficeView
    counter_name: str = ""
    settings: dict[str, str] = field(default_factory=dict)
