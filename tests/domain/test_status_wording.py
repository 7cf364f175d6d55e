"""Status names in the national portal's wording (DVCQG TrangThaiHoSo), as exports and its lookups show them."""
from __future__ import annotations

from counter_app.domain.messages import message

PORTAL = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ", 8: "Dừng xử lý", 9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


def test_status_names_follow_the_national_portal():
    assert {n: message(f"status.{n}", "vi") for n in PORTAL} == PORTAL
    assert all(message(f"status.{n}", "en") != message(f"status.{n}", "vi") for n in PORTAL)  # English exists
