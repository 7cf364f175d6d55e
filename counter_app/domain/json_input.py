"""JSON documents written by people and other programs: ``null`` means "not given".

Every JSON input (dossier receive, queue, catalogue and calendar files) goes through
``without_nulls`` first, so ``"email": null`` reads like a missing ``email`` and takes its
default instead of being refused as "not a string" or stored as the text "None".
"""
from __future__ import annotations

from typing import Any


def without_nulls(value: Any) -> Any:
    """``value`` with every object member whose value is ``null`` dropped, at any depth.

    Items of a list are kept (cleaned inside): a ``null`` where an object is expected is
    still an error the parser names, not silently one item fewer.
    """
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value
