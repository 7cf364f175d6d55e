"""The Sync screen (Đồng bộ): enrolment, state, changes the server refused (with retry), recent rounds."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.messages import MESSAGES
from counter_app.domain.permissions import Permission, has_permission
from counter_app.services.updates import NO_TOOL, Signature

from ..i18n import error_text, msg, tr
from ..style import error_label, mark_data, set_error
from ..tables import cell
from .controller import SyncController, SyncSnapshot
from .review import review_detail, review_label
from .widgets import BADGE, KIND_LABELS, files_text, pending_text, when_text

if TYPE_CHECKING:
    from counter_app.services.facade import Services

INFO_ROWS = (  # (key, Vietnamese label)
    ("server", "Máy chủ"),
    ("office", "Đơn vị"),
    ("device", "Mã máy trạm"),
    ("slot", "Dải số hồ sơ của máy này"),
    ("state", "Trạng thái"),
    ("last", "Đồng bộ thành công gần nhất"),
    ("pending", "Chờ gửi lên"),
    ("files", "Tệp đính kèm"),
    ("awaiting", "Đã gửi máy chủ văn phòng, chờ cấp trên xác nhận"),
    ("held", "Bị giữ lại sau thay đổi bị từ chối"),
    ("parked", "Thay đổi tải về đang chờ hồ sơ gốc"),
)
REJECTED_COLUMNS = ("Thời điểm", "Loại", "Mã đối tượng", "Lý do")
ROUND_COLUMNS = ("Bắt đầu", "Gửi lên", "Tải về", "Bị từ chối", "Kết quả")
REVIEW_COLUMNS = ("Phát hiện lúc", "Mã hồ sơ", "Vấn đề", "Chi tiết")


def reason_text(code: str, reason: str, **known: str) -> str:
    """The readable reason: our own text for a known code (parameters we know filled in), else the server's words."""
    if code in MESSAGES:
        text = msg(code, reason=reason, detail=reason, **known)
        if "{" not in text:  # a template whose parameters only the server knew: its words instead
            return text
    return reason or code


# A set-up counter is (re-)enrolled by one of its administrators, proved by the password asked.
ENROL_COMMAND = "python main.py enroll --server {server} --code {code} --clerk {admin}"
ISSUE_COMMAND = "python main.py server enroll-code --office {office}"


def enrol_guide(office: str) -> str:
    """What a clerk does about a workstation that is not enrolled (rich text): it keeps working
    offline meanwhile, who gives the code, and the one command that enrols it."""
    office = office or tr("<mã đơn vị>")
    steps = (
        tr("Xin quản trị viên của đơn vị địa chỉ máy chủ và một mã đăng ký máy (dùng một lần) cấp cho đơn vị"
           " {office}.").format(office=office),
        tr("Trên máy này, mở cửa sổ dòng lệnh trong thư mục cài đặt chương trình và chạy:"),
        tr("Khởi động lại chương trình: màn hình này sẽ hiện trạng thái đồng bộ; mọi việc đã lưu trên máy"
           " được gửi lên máy chủ."),
    )
    command = ENROL_COMMAND.format(server=tr("<địa chỉ máy chủ>"), code=tr("<mã đăng ký>"),
                                   admin=tr("<tài khoản quản trị>"))
    issue = ISSUE_COMMAND.format(office=office)
    return (
        "<p>" + escape(tr("Máy vẫn làm việc bình thường khi không có mạng: tiếp nhận, bàn giao, trả kết quả đều"
                          " được lưu trên máy này và không bị mất.")) + "</p>"
        + "<p><b>" + escape(tr("Cách đăng ký máy với máy chủ:")) + "</b></p><ol>"
        + f"<li>{escape(steps[0])}</li>"
        + f"<li>{escape(steps[1])}<br><code>{escape(command)}</code></li>"
        + f"<li>{escape(steps[2])}</li></ol>"
        + "<p>" + escape(tr("Quản trị viên cấp mã trên máy chủ bằng lệnh:")) + f" <code>{escape(issue)}</code></p>"
    )


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _section(columns: int) -> tuple[QGroupBox, QLabel, QTableWidget, QPushButton]:
    """A titled list with a hint above it and one action button below, right-aligned."""
    box, hint, table, button = QGroupBox(), QLabel(), _table(columns), QPushButton()
    hint.setProperty("role", "hint")
    hint.setWordWrap(True)
    layout = QVBoxLayout(box)
    layout.addWidget(hint)
    layout.addWidget(table)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    layout.addLayout(row)
    return box, hint, table, button


