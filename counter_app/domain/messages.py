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
    "setting.invalid": {"vi": "Giá trị cài đặt không hợp lệ: {key} = {value}", "en": "Invalid setting: {key} = {value}"},
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
    "username.taken": {"vi": "Tên đăng nhập {username} đã tồn tại", "en": "The username {username} is already taken"},
    # --- statuses (DVCQG numbers) ---
    "status.1": {"vi": "Mới (chưa tiếp nhận)", "en": "New (not yet received)"},
    "status.2": {"vi": "Đã tiếp nhận", "en": "Received"},
    "status.3": {"vi": "Từ chối tiếp nhận", "en": "Refused"},
    "status.4": {"vi": "Đang giải quyết", "en": "Processing"},
    "status.5": {"vi": "Yêu cầu bổ sung", "en": "Supplement requested"},
    "status.6": {"vi": "Chờ thực hiện nghĩa vụ tài chính", "en": "Fee due"},
    "status.7": {"vi": "Công dân rút hồ sơ", "en": "Withdrawn"},
    "status.8": {"vi": "Dừng xử lý", "en": "Stopped"},
    "status.9": {"vi": "Có kết quả", "en": "Result ready"},
    "status.10": {"vi": "Đã trả kết quả", "en": "Returned"},
    # --- calendar / deadlines ---
    "calendar.no_working_day": {"vi": "Lịch làm việc không có ngày làm việc nào sau ngày {day}", "en": "The calendar has no working day after {day}"},
    "deadline.invalid_duration": {"vi": "Thời hạn giải quyết không hợp lệ: {duration}", "en": "Invalid processing time: {duration}"},
    "deadline.open_pause": {"vi": "Hồ sơ đang tạm dừng chờ bổ sung từ {start}: chưa tính được hạn trả", "en": "The dossier is paused for a supplement since {start}; its due time is not known yet"},
    "due.working_days": {"vi": "{n} ngày làm việc", "en": "{n} working days"},
    "due.working_days.one": {"vi": "1 ngày làm việc", "en": "1 working day"},
    "due.working_hours.one": {"vi": "1 giờ làm việc", "en": "1 working hour"},
    "due.working_hours": {"vi": "{n} giờ làm việc", "en": "{n} working hours"},
    "due.same_day": {"vi": "Trong ngày", "en": "Same day"},
    "due.same_day_after_cutoff": {"vi": "Trong ngày; nhận sau {cutoff} nên hẹn ngày làm việc tiếp theo", "en": "Same day; received after {cutoff}, so due the next working day"},
    "due.same_day_closed": {"vi": "Trong ngày; nhận vào ngày nghỉ nên hẹn ngày làm việc tiếp theo", "en": "Same day; received on a day off, so due the next working day"},
    "due.skipping": {"vi": "bỏ qua {ranges}", "en": "skipping {ranges}"},
    "due.paused_days": {"vi": "cộng {n} ngày làm việc tạm dừng chờ bổ sung hồ sơ", "en": "plus {n} working days paused for a supplement"},
    "due.paused_hours": {"vi": "cộng {duration} làm việc tạm dừng chờ bổ sung hồ sơ", "en": "plus {duration} of working time paused for a supplement"},
    "due.paused_days.one": {"vi": "cộng 1 ngày làm việc tạm dừng chờ bổ sung hồ sơ", "en": "plus 1 working day paused for a supplement"},
    "due.extended": {"vi": "đã gia hạn đến {when} (hạn theo quy định {original})", "en": "extended to {when} (statutory due {original})"},
    "duration.working_days": {"vi": "{n} ngày làm việc", "en": "{n} working days"},
    "duration.working_days.one": {"vi": "1 ngày làm việc", "en": "1 working day"},
    "duration.working_hours.one": {"vi": "1 giờ làm việc", "en": "1 working hour"},
    "duration.working_hours": {"vi": "{n} giờ làm việc", "en": "{n} working hours"},
    "duration.same_day": {"vi": "Trong ngày", "en": "Same day"},
    "judge.early": {"vi": "Trước hạn", "en": "Early"},
    "judge.on_time": {"vi": "Đúng hạn", "en": "On time"},
    "judge.late": {"vi": "Quá hạn", "en": "Late"},
    # --- codes / clocks ---
    "codes.invalid_slot": {"vi": "Số khối mã hồ sơ của máy trạm không hợp lệ: {slot}", "en": "Invalid dossier-number slot for this workstation: {slot}"},
    "hlc.invalid_stamp": {"vi": "Dấu thời gian đồng bộ không hợp lệ: {stamp}", "en": "Invalid sync clock stamp: {stamp}"},
    # --- printing ---
    "printing.no_font": {"vi": "Không tìm thấy phông chữ TrueType có đủ dấu tiếng Việt để in. Hãy chép một bộ phông (ví dụ Times New Roman: times.ttf, timesbd.ttf, timesi.ttf) vào thư mục {dir} hoặc chọn tệp phông trong phần Cài đặt", "en": "No TrueType font with Vietnamese glyphs was found for printing. Copy a font family (e.g. Times New Roman: times.ttf, timesbd.ttf, timesi.ttf) into {dir} or choose a font file in Settings"},
    "printing.invalid_paper": {"vi": "Khổ giấy không hợp lệ: {paper} (chỉ A4 hoặc A5)", "en": "Invalid paper size: {paper} (A4 or A5 only)"},
    "printing.invalid_copies": {"vi": "Số liên in phải từ 1 đến 9 (đang là {copies})", "en": "Number of copies must be between 1 and 9 (got {copies})"},
    # --- fees ---
    "fee.free": {"vi": "Miễn phí", "en": "Free"},
    "fee.free_on_time": {"vi": "Miễn lệ phí (đăng ký đúng hạn)", "en": "Free (registered on time)"},
    "fee.late": {"vi": "Lệ phí {amount} đ (đăng ký quá hạn)", "en": "Fee {amount} VND (late registration)"},
    "fee.fixed": {"vi": "Lệ phí {amount} đ", "en": "Fee {amount} VND"},
    "fee.fixed_per_copy": {"vi": "{copies} bản × {amount} đ", "en": "{copies} copies × {amount} VND"},
    "fee.per_page": {"vi": "{copies} bản × {pages} trang: {per_copy} đ/bản", "en": "{copies} copies × {pages} pages: {per_copy} VND per copy"},
    # --- desktop interface (ui/) ---
    "ui.unexpected": {"vi": "Đã xảy ra lỗi ngoài dự kiến. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên (chi tiết đã ghi vào nhật ký)", "en": "Something unexpected went wrong. Try again; if it persists, tell the administrator (details are in the log)"},
    "password.mismatch": {"vi": "Mật khẩu nhập lại không khớp", "en": "The passwords do not match"},
    "print.failed": {"vi": "Không in được: {reason}", "en": "Printing failed: {reason}"},
}


_MONEY = {"amount", "per_copy", "fee", "cap"}


def money(amount: int, lang: str = "vi") -> str:
    """8000 → "8.000" (Vietnamese) or "8,000" (English)."""
    text = f"{amount:,}"
    return text.replace(",", ".") if lang == "vi" else text


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """Text for ``code`` in ``lang``; an unknown code shows itself rather than crash."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    text = entry.get(lang) or entry["vi"]
    params = {k: money(v, lang) if k in _MONEY and isinstance(v, int) else v for k, v in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
