"""How a problem awaiting a supervisor reads on the Sync screen (kind and detail in words)."""
from __future__ import annotations

from counter_app.services.sync import ReviewEntry

from ..dossier.timeline import EVENT_LABELS
from ..i18n import tr

REVIEW_LABELS = {
    "code.collision": "Trùng mã hồ sơ",
    "status.violation": "Trình tự xử lý không hợp lệ",
    "field.conflict": "Sửa đổi bị ghi đè",
    "event.foreign_office": "Bước xử lý từ đơn vị khác",
}
FIELD_LABELS = {  # top-level keys of the dossier payload (domain.changes.encode_dossier)
    "applicant": "Người nộp",
    "components": "Thành phần hồ sơ",
    "note": "Ghi chú",
    "sets": "Số bộ hồ sơ",
    "pages": "Số trang",
    "delivery": "Hình thức nhận kết quả",
    "due_at": "Hạn trả kết quả",
    "competent_agency": "Cơ quan giải quyết",
    "missing": "Giấy tờ cần bổ sung",
    "reason": "Lý do",
    "fee": "Phí, lệ phí",
}


def review_label(kind: str) -> str:
    return tr(REVIEW_LABELS.get(kind, kind))


def review_detail(item: ReviewEntry) -> str:
    d = item.detail
    if item.kind == "code.collision":
        return tr("Một hồ sơ khác cũng mang mã {code}; kiểm tra dải số hồ sơ của các máy trạm").format(
            code=d.get("code", item.dossier_code))
    if item.kind == "status.violation":
        step = tr(EVENT_LABELS.get(str(d.get("kind", "")), str(d.get("kind", ""))))
        return tr("Bước «{step}» ghi trên hai máy hoặc sai trình tự; đối chiếu hồ sơ giấy").format(step=step)
    if item.kind == "field.conflict":
        field = str(d.get("field", ""))
        return tr("{field}: giữ «{kept}», bản sửa bị ghi đè «{lost}»").format(
            field=tr(FIELD_LABELS.get(field, field)), kept=_short(d.get("kept")), lost=_short(d.get("lost")))
    return ", ".join(f"{k}: {_short(v)}" for k, v in d.items())


def _short(value: object, limit: int = 60) -> str:
    if isinstance(value, dict) and "name" in value:  # the applicant: the name says enough in a list
        value = value["name"]
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