def _item(text: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class SyncScreen(QWidget):
    def __init__(self, parent: QWidget | None = None, *, username: str = "", role: str = "clerk",
                 office_code: str = "") -> None:
        super().__init__(parent)
        self.username = username
        self.office_code = office_code  # for the enrolment guide before the first snapshot
        self.may_review = has_permission(role, Permission.REVIEW_SYNC)
        self.may_update = has_permission(role, Permission.MANAGE_SETTINGS)  # administrators download updates
        self.controller: SyncController | None = None
        self.snapshot: SyncSnapshot | None = None
        self.heading = QLabel()
        self.heading.setProperty("role", "heading")
        self.info_box = QGroupBox()
        form = QFormLayout(self.info_box)
        self.info_labels: dict[str, QLabel] = {}
        self.info_values: dict[str, QLabel] = {}
        for key, _ in INFO_ROWS:
            label, value = QLabel(), mark_data(QLabel())
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.info_labels[key], self.info_values[key] = label, value
            form.addRow(label, value)
        self.notice = mark_data(QLabel())
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "error")
        self.sync_button = QPushButton()
        self.sync_button.setProperty("role", "primary")
        self.sync_button.clicked.connect(self.sync_now)
        self.error = error_label()
        # Not enrolled: what to do instead of empty lists (shown in place of the state and the round log).
        self.guide_box = QGroupBox()
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.guide.setTextFormat(Qt.TextFormat.RichText)
        self.guide.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the command can be copied
        QVBoxLayout(self.guide_box).addWidget(self.guide)
        self.guide_box.setVisible(False)
        self.rejected_box, self.rejected_hint, self.rejected, self.retry_button = _section(len(REJECTED_COLUMNS))
        self.retry_button.clicked.connect(self.retry_selected)
        self.review_box, self.review_hint, self.review, self.resolve_button = _section(len(REVIEW_COLUMNS))
        self.review.itemSelectionChanged.connect(self._review_selection)
        self.resolve_button.clicked.connect(lambda: self.resolve_selected())
        self._build_update_box()
        self.rounds_box = QGroupBox()
        self.rounds = _table(len(ROUND_COLUMNS))
        QVBoxLayout(self.rounds_box).addWidget(self.rounds)
        for table in (self.rejected, self.review, self.rounds):
            table.setMinimumHeight(110)  # a few rows stay readable; the page scrolls instead of squeezing
        for table in (self.rejected, self.review):
            table.setMaximumHeight(240)  # these lists are short; the round log takes the rest
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.sync_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.guide_box)
        layout.addWidget(self.update_box)
        layout.addWidget(self.info_box)
        # What this user acts on comes first: a supervisor's review list, a clerk's refused changes.
        first, second = (self.review_box, self.rejected_box) if self.may_review else (self.rejected_box,
                                                                                      self.review_box)
        layout.addWidget(first)
        layout.addWidget(second)
        layout.addWidget(self.rounds_box, 1)
        layout.addStretch(0)  # the enrolment guide alone stays at the top (the round log, when shown, takes the room)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.notice)
        outer.addWidget(self.error)
        outer.addWidget(scroll, 1)
        self.retranslate()

    def _build_update_box(self) -> None:
        """An administrator's line about a newer version: download (verified), progress, the folder."""
        self.update_box = QGroupBox()
        self.update_line = mark_data(QLabel())
        self.update_line.setWordWrap(True)
        self.update_detail = mark_data(QLabel())
        self.update_detail.setWordWrap(True)
        self.update_detail.setProperty("role", "hint")
        self.update_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.update_progress = QProgressBar()
        self.update_progress.setVisible(False)
        self.download_button = QPushButton()
        self.download_button.clicked.connect(self.download_update)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.open_update_folder)
        row = QHBoxLayout()
        row.addWidget(self.update_line, 1)
        row.addWidget(self.download_button)
        row.addWidget(self.folder_button)
        box = QVBoxLayout(self.update_box)
        box.addLayout(row)
        box.addWidget(self.update_progress)
        box.addWidget(self.update_detail)
        self.update_box.setVisible(False)
        self._update_result = ""  # what the last download said (verified / why it failed)

    # ---- wiring ------------------------------------------------------------------------
    def attach_sync(self, controller: SyncController) -> None:
        self.controller = controller
        controller.sig_update_progress.connect(self._update_progressed)
        controller.sig_snapshot.connect(self.show_snapshot)
        controller.sig_running.connect(self._set_running)
        if controller.snapshot is not None:
            self.show_snapshot(controller.snapshot)
        self.retranslate()

    def sync_now(self) -> None:
        if self.controller is not None:
            set_error(self.error, "")
            self.controller.sync_now()

    def download_update(self) -> None:
        if self.controller is None or not self.may_update:
            return
        self._update_result = ""
        if self.controller.download_update(self.username, self._update_done, self._update_failed):
            self.update_progress.setRange(0, 0)
            self.update_progress.setVisible(True)
            self._fill_update()

    def open_update_folder(self) -> None:
        """The folder holding the verified installer: the administrator runs it (nothing is run for them)."""
        update = self.snapshot.update if self.snapshot is not None else None
        if update is None or not update.downloaded:
            return
        from pathlib import Path

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(update.downloaded).parent)))

    def _update_progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.update_progress.setRange(0, 1000)
            self.update_progress.setValue(min(1000, done * 1000 // total))
            self.update_progress.setFormat(f"{done / 2**20:.1f} / {total / 2**20:.1f} MiB")
        self.update_progress.setVisible(True)

    def _update_done(self, result: Any) -> None:
        self.update_progress.setVisible(False)
        if result.signature == Signature.VERIFIED:
            signed = tr("chữ ký số hợp lệ ({who})").format(who=result.signature_detail)
        elif result.signature_reason == NO_TOOL:
            signed = tr("chưa kiểm tra chữ ký số: máy này không có osslsigncode")
        else:
            signed = tr("chưa kiểm tra chữ ký số: chưa cấu hình chứng thư ký bộ cài")
        self._update_result = tr("Đã tải về và kiểm tra: SHA-256 khớp; {signed}. Chạy bộ cài trong thư mục để cập"
                                 " nhật; dữ liệu được giữ nguyên.").format(signed=signed)
        self._fill_update()

    def _update_failed(self, exc: BaseException) -> None:
        self.update_progress.setVisible(False)
        self._update_result = error_text(exc)
        self._fill_update()

    def retry_selected(self) -> None:
        row = self.rejected.currentRow()
        if self.controller is None or row < 0:
            return
        change_id = cell(self.rejected, row, 0).data(Qt.ItemDataRole.UserRole)
        set_error(self.error, "")
        self.controller.retry(change_id, self._failed)

    def resolve_selected(self, note: str | None = None) -> None:
        """A supervisor marks the selected problem reviewed (asked for an optional note)."""
        row = self.review.currentRow()
        if self.controller is None or row < 0 or not self.may_review:
            return
        item_id = cell(self.review, row, 0).data(Qt.ItemDataRole.UserRole)
        if note is None:
            note, ok = QInputDialog.getText(self, tr("Xác nhận đã xem xét"),
                                            tr("Ghi chú cách xử lý (không bắt buộc):"))
            if not ok:
                return
        set_error(self.error, "")
        self.controller.resolve(item_id, self.username, note, self._failed)

    def _review_selection(self) -> None:
        self.resolve_button.setEnabled(self.may_review and self.review.currentRow() >= 0)

    def _failed(self, exc: BaseException) -> None:
        set_error(self.error, error_text(exc))

    def _set_running(self, running: bool) -> None:
        self.sync_button.setEnabled(not running and self._can_sync())
        self.sync_button.setText(tr("Đang đồng bộ…") if running else tr("Đồng bộ ngay"))

    def _can_sync(self) -> bool:
        return self.controller is not None and self.snapshot is not None and self.snapshot.status.enrolled

    # ---- display -----------------------------------------------------------------------
    def show_snapshot(self, snapshot: SyncSnapshot) -> None:
        self.snapshot = snapshot
        self._fill()

    def retranslate(self) -> None:
        self.heading.setText(tr("Đồng bộ dữ liệu với máy chủ"))
        self.info_box.setTitle(tr("Đăng ký và trạng thái"))
        for key, label in INFO_ROWS:
            self.info_labels[key].setText(tr(label) + ":")
        self.rejected_box.setTitle(tr("Thay đổi bị máy chủ từ chối"))
        self.rejected_hint.setText(tr("Thay đổi bị từ chối không bị xóa. Sau khi xử lý nguyên nhân, chọn dòng và bấm "
                                      "Gửi lại."))
        self.retry_button.setText(tr("Gửi lại"))
        self.review_box.setTitle(tr("Cần lãnh đạo xem xét"))
        self.review_hint.setText(tr("Máy chủ giữ lại cả hai bản khi dữ liệu các máy mâu thuẫn (trùng mã hồ sơ, trả kết "
                                    "quả"
                                    " hai lần, sửa đè nhau). Đối chiếu hồ sơ giấy, xử lý, rồi bấm Đã xem xét."
                                    if self.may_review else
                                    "Máy chủ giữ lại cả hai bản khi dữ liệu các máy mâu thuẫn. Lãnh đạo bộ phận sẽ xem "
                                    "xét"
                                    " các mục này."))
        self.resolve_button.setText(tr("Đã xem xét"))
        self.update_box.setTitle(tr("Cập nhật phần mềm"))
        # Not plain "Tải về": that text is already the round table's "Received" column (one msgid, one English).
        self.download_button.setText(tr("Tải về máy"))
        self.folder_button.setText(tr("Mở thư mục"))
        self.review.setHorizontalHeaderLabels([tr(c) for c in REVIEW_COLUMNS])
        self.rounds_box.setTitle(tr("Các lần đồng bộ gần đây"))
        self.rejected.setHorizontalHeaderLabels([tr(c) for c in REJECTED_COLUMNS])
        self.rounds.setHorizontalHeaderLabels([tr(c) for c in ROUND_COLUMNS])
        self._set_running(self.controller is not None and self.controller.running)
        self._fill()

    def _show_guide(self, unenrolled: bool) -> None:
        self.guide_box.setVisible(unenrolled)
        self.info_box.setVisible(not unenrolled)
        self.rounds_box.setVisible(not unenrolled)
        self.sync_button.setVisible(not unenrolled)

    def _fill(self) -> None:
        snap = self.snapshot
        values = self.info_values
        unenrolled = snap is None or snap.state == "unenrolled"
        self._show_guide(unenrolled)
        if unenrolled:
            self.guide_box.setTitle(tr("Máy này chưa đăng ký đồng bộ với máy chủ"))
            self.guide.setText(enrol_guide((snap.office_code if snap is not None else "") or self.office_code))
            self.notice.setVisible(False)
        if snap is None:
            for value in values.values():
                value.setText("")
            values["state"].setText(tr(BADGE["unenrolled"][0]))
            self.rejected.setRowCount(0)
            self.review.setRowCount(0)
            self.rejected_box.setVisible(False)
            self.review_box.setVisible(False)
            self.rounds.setRowCount(0)
            self.retry_button.setEnabled(False)
            return
        s = snap.status
        values["server"].setText(s.server_url or "—")
        values["office"].setText(snap.office_code or "—")
        values["device"].setText(snap.device_id or "—")
        values["slot"].setText(snap.slot or "—")
        state = tr(BADGE[snap.state][0])
        if s.last_error and snap.state != "revoked":
            state += " — " + msg(s.last_error)
        values["state"].setText(state)
        values["last"].setText(when_text(s.last_success))
        values["pending"].setText(pending_text(s.pending_by_kind))
        values["files"].setText(files_text(snap.files))
        values["awaiting"].setText(str(s.awaiting_upstream))
        values["held"].setText(str(s.held))
        values["parked"].setText(str(s.parked))
        self.notice.setText(msg("sync.revoked_notice") if snap.revoked else "")
        self.notice.setVisible(snap.revoked)
        if unenrolled:  # a queue of changes made offline may still be listed (refused ones stay visible)
            self.notice.setVisible(False)
        self._fill_update()
        self._fill_rejected(snap)
        self._fill_review(snap)
        self._fill_rounds(snap)
        self._set_running(self.controller is not None and self.controller.running)

    def _fill_update(self) -> None:
        update = self.snapshot.update if self.snapshot is not None else None
        show = self.may_update and update is not None and (update.available or update.newer or update.required)
        self.update_box.setVisible(bool(show))
        if not show or update is None:
            return
        if update.minimum:
            line = tr("Có bản cập nhật {latest} (bắt buộc từ {minimum})")
        else:
            line = tr("Có bản cập nhật {latest}")
        text = line.format(latest=update.latest, minimum=update.minimum)
        text += " · " + tr("đang dùng {current}").format(current=update.current)
        self.update_line.setText(text)
        downloading = self.controller is not None and self.controller.downloading
        self.download_button.setEnabled(update.available and not update.downloaded and not downloading)
        self.download_button.setVisible(update.installer is not None)
        self.folder_button.setEnabled(bool(update.downloaded) and not downloading)
        if self._update_result:
            detail = self._update_result
        elif update.required:
            detail = tr("Máy chủ không nhận dữ liệu từ phiên bản này; dữ liệu chưa gửi được giữ trên máy cho tới khi"
                        " cập nhật.")
        elif update.installer is None:
            detail = tr("Máy chủ chưa đặt bộ cài để tải về; hỏi bộ phận kỹ thuật.")
        elif update.downloaded:
            detail = tr("Bộ cài đã có trong thư mục cập nhật: {path}").format(path=update.downloaded)
        else:
            detail = tr("Bộ cài {size} MiB được tải ngầm và kiểm tra mã SHA-256 trước khi giữ lại; không tự cài đặt."
                        ).format(size=f"{update.installer.size / 2**20:.1f}")
        self.update_detail.setText(detail)

    def _fill_rejected(self, snap: SyncSnapshot) -> None:
        rows = snap.status.rejected
        self.rejected.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.rejected.setItem(i, 0, _item(when_text(r.created_at), r.change_id))
            self.rejected.setItem(i, 1, _item(tr(KIND_LABELS.get(r.kind, r.kind))))
            self.rejected.setItem(i, 2, _item(r.entity_id))
            known = {"office": snap.office_code, "change_id": r.change_id, "kind": r.kind}
            self.rejected.setItem(i, 3, _item(reason_text(r.code, r.reason, **known)))
        if rows and self.rejected.currentRow() < 0:
            self.rejected.selectRow(0)
        self.retry_button.setEnabled(bool(rows))
        self.rejected_box.setVisible(bool(rows))  # an empty section is only clutter; the badge says "all sent"

    def _fill_review(self, snap: SyncSnapshot) -> None:
        items = snap.status.review
        self.review.setRowCount(len(items))
        for i, item in enumerate(items):
            self.review.setItem(i, 0, _item(when_text(item.created_at), item.item_id))
            self.review.setItem(i, 1, _item(item.dossier_code))
            self.review.setItem(i, 2, _item(review_label(item.kind)))
            self.review.setItem(i, 3, _item(review_detail(item)))
        self.review_box.setTitle(tr("Cần lãnh đạo xem xét") + (f" ({len(items)})" if items else ""))
        self.review_box.setVisible(bool(items))
        self._review_selection()

    def _fill_rounds(self, snap: SyncSnapshot) -> None:
        self.rounds.setRowCount(len(snap.rounds))
        for i, r in enumerate(snap.rounds):
            result = tr("Thành công") if r.ok else msg(r.error_code)
            for col, text in enumerate((when_text(r.started_at), str(r.pushed), str(r.pulled), str(r.rejected),
                                        result)):
                self.rounds.setItem(i, col, _item(text))


def create(services: Services, runner: Any, session: Any) -> SyncScreen:
    """The screen factory (``ui/screens.py``); the window attaches the sync controller when there is one."""
    clerk = getattr(session, "clerk", None)
    office = getattr(getattr(session, "office", None), "code", "")
    return SyncScreen(username=getattr(clerk, "username", ""), role=getattr(clerk, "role", "clerk"), office_code=office)
