"""Registry of the main window's screens: a later screen is added with one line here.

Only screens that are built appear (the clerk never meets an empty placeholder).
Order = navigation order = Ctrl+1, Ctrl+2…
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from .reception.presenter import Session
from .tasks import TaskRunner

Factory = Callable[[Any, TaskRunner, Session], QWidget]

SCREEN_RECEPTION = "reception"


@dataclass(frozen=True)
class Screen:
    key: str
    title_vi: str  # translated with tr() when shown
    factory: Factory


def _reception(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .reception import create

    return create(services, runner, session)


SCREENS: list[Screen] = [
    Screen(SCREEN_RECEPTION, "Tiếp nhận", _reception),
    # Later: Hàng đợi, Bàn giao, Trả kết quả, Tra cứu, Báo cáo, Đồng bộ, Quản trị.
]
