"""Texts for domain codes (errors, explanations), in Vietnamese and English.

One table shared by the UI and the command line, so a code reads the same
everywhere. Keep entries sorted by prefix; add both languages at once
(a test checks every code has both).
"""
from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

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
    "reception.earlier_unknown": {"vi": "Không có phiếu hướng dẫn (Mẫu 02/03) số {code} của cơ quan này", "en": "No supplement request or refusal slip (Form 02/03) {code} of this office"},
    "reception.earlier_followed": {"vi": "Phiếu {code} đã được tiếp nhận thành một hồ sơ khác", "en": "Slip {code} was already received as another dossier"},
    "procedure.required": {"vi": "Chọn thủ tục hành chính", "en": "Choose the procedure"},
    "components.none": {"vi": "Chưa đánh dấu giấy tờ nào đã nhận", "en": "No document has been ticked as handed in"},
    "components.missing_mandatory": {"vi": "Thiếu giấy tờ bắt buộc: {names}. Hãy in phiếu yêu cầu bổ sung (Mẫu 02)", "en": "Mandatory documents missing: {names}. Print a supplement request (Form 02) instead"},
    "components.invalid_kind": {"vi": "Loại giấy tờ không hợp lệ: {kind}", "en": "Invalid document kind: {kind}"},
    "components.invalid_count": {"vi": "Số lượng phải từ 1 đến 99", "en": "Count must be between 1 and 99"},
    "sets.invalid": {"vi": "Số bộ hồ sơ phải từ 1 đến 99", "en": "Number of sets must be between 1 and 99"},
    "extension.unknown": {"vi": "Thủ tục này không có trường hợp gia hạn {key}", "en": "This procedure has no extension {key}"},
    "extension.days_invalid": {"vi": "Số ngày gia hạn phải từ 1 đến {max}", "en": "Extension days must be between 1 and {max}"},
    "extension.reason_required": {"vi": "Nhập lý do gia hạn thời hạn giải quyết", "en": "Enter the reason for the extension"},
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
    "catalog.step_hours.invalid": {
        "vi": "Thời gian từng bước phải là số giờ làm việc nguyên dương theo từng đơn vị",
        "en": "Step times must be whole positive working hours per unit",
    },
    "catalog.extensions.invalid": {
        "vi": "Mỗi trường hợp gia hạn cần mã riêng, nội dung, số ngày làm việc tối đa (1–99) và căn cứ pháp lý",
        "en": "Each extension needs its own key, a condition, at most 1–99 working days and its legal basis",
    },
    "catalog.alternatives.invalid": {"vi": "Giấy tờ thay thế phải có tên", "en": "Each alternative paper needs a name"},
    "catalog.fee.unknown_kind": {"vi": "Loại phí không hợp lệ: {kind}", "en": "Unknown fee kind: {kind}"},
    "catalog.fee.no_steps": {"vi": "Phí theo trang cần bậc giá", "en": "A per-page fee needs price steps"},
    "catalog.invalid_file": {"vi": "Tệp danh mục không hợp lệ: {detail}", "en": "Invalid catalogue file: {detail}"},
    # --- storage ---
    "storage.corrupt": {"vi": "Tệp dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu. Hãy khôi phục từ bản sao lưu", "en": "The data file {path} is damaged or not a database; restore it from a backup"},
    "storage.newer_schema": {"vi": "Tệp dữ liệu được tạo bởi phiên bản mới hơn ({found}). Hãy cập nhật phần mềm", "en": "The data file was written by a newer version ({found}); update the application"},
    "storage.locked": {"vi": "Cơ sở dữ liệu đang bận, hãy thử lại", "en": "The database is busy; try again"},
    "storage.read_only": {"vi": "Thư mục dữ liệu chỉ cho đọc: vẫn xem và tra cứu được, nhưng không lưu được thay đổi nào",
                          "en": "The data folder is read-only: lookups work, but no change can be saved"},
    "storage.disk_full": {"vi": "Ổ đĩa đã đầy hoặc lỗi ghi: chưa lưu được gì. Hãy giải phóng dung lượng rồi thử lại",
                          "en": "The disk is full or failed to write: nothing was saved; free some space and try again"},
    "username.taken": {"vi": "Tên đăng nhập {username} đã tồn tại", "en": "The username {username} is already taken"},
    # --- statuses (DVCQG numbers) ---
    # --- lifecycle: handover, results, return (issue #4) ---
    "batch.empty": {"vi": "Chưa chọn hồ sơ nào để bàn giao", "en": "No dossier was chosen for the handover"},
    "batch.refused": {"vi": "Không ghi gì cả: {count} hồ sơ không hợp lệ ({codes})", "en": "Nothing was recorded: {count} dossier(s) cannot take this action ({codes})"},
    "batch.not_found": {"vi": "Không có lô bàn giao {batch_id}", "en": "No handover batch {batch_id}"},
    "agency.unknown": {"vi": "Không có cơ quan, đơn vị mã {code}", "en": "No agency or department with code {code}"},
    "agency.is_self": {"vi": "Không thể bàn giao cho chính Bộ phận Một cửa ({code})", "en": "Cannot hand over to the one-stop unit itself ({code})"},
    "lifecycle.at_agency": {"vi": "Hồ sơ {code} đang ở {agency}, chưa trả về: không thể bàn giao lại", "en": "Dossier {code} is at {agency} and has not come back: it cannot be handed over again"},
    "lifecycle.not_at_agency": {"vi": "Hồ sơ {code} chưa được bàn giao cho đơn vị nào", "en": "Dossier {code} has not been handed over to any department"},
    "lifecycle.already_confirmed": {"vi": "Hồ sơ {code} đã được {agency} ký nhận", "en": "Dossier {code} was already signed for by {agency}"},
    "lifecycle.not_received": {"vi": "Hồ sơ {code} chưa được tiếp nhận chính thức", "en": "Dossier {code} has not been formally received"},
    "lifecycle.cannot_handover": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể bàn giao", "en": "Dossier {code} is “{status_en}”: it cannot be handed over"},
    "lifecycle.cannot_result": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể ghi kết quả giải quyết", "en": "Dossier {code} is “{status_en}”: no processing result can be recorded"},
    "lifecycle.cannot_supplement_received": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”, không chờ bổ sung", "en": "Dossier {code} is “{status_en}”, not waiting for a supplement"},
    "lifecycle.cannot_extend": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể gia hạn", "en": "Dossier {code} is “{status_en}”: it cannot be extended"},
    "lifecycle.cannot_withdraw": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: không thể rút", "en": "Dossier {code} is “{status_en}”: it cannot be withdrawn"},
    "lifecycle.cannot_return": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”, chưa có kết quả để trả", "en": "Dossier {code} is “{status_en}”: there is no result to return"},
    "lifecycle.cannot_rate": {"vi": "Hồ sơ {code} đang ở trạng thái “{status_vi}”: chỉ đánh giá sau khi trả kết quả", "en": "Dossier {code} is “{status_en}”: it can only be rated after the result is returned"},
    "result.outcome_invalid": {"vi": "Kết quả “{outcome}” không hợp lệ (ready, supplement, refused, stopped)", "en": "Invalid outcome “{outcome}” (ready, supplement, refused, stopped)"},
    "extend.not_later": {"vi": "Ngày hẹn mới {until} phải sau hạn hiện tại {due}", "en": "The new date {until} must be after the current due time {due}"},
    "supplement.second_needs_override": {"vi": "Hồ sơ {code} đã được yêu cầu bổ sung một lần: yêu cầu lần hai cần tổ trưởng xác nhận và nêu lý do, và hồ sơ bị tính là quá hạn", "en": "Dossier {code} has already had a supplement request: a second one needs a supervisor's confirmation and a reason, and the dossier counts as late"},
    "supplement.override_invalid": {"vi": "Tên đăng nhập hoặc mật khẩu của tổ trưởng không đúng, hoặc tài khoản không có quyền xác nhận", "en": "The supervisor's username or password is wrong, or the account may not confirm this"},
    "supplement.second_needs_reason": {"vi": "Yêu cầu bổ sung lần hai của hồ sơ {code} phải nêu lý do", "en": "A second supplement request for dossier {code} must give a reason"},
    "extend.limit_reached": {"vi": "Hồ sơ {code} đã được gia hạn (tối đa {max} lần); không gia hạn thêm", "en": "Dossier {code} has already been extended (at most {max} time(s)); no further extension"},
    "extend.past_date": {"vi": "Ngày hẹn mới {until} đã qua", "en": "The new date {until} is in the past"},
    "extend.after_deadline": {"vi": "Đã quá hạn giải quyết ({due}): văn bản xin lỗi và gia hạn phải gửi trước hạn", "en": "The deadline ({due}) has passed: the apology and new date must be sent before it"},
    "extend.late_notice": {"vi": "Văn bản gia hạn phải gửi chậm nhất {days} ngày làm việc trước hạn ({latest}); hạn giải quyết là {due}. Xác nhận vẫn gia hạn?", "en": "The extension must be sent at least {days} working day(s) before the deadline (by {latest}); the deadline is {due}. Extend anyway?"},
    "extend.not_working_day": {"vi": "Ngày hẹn mới {until} không phải ngày làm việc", "en": "The new date {until} is not a working day"},
    "return.receiver_id_required": {"vi": "Nhập số giấy tờ tùy thân của người nhận kết quả", "en": "Enter the ID number of the person collecting the result"},
    "return.channel_invalid": {"vi": "Hình thức trả “{channel}” không hợp lệ (counter, post)", "en": "Invalid channel “{channel}” (counter, post)"},
    "return.fee_invalid": {"vi": "Số tiền thu không hợp lệ", "en": "Invalid amount collected"},
    "return.override_required": {"vi": "Số giấy tờ {receiver_id} không khớp người nộp hồ sơ: cần thông tin người được ủy quyền (họ tên, văn bản ủy quyền) hoặc xác nhận của tổ trưởng", "en": "ID {receiver_id} does not match the applicant: give the representative's name and authorisation, or a supervisor's override"},
    "return.override_invalid": {"vi": "Xác nhận không hợp lệ: sai tài khoản, mật khẩu hoặc tài khoản không phải tổ trưởng/quản trị", "en": "Override refused: wrong username or password, or the account is not a supervisor or administrator"},
    "rating.invalid": {"vi": "Mức đánh giá “{rating}” không hợp lệ", "en": "Invalid rating “{rating}” (very_satisfied, satisfied, not_satisfied)"},
    "rating.already": {"vi": "Hồ sơ {code} đã được đánh giá", "en": "Dossier {code} has already been rated"},
    # The national portal's own wording (DVCQG TrangThaiHoSo 1-10), so exports and the screen agree with it.
    "status.1": {"vi": "Mới đăng ký", "en": "New (not yet received)"},
    "status.2": {"vi": "Được tiếp nhận", "en": "Received"},
    "status.3": {"vi": "Không được tiếp nhận", "en": "Refused"},
    "status.4": {"vi": "Đang xử lý", "en": "Processing"},
    "status.5": {"vi": "Yêu cầu bổ sung giấy tờ", "en": "Supplement requested"},
    "status.6": {"vi": "Yêu cầu thực hiện nghĩa vụ tài chính", "en": "Fee due"},
    "status.7": {"vi": "Công dân yêu cầu rút hồ sơ", "en": "Withdrawn"},
    "status.8": {"vi": "Dừng xử lý", "en": "Stopped"},
    "status.9": {"vi": "Đã xử lý xong", "en": "Result ready"},
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
    "due.statutory_extension": {"vi": "cộng {n} ngày làm việc ({label}; {basis})", "en": "plus {n} working days ({label}; {basis})"},
    "due.statutory_extension.one": {"vi": "cộng 1 ngày làm việc ({label}; {basis})", "en": "plus 1 working day ({label}; {basis})"},
    "due.statutory_total": {"vi": "tối đa {n} ngày làm việc ({label}; {basis})", "en": "up to {n} working days ({label}; {basis})"},
    "due.extended": {"vi": "đã gia hạn đến {when} (hạn theo quy định {original})", "en": "extended to {when} (statutory due {original})"},
    "duration.working_days": {"vi": "{n} ngày làm việc", "en": "{n} working days"},
    "duration.working_days.one": {"vi": "1 ngày làm việc", "en": "1 working day"},
    "duration.working_hours.one": {"vi": "1 giờ làm việc", "en": "1 working hour"},
    "duration.working_hours": {"vi": "{n} giờ làm việc", "en": "{n} working hours"},
    "duration.same_day": {"vi": "Trong ngày", "en": "Same day"},
    "judge.early": {"vi": "Trước hạn", "en": "Early"},
    "judge.on_time": {"vi": "Đúng hạn", "en": "On time"},
    "judge.late": {"vi": "Quá hạn", "en": "Late"},
    # --- sync server ---
    "auth.required": {"vi": "Máy chưa đăng ký hoặc mã xác thực không hợp lệ", "en": "Device not enrolled or its token is not valid"},
    "device.revoked": {"vi": "Máy này đã bị thu hồi quyền đồng bộ; hãy đăng ký lại với mã mới từ quản trị viên", "en": "This device was revoked; enrol it again with a new code from the administrator"},
    "scope.forbidden": {"vi": "Hồ sơ không thuộc phạm vi của đơn vị {office}", "en": "The dossier is outside the scope of office {office}"},
    "slots.exhausted": {"vi": "Đơn vị {office} đã dùng hết {count} vị trí máy trạm", "en": "Office {office} has used all {count} workstation slots"},
    "request.invalid": {"vi": "Yêu cầu không hợp lệ: {detail}", "en": "Invalid request: {detail}"},
    "change.id_reused": {"vi": "Mã thay đổi {change_id} đã được dùng cho một nội dung khác", "en": "Change id {change_id} was already used for different content"},
    "payload.invalid": {"vi": "Dữ liệu thay đổi không hợp lệ: {detail}", "en": "Invalid change payload: {detail}"},
    "change.not_stored": {"vi": "Cơ sở dữ liệu của máy chủ không lưu được thay đổi này; các thay đổi khác vẫn được nhận."
                                " Hãy báo quản trị viên máy chủ",
                          "en": "The server's database could not store this change; the other changes were accepted."
                                " Tell the server's administrator"},
    "kind.pull_only": {"vi": "Dữ liệu danh mục ({kind}) chỉ do máy chủ phát hành, máy trạm không được gửi lên", "en": "Reference data ({kind}) is published by the server only; devices cannot push it"},
    "kind.unsupported": {"vi": "Máy chủ chưa nhận loại thay đổi {kind}", "en": "The server does not accept {kind} changes yet"},
    "event.known": {"vi": "Sự kiện này máy chủ đã có", "en": "The server already has this event"},
    "enroll.code_invalid": {"vi": "Mã đăng ký máy không đúng", "en": "Unknown enrolment code"},
    "enroll.code_used": {"vi": "Mã đăng ký máy đã được sử dụng", "en": "The enrolment code was already used"},
    "enroll.code_expired": {"vi": "Mã đăng ký máy đã hết hạn", "en": "The enrolment code has expired"},
    "config.password_cost": {"vi": "Biến môi trường {variable} phải là số từ 10 đến 18 (log2 N của scrypt), không phải '{value}'",
                             "en": "{variable} must be a number from 10 to 18 (scrypt's log2 N), not '{value}'"},
    "enroll.throttled": {"vi": "Đã nhập sai mã đăng ký máy quá nhiều lần; hãy thử lại sau {seconds} giây",
                         "en": "Too many failed enrolments; wait {seconds} s, then try again"},
    "enroll.admin_required": {"vi": "Máy này đã được thiết lập: chỉ quản trị viên của máy mới được đăng ký lại với máy chủ",
                              "en": "This workstation is set up already: only one of its administrators may enrol it again"
                                    " (--clerk with an administrator's account)"},
    "enroll.invalid_ttl": {"vi": "Thời hạn mã đăng ký phải từ 1 đến {max} giờ", "en": "The enrolment code lifetime must be between 1 and {max} hours"},
    "office.invalid_code": {"vi": "Mã định danh điện tử của cơ quan không hợp lệ: {code}", "en": "Invalid electronic agency code: {code}"},
    "office.name_required": {"vi": "Nhập tên cơ quan", "en": "Enter the office name"},
    "office.exists": {"vi": "Đơn vị {code} đã có", "en": "Office {code} already exists"},
    "office.unknown": {"vi": "Không có đơn vị mã {code}", "en": "Unknown office {code}"},
    "device.unknown": {"vi": "Không có máy mã {id}", "en": "Unknown device {id}"},
    "user.exists_in_office": {"vi": "Đơn vị {office} đã có tên đăng nhập {username}; hãy chọn tên khác",
                              "en": "Office {office} already has a user named {username}; choose another name"},
    "user.exists": {"vi": "Tên đăng nhập {username} đã có", "en": "Username {username} already exists"},
    "user.invalid_role": {"vi": "Vai trò không hợp lệ: {role}", "en": "Invalid role: {role}"},
    "user.password_too_short": {"vi": "Mật khẩu phải có ít nhất {min} ký tự", "en": "The password must have at least {min} characters"},
    "server.unsupported_db": {"vi": "Không hỗ trợ cơ sở dữ liệu loại {url} (chỉ sqlite hoặc postgresql+psycopg)", "en": "Unsupported database {url} (sqlite or postgresql+psycopg only)"},
    "server.error": {"vi": "Máy chủ gặp lỗi ngoài dự kiến", "en": "Unexpected server failure"},
    "code.collision": {"vi": "Trùng mã hồ sơ {code} giữa hai hồ sơ khác nhau", "en": "Dossier code {code} is used by two different dossiers"},
    "status.violation": {"vi": "Lịch sử hồ sơ sau khi gộp không hợp lệ (sự kiện {kind})", "en": "The merged history breaks the status rules (event {kind})"},
    "event.foreign_office": {"vi": "Sự kiện do đơn vị {office_code} gửi, không thuộc hồ sơ của đơn vị đó", "en": "Event sent by office {office_code}, which does not own the dossier"},
    # --- sync client ---
    "sync.offline": {"vi": "Không kết nối được máy chủ; các thay đổi vẫn được giữ và sẽ gửi khi có mạng", "en": "Cannot reach the server; changes are kept and will be sent when online"},
    "sync.server_error": {"vi": "Máy chủ đang gặp sự cố; sẽ thử lại sau", "en": "The server is having problems; will try again later"},
    "sync.bad_response": {"vi": "Máy chủ trả lời không đúng định dạng (có thể do mạng nội bộ chặn); sẽ thử lại sau", "en": "The server's answer was not understood (a proxy may be in the way); will try again later"},
    "sync.upgrade_required": {"vi": "Máy chủ yêu cầu cập nhật phần mềm trước khi đồng bộ", "en": "The server requires an update of this application before syncing"},
    "change.rejected": {"vi": "Máy chủ từ chối thay đổi này", "en": "The server refused this change"},
    "sync.interrupted": {"vi": "Lần đồng bộ trước bị gián đoạn", "en": "The previous sync round was interrupted"},
    "sync.invalid_change": {"vi": "Thay đổi không gửi được: {reason}", "en": "This change cannot be sent: {reason}"},
    "sync.not_enrolled": {"vi": "Máy này chưa đăng ký với máy chủ; chạy lệnh enroll trước", "en": "This workstation is not enrolled; run enroll first"},
    "sync.change_not_found": {"vi": "Không có thay đổi bị từ chối mã {change_id}", "en": "No rejected change {change_id}"},
    "sync.office_mismatch": {"vi": "Dữ liệu máy này thuộc đơn vị {local}, mã đăng ký thuộc đơn vị {server}", "en": "This workstation's data belongs to office {local}, the enrolment code to office {server}"},
    "sync.server_url.invalid": {"vi": "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://", "en": "The server address must start with http:// or https://"},
    "sync.enroll_code.invalid": {"vi": "Nhập mã đăng ký máy do quản trị viên cấp", "en": "Enter the enrolment code from the administrator"},
    "credentials.unavailable": {"vi": "Không truy cập được kho mật khẩu của hệ điều hành ({detail})", "en": "The operating system's credential store is not available ({detail})"},
    # --- codes / clocks ---
    "codes.invalid_slot": {"vi": "Số khối mã hồ sơ của máy trạm không hợp lệ: {slot}", "en": "Invalid dossier-number slot for this workstation: {slot}"},
    "hlc.invalid_stamp": {"vi": "Dấu thời gian đồng bộ không hợp lệ: {stamp}", "en": "Invalid sync clock stamp: {stamp}"},
    "hlc.ahead": {
        "vi": "Dấu thời gian đồng bộ {stamp} đi trước đồng hồ máy chủ {minutes} phút (cho phép tối đa {limit} phút): "
              "hãy kiểm tra ngày giờ của máy tính đã tạo thay đổi này",
        "en": "Sync clock stamp {stamp} is {minutes} minutes ahead of the server's clock (at most {limit} allowed): "
              "check the date and time of the computer that made this change",
    },
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


