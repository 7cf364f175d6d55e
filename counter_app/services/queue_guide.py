"""The kiosk's procedure guide: what to bring, how long it takes, what it costs."""
from __future__ import annotations

from collections.abc import Callable

from ..domain.catalog import CountingMode, ProcedureVersion
from ..domain.queue import QueueConfig
from ..domain.text import fold, matches
from .context import ServiceContext
from .queue_views import GuideEntryView

_KIND = {"original": "bản chính", "copy": "bản sao", "certified_copy": "bản sao chứng thực",
         "presented": "xuất trình bản chính"}


def time_text(v: ProcedureVersion) -> str:
    if v.counting_mode == CountingMode.SAME_DAY:
        return f"Trong ngày (nộp trước {v.cutoff})" if v.cutoff else "Trong ngày"
    unit = "giờ làm việc" if v.counting_mode == CountingMode.WORKING_HOURS else "ngày làm việc"
    return f"{v.duration} {unit}"


def fee_text(v: ProcedureVersion) -> str:
    fee = v.fee
    if fee.kind == "free":
        text = "Miễn phí"
    elif fee.kind == "free_if_on_time":
        text = f"Miễn phí nếu đúng hạn; quá hạn {_vnd(fee.amount)}"
    elif fee.kind == "per_page":
        text = "Theo số trang: " + "; ".join(
            f"trang {s.first}{'–' + str(s.last) if s.last else ' trở đi'}: {_vnd(s.price)}" for s in fee.steps)
    else:
        text = _vnd(fee.amount) + ("/bản" if fee.per == "copy" else "")
    return f"{text}. {fee.note}".strip() if fee.note else text


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def guide_entry(v: ProcedureVersion, config: QueueConfig) -> GuideEntryView:
    comps = tuple(
        f"{c.name} ({c.count} {_KIND.get(str(c.kind.value), c.kind.value)})"
        + ("" if c.mandatory else f" — {c.condition or 'nếu có'}")
        for c in v.components)
    prefix = next((s.prefix for s in config.services if v.code in s.procedures), None)
    return GuideEntryView(v.code, v.name, time_text(v), fee_text(v), comps, prefix)


def local_guide(ctx: ServiceContext) -> Callable[[str, QueueConfig], list[GuideEntryView]]:
    """Guide entries from this node's current catalogue (search without diacritics)."""
    def guide(query: str, config: QueueConfig) -> list[GuideEntryView]:
        with ctx.uow() as uow:
            versions = uow.catalog.list_current(ctx.clock.now().date())
        hits = [v for v in versions if not query.strip() or matches(query, v.code, v.name, v.field)]
        hits.sort(key=lambda v: (fold(v.name), v.code))
        return [guide_entry(v, config) for v in hits]
    return guide
