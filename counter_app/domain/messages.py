"""Texts for domain codes (errors, explanations), in Vietnamese and English.

One table shared by the UI and the command line, so a code reads the same
everywhere. Keep entries sorted by prefix; add both languages at once
(a test checks every code has both).
"""
from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    # --- generic validation ---
    "validation.failed": {"vi": "Có {count} trường chưa hợp lệ", "en": "{count} field(s) are invalid"},
    "field.required": {"vi": "Bắt buộc nhập", "en": "Required"},
    "field.too_long": {"vi": "Quá dài (tối đa {max} ký tự)", "en": "Too long (at most {max} characters)"},
    # --- applicant ---
    "applicant.name.required": {"vi": "Nhập họ tên người nộp hồ sơ", "en": "Enter the applicant's full name"},
    "applicant.name.invalid": {"vi": "Họ tên chỉ gồm chữ cái và khoảng trắng", "en": "A name has letters and spaces only"},
    "applicant.address.required": {"vi": "Nhập địa chỉ", "en": "Enter the address"},
    # --- id numbers ---
    "id.invalid_format": {"vi": "Số giấy tờ không hợp lệ: CCCD 12 số, CMND 9 số hoặc hộ chiếu (1 chữ cái + 7 số)", "en": "Invalid ID: citizen ID 12 digits, old ID 9 digits, or passport (letter + 7 digits)"},
    "id.unknown_province": {"vi": "Mã tỉnh {province} trong số CCCD không tồn tại", "en": "Province code {province} in the citizen ID does not exist"},
    "id.future_birth_year": {"vi": "Năm sinh {year} trong số CCCD ở tương lai", "en": "Birth year {year} in the citizen ID is in the future"},
    # --- phone / email ---
    "phone.invalid": {"vi": "Số điện thoại không hợp lệ (di động 10 số bắt đầu bằng 03, 05, 07, 08, 09 hoặc số cố định 02x)", "en": "Invalid phone number (mobile: 10 digits starting 03, 05, 07, 08, 09; landline 02x)"},
    "email.invalid": {"vi": "Địa chỉ email không hợp lệ", "en": "Invalid email address"},
    # --- reception ---
    "procedure.unknown": {"vi": "Không có thủ tục mã {code}", "en": "Unknown procedure {code}"},
    "procedure.required": {"vi": "Chọn thủ tục hành chính", "en": "Choose the procedure"},
    "components.none": {"vi": "Chưa đánh dấu giấy tờ nào đã nhận", "en": "No document has been ticked as handed in"},
    "components.missing_mandatory": {"vi": "Thiếu giấy tờ bắt buộc: {names}. Hãy in phiếu yêu cầu bổ sung (Mẫu 02)", "en": "Mandatory documents missing: {names}. Print a supplement request (Form 02) instead"},
    "components.invalid_kind": {"vi": "Loại giấy tờ không hợp lệ: {kind}", "en": "Invalid document kind: {kind}"},
    "components.invalid_count": {"vi": "Số lượng phải từ 1 đến 99", "en": "Count must be between 1 and 99"},
    "sets.invalid": {"vi": "Số bộ hồ sơ phải từ 1 đến 99", "en": "Number of sets must be between 1 and 99"},
    "pages.invalid": {"vi": "Số trang phải từ 1 đến 9999", "en": "Number of pages must be between 1 and 9999"},
    "pages.required": {"vi": "Nhập số trang để tính phí", "en": "Enter the number of pages to compute the fee"},
    "delivery.invalid": {"vi": "Hình thức nhận kết quả không hợp lệ", "en": "Invalid delivery method"},
    "received_at.future": {"vi": "Thời điểm tiếp nhận không được ở tương lai", "en": "Time received cannot be in the future"},
    "received_at.closed": {"vi": "Ngày {day} không phải ngày làm việc", "en": "{day} is not a working day"},
    "missing.required": {"vi": "Liệt kê đầy đủ các giấy tờ cần bổ sung", "en": "List every document to be added"},
    "reason.required": {"vi": "Nhập lý do", "en": "Enter the reason"},
    "dossier.not_found": {"vi": "Không tìm thấy hồ sơ {code}", "en": "No dossier with code {code}"},
    "dossier.no_such_form": {"vi": "Hồ sơ {code} không có {form}", "en": "Dossier {code} has no {form}"},
    "codes.block_exhausted": {"vi": "Đã hết số hồ sơ trong ngày của máy trạm này ({limit})", "en": "This workstation has used all its dossier numbers for today ({limit})"},
    # --- auth / setup ---
    "auth.invalid": {"vi": "Sai tên đăng nhập hoặc mật khẩu", "en": "Wrong username or password"},
    "auth.inactive": {"vi": "Tài khoản đã bị khóa", "en": "This account is disabled"},
    "setup.already_configured": {"vi": "Cơ quan đã được thiết lập", "en": "This office is already set up"},
    "setup.not_configured": {"vi": "Chưa thiết lập cơ quan. Chạy seed-demo hoặc thiết lập cơ quan trước", "en": "No office is set up yet: run seed-demo or set up the office first"},
    "agency_code.invalid": {"vi": "Mã định danh cơ quan không hợp lệ (ví dụ H45.123 hoặc 000.00.12.H45)", "en": "Invalid agency code (e.g. H45.123 or 000.00.12.H45)"},
    "password.too_short": {"vi": "Mật khẩu tối thiểu {min} ký tự", "en": "Password must have at least {min} characters"},
    "username.invalid": {"vi": "Tên đăng nhập gồm chữ thường không dấu, số, dấu chấm, gạch dưới", "en": "Username: lower-case letters, digits, dot, underscore"},
    "clerk.unknown": {"vi": "Không có cán bộ {username}", "en": "No clerk named {username}"},
    # --- catalogue ---
    "catalog.field.missing": {"vi": "Thiếu trường bắt buộc", "en": "Missing required field"},
    "catalog.counting_mode.invalid": {"vi": "Cách tính thời hạn không hợp lệ", "en": "Invalid counting mode"},
    "catalog.fee.unknown_kind": {"vi": "Loại phí không hợp lệ: {kind}", "en": "Unknown fee kind: {kind}"},
    "catalog.fee.no_steps": {"vi": "Phí theo trang cần bậc giá", "en": "A per-page fee needs price steps"},
    "catalog.invalid_file": {"vi": "Tệp danh mục không hợp lệ: {detail}", "en": "Invalid catalogue file: {detail}"},
    # --- storage ---
    "storage.corrupt": {"vi": "Tệp dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu. Hãy khôi phục từ bản sao lưu", "en": "The data file {path} is damaged or not a database; restore it from a backup"},
    "storage.newer_schema": {"vi": "Tệp dữ liệu được tạo bởi phiên bản mới hơn ({found}). Hãy cập nhật phần mềm", "en": "The data file was written by a newer version ({found}); update the application"},
    "storage.locked": {"vi": "Cơ sở dữ liệu đang bận, hãy thử lại", "en": "The database is busy; try again"},
    # --- fees ---
    "fee.free": {"vi": "Miễn phí", "en": "Free"},
    "fee.free_on_time": {"vi": "Miễn lệ phí (đăng ký đúng hạn)", "en": "Free (registered on time)"},
    "fee.late": {"vi": "Lệ phí {amount:,} đ (đăng ký quá hạn)", "en": "Fee {amount:,} VND (late registration)"},
    "fee.fixed": {"vi": "Lệ phí {amount:,} đ", "en": "Fee {amount:,} VND"},
    "fee.fixed_per_copy": {"vi": "{copies} bản × {amount:,} đ", "en": "{copies} copies × {amount:,} VND"},
    "fee.per_page": {"vi": "{copies} bản × {pages} trang: {per_copy:,} đ/bản", "en": "{copies} copies × {pages} pages: {per_copy:,} VND per copy"},
}


def message(code: str, lang: str = "vi", **params: Any) -> str:
    """Text for ``code`` in ``lang``; an unknown code shows itself rather than crash."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    text = entry.get(lang) or entry["vi"]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
