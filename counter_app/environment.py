"""Settings an operator gives through the environment, read by the composition roots only."""
from __future__ import annotations

import os

from .domain.errors import DomainError
from .domain.users import COST_VARIABLE, PasswordCost


def password_cost() -> PasswordCost:
    """The scrypt cost of new password hashes: OWASP's guidance unless ``COUNTER_APP_PASSWORD_COST``
    (log2 N, 10..18) says otherwise, e.g. for a test suite that makes hundreds of accounts."""
    raw = os.environ.get(COST_VARIABLE, "").strip()
    try:
        return PasswordCost.from_log2(raw)
    except ValueError:
        raise DomainError("config.password_cost", variable=COST_VARIABLE, value=raw[:20]) from None
