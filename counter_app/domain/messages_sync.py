"""Texts of the sync feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sync.revoked_notice": {
        "vi": "Máy trạm đã bị thu hồi quyền đồng bộ; dữ liệu chưa gửi vẫn được giữ. Liên hệ quản trị để đăng ký lại.",
        "en": "This workstation's sync access was revoked; unsent data is kept. Contact the administrator to enrol it again.",
    },
    "sync.clock_behind": {
        "vi": "Đồng hồ máy này chậm {minutes} phút so với máy chủ. Hãy chỉnh lại giờ hệ thống để thời điểm tiếp nhận và hạn trả kết quả được tính đúng.",
        "en": "This PC's clock is {minutes} minutes behind the server. Set the system time so that receipt times and due dates are right.",
    },
    "sync.clock_ahead": {
        "vi": "Đồng hồ máy này nhanh {minutes} phút so với máy chủ. Hãy chỉnh lại giờ hệ thống để thời điểm tiếp nhận và hạn trả kết quả được tính đúng.",
        "en": "This PC's clock is {minutes} minutes ahead of the server. Set the system time so that receipt times and due dates are right.",
    },
    "sync.stamps_ahead": {
        "vi": "Máy chủ chưa nhận một số thay đổi vì giờ ghi trên chúng đi trước đồng hồ máy chủ. Chúng vẫn được giữ "
              "trên máy này và sẽ tự gửi khi đồng hồ khớp; hãy kiểm tra ngày giờ hệ thống.",
        "en": "The server has not taken some changes yet because their time is ahead of the server's clock. They are "
              "kept on this PC and go by themselves once the clocks agree; check the system date and time.",
    },
    "change.too_large": {
        "vi": "Thay đổi quá lớn để đồng bộ ({size} byte, tối đa {limit} byte)",
        "en": "Change too large to sync ({size} bytes, at most {limit})",
    },
    "http.413": {
        "vi": "Máy chủ từ chối một lần gửi quá lớn. Hãy cập nhật ứng dụng hoặc báo cho quản trị.",
        "en": "The server refused a request that was too large. Update the app or tell the administrator.",
    },
    "numbers.exhausted": {"vi": "Máy chủ văn phòng đã cấp hết số thứ tự cho đơn vị {office}; máy trạm dùng dải số dự phòng của mình",
                          "en": "The office hub has no running numbers left for office {office}; the workstation uses its own reserved range"},
    "reception.clock_ahead": {
        "vi": "Đồng hồ máy này nhanh {minutes} phút so với máy chủ nên chưa thể tiếp nhận hồ sơ: thời điểm tiếp nhận và hạn trả kết quả sẽ bị sai. Hãy chỉnh lại giờ hệ thống rồi đồng bộ (Đồng bộ ngay) để máy chủ kiểm tra lại.",
        "en": "This PC's clock is {minutes} minutes ahead of the server, so no dossier can be received: its receipt time and due date would be wrong. Set the system time, then sync (Sync now, or python main.py sync) so the server checks it again.",
    },
    "reception.clock_behind": {
        "vi": "Đồng hồ máy này chậm {minutes} phút so với máy chủ nên chưa thể tiếp nhận hồ sơ: thời điểm tiếp nhận và hạn trả kết quả sẽ bị sai. Hãy chỉnh lại giờ hệ thống rồi đồng bộ (Đồng bộ ngay) để máy chủ kiểm tra lại.",
        "en": "This PC's clock is {minutes} minutes behind the server, so no dossier can be received: its receipt time and due date would be wrong. Set the system time, then sync (Sync now, or python main.py sync) so the server checks it again.",
    },
    "hub.not_enrolled": {
        "vi": "Máy chủ văn phòng chưa đăng ký với máy chủ cấp trên {url}; chạy lại với --upstream-code",
        "en": "This office hub is not enrolled with the upstream server {url}; run again with --upstream-code",
    },
    "hub.upstream_mismatch": {
        "vi": "Máy chủ văn phòng đã đăng ký với {enrolled}, không phải {url}",
        "en": "This office hub is enrolled with {enrolled}, not with {url}",
    },
    "hub.foreign_office": {
        "vi": "Máy chủ văn phòng này chỉ phục vụ đơn vị {hub}, không phục vụ {office}",
        "en": "This office hub serves office {hub} only, not {office}",
    },
    "review.not_found": {
        "vi": "Không tìm thấy mục cần xem xét {item}",
        "en": "No review item {item}",
    },
    "review.supervisor_only": {
        "vi": "Chỉ lãnh đạo/giám sát viên được xác nhận đã xem xét",
        "en": "Only a supervisor may mark an item reviewed",
    },
    "sync.upstream_rejected": {
        "vi": "Máy chủ cấp trên từ chối: {reason}",
        "en": "The upstream server refused it: {reason}",
    },
}
