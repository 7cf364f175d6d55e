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
SCREEN_HANDOVER = "handover"
SCREEN_RETURN = "return"
SCREEN_WORKLIST = "worklist"


@dataclass(frozen=True)
class Screen:
    key: str
    title_vi: str  # translated with tr() when shown
    factory: Factory


def _reception(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .reception import create

    return create(services, runner, session)


def _handover(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .handover import create

    return create(services, runner, session)


def _return(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .returns import create

    return create(services, runner, session)


def _worklist(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .worklist import create

    return create(services, runner, session)


SCREENS: list[Screen] = [
    Screen(SCREEN_RECEPTION, "Tiếp nhận", _reception),
    Screen(SCREEN_HANDOVER, "Bàn giao", _handover),
    Screen(SCREEN_RETURN, "Trả kết quả", _return),
    Screen(SCREEN_WORKLIST, "Việc cần làm", _worklist),
    # Later: Hàng đợi, Tra cứu, Báo cáo, Đồng bộ, Quản trị.
]
