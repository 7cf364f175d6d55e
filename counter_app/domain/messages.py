"""Texts for domain codes (errors, explanations), shared by the UI and the command line.

``MESSAGES`` maps a code to its Vietnamese text, so a code reads the same everywhere; the
English lives in the translators' catalogue (``domain/catalogue.py``, context = the code).
Keep entries sorted by prefix; ``make messages`` extracts a new entry for translation
(a test checks every code has both languages).
"""
from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from typing import Any

from .catalogue import SOURCE_LANGUAGE, translate

log = logging.getLogger(__name__)

LANGUAGES = (SOURCE_LANGUAGE, "en")

MESSAGES: dict[str, str] = {
    # --- generic validation ---
    "validation.failed": "Có {count} trường chưa hợp lệ",
    "field.required": "Bắt buộc nhập",
    "field.too_long": "Quá dài (tối đa {max} ký tự)",
    # --- applicant ---
    "applicant.name.required": "Nhập họ tên người nộp hồ sơ",
    "applicant.name.invalid": "Họ tên chỉ gồm chữ cái và khoảng trắng",
    "applicant.address.required": "Nhập địa chỉ",
    # --- id numbers ---
    "id.invalid_format": "Số giấy tờ không hợp lệ: CCCD 12 số, CMND 9 số hoặc hộ chiếu (1 chữ cái + 7 số)",
    "id.unknown_province": "Mã tỉnh {province} trong số CCCD không tồn tại",
    "id.future_birth_year": "Năm sinh {year} trong số CCCD ở tương lai",
    # --- phone / email ---
    "phone.invalid": "Số điện thoại không hợp lệ (di động 10 số bắt đầu bằng 03, 05, 07, 08, 09 hoặc số cố định 02x)",
    "email.invalid": "Địa chỉ email không hợp lệ",
    # --- reception ---
    "procedure.unknown": "Không có thủ tục mã {code}",
    "reception.earlier_unknown": "Không có phiếu hướng dẫn (Mẫu 02/03) số {code} của cơ quan này",
    "reception.earlier_followed": "Phiếu {code} đã được tiếp nhận thành một hồ sơ khác",
    "procedure.required": "Chọn thủ tục hành chính",
    "components.none": "Chưa đánh dấu giấy tờ nào đã nhận",
    "components.missing_mandatory": "Thiếu giấy tờ bắt buộc: {names}. Hãy in phiếu yêu cầu bổ sung (Mẫu 02)",
    "components.invalid_kind": "Loại giấy tờ không hợp lệ: {kind}",
    "components.invalid_count": "Số lượng phải từ 1 đến 99",
    "sets.invalid": "Số bộ hồ sơ phải từ 1 đến 99",
    "extension.unknown": "Thủ tục này không có trường hợp gia hạn {key}",
    "extension.days_invalid": "Số ngày gia hạn phải từ 1 đến {max}",
    "extension.reason_required": "Nhập lý do gia hạn thời hạn giải quyết",
    "pages.invalid": "Số trang phải từ 1 đến 9999",
    "pages.required": "Nhập số trang để tính phí",
    "delivery.invalid": "Hình thức nhận kết quả không hợp lệ",
    "received_at.future": "Thời điểm tiếp nhận không được ở tương lai",
    "received_at.closed": "Ngày {day} không phải ngày làm việc",
    "missing.required": "Liệt kê đầy đủ các giấy tờ cần bổ sung",
    "reason.required": "Nhập lý do",
    "dossier.not_found": "Không tìm thấy hồ sơ {code}",
    "dossier.no_such_form": "Hồ sơ {code} không có {form}",
    "codes.block_exhausted": "Đã hết số hồ sơ trong ngày của máy trạm này ({limit})",
    # --- auth / setup ---
    "auth.invalid": "Sai tên đăng nhập hoặc mật khẩu",
    "auth.inactive": "Tài khoản đã bị khóa",
    "setup.already_configured": "Cơ quan đã được thiết lập",
    "setup.not_configured": "Chưa thiết lập cơ quan. Chạy seed-demo hoặc thiết lập cơ quan trước",
    "agency_code.invalid": "Mã định danh cơ quan không hợp lệ (ví dụ H45.123 hoặc 000.00.12.H45)",
    "password.too_short": "Mật khẩu tối thiểu {min} ký tự",
    "username.invalid": "Tên đăng nhập gồm chữ thường không dấu, số, dấu chấm, gạch dưới",
    "setting.invalid": "Giá trị cài đặt không hợp lệ: {key} = {value}",
    "clerk.unknown": "Không có cán bộ {username}",
    # --- catalogue ---
    "catalog.field.missing": "Thiếu trường bắt buộc",
    "catalog.counting_mode.invalid": "Cách tính thời hạn không hợp lệ",
    "catalog.step_hours.invalid": "Thời gian từng bước phải là số giờ làm việc nguyên dương theo từng đơn vị",
    "catalog.extensions.invalid": "Mỗi trường hợp gia hạn cần mã riêng, nội dung, số ngày làm việc tối đa (1–99) và "
                                  "căn cứ pháp lý",
    "catalog.alternatives.invalid": "Giấy tờ thay thế phải có tên",
    "catalog.fee.unknown_kind": "Loại phí không hợp lệ: {kind}",
    "catalog.fee.no_steps": "Phí theo trang cần bậc giá",
    "catalog.invalid_file": "Tệp danh mục không hợp lệ: {detail}",
    # --- storage ---
    "storage.corrupt": "Tệp dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu. Hãy khôi phục từ bản sao lưu",
    "storage.newer_schema": "Tệp dữ liệu được tạo bởi phiên bản mới hơn ({found}). Hãy cập nhật phần mềm",
    "storage.locked": "Cơ sở dữ liệu đang bận, hãy thử lại",
    "storage.read_only": "Thư mục dữ liệu chỉ cho đọc: vẫn xem và tra cứu được, nhưng không lưu được thay đổi nào",
    "storage.disk_full": "Ổ đĩa đã đầy hoặc lỗi ghi: chưa lưu được gì. Hãy giải phóng dung lượng rồi thử lại",
    "storage.upgrade_failed": ("Không nâng cấp được dữ liệu cho phiên bản mới ({detail}). Dữ liệu cũ được giữ nguyên, "
                               "bản sao lưu trước khi nâng cấp: {backup}. Hãy cài lại phiên bản trước hoặc liên hệ bộ "
                               "phận hỗ trợ"),
    "storage.upgrade_backup_failed": ("Không tạo được bản sao lưu {path} trước khi nâng cấp dữ liệu ({detail}): chưa "
                                      "thay đổi gì. Hãy giải phóng dung lượng hoặc cấp quyền ghi cho thư mục rồi mở "
                                      "lại"),
    "username.taken": "Tên đăng nhập {username} đã tồn tại",
    # --- statuses (DVCQG numbers) ---
    # --- lifecycle: handover, results, return ---
    "batch.empty": "Chưa chọn hồ sơ nào để bàn giao",
    "batch.refused": "Không ghi gì cả: {count} hồ sơ không hợp lệ ({codes})",
    "batch.not_found": "Không có lô bàn giao {batch_id}",
    "agency.unknown": "Không có cơ quan, đơn vị mã {code}",
    "agency.is_self": "Không thể bàn giao cho chính Bộ phận Một cửa ({code})",
    "lifecycle.at_agency": "Hồ sơ {code} đang ở {agency}, chưa trả về: không thể bàn giao lại",
    "lifecycle.not_at_agency": "Hồ sơ {code} chưa được bàn giao cho đơn vị nào",
    "lifecycle.already_confirmed": "Hồ sơ {code} đã được {agency} ký nhận",
    "lifecycle.not_received": "Hồ sơ {code} chưa được tiếp nhận chính thức",
    "lifecycle.cannot_handover": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể bàn giao",
    "lifecycle.cannot_result": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể ghi kết quả giải quyết",
    "lifecycle.cannot_supplement_received": "Hồ sơ {code} đang ở trạng thái “{status_vi}”, không chờ bổ sung",
    "lifecycle.cannot_extend": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể gia hạn",
    "lifecycle.cannot_withdraw": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể rút",
    "lifecycle.cannot_return": "Hồ sơ {code} đang ở trạng thái “{status_vi}”, chưa có kết quả để trả",
    "lifecycle.cannot_rate": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: chỉ đánh giá sau khi trả kết quả",
    "result.outcome_invalid": "Kết quả “{outcome}” không hợp lệ (ready, supplement, refused, stopped)",
    "extend.not_later": "Ngày hẹn mới {until} phải sau hạn hiện tại {due}",
    "supplement.second_needs_override": "Hồ sơ {code} đã được yêu cầu bổ sung một lần: yêu cầu lần hai cần tổ trưởng "
                                        "xác nhận và nêu lý do, và hồ sơ bị tính là quá hạn",
    "supplement.override_invalid": "Tên đăng nhập hoặc mật khẩu của tổ trưởng không đúng, hoặc tài khoản không có "
                                   "quyền xác nhận",
    "supplement.second_needs_reason": "Yêu cầu bổ sung lần hai của hồ sơ {code} phải nêu lý do",
    "extend.limit_reached": "Hồ sơ {code} đã được gia hạn (tối đa {max} lần); không gia hạn thêm",
    "extend.past_date": "Ngày hẹn mới {until} đã qua",
    "extend.after_deadline": "Đã quá hạn giải quyết ({due}): văn bản xin lỗi và gia hạn phải gửi trước hạn",
    "extend.late_notice": "Văn bản gia hạn phải gửi chậm nhất {days} ngày làm việc trước hạn ({latest}); hạn giải "
                          "quyết là {due}. Xác nhận vẫn gia hạn?",
    "extend.not_working_day": "Ngày hẹn mới {until} không phải ngày làm việc",
    "return.receiver_id_required": "Nhập số giấy tờ tùy thân của người nhận kết quả",
    "return.channel_invalid": "Hình thức trả “{channel}” không hợp lệ (counter, post)",
    "return.fee_invalid": "Số tiền thu không hợp lệ",
    "return.override_required": "Số giấy tờ {receiver_id} không khớp người nộp hồ sơ: cần thông tin người được ủy "
                                "quyền (họ tên, văn bản ủy quyền) hoặc xác nhận của tổ trưởng",
    "return.override_invalid": "Xác nhận không hợp lệ: sai tài khoản, mật khẩu hoặc tài khoản không phải tổ "
                               "trưởng/quản trị",
    "rating.invalid": "Mức đánh giá “{rating}” không hợp lệ",
    "rating.already": "Hồ sơ {code} đã được đánh giá",
    # The national portal's own wording (DVCQG TrangThaiHoSo 1-10), so exports and the screen agree with it.
    "status.1": "Mới đăng ký",
    "status.2": "Được tiếp nhận",
    "status.3": "Không được tiếp nhận",
    "status.4": "Đang xử lý",
    "status.5": "Yêu cầu bổ sung giấy tờ",
    "status.6": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "status.7": "Công dân yêu cầu rút hồ sơ",
    "status.8": "Dừng xử lý",
    "status.9": "Đã xử lý xong",
    "status.10": "Đã trả kết quả",
    # --- calendar / deadlines ---
    "calendar.no_working_day": "Lịch làm việc không có ngày làm việc nào sau ngày {day}",
    "deadline.invalid_duration": "Thời hạn giải quyết không hợp lệ: {duration}",
    "deadline.open_pause": "Hồ sơ đang tạm dừng chờ bổ sung từ {start}: chưa tính được hạn trả",
    "due.working_days": "{n} ngày làm việc",
    "due.working_days.one": "1 ngày làm việc",
    "due.working_hours.one": "1 giờ làm việc",
    "due.working_hours": "{n} giờ làm việc",
    "due.same_day": "Trong ngày",
    "due.same_day_after_cutoff": "Trong ngày; nhận sau {cutoff} nên hẹn ngày làm việc tiếp theo",
    "due.same_day_closed": "Trong ngày; nhận vào ngày nghỉ nên hẹn ngày làm việc tiếp theo",
    "due.skipping": "bỏ qua {ranges}",
    "due.paused_days": "cộng {n} ngày làm việc tạm dừng chờ bổ sung hồ sơ",
    "due.paused_hours": "cộng {duration} làm việc tạm dừng chờ bổ sung hồ sơ",
    "due.paused_days.one": "cộng 1 ngày làm việc tạm dừng chờ bổ sung hồ sơ",
    "due.statutory_extension": "cộng {n} ngày làm việc ({label}; {basis})",
    "due.statutory_extension.one": "cộng 1 ngày làm việc ({label}; {basis})",
    "due.statutory_total": "tối đa {n} ngày làm việc ({label}; {basis})",
    "due.extended": "đã gia hạn đến {when} (hạn theo quy định {original})",
    "duration.working_days": "{n} ngày làm việc",
    "duration.working_days.one": "1 ngày làm việc",
    "duration.working_hours.one": "1 giờ làm việc",
    "duration.working_hours": "{n} giờ làm việc",
    "duration.same_day": "Trong ngày",
    "judge.early": "Trước hạn",
    "judge.on_time": "Đúng hạn",
    "judge.late": "Quá hạn",
    # --- sync server ---
    "auth.required": "Máy chưa đăng ký hoặc mã xác thực không hợp lệ",
    "device.revoked": "Máy này đã bị thu hồi quyền đồng bộ; hãy đăng ký lại với mã mới từ quản trị viên",
    "scope.forbidden": "Hồ sơ không thuộc phạm vi của đơn vị {office}",
    "slots.exhausted": "Đơn vị {office} đã dùng hết {count} vị trí máy trạm",
    "request.invalid": "Yêu cầu không hợp lệ: {detail}",
    "change.id_reused": "Mã thay đổi {change_id} đã được dùng cho một nội dung khác",
    "payload.invalid": "Dữ liệu thay đổi không hợp lệ: {detail}",
    "change.not_stored": "Cơ sở dữ liệu của máy chủ không lưu được thay đổi này; các thay đổi khác vẫn được nhận."
                                " Hãy báo quản trị viên máy chủ",
    "kind.pull_only": "Dữ liệu danh mục ({kind}) chỉ do máy chủ phát hành, máy trạm không được gửi lên",
    "kind.unsupported": "Máy chủ chưa nhận loại thay đổi {kind}",
    "event.known": "Sự kiện này máy chủ đã có",
    "enroll.code_invalid": "Mã đăng ký máy không đúng",
    "enroll.code_used": "Mã đăng ký máy đã được sử dụng",
    "enroll.code_expired": "Mã đăng ký máy đã hết hạn",
    "config.password_cost": "Biến môi trường {variable} phải là số từ 10 đến 18 (log2 N của scrypt), không phải "
                            "'{value}'",
    "enroll.throttled": "Đã nhập sai mã đăng ký máy quá nhiều lần; hãy thử lại sau {seconds} giây",
    "enroll.admin_required": "Máy này đã được thiết lập: chỉ quản trị viên của máy mới được đăng ký lại với máy chủ",
    "enroll.invalid_ttl": "Thời hạn mã đăng ký phải từ 1 đến {max} giờ",
    "office.invalid_code": "Mã định danh điện tử của cơ quan không hợp lệ: {code}",
    "office.name_required": "Nhập tên cơ quan",
    "office.exists": "Đơn vị {code} đã có",
    "office.unknown": "Không có đơn vị mã {code}",
    "device.unknown": "Không có máy mã {id}",
    "user.exists_in_office": "Đơn vị {office} đã có tên đăng nhập {username}; hãy chọn tên khác",
    "user.exists": "Tên đăng nhập {username} đã có",
    "user.invalid_role": "Vai trò không hợp lệ: {role}",
    "user.password_too_short": "Mật khẩu phải có ít nhất {min} ký tự",
    "server.unsupported_db": "Không hỗ trợ cơ sở dữ liệu loại {url} (chỉ sqlite hoặc postgresql+psycopg)",
    "server.error": "Máy chủ gặp lỗi ngoài dự kiến",
    "code.collision": "Trùng mã hồ sơ {code} giữa hai hồ sơ khác nhau",
    "status.violation": "Lịch sử hồ sơ sau khi gộp không hợp lệ (sự kiện {kind})",
    "event.foreign_office": "Sự kiện do đơn vị {office_code} gửi, không thuộc hồ sơ của đơn vị đó",
    # --- sync client ---
    "sync.offline": "Không kết nối được máy chủ; các thay đổi vẫn được giữ và sẽ gửi khi có mạng",
    "sync.server_error": "Máy chủ đang gặp sự cố; sẽ thử lại sau",
    "sync.bad_response": "Máy chủ trả lời không đúng định dạng (có thể do mạng nội bộ chặn); sẽ thử lại sau",
    "sync.upgrade_required": "Máy chủ yêu cầu cập nhật phần mềm trước khi đồng bộ",
    "change.rejected": "Máy chủ từ chối thay đổi này",
    "sync.interrupted": "Lần đồng bộ trước bị gián đoạn",
    "sync.invalid_change": "Thay đổi không gửi được: {reason}",
    "sync.not_enrolled": "Máy này chưa đăng ký với máy chủ; chạy lệnh enroll trước",
    "sync.change_not_found": "Không có thay đổi bị từ chối mã {change_id}",
    "sync.office_mismatch": "Dữ liệu máy này thuộc đơn vị {local}, mã đăng ký thuộc đơn vị {server}",
    "sync.server_url.invalid": "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://",
    "sync.enroll_code.invalid": "Nhập mã đăng ký máy do quản trị viên cấp",
    "credentials.unavailable": "Không truy cập được kho mật khẩu của hệ điều hành ({detail})",
    # --- codes / clocks ---
    "codes.invalid_slot": "Số khối mã hồ sơ của máy trạm không hợp lệ: {slot}",
    "hlc.invalid_stamp": "Dấu thời gian đồng bộ không hợp lệ: {stamp}",
    "hlc.ahead": "Dấu thời gian đồng bộ {stamp} đi trước đồng hồ máy chủ {minutes} phút (cho phép tối đa {limit} "
                 "phút): hãy kiểm tra ngày giờ của máy tính đã tạo thay đổi này",
    # --- printing ---
    "printing.no_font": "Không tìm thấy phông chữ TrueType có đủ dấu tiếng Việt để in. Hãy chép một bộ phông (ví dụ "
                        "Times New Roman: times.ttf, timesbd.ttf, timesi.ttf) vào thư mục {dir} hoặc chọn tệp phông "
                        "trong phần Cài đặt",
    "printing.invalid_paper": "Khổ giấy không hợp lệ: {paper} (chỉ A4 hoặc A5)",
    "printing.invalid_copies": "Số liên in phải từ 1 đến 9 (đang là {copies})",
    # --- fees ---
    "fee.free": "Miễn phí",
    "fee.free_on_time": "Miễn lệ phí (đăng ký đúng hạn)",
    "fee.late": "Lệ phí {amount} đ (đăng ký quá hạn)",
    "fee.fixed": "Lệ phí {amount} đ",
    "fee.fixed_per_copy": "{copies} bản × {amount} đ",
    "fee.per_page": "{copies} bản × {pages} trang: {per_copy} đ/bản",
    # --- desktop interface (ui/) ---
    "ui.unexpected": "Đã xảy ra lỗi ngoài dự kiến. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên (chi tiết đã ghi vào "
                     "nhật ký)",
    "password.mismatch": "Mật khẩu nhập lại không khớp",
    "print.failed": "Không in được: {reason}",
}


