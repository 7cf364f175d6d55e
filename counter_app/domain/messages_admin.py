"""Texts of the admin feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "permission.denied": {"vi": "Tài khoản {username} không có quyền thực hiện thao tác này ({permission})",
                          "en": "Account {username} is not allowed to do this ({permission})"},
    "auth.locked": {"vi": "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {until}",
                    "en": "Account temporarily locked after repeated wrong passwords; try again after {until}"},
    "restore.reenrol_required": {"vi": "Dữ liệu vừa được khôi phục từ bản sao lưu: hãy đăng ký lại máy với máy chủ trước khi tiếp nhận hồ sơ",
                                 "en": "Data was restored from a backup: enrol this workstation with the server again before receiving dossiers"},
    "restore.invalid_file": {"vi": "Không thể khôi phục từ {path}: {detail}", "en": "Cannot restore from {path}: {detail}"},
    "restore.no_free_slot": {"vi": "Không còn số hiệu máy trống để cấp mã hồ sơ sau khôi phục; hãy đăng ký máy với máy chủ",
                             "en": "No unused workstation slot is left for dossier codes after the restore; enrol with the server"},
    "backup.failed": {"vi": "Sao lưu vào {path} không thành công: {detail}", "en": "Backup to {path} failed: {detail}"},
    "calendar.invalid_file": {"vi": "Tệp lịch không hợp lệ, không có gì thay đổi: {detail}",
                              "en": "Invalid calendar file, nothing was changed: {detail}"},
    "catalog.effective_from.too_early": {"vi": "Ngày hiệu lực phải từ hôm nay và sau {after}",
                                         "en": "The effective date must be today or later and after {after}"},
    "role.invalid": {"vi": "Vai trò không hợp lệ", "en": "Invalid role"},
    "admin.last_administrator": {"vi": "Phải còn ít nhất một quản trị viên đang hoạt động",
                                 "en": "At least one active administrator must remain"},
    "org.level_invalid": {"vi": "Cấp đơn vị không hợp lệ", "en": "Invalid unit level"},
    "org.valid_to_before_from": {"vi": "Ngày hết hiệu lực phải sau ngày có hiệu lực", "en": "Valid-to must be after valid-from"},
    "office.hours_invalid": {"vi": "Giờ làm việc không hợp lệ (HH:MM, các buổi tăng dần, không chồng nhau)",
                             "en": "Invalid office hours (HH:MM, periods in order, not overlapping)"},
    "setting.out_of_range": {"vi": "Giá trị phải từ {min} đến {max}", "en": "Value must be between {min} and {max}"},
    "export.failed": {"vi": "Không ghi được {path}: {detail}", "en": "Cannot write {path}: {detail}"},
}
