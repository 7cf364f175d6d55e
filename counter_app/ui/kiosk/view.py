"""The ticket kiosk: a touch screen in the waiting room, full-screen, for citizens.

Big buttons and plain Vietnamese; one touch per decision. Pages: home (services,
priority, guide), priority category, the issued ticket, the procedure guide. All
logic is in ``KioskPresenter``; the window only lays out and forwards touches.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..i18n import language, tr
from ..style import mark_data
from .guide import GuidePage

PAGE_HOME, PAGE_PRIORITY, PAGE_TICKET, PAGE_GUIDE = range(4)

PRIORITIES = (  # (code for services.queue.issue, Vietnamese label)
    ("elderly", "Người cao tuổi"),
    ("disabled", "Người khuyết tật"),
    ("pregnant", "Phụ nữ mang thai"),
    ("meritorious", "Người có công với cách mạng"),
    ("child", "Người đi cùng trẻ nhỏ"),
)

BASE_HEIGHT = 800  # sizes below are for a 1280×800 screen; larger screens scale up


def kiosk_stylesheet(scale: float) -> str:
    def px(n: int) -> str:
        return f"{round(n * scale)}px"

    return f"""
QWidget#kiosk {{ background: #f4f7fb; }}
QWidget#kiosk QLabel {{ color: #10233f; font-size: {px(22)}; }}
QWidget#kiosk QLabel[role="kiosk-office"] {{ font-size: {px(26)}; font-weight: 700; }}
QWidget#kiosk QLabel[role="kiosk-clock"] {{ font-size: {px(26)}; }}
QWidget#kiosk QLabel[role="kiosk-title"] {{ font-size: {px(38)}; font-weight: 700; }}
QWidget#kiosk QLabel[role="kiosk-info"] {{ font-size: {px(24)}; }}
QWidget#kiosk QLabel[role="kiosk-banner"] {{ font-size: {px(26)}; font-weight: 700; background: #ffe082;
    border-radius: {px(10)}; padding: {px(10)}; }}
QWidget#kiosk QLabel[role="kiosk-number"] {{ font-size: {px(190)}; font-weight: 800; color: #0d47a1; }}
QWidget#kiosk QLabel[role="kiosk-big"] {{ font-size: {px(34)}; font-weight: 700; }}
QWidget#kiosk QLabel[role="kiosk-warn"] {{ font-size: {px(28)}; font-weight: 700; color: #b71c1c; background: #ffebee;
    border-radius: {px(10)}; padding: {px(12)}; }}
QWidget#kiosk QLabel[role="kiosk-detail"] {{ font-size: {px(22)}; background: white; padding: {px(12)}; }}
QWidget#kiosk QPushButton[role="kiosk-service"] {{ font-size: {px(34)}; font-weight: 700; min-height: {px(120)};
    background: #1565c0; color: white;
    border: none; border-radius: {px(18)}; padding: {px(12)}; text-align: center; }}
QWidget#kiosk QPushButton[role="kiosk-service"]:pressed {{ background: #0d47a1; }}
QWidget#kiosk QPushButton[role="kiosk-priority"] {{ font-size: {px(30)}; font-weight: 700; min-height: {px(100)};
    background: #ffb300; color: #10233f;
    border: none; border-radius: {px(18)}; padding: {px(12)}; }}
QWidget#kiosk QPushButton[role="kiosk-guide"] {{ font-size: {px(30)}; font-weight: 700; min-height: {px(100)};
    background: #2e7d32; color: white;
    border: none; border-radius: {px(18)}; padding: {px(12)}; }}
QWidget#kiosk QPushButton[role="kiosk-action"] {{ font-size: {px(30)}; font-weight: 700; min-height: {px(90)};
    background: #1565c0; color: white;
    border: none; border-radius: {px(16)}; padding: {px(10)} {px(30)}; }}
QWidget#kiosk QPushButton[role="kiosk-action"]:disabled {{ background: #9eb3cc; }}
QWidget#kiosk QPushButton[role="kiosk-back"] {{ font-size: {px(28)}; min-height: {px(90)}; background: white;
    border: {px(3)} solid #1565c0;
    border-radius: {px(16)}; padding: {px(10)} {px(30)}; }}
