"""Texts of the admin feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "permission.denied": "Tài khoản {username} không có quyền thực hiện thao tác này ({permission})",
    "auth.invalid_attempts": "Sai tên đăng nhập hoặc mật khẩu — còn {left} lần thử trước khi tài khoản bị tạm khóa",
    "auth.locked": "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {until}",
    "restore.reenrol_required": "Dữ liệu vừa được khôi phục từ bản sao lưu: hãy đăng ký lại máy với máy chủ trước khi "
                                "tiếp nhận hồ sơ",
    "restore.invalid_file": "Không thể khôi phục từ {path}: {detail}",
    "restore.other_office": "{path} là bản sao lưu của cơ quan {backup}, máy này thuộc cơ quan {current}: không khôi "
                            "phục",
    "restore.no_free_slot": "Không còn số hiệu máy trống để cấp mã hồ sơ sau khôi phục; hãy đăng ký máy với máy chủ",
    "backup.failed": "Sao lưu vào {path} không thành công: {detail}",
    "calendar.no_entry": "Lịch làm việc không có mục nào cho ngày {day}",
    "calendar.reason_required": "Cần ghi lý do bật/tắt mục lịch ngày {day}",
    "calendar.already": "Mục lịch ngày {day} đã ở trạng thái này, không có gì thay đổi",
    "calendar.managed_upstream": "Máy đã đăng ký với máy chủ: lịch do máy chủ cấp trên quản lý; đề nghị quản trị máy "
                                 "chủ bật/tắt mục này",
    "calendar.not_confirmed": "Chưa xác nhận, không có gì thay đổi",
    "calendar.changed_meanwhile": "Danh sách hồ sơ bị ảnh hưởng đã thay đổi trong lúc chờ xác nhận; hãy xem lại",
    "calendar.invalid_file": "Tệp lịch không hợp lệ, không có gì thay đổi: {detail}",
    "catalog.effective_from.too_early": "Ngày hiệu lực phải từ hôm nay và sau {after}",
    "catalog.name.required": "Tên thủ tục không được để trống",
    "catalog.duration.invalid": "Thời hạn giải quyết phải từ 1 ngày (hoặc 1 giờ) làm việc trở lên; thủ tục giải quyết "
                                "ngay chọn “Trong ngày”",
    "catalog.component.name_required": "Thành phần hồ sơ ở dòng {line} chưa có tên",
    "catalog.components.duplicate": "Thành phần hồ sơ trùng tên: {names}. Mỗi giấy tờ chỉ ghi một lần",
    "catalog.alternative.name_required": "Giấy tờ thay thế ở dòng {line} của “{component}” chưa có tên",
    "catalog.alternatives.duplicate": "Giấy tờ thay thế “{paper}” trùng với một giấy tờ khác của “{component}”",
    "catalog.extension.incomplete": "Trường hợp gia hạn theo quy định ở dòng {line} cần mã, nội dung và căn cứ pháp lý",
    "catalog.extension.days_invalid": "Trường hợp gia hạn theo quy định “{label}”: số ngày làm việc tối đa phải từ 1 "
                                      "đến 99",
    "catalog.extension.key_duplicate": "Trường hợp gia hạn theo quy định trùng mã “{key}”: mỗi trường hợp cần mã riêng",
    "role.invalid": "Vai trò không hợp lệ",
    "admin.last_administrator": "Phải còn ít nhất một quản trị viên đang hoạt động",
    "org.level_invalid": "Cấp đơn vị không hợp lệ",
    "org.valid_to_before_from": "Ngày hết hiệu lực phải sau ngày có hiệu lực",
    "office.hours_invalid": "Giờ làm việc không hợp lệ (HH:MM, các buổi tăng dần, không chồng nhau)",
    "setting.out_of_range": "Giá trị phải từ {min} đến {max}",
    "export.failed": "Không ghi được {path}: {detail}",
    "recovery.no_backup": "Không tìm thấy bản sao lưu hợp lệ nào cho thư mục dữ liệu {path}",
}
