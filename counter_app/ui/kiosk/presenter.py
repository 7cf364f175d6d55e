"""Kiosk logic, free of widgets: issue tickets, print them, browse the procedure guide.

A ticket is issued first and printed second: when no printer answers, the citizen
still has a place in the queue and the kiosk shows the number big instead.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from counter_app.domain.errors import DomainError

from ..i18n import error_text, language, set_language, tr
from ..printing import deliver
from .view import PAGE_GUIDE, PAGE_HOME, PRIORITIES

log = logging.getLogger(__name__)

TICKET_SETTING_PRINTER = "kiosk_printer"  # falls back to the office's "printer" setting
TICKET_SETTING_WIDTH = "ticket_width_mm"


@dataclass(frozen=True)
class IssuedTicket:
    ticket: Any  # TicketView
    where: str = ""
    print_error: str = ""


class KioskPort(Protocol):
    def show_office(self, name: str) -> None: ...
    def show_services(self, services: list[Any]) -> None: ...
    def set_priority_mode(self, label: str) -> None: ...
    def show_page(self, page: int) -> None: ...
    def show_ticket(self, number: str, service: str, facts: str, print_text: str, failed: bool) -> None: ...
    def show_home_status(self, text: str) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def retranslate(self) -> None: ...


class GuidePort(Protocol):
    def show_procedures(self, entries: list[Any]) -> None: ...
    def show_procedure(self, entry: Any) -> None: ...
    def show_status(self, text: str) -> None: ...
    def reset(self) -> None: ...


def printer_setting(services: Any) -> str:
    return services.office.get_setting(TICKET_SETTING_PRINTER, "") or services.office.get_setting("printer", "")


def ticket_width(services: Any) -> int:
    value = services.office.get_setting(TICKET_SETTING_WIDTH, "80")
    return 58 if value.strip() == "58" else 80


def _renderers() -> Any:
    from counter_app.printing import ticket  # reportlab is heavy: loaded on the first print

    return ticket


class KioskPresenter:
    def __init__(self, view: KioskPort, guide: GuidePort, services: Any, runner: Any,
                 renderers: Callable[[], Any] = _renderers) -> None:
        self.view, self.guide, self.services, self.runner = view, guide, services, runner
        self._renderers = renderers
        self.priority = ""
        self.entries: list[Any] = []
        self.entry: Any = None
        self.office: Any = None
        self.last: IssuedTicket | None = None
        self._guide_seq = 0
        self._busy = False

    # --- loading --------------------------------------------------------------
    def start(self) -> None:
        self.runner.submit(self.services.office.office, self._office, self._failed)
        self.refresh()
        self.search("")

    def _office(self, office: Any) -> None:
        self.office = office
        self.view.show_office(office.name)

    def refresh(self) -> None:
        """Service buttons and their waiting counts (a timer calls this while the home page shows)."""
        self.runner.submit(self.services.queue.status, lambda s: self.view.show_services(list(s.services)),
                           self._failed)

    # --- navigation -----------------------------------------------------------
    def go(self, page: int) -> None:
        if page == PAGE_HOME:
            self.home()
            return
        if page == PAGE_GUIDE:
            self.guide.reset()
            self.search("")
        self.view.show_page(page)

    def home(self) -> None:
        self.choose_priority("")
        self.view.show_page(PAGE_HOME)
        self.refresh()

    def idle(self) -> None:
        """Nobody touched the kiosk: the next citizen starts in Vietnamese at the home screen."""
        self.guide.reset()
        if language() != "vi":
            set_language("vi")
            self.view.retranslate()
        self.view.show_home_status("")
        self.home()

    def toggle_language(self) -> None:
        set_language("en" if language() == "vi" else "vi")
        self.view.retranslate()
        if self.entry is not None:
            self.guide.show_procedure(self.entry)

    def choose_priority(self, code: str) -> None:
        self.priority = code
        label = next((tr(text) for c, text in PRIORITIES if c == code), "")
        self.view.set_priority_mode(label)
        if code:
            self.view.show_page(PAGE_HOME)

    # --- issuing --------------------------------------------------------------
    def issue(self, prefix: str) -> None:
        if self._busy:
            return  # a double touch must not take two tickets
        priority = self.priority
        self._busy = True
        self.view.set_busy(True)
        self.runner.submit(lambda: self._issue_and_print(prefix, priority), self._issued, self._issue_failed)

    def _issue_and_print(self, prefix: str, priority: str) -> IssuedTicket:
        ticket = self.services.queue.issue(prefix, priority, source="kiosk")
        try:
            office = self.services.office.office()
            pdf = self._renderers().render_ticket(ticket, office, ticket_width(self.services))
            where = deliver(pdf, title=f"Ve_{ticket.number}_{ticket.id}", printer=printer_setting(self.services))
            return IssuedTicket(ticket, where=where)
        except Exception as exc:  # noqa: BLE001 - the ticket exists: show its number whatever the printer did
            reason = str(exc.params.get("reason", "")) if isinstance(exc, DomainError) else (str(exc)
                                                                                             or type(exc).__name__)
            log.warning("ticket %s issued but not printed: %s", ticket.number, reason)
            return IssuedTicket(ticket, print_error=reason or "?")

    def _issued(self, result: IssuedTicket) -> None:
        self._busy = False
        self.view.set_busy(False)
        self.last = result
        t = result.ticket
        facts = [tr("Lấy lúc {time}").format(time=f"{t.issued_at:%H:%M %d/%m/%Y}")]
        if t.ahead == 1:  # English needs its singular; Vietnamese reads the same
            facts.append(tr("Có 1 người đang chờ trước bạn"))
        else:
            facts.append(tr("Có {n} người đang chờ trước bạn").format(n=t.ahead) if t.ahead
                         else tr("Bạn là người tiếp theo"))
        if t.wait_minutes:
            facts.append(tr("Thời gian chờ dự kiến: khoảng {n} phút").format(n=t.wait_minutes))
        if t.priority:
            facts.append(tr("Vé ưu tiên: {who}").format(who=next((tr(x) for c, x in PRIORITIES if c == t.priority),
                                                                 t.priority)))
        if result.print_error:
            text = tr("Máy in chưa in được phiếu. Xin hãy nhớ số của bạn: {number}").format(number=t.number)
        else:
            text = tr("Mời bạn nhận phiếu ở khe bên dưới và chờ gọi số.")
        self.choose_priority("")
        area = next((s for s in getattr(self.view, "services", ()) if s.prefix == t.service), None)
        name = area.name_en if area is not None and language() == "en" and area.name_en else t.service_name
        self.view.show_ticket(t.number, name, "\n".join(facts), text, bool(result.print_error))

    def _issue_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.view.set_busy(False)
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        log.warning("kiosk: %s", exc)
        text = error_text(exc)
        self.view.show_home_status(tr("Xin lỗi, chưa lấy được số: {reason}. Xin mời đến quầy.").format(reason=text))

    # --- the procedure guide --------------------------------------------------
    def search(self, query: str) -> None:
        self._guide_seq += 1
        seq = self._guide_seq
        self.runner.submit(lambda: self.services.queue.guide(query), lambda entries: self._found(seq, entries),
                           self._guide_failed)

    def _found(self, seq: int, entries: list[Any]) -> None:
        if seq != self._guide_seq:
            return  # an older search answered after a newer one
        self.entries = list(entries)
        self.guide.show_procedures(self.entries)

    def pick(self, code: str) -> None:
        self.entry = next((e for e in self.entries if e.code == code), None)
        self.guide.show_status("")
        self.guide.show_procedure(self.entry)

    def print_guide(self) -> None:
        entry = self.entry
        if entry is None:
            return

        def job() -> str:
            office = self.services.office.office()
            pdf = self._renderers().render_guide_slip(entry, office, ticket_width(self.services))
            return deliver(pdf, title=f"HuongDan_{entry.code}", printer=printer_setting(self.services))

        self.guide.show_status(tr("Đang in…"))
        self.runner.submit(job, lambda _where: self.guide.show_status(tr("Đã in. Mời bạn nhận phiếu hướng dẫn.")),
                           self._guide_failed)

    def _guide_failed(self, exc: BaseException) -> None:
        log.warning("kiosk guide: %s", exc)
        reason = str(exc.params.get("reason", "")) if isinstance(exc, DomainError) and "reason" in exc.params else (
            error_text(exc))
        self.guide.show_status(tr("Không in được: {reason}").format(reason=reason))
