"""Queue panel logic (Hàng đợi), free of widgets: the clerk's side of the ticket queue.

Every action goes through the background runner to ``services.queue`` (local SQLite
or the office hub, same API). After each action and on a short poll the panel
re-reads the status, so tickets issued at the kiosk or called at other counters appear.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.errors import DomainError

from ..i18n import error_text, language, tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

ACTION_CALL_NEXT = "call_next"
ACTION_CALL_SPECIFIC = "call_specific"
ACTION_RECALL = "recall"
ACTION_NO_SHOW = "no_show"
ACTION_PARK = "park"
ACTION_RETURN = "return"
ACTION_TRANSFER = "transfer"
ACTION_SERVE = "serve"
ACTION_DONE = "done"
ACTION_PICKUP = "pickup"

WORKSTATION_SETTING = "workstation_id"  # services.context.SettingKey.WORKSTATION_ID
COUNTER_SETTING = "queue_counter"  # this workstation's counter number; else the digits of its name
PRIORITY_NAMES = {
    "elderly": "Người cao tuổi", "disabled": "Người khuyết tật", "pregnant": "Phụ nữ mang thai",
    "child": "Trẻ em", "meritorious": "Người có công", "other": "Ưu tiên khác",
}
STATE_NAMES = {
    "waiting": "Đang chờ", "called": "Đã gọi, chờ công dân đến", "serving": "Đang phục vụ",
    "parked": "Tạm gác", "done": "Đã xong", "no_show": "Vắng mặt",
}


class QueuePort(Protocol):
    def show_queue(self, status: Any, counter: int) -> None: ...
    def show_current(self, ticket: Any, text: str) -> None: ...
    def show_stats(self, text: str) -> None: ...
    def show_message(self, text: str, kind: str) -> None: ...
    def enable(self, names: set[str], recall_reason: str) -> None: ...
    def chosen_number(self) -> str: ...
    def chosen_parked(self) -> str: ...
    def confirm_out_of_order(self, number: str, expected: str, on_ok: Callable[[], None]) -> None: ...
    def ask_transfer(self, counters: list[tuple[int, str]], services: list[tuple[str, str]],
                     on_ok: Callable[[int | None, str | None, str], None]) -> None: ...
    def open_reception(self, ticket: Any) -> None: ...
    def reception_last(self) -> Any: ...


def counter_number(setting: str, counter_name: str) -> int:
    """The counter this workstation is: the setting, or "Quầy 3" → 3, or 1."""
    for text in (setting, counter_name):
        found = re.search(r"\d+", text or "")
        if found:
            return int(found.group())
    return 1


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else tr("{n} phút").format(n=max(0, round(seconds / 60)))


def stats_text(stats: Any) -> str:
    return tr("Hôm nay: {served} đã phục vụ · {no_show} vắng mặt · {waiting} đang chờ · "
              "chờ TB {wait} (90%: {wait90}) · phục vụ TB {serve} (90%: {serve90})").format(
        served=stats.served, no_show=stats.no_show, waiting=stats.waiting,
        wait=minutes(stats.wait.mean_s), wait90=minutes(stats.wait.p90_s),
        serve=minutes(stats.service.mean_s), serve90=minutes(stats.service.p90_s))


class QueuePresenter:
    def __init__(self, view: QueuePort, services: Services, runner: Any, session: Any,
                 now: Callable[[], datetime] = datetime.now) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.now = now  # the queue's clock (tests use the services' fixed clock)
        self.counter = 1
        self.station = ""  # this PC's workstation id
        self.config: Any = None
        self.status: Any = None
        self.current: Any = None
        self.version = -1
        self.serving: tuple[str, Any] | None = None  # (ticket number, reception's last outcome before serving)
        self._polling = False

    @property
    def queue(self) -> Any:
        return self.services.queue

    # --- loading --------------------------------------------------------------
    def start(self) -> None:
        name = getattr(self.session, "counter_name", "")

        def job() -> tuple[int, Any]:
            office = self.services.office
            config = self.queue.config()
            self.station = office.get_setting(WORKSTATION_SETTING, "")
            assigned = self._assigned(config)
            if assigned is not None:
                return assigned, config
            return counter_number(office.get_setting(COUNTER_SETTING, ""), name), config

        self.runner.submit(job, self._started, self._poll_failed)

    def _started(self, result: tuple[int, Any]) -> None:
        self._polling = False
        self.counter, self.config = result
        self.refresh()

    def _assigned(self, config: Any) -> int | None:
        """The counter the administrator put this PC at (Quản trị › Khu vực dịch vụ), if any."""
        found = next((c for c in config.counters if self.station and c.workstation == self.station), None)
        return found.number if found is not None else None

    def refresh(self) -> None:
        """Status and today's figures; quiet when nothing changed since the last look."""
        if self._polling:
            return
        if self.config is None:  # the queue was unreachable at login (hub away): try again
            self._polling = True
            self.start()
            return
        self._polling = True
        known = self.version

        def job() -> tuple[Any, Any, Any]:
            status = self.queue.status()
            if status.version == known:
                return status, None, None
            # Something changed: today's figures, and the set-up (an administrator may have edited it).
            return status, self.queue.stats(), self.queue.config()

        self.runner.submit(job, self._refreshed, self._poll_failed)

    def _refreshed(self, result: tuple[Any, Any, Any]) -> None:
        self._polling = False
        status, stats, config = result
        self.status, self.version = status, status.version
        self.config = config or self.config
        if config is not None:  # an administrator may have moved this PC to another counter
            self.counter = self._assigned(config) or self.counter
        desk = next((c for c in status.counters if c.number == self.counter), None)
        self.current = desk.current if desk else None
        self.view.show_queue(status, self.counter)
        self._show_current()
        if stats is not None:
            self.view.show_stats(stats_text(stats))
        self.check_dossier()

    def _poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        self._failed(exc)

    def area_name(self, ticket: Any) -> str:
        """The ticket's area in the interface language (the ticket itself carries the Vietnamese name)."""
        if language() == "en" and self.status is not None:
            area = next((s for s in self.status.services if s.prefix == ticket.service), None)
            if area is not None and area.name_en:
                return area.name_en
        return ticket.service_name

    def _show_current(self) -> None:
        t = self.current
        if t is None:
            self.view.show_current(None, tr("Quầy {n} đang trống. Nhấn F9 để gọi số tiếp theo.").format(n=self.counter))
        else:
            lines = [f"{self.area_name(t)} — {tr(STATE_NAMES.get(t.state, t.state))}"]
            if t.priority:
                lines.append(tr("Ưu tiên: {who}").format(who=tr(PRIORITY_NAMES.get(t.priority, t.priority))))
            if t.note:
                lines.append(tr("Ghi chú: {note}").format(note=t.note))
            if t.dossier_id:
                lines.append(tr("Hồ sơ: {code}").format(code=t.dossier_id))
            self.view.show_current(t, "\n".join(lines))
        self.update_actions()

    def update_actions(self) -> None:
        """What the clerk may do now; the recall button says why it is off (cap, too soon)."""
        t = self.current
        names = {ACTION_CALL_SPECIFIC, ACTION_PICKUP}
        parked = [p for p in (self.status.parked if self.status else ()) if p.counter == self.counter]
        reason = ""
        if t is None:
            names |= {ACTION_CALL_NEXT}
            if parked:
                names.add(ACTION_RETURN)
        else:
            names |= {ACTION_PARK, ACTION_TRANSFER, ACTION_DONE, ACTION_SERVE}
            if t.state == "called":
                names.add(ACTION_NO_SHOW)
                blocked, reason = self._recall_block(t)
                if not blocked:
                    names.add(ACTION_RECALL)
            else:
                names.add(ACTION_CALL_NEXT)  # serving: F9 finishes this citizen and calls the next
                reason = tr("Công dân đã đến quầy")
        self.view.enable(names, reason)

    def _recall_block(self, t: Any) -> tuple[bool, str]:
        """(blocked, what to say): the same cap and interval the queue enforces, said before the click."""
        if self.config is None:
            return False, ""
        if t.recalls >= self.config.recall_max:
            return True, tr("Đã gọi lại tối đa {n} lần").format(n=self.config.recall_max)
        if t.called_at is not None:
            left = self.config.recall_interval_s - (self.now() - t.called_at).total_seconds()
            if left > 0:
                return True, tr("Gọi lại sau {n} giây").format(n=int(left + 0.999))
        return False, tr("Còn {n} lần gọi lại").format(n=self.config.recall_max - t.recalls) if t.recalls else ""

    # --- actions --------------------------------------------------------------
    def act(self, name: str) -> None:
        handler = {
            ACTION_CALL_NEXT: self.call_next, ACTION_CALL_SPECIFIC: self.call_specific, ACTION_RECALL: self.recall,
            ACTION_NO_SHOW: self.no_show, ACTION_PARK: self.park, ACTION_RETURN: self.return_parked,
            ACTION_TRANSFER: self.transfer, ACTION_SERVE: self.serve, ACTION_DONE: self.done,
            ACTION_PICKUP: self.pickup,
        }[name]
        handler()

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None) -> None:
        self.view.enable(set(), "")

        def finished(result: Any) -> None:
            done(result)
            self.refresh()

        def failed(exc: BaseException) -> None:
            (on_error or self._failed)(exc)
            self.refresh()

        self.runner.submit(job, finished, failed)

    def _called(self, ticket: Any, text: str) -> None:
        if ticket is None:
            self.view.show_message(tr("Không còn ai chờ ở quầy này."), "warn")
        else:
            self.view.show_message(text.format(number=ticket.number, n=self.counter), "ok")

    def call_next(self) -> None:
        counter, clerk, current = self.counter, self.session.clerk.username, self.current
        self.check_dossier()  # before "done": the runner is serial, so the link is recorded first

        def job() -> Any:
            if current is not None and current.state == "serving":
                self.queue.done(counter, clerk)
            return self.queue.call_next(counter, clerk)

        self._run(job, lambda t: self._called(t, tr("Đã gọi số {number} đến quầy {n}")))

    def call_specific(self, out_of_order_ok: bool = False, number: str | None = None) -> None:
        number = (number or self.view.chosen_number()).strip().upper()
        if not number:
            self.view.show_message(tr("Chọn một số trong danh sách chờ hoặc gõ số cần gọi"), "warn")
            return
        counter, clerk = self.counter, self.session.clerk.username

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DomainError) and exc.code == "queue.out_of_order":
                # A guarded misclick: calling out of turn needs a second, deliberate "yes".
                expected = str(exc.params.get("next", ""))
                self.view.confirm_out_of_order(number, expected, lambda: self.call_specific(True, number))
            else:
                self._failed(exc)

        self._run(lambda: self.queue.call_specific(counter, number, out_of_order_ok=out_of_order_ok, clerk=clerk),
                  lambda t: self._called(t, tr("Đã gọi số {number} đến quầy {n}")), failed)

    def pickup(self) -> None:
        number = self.view.chosen_number().strip().upper()
        if not number:
            self.view.show_message(tr("Chọn hoặc gõ số của công dân đến nhận kết quả"), "warn")
            return
        counter, clerk = self.counter, self.session.clerk.username
        self._run(lambda: self.queue.pickup_call(counter, number, clerk),
                  lambda t: self._called(t, tr("Đã mời số {number} đến quầy {n} nhận kết quả")))

    def recall(self) -> None:
        counter, clerk = self.counter, self.session.clerk.username
        self._run(lambda: self.queue.recall(counter, clerk), lambda t: self._called(t, tr("Đã gọi lại số {number}")))

    def no_show(self) -> None:
        self._simple(self.queue.no_show, tr("Số {number}: vắng mặt"))

    def park(self) -> None:
        self._simple(self.queue.park, tr("Số {number} tạm gác; gọi lại bằng F8 khi công dân quay lại"))

    def done(self) -> None:
        self.check_dossier()
        self._simple(self.queue.done, tr("Đã xong số {number}"))

    def _simple(self, method: Callable[..., Any], text: str) -> None:
        counter, clerk = self.counter, self.session.clerk.username
        self._run(lambda: method(counter, clerk), lambda t: self.view.show_message(text.format(number=t.number), "ok"))

    def return_parked(self) -> None:
        number = self.view.chosen_parked()
        if not number:
            self.view.show_message(tr("Không có số nào đang tạm gác"), "warn")
            return
        counter, clerk = self.counter, self.session.clerk.username
        self._run(lambda: self.queue.return_parked(counter, number, clerk),
                  lambda t: self._called(t, tr("Đã gọi lại số tạm gác {number}")))

    def transfer(self) -> None:
        if self.current is None or self.status is None:
            return
        counters = [(c.number, c.name) for c in self.status.counters if c.number != self.counter]
        services = [(s.prefix, s.name) for s in self.status.services]
        self.view.ask_transfer(counters, services, self._transfer_confirmed)

    def _transfer_confirmed(self, to_counter: int | None, to_service: str | None, note: str) -> None:
        counter, clerk = self.counter, self.session.clerk.username

        def done(t: Any) -> None:
            where = tr("quầy {n}").format(n=to_counter) if to_counter is not None else t.service_name
            self.view.show_message(tr("Đã chuyển số {number} sang {where}").format(number=t.number, where=where), "ok")

        self._run(lambda: self.queue.transfer(counter, to_counter=to_counter, to_service=to_service, note=note,
                                              clerk=clerk), done)

    def serve(self) -> None:
        """The citizen is here: mark serving and open Reception with the service's procedures."""
        t = self.current
        if t is None:
            return
        if t.state == "serving":
            self.view.open_reception(t)
            return
        counter, clerk = self.counter, self.session.clerk.username

        def served(ticket: Any) -> None:
            self.serving = (ticket.number, self.view.reception_last())
            self.view.open_reception(ticket)

        self._run(lambda: self.queue.serve(counter, clerk), served)

    # --- the dossier the ticket produced --------------------------------------
    def check_dossier(self) -> None:
        """Reception saved a dossier since "serve": record it on the ticket (once)."""
        if self.serving is None:
            return
        number, before = self.serving
        last = self.view.reception_last()
        if last is None or last is before or getattr(last, "form", "") != "01":
            return
        self.serving = None
        code, clerk = last.dossier.code, self.session.clerk.username
        self.runner.submit(lambda: self.queue.serve_with_dossier(number, code, clerk),
                           lambda t: self._linked(t, code), self._failed)

    def _linked(self, ticket: Any, code: str) -> None:
        self.view.show_message(tr("Số {number} đã có hồ sơ {code}").format(number=ticket.number, code=code), "ok")
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.view.show_message(error_text(exc), "error")
