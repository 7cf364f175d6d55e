"""Plain-text rows of a dossier's history and its derived facts (no widgets: easy to test).

Labels are Vietnamese source texts passed through ``tr``; values from events
(names, reasons, agencies) are data and stay as recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.domain.messages import message
from counter_app.services.views import DossierView, EventView

from ..i18n import due_text, language, money, msg, tr
from .printjob import FORM_LABELS

EVENT_LABELS = {
    "submitted_online": "Nộp trực tuyến",
    "received": "Tiếp nhận hồ sơ",
    "refused": "Từ chối giải quyết",
    "supplement_requested": "Yêu cầu bổ sung hồ sơ",
    "supplement_received": "Nhận hồ sơ bổ sung",
    "handed_over": "Bàn giao hồ sơ",
    "handover_confirmed": "Đơn vị ký nhận hồ sơ",
    "fee_requested": "Yêu cầu nộp phí",
    "fee_paid": "Đã nộp phí",
    "extended": "Gia hạn, xin lỗi (Mẫu 04)",
    "result_received": "Nhận kết quả giải quyết",
    "returned": "Trả kết quả",
    "withdrawn": "Công dân rút hồ sơ",
    "stopped": "Dừng giải quyết (Mẫu 05)",
    "note": "Ghi chú",
    "rated": "Công dân đánh giá",
    "printed": "In phiếu",
    "due_recomputed": "Tính lại hạn giải quyết do lịch thay đổi",
    "attached": "Đính kèm bản điện tử",
    "detached": "Gỡ bản điện tử",
}
JUDGEMENTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
JUDGEMENT_COLORS = {"early": "#1b5e20", "on_time": "#1565c0", "late": "#c62828"}
RATINGS = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "not_satisfied": "Không hài lòng"}
CHANNELS = {"counter": "Tại quầy", "post": "Qua bưu điện"}


@dataclass(frozen=True)
class TimelineRow:
    at: str
    label: str
    actor: str  # the person's full name (the username when this office does not know them)
    route: str  # "from → to"
    detail: str  # why / what
    judgement: str  # early | on_time | late | ""
    username: str = ""  # the account that acted, shown as a tooltip


def judgement_text(judgement: str | None) -> str:
    return tr(JUDGEMENTS[judgement]) if judgement in JUDGEMENTS else ""


def status_text(dossier: DossierView) -> str:
    """ "9 — Có kết quả": the DVCQG number and its name in the interface language."""
    if dossier.status is None:
        return "—"
    return f"{dossier.status} — {message(f'status.{dossier.status}', language())}"


def due_line(dossier: DossierView) -> str:
    due = dossier.current_due_at or dossier.due_at
    if dossier.paused:
        return tr("Tạm dừng tính thời hạn: chờ công dân bổ sung")
    if due is None:
        return "—"
    text = due_text(due)
    if dossier.extended_to:
        text += " " + tr("(đã gia hạn, vẫn tính là quá hạn)")
    return text


def status_refusal(code: str, dossier: DossierView) -> str:
    """A domain message that names the dossier's status in both languages (the message picks one)."""
    status = dossier.status
    names = {lang: message(f"status.{status}", lang) if status else "—" for lang in ("vi", "en")}
    return msg(code, code=dossier.code, status_vi=names["vi"], status_en=names["en"])


def cannot_return_reason(dossier: DossierView) -> str:
    """Why the result cannot be handed to the citizen yet (empty when it can)."""
    if dossier.status == 9:
        return ""
    text = status_refusal("lifecycle.cannot_return", dossier)
    if dossier.at_agency_name:
        text += ". " + tr("Hồ sơ đang ở {agency}.").format(agency=dossier.at_agency_name)
    return text


def _stamp(at: datetime) -> str:
    return f"{at:%d/%m/%Y %H:%M}"


def _iso(value: object) -> str:
    try:
        return due_text(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _route(event: EventView, office_name: str) -> str:
    data = event.data
    if event.kind == "handed_over":
        return f"{data.get('from_name') or data.get('from', '')} → {data.get('to_name') or data.get('to', '')}"
    if event.kind == "result_received":
        route = f"{data.get('from_name') or data.get('from', '')} → {office_name}"
        if data.get("outcome") == "rejected":  # the agency's reasoned reply is the result
            return f"{route}; {tr('trả lời không giải quyết')}: {data.get('reason', '')}"
        return route
    if event.kind in ("supplement_requested", "refused") and (data.get("by_agency_name") or data.get("by_agency")):
        return str(data.get("by_agency_name") or data.get("by_agency"))
    return ""


def _detail(event: EventView, name_of=lambda username: username) -> str:
    data, kind = event.data, event.kind
    parts: list[str] = []
    if kind == "supplement_requested" and data.get("missing"):
        parts.append(tr("Cần bổ sung: {items}").format(items="; ".join(data["missing"])))
    if kind == "handover_confirmed" and data.get("by"):
        parts.append(tr("Người nhận: {name}").format(name=data["by"]))
    if kind == "extended" and data.get("until"):
        parts.append(tr("Hẹn lại: {when}").format(when=_iso(data["until"])))
    if kind == "due_recomputed" and data.get("to"):
        parts.append(tr("Hạn từ {before} thành {after} (Mẫu 01 giữ nguyên)").format(
            before=_iso(data.get("from", "")), after=_iso(data["to"])))
        if data.get("source"):
            parts.append(str(data["source"]))
    if kind == "returned":
        parts.append(tr("Người nhận: {name}").format(name=data.get("receiver_name") or data.get("receiver_id", "")))
        parts.append(tr(CHANNELS.get(data.get("channel", ""), "Tại quầy")))
        parts.append(tr("Đã thu: {amount}").format(amount=money(int(data.get("fee_collected") or 0))))
        if data.get("override_by"):
            parts.append(tr("Xác nhận bởi: {name}").format(name=name_of(data["override_by"])))
    if kind == "rated" and data.get("rating") in RATINGS:
        parts.append(tr(RATINGS[data["rating"]]))
    if kind == "attached":
        parts.append(_attached_detail(data))
    if kind == "printed":
        form = FORM_LABELS.get(data.get("form", ""), data.get("form", ""))
        parts.append(tr(form) + (" — " + tr("bản sao") if data.get("reprint") else ""))
    for key in ("reason", "note", "text"):
        if data.get(key):
            parts.append(str(data[key]))
    return "; ".join(p for p in parts if p)


def _attached_detail(data: dict) -> str:
    """ "Đơn đề nghị: 3 trang (dùng lại)" or "Kết quả điện tử: 2 trang". """
    what = str(data.get("component") or "") if data.get("role") != "result" else tr("Kết quả điện tử")
    text = tr("{what}: {pages} trang").format(what=what or tr("Tệp"), pages=data.get("pages", 0))
    return text + (" (" + tr("dùng lại") + ")" if data.get("source") == "reuse" else "")


def timeline(dossier: DossierView, office_name: str = "") -> list[TimelineRow]:
    """One row per event, oldest first; hand-over rows carry their step's judgement."""
    steps = iter(dossier.steps)
    rows = []
    for event in dossier.events:
        judgement = ""
        if event.kind == "handed_over":
            step = next(steps, None)
            judgement = (step.judgement or "") if step is not None else ""
        rows.append(TimelineRow(
            at=_stamp(event.at), label=tr(EVENT_LABELS.get(event.kind, event.kind)), actor=dossier.name_of(event.actor),
            route=_route(event, office_name or tr("Bộ phận một cửa")), detail=_detail(event, dossier.name_of),
            judgement=judgement, username=event.actor,
        ))
    return rows
