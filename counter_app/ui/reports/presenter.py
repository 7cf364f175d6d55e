"""Reports (Báo cáo) logic: compute on the runner with progress and a cancel flag, then export."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.errors import DomainError
from counter_app.services.report_views import ReportView
from counter_app.services.reports import check_range

from ..dossier.presenter import error_text
from ..i18n import language, tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

KINDS = (  # (service kind, Vietnamese title)
    ("ledger", "Sổ theo dõi hồ sơ (Mẫu 07)"),
    ("monthly", "Thống kê tháng, quý theo thủ tục, lĩnh vực"),
    ("daily_close", "Chốt số liệu cuối ngày tại quầy"),
    ("staff", "Số liệu theo cán bộ"),
    ("766", "Chỉ số theo Quyết định 766"),
)
PRESETS = ("Hôm nay", "Tháng này", "Tháng trước", "Quý này", "Quý trước", "Năm nay", "Tùy chọn")
LOAD_SHARE = 60  # percent of the bar for reading and computing when a file is written; the rest for writing it
PREVIEW_LOAD_SHARE = 95  # a preview only reads and computes


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    start: date
    end: date
    counter: str = ""
    clerk: str = ""


class ReportsPort(Protocol):
    def show_report(self, view: ReportView) -> None: ...
    def show_message(self, text: str, kind: str) -> None: ...
    def start_progress(self, title: str, cancel: Callable[[], None]) -> Callable[[int, str], None]: ...
    def end_progress(self) -> None: ...
    def show_choices(self, counters: list[tuple[str, str]], clerks: list[tuple[str, str]]) -> None: ...


def preset_range(name: str, today: date) -> tuple[date, date] | None:
    first = today.replace(day=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if name == "Hôm nay":
        return today, today
    if name == "Tháng này":
        return first, today
    if name == "Tháng trước":
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    if name == "Quý này":
        return quarter, today
    if name == "Quý trước":
        end = quarter - timedelta(days=1)
        return date(end.year, end.month - 2, 1), end
    if name == "Năm nay":
        return date(today.year, 1, 1), today
    return None


class ReportsPresenter:
    def __init__(self, view: ReportsPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.last: ReportView | None = None
        self.last_path: Path | None = None
        self.cancel_flag = threading.Event()

    def start(self) -> None:
        reports = self.services.reports
        self.runner.submit(lambda: (reports.counters(), reports.clerks()), lambda pair: self.view.show_choices(*pair),
                           lambda exc: None)

    def preview(self, req: ReportRequest) -> None:
        if not self._valid(req):
            return
        report, cancelled, bar = self._prepare(tr("Đang lập báo cáo…"), PREVIEW_LOAD_SHARE)

        def job() -> ReportView:
            view = report(req)
            bar(100, tr("Đang hiển thị…"))
            return view

        self.runner.submit(job, self._shown, self._failed)

    def export(self, req: ReportRequest, path: Path) -> None:
        """Compute and write ``path`` (.pdf or .xlsx) on the reports' thread, with progress and cancel.

        The file is written only once it is complete (atomically): a cancelled export leaves nothing."""
        if not self._valid(req):
            return
        report, cancelled, bar = self._prepare(tr("Đang xuất báo cáo…"), LOAD_SHARE)
        fmt = path.suffix.lower()

        def rendering(done: int, total: int) -> None:
            if cancelled():
                raise DomainError("report.cancelled")
            bar(LOAD_SHARE + (100 - LOAD_SHARE) * done // max(total, 1),
                tr("Đang ghi tệp: {done}/{total} dòng").format(done=_n(done), total=_n(total)))

        def job() -> tuple[ReportView, Path]:
            view = report(req)
            data = _render(view, fmt, rendering)
            if cancelled():
                raise DomainError("report.cancelled")
            from counter_app.printing.forms import write_pdf

            try:
                write_pdf(data, path)  # atomic; nothing PDF-specific
            except OSError as exc:
                raise DomainError("report.write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
            return view, path

        def done(result: tuple[ReportView, Path]) -> None:
            view, written = result
            self.last_path = written
            self._shown(view)
            self.view.show_message(tr("Đã lưu {path}").format(path=str(written)), "ok")

        self.runner.submit(job, done, self._failed)

    def cancel(self) -> None:
        self.cancel_flag.set()

    def shutdown(self) -> None:
        """The app is closing: a running report stops at its next check, nothing more starts."""
        self.cancel_flag.set()
        if hasattr(self.runner, "shutdown"):
            self.runner.shutdown()

    # --- helpers ------------------------------------------------------------------
    def _valid(self, req: ReportRequest) -> bool:
        try:
            check_range(req.start, req.end)
        except DomainError as exc:
            self.view.show_message(error_text(exc), "error")
            return False
        return True

    def _prepare(self, title: str, load_share: int):
        """(report(req), cancelled(), bar(percent, text)) for one run: a fresh cancel flag, the
        progress dialog opened at once, reading reported as dossiers read of the total."""
        self.cancel_flag = flag = threading.Event()
        bar = self.view.start_progress(title, flag.set)
        actor = self.session.clerk.username
        reports = self.services.reports
        bar(0, tr("Đang tìm hồ sơ trong kỳ…"))

        def reading(done: int, total: int) -> None:
            bar(load_share * done // max(total, 1),
                tr("Đang đọc hồ sơ: {done}/{total}").format(done=_n(done), total=_n(total)))
            if done >= total:
                bar(load_share, tr("Đang tính số liệu…"))

        def report(req: ReportRequest) -> ReportView:
            return reports.report(req.kind, req.start, req.end, counter=req.counter, clerk=req.clerk, actor=actor,
                                  progress=reading, cancelled=flag.is_set)

        return report, flag.is_set, bar

    def _shown(self, view: ReportView) -> None:
        self.view.end_progress()
        self.last = view
        self.view.show_report(view)

    def _failed(self, exc: BaseException) -> None:
        self.view.end_progress()
        kind = "warn" if isinstance(exc, DomainError) and exc.code == "report.cancelled" else "error"
        self.view.show_message(error_text(exc), kind)


def _n(value: int) -> str:
    """12000 → "12.000" in Vietnamese, "12,000" in English."""
    from counter_app.printing.report_format import cell_text

    return cell_text(value, "int", language())


def _render(view: ReportView, fmt: str, progress: Callable[[int, int], None]) -> bytes:
    if fmt == ".xlsx":
        from counter_app.printing.reports_xlsx import render_report_xlsx

        return render_report_xlsx(view, progress=progress)
    from counter_app.printing.reports_pdf import render_report_pdf

    return render_report_pdf(view, progress=progress)
