"""A service built when first used: what the first screen does not need costs no start-up time."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class OnFirstUse:
    """Stands for the object ``build()`` returns, built on its first attribute read.

    The first screen does not need it, and building it (importing its modules, its storage
    tables) would cost start-up time. Safe from any thread: it is built once.
    """

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._built: Any = None
        self._lock = threading.Lock()

    @property
    def is_built(self) -> bool:
        return self._built is not None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:  # it stands for the built object, whose attribute this is
            setattr(self._target(), name, value)

    def _target(self) -> Any:
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = self._build()
        return self._built