def _merge_feature_tables() -> None:
    """Each feature keeps its codes in its own module (fewer edit collisions); one table here."""
    from . import (
        messages_admin,
        messages_attachments,
        messages_fields,
        messages_files,
        messages_intake,
        messages_queue,
        messages_reports,
        messages_scanning,
        messages_sync,
        messages_viewer,
    )

    for table in (messages_queue.MESSAGES, messages_reports.MESSAGES, messages_admin.MESSAGES, messages_sync.MESSAGES,
                  messages_fields.MESSAGES, messages_attachments.MESSAGES, messages_viewer.MESSAGES,
                  messages_files.MESSAGES, messages_scanning.MESSAGES, messages_intake.MESSAGES):
        MESSAGES.update(table)


_merge_feature_tables()

_MONEY = {"amount", "per_copy", "fee", "cap"}


def money(amount: int, lang: str = "vi") -> str:
    """8000 → "8.000" (Vietnamese) or "8,000" (English)."""
    text = f"{amount:,}"
    return text.replace(",", ".") if lang == "vi" else text


def template(code: str, lang: str = "vi") -> str:
    """The unformatted text of ``code`` in ``lang`` ("" for an unknown code)."""
    source = MESSAGES.get(code)
    return translate(source, lang, context=code) if source is not None else ""


