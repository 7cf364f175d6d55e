"""Home (Tổng quan) for the supervisor: today's counts, what is due, overdue by department, the queue."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.report_views import Chart, HomeView, Series

from ..announcements import RefreshOnChange, dossiers_or_queue
from ..dossier.presenter import error_text
from ..i18n import tr
from ..layouts import delete_widgets
from ..navigation import screen_shortcut
from ..tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services

TILES = (  # (HomeView attribute, Vietnamese label)
    ("received_today", "Tiếp nhận hôm nay"),
    ("results_today", "Có kết quả hôm nay"),
    ("returned_today", "Đã trả hôm nay"),
    ("due_today", "Đến hạn hôm nay"),
    ("due_tomorrow", "Đến hạn ngày làm việc tiếp theo"),
    ("overdue", "Quá hạn"),
    ("waiting_supplement", "Chờ bổ sung"),
    ("result_ready", "Có kết quả, chờ trả"),
)


class HomeScreen(QWidget):
    refresher: RefreshOnChange  # set by home.create: refreshes the figures when a change lands
    sig_shown = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.last: HomeView | None = None
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.refresh_button = QPushButton()
        screen_shortcut(self, "F5", self.refresh_button.click)
        self.refresh_button.clicked.connect(self.refresh)
        grid = QGridLayout()
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for i, (key, _label) in enumerate(TILES):
            frame = QFrame()
            frame.setProperty("role", "quote-panel")
            box = QVBoxLayout(frame)
            value, label = QLabel("—"), QLabel()
            value.setProperty("role", "heading")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            box.addWidget(value)
            box.addWidget(label)
            grid.addWidget(frame, i // 4, i % 4)
            self.tiles[key] = (value, label)
        self.departments_title, self.queue_title = QLabel(), QLabel()
        self.departments = QListWidget()
        self.queue = QLabel()
        self.queue.setWordWrap(True)
        self.chart_box = QVBoxLayout()
        lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.departments_title)
        left.addWidget(self.departments, 1)
        left.addWidget(self.queue_title)
        left.addWidget(self.queue)
        lower.addLayout(left, 1)
        lower.addLayout(self.chart_box, 2)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.refresh_button)
        self.info = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(grid)
        layout.addLayout(lower, 1)
        layout.addWidget(self.info)
        self.sig_shown.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Tổng quan hôm nay"))
        self.refresh_button.setText(tr("Tải lại (F5)"))
        for key, label in TILES:
            self.tiles[key][1].setText(tr(label))
        self.departments_title.setText(tr("Quá hạn theo nơi đang giữ hồ sơ"))
        self.queue_title.setText(tr("Hàng đợi"))
        if self.last is not None:
            self.show_home(self.last)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.sig_shown.emit()

    def refresh(self) -> None:
        services = self.services

        def job() -> HomeView:
            worklist = services.worklist.worklist() if services.worklist is not None else None
            return services.reports.home(worklist)

        self.runner.submit(job, self.show_home, lambda exc: self.info.setText("⚠ " + error_text(exc)))

    def show_home(self, home: HomeView) -> None:
        self.last = home
        for key, _ in TILES:
            self.tiles[key][0].setText(str(getattr(home, key)))
        self.departments.clear()
        for name, count in home.overdue_by_department:
            self.departments.addItem(f"{name or tr('Tại Bộ phận Một cửa')}: {count}")
        if not home.overdue_by_department:
            self.departments.addItem(tr("Không có hồ sơ quá hạn"))
        if home.queue is None:
            self.queue.setText(tr("Chưa có dữ liệu hàng đợi"))
        else:
            q = home.queue
            text = tr("Đã phát {issued} phiếu, đã phục vụ {served}, vắng mặt {no_show}, đang chờ {waiting}")
            self.queue.setText(text.format(issued=q.get("issued", 0), served=q.get("served", 0),
                                           no_show=q.get("no_show", 0), waiting=q.get("waiting", 0)))
        delete_widgets(self.chart_box)
        from ..reports.charts import chart_view

        chart = Chart("received", "bar", "Hồ sơ tiếp nhận 14 ngày qua", "Dossiers received, last 14 days",  # i18n: data
                      tuple(f"{d:%d/%m}" for d, _ in home.received_by_day),
                      (Series("Tiếp nhận", "Received", tuple(float(c) for _, c in home.received_by_day)),))
        self.chart_box.addWidget(chart_view(chart))
        self.info.setText(tr("Cập nhật lúc {time}").format(time=f"{home.now:%H:%M}"))


def create(services: Services, runner: TaskRunner, session: Any) -> HomeScreen:
    screen = HomeScreen(services, runner)
    screen.refresher = RefreshOnChange(screen, screen.refresh, dossiers_or_queue, on_show=False)
    return screen
