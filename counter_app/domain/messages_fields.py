"""Human names of the input fields that ``ValidationFailed`` names by key (vi and en).

A message about one field reads "Mật khẩu: Mật khẩu tối thiểu 8 ký tự" rather than
"password: …": the key is for code, the label for people. Codes are "label.<key>";
merged into messages.MESSAGES. A test checks that every key raised has a label.
"""
from __future__ import annotations

_LABELS: dict[str, tuple[str, str]] = {
    # reception
    "procedure": ("Thủ tục", "Procedure"),
    "applicant.name": ("Họ và tên", "Full name"),
    "applicant.id_number": ("Số CCCD/CMND/Hộ chiếu", "ID number"),
    "applicant.phone": ("Điện thoại", "Phone"),
    "applicant.address": ("Địa chỉ", "Address"),
    "applicant.email": ("Email", "Email"),
    "components": ("Thành phần hồ sơ", "Documents"),
    "sets": ("Số bộ", "Sets"),
    "pages": ("Số trang", "Pages"),
    "delivery": ("Nhận kết quả", "Result delivery"),
    "received_at": ("Thời điểm tiếp nhận", "Time received"),
    "note": ("Ghi chú", "Note"),
    "reason": ("Lý do", "Reason"),
    "missing": ("Giấy tờ cần bổ sung", "Documents to add"),
    # accounts and set-up
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "full_name": ("Họ và tên", "Full name"),
    "role": ("Vai trò", "Role"),
    "admin_username": ("Tên đăng nhập quản trị", "Administrator username"),
    "admin_password": ("Mật khẩu quản trị", "Administrator password"),
    "admin_full_name": ("Họ tên quản trị viên", "Administrator's full name"),
    "agency_code": ("Mã định danh cơ quan", "Agency code"),
    "office_name": ("Tên cơ quan", "Office name"),
    "parent_name": ("Cơ quan cấp trên", "Parent agency"),
    "place_name": ("Địa danh", "Place name"),
    "counter_name": ("Tên quầy", "Counter name"),
    # administration
    "code": ("Mã", "Code"),
    "name": ("Tên", "Name"),
    "level": ("Cấp", "Level"),
    "valid_to": ("Hết hiệu lực từ", "Valid to"),
    "hours": ("Giờ làm việc", "Office hours"),
    "version": ("Phiên bản", "Version"),
    "effective_from": ("Ngày hiệu lực", "Effective from"),
    "counting_mode": ("Cách tính thời hạn", "Counting mode"),
    "duration": ("Thời hạn giải quyết", "Processing time"),
    "step_hours": ("Thời gian từng bước (giờ làm việc)", "Step times (working hours)"),
    "extensions": ("Trường hợp gia hạn theo quy định", "Statutory extensions"),
    "extension": ("Gia hạn theo quy định", "Statutory extension"),
    "extension_reason": ("Lý do gia hạn", "Reason for the extension"),
    "source": ("Nguồn", "Source"),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    # lifecycle
    "by": ("Người thực hiện", "Done by"),
    "receiver_id": ("Số giấy tờ người nhận", "Receiver's ID number"),
    "receiver_name": ("Họ tên người nhận", "Receiver's name"),
    "authorisation": ("Văn bản ủy quyền", "Authorisation"),
    "fee_collected": ("Số tiền thu", "Amount collected"),
    # sync
    "server_url": ("Địa chỉ máy chủ", "Server address"),
    # queue
    "config": ("Cấu hình hàng đợi", "Queue configuration"),
    "services": ("Dịch vụ", "Services"),
    "counters": ("Quầy", "Counters"),
    "priority": ("Ưu tiên", "Priority"),
    "priority_run": ("Số lượt ưu tiên liên tiếp", "Priority run"),
    "recall_max": ("Số lần gọi lại", "Recalls"),
    "number_format": ("Mẫu số thứ tự", "Ticket number format"),
    "transfer": ("Chuyển quầy", "Transfer"),
    "dossier_id": ("Hồ sơ", "Dossier"),
}

MESSAGES: dict[str, dict[str, str]] = {f"label.{key}": {"vi": vi, "en": en} for key, (vi, en) in _LABELS.items()}