def template_fields(code: str) -> set[str]:
    """Names of the ``{placeholders}`` of ``code`` in any language: what its raiser must pass."""
    formatter = string.Formatter()
    return {name for lang in LANGUAGES for _, name, _, _ in formatter.parse(template(code, lang)) if name}


def missing_params(code: str, params: Mapping[str, Any]) -> set[str]:
    return template_fields(code) - set(params)


class _Gap(dict[str, Any]):
    """Format mapping: a value the raiser forgot shows as "…", never as a raw ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "…"


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """Text for ``code`` in ``lang``; an unknown code shows itself rather than crash."""
    if code not in MESSAGES:
        return code
    text = template(code, lang)
    params = {k: money(v, lang) if k in _MONEY and isinstance(v, int) else v for k, v in params.items()}
    forgotten = missing_params(code, params)
    if forgotten:  # a bug at the raising site (tests catch them); the user still reads a sentence
        log.warning("message %s lacks %s", code, sorted(forgotten))
    try:
        return string.Formatter().vformat(text, (), _Gap(params))
    except (IndexError, ValueError, AttributeError):
        return text


def field_label(key: str, lang: str = "vi") -> str:
    """The human name of an input field; "" for a key without a label (shown as the bare message)."""
    return message(f"label.{key}", lang) if f"label.{key}" in MESSAGES else ""


def field_message(key: str, code: str, params: Mapping[str, Any] | None, lang: str = "vi") -> str:
    """ "Số trang: Quá dài …" — one field's error with its label, never its key.

    A message that already starts with the field's name ("Mật khẩu tối thiểu 8 ký tự")
    is clear alone; repeating the label would only stutter.
    """
    text = message(code, lang, **dict(params or {}))
    label = field_label(key, lang)
    if not label or text.casefold().startswith(label.casefold()):
        return text
    return f"{label}: {text}"


def error_text(exc: BaseException, lang: str = "vi") -> str:
    """One readable sentence for a domain error, listing each field of a validation error.

    Field errors come with their labels; a batch error (``errors`` maps a dossier code to
    its own DomainError) adds each dossier's message.
    """
    # Recognised by shape, not by class: errors.py imports this module for its text, so an
    # import back would be a circle.
    if not _is_domain_error(exc):
        return message("ui.unexpected", lang)
    code, params = getattr(exc, "code", ""), getattr(exc, "params", {})
    nested = getattr(exc, "errors", None)
    field_params = getattr(exc, "field_params", None)
    if isinstance(field_params, Mapping) and isinstance(nested, Mapping):  # a ValidationFailed
        parts = [field_message(key, err, field_params.get(key), lang) for key, err in nested.items()]
        return "; ".join(parts) or message(code, lang, **params)
    text = message(code, lang, **params)
    if isinstance(nested, Mapping) and nested and all(_is_domain_error(e) for e in nested.values()):
        text += ": " + "; ".join(error_text(e, lang) for e in nested.values())
    return text


def _is_domain_error(exc: object) -> bool:
    """``errors.DomainError`` and its subclasses: an exception with a text code and its parameters."""
    return isinstance(exc, Exception) and isinstance(getattr(exc, "code", None), str) \
        and isinstance(getattr(exc, "params", None), Mapping)
