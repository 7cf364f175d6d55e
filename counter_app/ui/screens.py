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
    roles: tuple[str, ...] = ()  # roles that see the screen; () = everyone (the services check again)


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


def _queue(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .queue import create

    return create(services, runner, session)


def _sync(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .sync import create

    return create(services, runner, session)


def _admin(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .admin import create

    return create(services, runner, session)


def _lookup(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .lookup import create

    return create(services, runner, session)


def _reports(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .reports import create

    return create(services, runner, session)


def _home(services: Any, runner: TaskRunner, session: Session) -> QWidget:
    from .home import create

    return create(services, runner, session)


def visible_screens(screens: list[Screen], role: str) -> list[Screen]:
    return [s for s in screens if not s.roles or role in s.roles]


SCREENS: list[Screen] = [
    Screen(SCREEN_RECEPTION, "Tiếp nhận", _reception),
    Screen(SCREEN_HANDOVER, "Bàn giao", _handover),
    Screen(SCREEN_RETURN, "Trả kết quả", _return),
    Screen(SCREEN_WORKLIST, "Việc cần làm", _worklist),
    Screen("queue", "Hàng đợi", _queue),
    Screen("sync", "Đồng bộ", _sync),
    Screen("lookup", "Tra cứu", _lookup),  # issue #6
    Screen("reports", "Báo cáo", _reports),  # issue #6: a clerk sees their own figures (services check)
    Screen("home", "Tổng quan", _home, roles=("administrator", "supervisor")),  # issue #6
    Screen("admin", "Quản trị", _admin, roles=("administrator", "supervisor")),  # supervisors: audit log only
]
