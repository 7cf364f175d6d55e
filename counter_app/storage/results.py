"""What an INSERT / UPDATE / DELETE answers through a Session.

``Session.execute`` is typed to return a plain ``Result``; for a DML statement the object is
a ``CursorResult``, which alone carries ``rowcount`` and ``inserted_primary_key``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def cursor_result(result: Result[Any]) -> CursorResult[Any]:
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected the result of an INSERT, UPDATE or DELETE, got {type(result).__name__}")
    return result


def rows_changed(result: Result[Any]) -> int:
    """Rows the statement touched (0 when the driver cannot tell)."""
    return cursor_result(result).rowcount or 0
