"""Texts of the reports feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "search.too_short": {
        "vi": "Nhập ít nhất {min} ký tự (tên, số điện thoại, số định danh, mã hồ sơ hoặc mã tra cứu)",
        "en": "Type at least {min} characters (name, phone, ID number, dossier code or lookup code)",
    },
    "search.too_long": {"vi": "Nội dung tìm kiếm quá dài (tối đa {max} ký tự)", "en": "The search text is too long (at most {max} characters)"},
    "search.limit_invalid": {"vi": "Số kết quả phải từ 1 đến {max}", "en": "The number of results must be between 1 and {max}"},
    "report.range_required": {"vi": "Chọn ngày bắt đầu và ngày kết thúc", "en": "Choose a start date and an end date"},
    "report.range_reversed": {
        "vi": "Ngày kết thúc ({end}) đứng trước ngày bắt đầu ({start})",
        "en": "The end date ({end}) is before the start date ({start})",
    },
    "report.range_too_long": {
        "vi": "Khoảng thời gian quá dài ({days} ngày): tối đa {max_years} năm",
        "en": "The period is too long ({days} days): at most {max_years} years",
    },
    "report.cancelled": {"vi": "Đã hủy lập báo cáo", "en": "The report was cancelled"},
    "report.unknown_kind": {"vi": "Không có loại báo cáo {kind}", "en": "No such report: {kind}"},
    "report.write_failed": {"vi": "Không ghi được tệp {path}: {reason}", "en": "Cannot write {path}: {reason}"},
}
