"""The status-bar badge and the window banner of sync (clock skew, revoked device)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ..i18n import msg, tr
from .controller import SyncSnapshot

# state -> (Vietnamese label, text colour, background)
BADGE = {
    "online": ("Trực tuyến", "#1b5e20", "#e8f5e9"),
    "offline": ("Ngoại tuyến", "#37474f", "#eceff1"),
    "problems": ("Có lỗi đồng bộ", "#7a4f01", "#fff3e0"),
    "revoked": ("Đã thu hồi quyền đồng bộ", "#b71c1c", "#ffebee"),
    "never": ("Chưa đồng bộ lần nào", "#37474f", "#eceff1"),
    "unenrolled": ("Chưa đăng ký đồng bộ", "#616161", "#f5f5f5"),
}
KIND_LABELS = {  # outbox kind -> Vietnamese noun for "waiting to go up"
    "dossier.upsert": "hồ sơ",
    "dossier.event": "bước xử lý",
    "queue.event": "lượt xếp hàng",
}


def when_text(moment: datetime | None) -> str:
    return moment.strftime("%H:%M %d/%m/%Y") if moment else tr("chưa có")


def pending_text(pending_by_kind: dict[str, int]) -> str:
    parts = [f"{count} {tr(KIND_LABELS.get(kind, kind))}" for kind, count in sorted(pending_by_kind.items()) if count]
    return ", ".join(parts) if parts else tr("không có")


def files_text(counts: Any) -> str:
    """The file channel's queue: "2 tệp chờ gửi lên, 1 tệp chờ tải về" (after the dossiers, on their own line)."""
    if counts is None or not (counts.up or counts.down):
        return tr("không có tệp nào chờ")
    parts = []
    if counts.up:
        parts.append(tr("{count} tệp chờ gửi lên").format(count=counts.up))
    if counts.down:
        parts.append(tr("{count} tệp chờ tải về").format(count=counts.down))
    return ", ".join(parts)


class SyncBadge(QPushButton):
    """Flat status-bar button: state with colour, last success, what waits to go up. Click: the Sync screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setProperty("i18n_data", True)  # its text is built from tr() pieces and numbers
        self.state = "unenrolled"
        self.snapshot: SyncSnapshot | None = None
        self.running = False
        self.show_snapshot(None)

    def show_snapshot(self, snapshot: SyncSnapshot | None) -> None:
        self.snapshot = snapshot
        self.retranslate()

    def set_running(self, running: bool) -> None:
        self.running = running
        self.retranslate()

    def retranslate(self) -> None:
        snap = self.snapshot
        self.state = snap.state if snap is not None else "unenrolled"
        label, fg, bg = BADGE[self.state]
        text = "● " + tr(label)
        if snap is not None and snap.status.enrolled:
            text += " · " + tr("Lần cuối: {when}").format(when=when_text(snap.status.last_success))
            text += " · " + tr("Chờ gửi: {what}").format(what=pending_text(snap.status.pending_by_kind))
            if snap.files is not None and snap.files.up:
                text += " · " + tr("{count} tệp chờ gửi lên").format(count=snap.files.up)
            if snap.status.awaiting_upstream:  # at the office hub, not yet at the province: still owed
                text += " · " + tr("Chờ cấp trên xác nhận: {count}").format(count=snap.status.awaiting_upstream)
        if self.running:
            text += " · " + tr("đang đồng bộ…")
        self.setText(text)
        self.setStyleSheet(f"QPushButton {{ color: {fg}; background: {bg}; border: 1px solid {fg};"
                           f" border-radius: 3px; padding: 1px 8px; }}")
        tip = tr("Mở màn hình Đồng bộ")
        if snap is not None and snap.revoked:
            tip = msg("sync.revoked_notice")
        elif snap is not None and snap.status.last_error:
            tip = msg(snap.status.last_error)
        self.setToolTip(tip)


class SyncBanner(QFrame):
    """Above the screens: the PC clock is off by more than 5 minutes, or the device was revoked."""

    sig_open_sync = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setProperty("i18n_data", True)  # composed of msg() texts
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.sig_open_sync)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        self.snapshot: SyncSnapshot | None = None
        self.setVisible(False)
        self.retranslate()

    def show_snapshot(self, snapshot: SyncSnapshot | None) -> None:
        self.snapshot = snapshot
        self.retranslate()

    def messages(self) -> list[str]:
        snap = self.snapshot
        if snap is None:
            return []
        found = []
        if snap.revoked:
            found.append(msg("sync.revoked_notice"))
        if snap.update_required:  # passive: the counter works on, its changes wait for the update
            found.append(tr("Máy này cần cập nhật để đồng bộ; vẫn làm việc bình thường"))
        skew = snap.clock_skew
        if skew is not None:
            minutes = round(abs(skew) / 60)
            found.append(msg("sync.clock_behind" if skew > 0 else "sync.clock_ahead", minutes=minutes))
        return found

    def retranslate(self) -> None:
        self.open_button.setText(tr("Xem đồng bộ"))
        found = self.messages()
        self.text.setText("\n".join("⚠ " + m for m in found))
        revoked = self.snapshot is not None and self.snapshot.revoked
        self.setProperty("role", "banner-error" if revoked else "banner-warn")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(found))