QWidget#kiosk QPushButton[role="kiosk-small"] {{ font-size: {px(20)}; min-height: {px(50)}; background: white;
    border: {px(2)} solid #90a4ae;
    border-radius: {px(10)}; padding: {px(4)} {px(18)}; }}
QWidget#kiosk QPushButton[role="kiosk-key"] {{ font-size: {px(26)}; font-weight: 700; min-height: {px(58)};
    min-width: {px(46)}; background: white;
    border: {px(2)} solid #90a4ae; border-radius: {px(8)}; }}
QWidget#kiosk QPushButton[role="kiosk-key"]:pressed {{ background: #bbdefb; }}
QWidget#kiosk QPushButton[role="kiosk-word-key"] {{ font-size: {px(26)}; font-weight: 700; min-height: {px(58)};
    background: white;
    border: {px(2)} solid #90a4ae; border-radius: {px(8)}; padding: 0 {px(10)}; }}
QWidget#kiosk QPushButton[role="kiosk-word-key"]:pressed {{ background: #bbdefb; }}
QWidget#kiosk QLineEdit[role="kiosk-search"] {{ font-size: {px(30)}; min-height: {px(60)}; padding: {px(4)} {px(10)}; }}
QWidget#kiosk QListWidget[role="kiosk-list"] {{ font-size: {px(24)}; }}
QWidget#kiosk QListWidget[role="kiosk-list"]::item {{ padding: {px(10)}; border-bottom: 1px solid #cfd8dc; }}
"""


def _page(*widgets: QWidget | None, stretch_after: int = -1) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    for index, widget in enumerate(widgets):
        if widget is not None:
            layout.addWidget(widget)
        if index == stretch_after:
            layout.addStretch(1)
    return page, layout


class KioskWindow(QWidget):
    # Set by kiosk.create to keep them alive with the window (and reachable from tests); the
    # presenter is not named here because it imports this module.
    presenter: object
    watcher: QObject  # the TouchWatcher that restarts the idle countdown
    sig_service = Signal(str)
    """A service button was touched; carries the service prefix."""

    sig_priority = Signal(str)
    """A priority category was touched (or "" to cancel priority)."""

    sig_page = Signal(int)
    """The citizen asked for a page (PAGE_*): priority choice, guide, home."""

    sig_language = Signal()
    """The citizen touched the language button."""

    sig_idle = Signal()
    """Nobody touched the kiosk for a while: back to the home screen, ready for the next citizen."""

    def __init__(self, idle_ms: int = 30_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.services: list[Any] = []
        self.service_buttons: dict[str, QPushButton] = {}
        self.priority_label = ""
        self._build_header()
        self._build_home()
        self._build_priority()
        self._build_ticket()
        self.guide = GuidePage()
        self.guide.sig_back.connect(lambda: self.sig_page.emit(PAGE_HOME))
        self.pages = QStackedWidget()
        for page in (self.home, self.priority_page, self.ticket_page, self.guide):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(self.header)
        layout.addWidget(self.pages, 1)
        self.idle = QTimer(self, singleShot=True, interval=idle_ms)
        self.idle.timeout.connect(self.sig_idle)
        self.clock_timer = QTimer(self, interval=1000)
        self.clock_timer.timeout.connect(self._tick)
        self.clock_timer.start()
        self._scale = 0.0
        self._apply_scale()
        self._tick()
        self.retranslate()

    # --- construction ---------------------------------------------------------
    def _build_header(self) -> None:
        self.office_label = mark_data(QLabel())
        self.office_label.setProperty("role", "kiosk-office")
        self.clock_label = mark_data(QLabel())
        self.clock_label.setProperty("role", "kiosk-clock")
        self.language_button = mark_data(QPushButton())  # each language named in itself: "Tiếng Việt" stays
        self.language_button.setProperty("role", "kiosk-small")
        self.language_button.clicked.connect(self.sig_language)
        self.header = QHBoxLayout()
        self.header.addWidget(self.office_label, 1)
        self.header.addWidget(self.clock_label)
        self.header.addWidget(self.language_button)

    def _build_home(self) -> None:
        self.home_title = QLabel()
        self.home_title.setProperty("role", "kiosk-title")
        self.home_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority_banner = QLabel()
        self.priority_banner.setProperty("role", "kiosk-banner")
        self.priority_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority_banner.setVisible(False)
        self.service_grid = QGridLayout()
        self.service_grid.setSpacing(16)
        self.empty_label = QLabel()
        self.empty_label.setProperty("role", "kiosk-info")
        self.priority_button = QPushButton()
        self.priority_button.setProperty("role", "kiosk-priority")
        self.priority_button.clicked.connect(lambda: self.sig_page.emit(PAGE_PRIORITY))
        self.cancel_priority_button = QPushButton()
        self.cancel_priority_button.setProperty("role", "kiosk-back")
        self.cancel_priority_button.clicked.connect(lambda: self.sig_priority.emit(""))
        self.guide_button = QPushButton()
        self.guide_button.setProperty("role", "kiosk-guide")
        self.guide_button.clicked.connect(lambda: self.sig_page.emit(PAGE_GUIDE))
        self.home_status = QLabel()
        self.home_status.setProperty("role", "kiosk-warn")
        self.home_status.setWordWrap(True)
        self.home_status.setVisible(False)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.priority_button, 1)
        bottom.addWidget(self.cancel_priority_button, 1)
        bottom.addWidget(self.guide_button, 1)
        self.home, layout = _page(self.home_title, self.priority_banner, self.home_status, self.empty_label)
        layout.addLayout(self.service_grid, 1)
        layout.addLayout(bottom)

    def _build_priority(self) -> None:
        self.priority_title = QLabel()
        self.priority_title.setProperty("role", "kiosk-title")
        self.priority_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority_hint = QLabel()
        self.priority_hint.setProperty("role", "kiosk-info")
        self.priority_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority_hint.setWordWrap(True)
        self.priority_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(16)
        for index, (code, _label) in enumerate(PRIORITIES):
            button = QPushButton()
            button.setProperty("role", "kiosk-priority")
            button.clicked.connect(lambda _=False, c=code: self.sig_priority.emit(c))
            grid.addWidget(button, index // 2, index % 2)
            self.priority_buttons[code] = button
        self.priority_back = QPushButton()
        self.priority_back.setProperty("role", "kiosk-back")
        self.priority_back.clicked.connect(lambda: self.sig_page.emit(PAGE_HOME))
        self.priority_page, layout = _page(self.priority_title, self.priority_hint)
        layout.addLayout(grid, 1)
        layout.addWidget(self.priority_back, 0, Qt.AlignmentFlag.AlignLeft)

    def _build_ticket(self) -> None:
        self.ticket_title = QLabel()
        self.ticket_title.setProperty("role", "kiosk-big")
        self.ticket_number = mark_data(QLabel())
        self.ticket_number.setProperty("role", "kiosk-number")
        self.ticket_service = mark_data(QLabel())
        self.ticket_service.setProperty("role", "kiosk-big")
        self.ticket_facts = mark_data(QLabel())
        self.ticket_facts.setProperty("role", "kiosk-info")
        self.ticket_print = QLabel()
        self.ticket_print.setProperty("role", "kiosk-info")
        self.ticket_print.setWordWrap(True)
        for label in (self.ticket_title, self.ticket_number, self.ticket_service, self.ticket_facts, self.ticket_print):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_done = QPushButton()
        self.ticket_done.setProperty("role", "kiosk-action")
        self.ticket_done.clicked.connect(lambda: self.sig_page.emit(PAGE_HOME))
        self.ticket_page, layout = _page(self.ticket_title, self.ticket_number, self.ticket_service, self.ticket_facts,
                                         self.ticket_print, stretch_after=4)
        layout.addWidget(self.ticket_done, 0, Qt.AlignmentFlag.AlignCenter)

    # --- language and size ----------------------------------------------------
    def retranslate(self) -> None:
        self.language_button.setText("English" if language() == "vi" else "Tiếng Việt")
        self.home_title.setText(tr("Chạm vào dịch vụ bạn cần để lấy số thứ tự"))
        self.empty_label.setText(tr("Chưa có dịch vụ nào. Xin mời đến quầy."))
        self.priority_button.setText(tr("Ưu tiên\n(người cao tuổi, khuyết tật,\nmang thai, người có công)"))
        self.cancel_priority_button.setText(tr("Hủy ưu tiên"))
        self.guide_button.setText(tr("Hướng dẫn thủ tục\n(giấy tờ cần mang, lệ phí)"))
        self.priority_title.setText(tr("Bạn thuộc đối tượng nào?"))
        self.priority_hint.setText(tr("Cán bộ sẽ kiểm tra giấy tờ khi gọi đến số của bạn."))
        for code, label in PRIORITIES:
            self.priority_buttons[code].setText(tr(label))
        self.priority_back.setText(tr("◀ Quay lại"))
        self.ticket_title.setText(tr("Số thứ tự của bạn"))
        self.ticket_done.setText(tr("Xong"))
        self.guide.retranslate()
        self.show_services(self.services)
        self.set_priority_mode(self.priority_label)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.idle.stop()  # closed: no "back to the home page" on a window nobody sees

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        scale = max(0.6, min(self.height() / BASE_HEIGHT, self.width() / 1280) if self.height() > 200 else 1.0)
        if abs(scale - self._scale) > 0.02:
            self._scale = scale
            self.setStyleSheet(kiosk_stylesheet(scale))

    def _tick(self) -> None:
        self.clock_label.setText(QDateTime.currentDateTime().toString("HH:mm  dd/MM/yyyy"))

    # --- what the presenter calls ---------------------------------------------
    def show_office(self, name: str) -> None:
        self.office_label.setText(name)

    def show_services(self, services: list[Any]) -> None:
        """ServiceViews, each a big button: name, and how many wait."""
        self.services = list(services)
        for button in self.service_buttons.values():
            self.service_grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        columns = 2 if len(self.services) > 3 else 1
        for index, service in enumerate(self.services):
            button = QPushButton(self._service_text(service))
            button.setProperty("role", "kiosk-service")
            # big targets fill the screen
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            button.setProperty("i18n_data", True)  # the service names come from the office's set-up
            button.clicked.connect(lambda _=False, p=service.prefix: self.sig_service.emit(p))
            self.service_grid.addWidget(button, index // columns, index % columns)
            self.service_buttons[service.prefix] = button
        self.empty_label.setVisible(not self.services)

    @staticmethod
    def _service_text(service: Any) -> str:
        name_en = getattr(service, "name_en", "") if language() == "en" else ""
        name = name_en or service.name
        return f"{name}\n" + tr("Đang chờ: {n} người").format(n=service.waiting)

    def set_priority_mode(self, label: str) -> None:
        """Priority chosen (its label) or "" (ordinary ticket)."""
        self.priority_label = label
        self.priority_banner.setVisible(bool(label))
        self.priority_banner.setText(
            tr("Vé ưu tiên: {who}. Chạm vào dịch vụ bạn cần.").format(who=label) if label else "")
        self.priority_button.setVisible(not label)
        self.cancel_priority_button.setVisible(bool(label))

    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)

    def show_ticket(self, number: str, service: str, facts: str, print_text: str, failed: bool) -> None:
        self.ticket_number.setText(number)
        self.ticket_service.setText(service)
        self.ticket_facts.setText(facts)
        self.ticket_print.setText(print_text)
        self.ticket_print.setProperty("role", "kiosk-warn" if failed else "kiosk-info")
        self.ticket_print.style().unpolish(self.ticket_print)
        self.ticket_print.style().polish(self.ticket_print)
        self.show_page(PAGE_TICKET)

    def show_home_status(self, text: str) -> None:
        self.home_status.setText(text)
        self.home_status.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        for button in self.service_buttons.values():
            button.setEnabled(not busy)

    def touched(self) -> None:
        """Any touch restarts the idle countdown (an event filter in the package calls this)."""
        self.idle.start()
