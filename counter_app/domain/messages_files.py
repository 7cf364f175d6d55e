"""Texts of the file channel's domain codes (vi; English in the catalogue); merged into messages.MESSAGES.

``file.too_large``, ``file.hash_mismatch`` and ``file.not_downloaded`` are the attachments' own
(messages_attachments.py): the server and the channel say the same thing with them."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # The server's refusals (server/files.py, server/files_routes.py)
    "file.bad_hash": "Mã băm tệp không hợp lệ: {sha256} (cần đúng 64 chữ số thập lục phân viết thường)",
    "file.bad_chunk": "Đoạn tệp không hợp lệ: vị trí {offset}, dài {length} byte, tệp {total} byte",
    "file.not_referenced": "Đơn vị {office} không có hồ sơ nào đính kèm tệp {sha256}",
    "file.offset_mismatch": "Máy chủ đang giữ {received} byte của tệp nên không nhận đoạn bắt đầu ở byte {offset}; "
                            "gửi tiếp từ byte {received}",
    "file.chunk_too_large": "Một đoạn tệp quá lớn ({size} byte, tối đa {limit} byte)",
    "file.range_invalid": "Khoảng byte {range} không hợp lệ cho tệp dài {size} byte",
    "file.not_found": "Máy chủ chưa có tệp {sha256}",
    "server.files_unset": "Máy chủ chưa được chỉ định thư mục lưu tệp đính kèm (serve --files THƯ_MỤC)",
    # The counter's file channel (sync/files.py)
    "file.missing_locally": "Tệp {sha256} không còn trên máy này nên không gửi lên máy chủ được; hãy đính kèm lại "
                            "tài liệu này",
    "file.resent_mismatch": "Tệp {sha256} gửi lại vẫn không khớp mã băm ở máy chủ; tệp trên máy này có thể đã hỏng",
    "file.download_mismatch": "Tệp {sha256} tải về không khớp mã băm nên đã bị bỏ; sẽ tải lại ở lần đồng bộ sau",
}
