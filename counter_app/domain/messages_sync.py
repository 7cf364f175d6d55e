"""Texts of the sync feature's domain codes (vi and en); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "sync.revoked_notice": "Máy trạm đã bị thu hồi quyền đồng bộ; dữ liệu chưa gửi vẫn được giữ. Liên hệ quản trị để "
                           "đăng ký lại.",
    "sync.clock_behind": "Đồng hồ máy này chậm {minutes} phút so với máy chủ. Hãy chỉnh lại giờ hệ thống để thời điểm "
                         "tiếp nhận và hạn trả kết quả được tính đúng.",
    "sync.clock_ahead": "Đồng hồ máy này nhanh {minutes} phút so với máy chủ. Hãy chỉnh lại giờ hệ thống để thời điểm "
                        "tiếp nhận và hạn trả kết quả được tính đúng.",
    "sync.stamps_ahead": "Máy chủ chưa nhận một số thay đổi vì giờ ghi trên chúng đi trước đồng hồ máy chủ. Chúng vẫn "
                         "được giữ trên máy này và sẽ tự gửi khi đồng hồ khớp; hãy kiểm tra ngày giờ hệ thống.",
    "change.too_large": "Thay đổi quá lớn để đồng bộ ({size} byte, tối đa {limit} byte)",
    "http.413": "Máy chủ từ chối một lần gửi quá lớn. Hãy cập nhật ứng dụng hoặc báo cho quản trị.",
    "numbers.exhausted": "Máy chủ văn phòng đã cấp hết số thứ tự cho đơn vị {office}; máy trạm dùng dải số dự phòng "
                         "của mình",
    "reception.clock_ahead": "Đồng hồ máy này nhanh {minutes} phút so với máy chủ nên chưa thể tiếp nhận hồ sơ: thời "
                             "điểm tiếp nhận và hạn trả kết quả sẽ bị sai. Hãy chỉnh lại giờ hệ thống rồi đồng bộ "
                             "(Đồng bộ ngay) để máy chủ kiểm tra lại.",
    "reception.clock_behind": "Đồng hồ máy này chậm {minutes} phút so với máy chủ nên chưa thể tiếp nhận hồ sơ: thời "
                              "điểm tiếp nhận và hạn trả kết quả sẽ bị sai. Hãy chỉnh lại giờ hệ thống rồi đồng bộ "
                              "(Đồng bộ ngay) để máy chủ kiểm tra lại.",
    "hub.not_enrolled": "Máy chủ văn phòng chưa đăng ký với máy chủ cấp trên {url}; chạy lại với --upstream-code",
    "hub.upstream_mismatch": "Máy chủ văn phòng đã đăng ký với {enrolled}, không phải {url}",
    "hub.foreign_office": "Máy chủ văn phòng này chỉ phục vụ đơn vị {hub}, không phục vụ {office}",
    "review.not_found": "Không tìm thấy mục cần xem xét {item}",
    "review.supervisor_only": "Chỉ lãnh đạo/giám sát viên được xác nhận đã xem xét",
    "sync.upstream_rejected": "Máy chủ cấp trên từ chối: {reason}",
    # No parameters: a round's problem is shown from its code alone (the versions are in the update line).
    "sync.version_unsupported": "Máy chủ không nhận dữ liệu từ phiên bản này của chương trình. Máy này vẫn làm việc "
                                "bình thường; dữ liệu chưa gửi được giữ lại và sẽ tự gửi sau khi cập nhật.",
    "config.update": "Cấu hình cập nhật của máy chủ không hợp lệ: {detail}",
    "update.not_found": "Máy chủ không có bộ cài {name}",
    "update.none": "Máy chủ chưa có bản cập nhật nào để tải về",
    "update.not_newer": "Bản {version} trên máy chủ không mới hơn bản đang dùng ({current})",
    "update.bad_name": "Máy chủ đặt tên bộ cài không hợp lệ ({name}); không tải về",
    "update.folder": "Không ghi được vào thư mục cập nhật {path}: {detail}",
    "update.size_mismatch": "Tệp tải về có {size} byte thay vì {expected} byte; đã xoá tệp. Hãy thử tải lại.",
    "update.hash_mismatch": "Mã kiểm tra SHA-256 của tệp tải về không khớp với máy chủ công bố; đã xoá tệp. Hãy thử "
                            "tải lại hoặc báo cho quản trị.",
    "update.signature_invalid": "Chữ ký số của bộ cài không hợp lệ ({detail}); đã xoá tệp, không cài đặt.",
    "update.download_failed": "Không tải được bản cập nhật ({detail}); máy vẫn dùng phiên bản hiện tại. Hãy thử lại "
                              "sau.",
    "update.download_cut": "Tải bản cập nhật bị gián đoạn sau {done} byte ({detail}); phần đã tải được giữ lại, lần "
                           "sau chỉ tải tiếp phần còn thiếu.",
    "update.signing_missing": "Không tìm thấy tệp chứng thư {path}",
    "update.changed": "Bộ cài {name} đã bị thay đổi từ khi máy chủ khởi động; khởi động lại máy chủ để công bố lại",
}
