"""Texts of the attachments' domain codes (vi; English in the gettext catalogue); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "file.empty": "Tệp rỗng (0 byte): không có gì để đính kèm",
    "file.too_large": "Tệp quá lớn ({size}, tối đa {limit} mỗi tệp)",
    "file.disk_full": "Ổ đĩa đầy, không lưu được tệp vào {path}. Hãy giải phóng chỗ trống rồi thử lại; hồ sơ không "
                      "bị ảnh hưởng.",
    "file.write_failed": "Không lưu được tệp vào {path}: {detail}",
    "file.hash_mismatch": "Tệp {sha256}… nhận được bị hỏng (mã kiểm tra không khớp); đã bỏ và sẽ tải lại",
    "file.not_downloaded": "Tệp chưa được tải về máy này và hiện không kết nối được máy chủ. Hãy thử lại khi có mạng.",
    "file.store_missing": "Máy này chưa có thư mục lưu tệp đính kèm",
    "attachment.dossier_full": "Tổng dung lượng tệp của hồ sơ vượt giới hạn ({size}, tối đa {limit} mỗi hồ sơ)",
    "attachment.bad_hash": "Mã tệp không hợp lệ: {sha256}",
    "attachment.bad_size": "Kích thước hoặc số trang của tệp không hợp lệ ({size} byte, {pages} trang)",
    "attachment.unreadable": "Không đọc được thông tin tệp đính kèm của sự kiện {event}",
    "attachment.not_found": "Không tìm thấy tệp đính kèm {id} trong hồ sơ",
    "attachment.component_unknown": "Hồ sơ không có thành phần «{component}»",
    "sign.certificate_unreadable": "Không đọc được tệp chứng thư số {path}: {detail}",
    "sign.certificate_invalid": "Tệp chứng thư số {path} không dùng được (sai mật khẩu hoặc không phải tệp PKCS#12): "
                                "{detail}",
    "sign.failed": "Không ký số được bản điện tử: {detail}. Bản điện tử chưa được giao cho công dân.",
}
