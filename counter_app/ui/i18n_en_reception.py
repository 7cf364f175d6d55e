"""English texts of the Reception screen's newer lines, keyed by the Vietnamese source; merged into i18n_en.EN."""
from __future__ import annotations

EN: dict[str, str] = {
    "Thu lệ phí: {amount}": "Fee to collect: {amount}",
    "Không thu lệ phí": "No fee to collect",
    "Không tìm thấy thủ tục nào khớp “{query}”. Thử gõ ít chữ hơn hoặc gõ mã thủ tục.":
        "No procedure matches “{query}”. Try fewer words or the procedure code.",
    "Đã từng nộp hồ sơ: {details}": "Has applied before: {details}",
    "Điền thông tin này (F4)": "Fill in these details (F4)",
    "Điền thông tin lần trước": "Fill in the previous details",
    "Đã nhập khác với lần trước: {fields}. Thay bằng thông tin lần trước?":
        "What you typed differs from last time: {fields}. Replace it with the previous details?",
    "Thay tất cả": "Replace all",
    "Chỉ điền ô còn trống": "Fill empty fields only",
    "Gia hạn theo quy định:": "Statutory extension:",
    "Số ngày:": "Days:",
    "Vì sao cần thêm thời gian": "Why more time is needed",
    "Không gia hạn": "No extension",
    "tối đa {n} ngày làm việc": "up to {n} working days",
    "thêm tối đa {n} ngày làm việc": "up to {n} more working days",
    "hoặc:": "or:",
}