def _merge_feature_tables() -> None:
    """Each feature keeps its codes in its own module (fewer edit collisions); one table here."""
    from . import messages_admin, messages_fields, messages_queue, messages_reports, messages_sync

    for table in (messages_queue.MESSAGES, messages_reports.MESSAGES, messages_admin.MESSAGES, messages_sync.MESSAGES,
                  messages_fields.MESSAGES):
        MESSAGES.update(table)


_merge_feature_tables()

_MONEY = {"amount", "per_copy", "fee", "cap"}


def money(amount: int, lang: str = "vi") -> str:
    """8000 → "8.000" (Vietnamese) or "8,000" (English)."""
    text = f"{amount:,}"
    return text.replace(",", ".") if lang == "vi" else text


def template_fields(code: str) -> set[str]:
    """Names of the ``{placeholders}`` of ``code`` in any language: what its raiser must pass."""
    entry = MESSAGES.get(code, {})
    formatter = string.Formatter()
    return {name for text in entry.values() for _, name, _, _ in formatter.parse(text) if name}


def missing_params(code: str, params: Mapping[str, Any]) -> set[str]:
    return template_fields(code) - set(params)


class _Gap(dict):
    """Format mapping: a value the raiser forgot shows as "…", never as a raw ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "…"


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """Text for ``code`` in ``lang``; an unknown code shows itself rather than crash."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    text = entry.get(lang) or entry["vi"]
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
