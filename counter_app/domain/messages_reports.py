"""Texts of the reports feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "search.too_short": "Nhập ít nhất {min} ký tự (tên, số điện thoại, số định danh, mã hồ sơ hoặc mã tra cứu)",
    "search.too_long": "Nội dung tìm kiếm quá dài (tối đa {max} ký tự)",
    "search.limit_invalid": "Số kết quả phải từ 1 đến {max}",
    "report.range_required": "Chọn ngày bắt đầu và ngày kết thúc",
    "report.range_reversed": "Ngày kết thúc ({end}) đứng trước ngày bắt đầu ({start})",
    "report.range_too_long": "Khoảng thời gian quá dài ({days} ngày): tối đa {max_years} năm",
    "report.cancelled": "Đã hủy lập báo cáo",
    "report.unknown_kind": "Không có loại báo cáo {kind}",
    "report.write_failed": "Không ghi được tệp {path}: {reason}",
}
