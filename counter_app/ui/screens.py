"""Registry of the main window's screens: a later screen is added with one line here.

Only screens that are built appear (the clerk never meets an empty placeholder).
Order = navigation order = Ctrl+1, Ctrl+2…
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from .reception.presenter import Session
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services

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
    roles: tuple[str, ...] = ()  # roles that see the screen; () = everyone (the services check again)


def _lazy(package: str) -> Factory:
    """The screen's package is imported when the screen is first opened: start-up builds only
    the first screen, and a clerk who never opens Reports never loads the report code."""

    def factory(services: Services, runner: TaskRunner, session: Session) -> QWidget:
        module = import_module(f"{__package__}.{package}")
        return module.create(services, runner, session)

    return factory


def visible_screens(screens: list[Screen], role: str) -> list[Screen]:
    return [s for s in screens if not s.roles or role in s.roles]


SCREENS: list[Screen] = [
    Screen(SCREEN_RECEPTION, "Tiếp nhận", _lazy("reception")),
    Screen(SCREEN_HANDOVER, "Bàn giao", _lazy("handover")),
    Screen(SCREEN_RETURN, "Trả kết quả", _lazy("returns")),
    Screen(SCREEN_WORKLIST, "Việc cần làm", _lazy("worklist")),
    Screen("queue", "Hàng đợi", _lazy("queue")),
    Screen("sync", "Đồng bộ", _lazy("sync")),
    Screen("lookup", "Tra cứu", _lazy("lookup")),
    # every role: a clerk sees only their own figures (the service checks)
    Screen("reports", "Báo cáo", _lazy("reports")),
    Screen("home", "Tổng quan", _lazy("home"), roles=("administrator", "supervisor")),
    Screen("admin", "Quản trị", _lazy("admin"), roles=("administrator", "supervisor")),  # supervisors: audit log only
]
