"""Human names of the input fields that ``ValidationFailed`` names by key (Vietnamese; the English is in the catalogue).

A message about one field reads "Mật khẩu: Mật khẩu tối thiểu 8 ký tự" rather than
"password: …": the key is for code, the label for people. Codes are "label.<key>";
merged into messages.MESSAGES. A test checks that every key raised has a label.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # reception
    "label.procedure": "Thủ tục",
    "label.applicant.name": "Họ và tên",
    "label.applicant.id_number": "Số CCCD/CMND/Hộ chiếu",
    "label.applicant.phone": "Điện thoại",
    "label.applicant.address": "Địa chỉ",
    "label.applicant.email": "Email",
    "label.components": "Thành phần hồ sơ",
    "label.sets": "Số bộ",
    "label.pages": "Số trang",
    "label.delivery": "Nhận kết quả",
    "label.received_at": "Thời điểm tiếp nhận",
    "label.note": "Ghi chú",
    "label.reason": "Lý do",
    "label.missing": "Giấy tờ cần bổ sung",
    # accounts and set-up
    "label.username": "Tên đăng nhập",
    "label.password": "Mật khẩu",
    "label.full_name": "Họ và tên",
    "label.role": "Vai trò",
    "label.admin_username": "Tên đăng nhập quản trị",
    "label.admin_password": "Mật khẩu quản trị",
    "label.admin_full_name": "Họ tên quản trị viên",
    "label.agency_code": "Mã định danh cơ quan",
    "label.office_name": "Tên cơ quan",
    "label.parent_name": "Cơ quan cấp trên",
    "label.place_name": "Địa danh",
    "label.counter_name": "Tên quầy",
    # administration
    "label.code": "Mã",
    "label.name": "Tên",
    "label.level": "Cấp",
    "label.valid_to": "Hết hiệu lực từ",
    "label.hours": "Giờ làm việc",
    "label.version": "Quyết định công bố",
    "label.effective_from": "Ngày hiệu lực",
    "label.counting_mode": "Cách tính thời hạn",
    "label.duration": "Thời hạn giải quyết",
    "label.step_hours": "Thời gian từng bước (giờ làm việc)",
    "label.extensions": "Trường hợp gia hạn theo quy định",
    "label.alternatives": "Giấy tờ thay thế",
    "label.extension": "Gia hạn theo quy định",
    "label.extension_reason": "Lý do gia hạn",
    "label.source": "Nguồn",
    "label.legal_basis": "Căn cứ pháp lý",
    # lifecycle
    "label.by": "Người thực hiện",
    "label.receiver_id": "Số giấy tờ người nhận",
    "label.receiver_name": "Họ tên người nhận",
    "label.authorisation": "Văn bản ủy quyền",
    "label.fee_collected": "Số tiền thu",
    # sync
    "label.server_url": "Địa chỉ máy chủ",
    # queue
    "label.config": "Cấu hình hàng đợi",
    "label.services": "Dịch vụ",
    "label.counters": "Quầy",
    "label.priority": "Ưu tiên",
    "label.priority_run": "Số lượt ưu tiên liên tiếp",
    "label.recall_max": "Số lần gọi lại",
    "label.number_format": "Mẫu số thứ tự",
    "label.transfer": "Chuyển quầy",
    "label.dossier_id": "Hồ sơ",
}
