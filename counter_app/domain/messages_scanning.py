"""Texts of the scanning and file-import codes (vi; English in the catalogue); merged into messages.MESSAGES."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- scanners ---
    "scan.no_driver": "Máy này không có trình điều khiển máy quét ({system}): trên Linux cần SANE, trên Windows "
                      "cần TWAIN",
    "scan.no_scanner": "Không tìm thấy máy quét nào. Kiểm tra cáp và nguồn của máy quét rồi bấm Tìm lại",
    "scan.device_missing": "Không thấy máy quét {device}. Kiểm tra cáp hoặc chọn máy khác trong Cài đặt",
    "scan.io_error": "Mất kết nối với máy quét khi đang quét (đã nhận {pages} trang). Kiểm tra cáp rồi quét lại",
    "scan.jammed": "Kẹt giấy trong máy quét (đã nhận {pages} trang). Gỡ tờ bị kẹt rồi quét tiếp",
    "scan.cover_open": "Nắp máy quét đang mở. Đóng nắp rồi quét lại",
    "scan.no_paper": "Khay nạp giấy không có giấy. Đặt giấy vào khay rồi quét lại",
    "scan.busy": "Máy quét đang bận (một chương trình khác đang dùng). Chờ một lát rồi quét lại",
    "scan.failed": "Máy quét báo lỗi: {reason}",
    "scan.no_pages": "Chưa có trang nào để ghép thành tệp PDF",
    # --- files brought in (USB stick, phone photo); file.empty, file.too_large and file.disk_full are the
    # attachments' (messages_attachments.py): one text wherever a file is refused for its size ---
    "file.unsupported": "Không đính kèm được loại tệp {kind}: chỉ nhận PDF, JPEG, PNG hoặc TIFF",
    "file.corrupt_image": "Tệp ảnh {filename} bị hỏng hoặc không đọc được",
    "file.pdf_encrypted": "Tệp PDF {filename} có mật khẩu. Hãy bỏ mật khẩu rồi đính kèm lại",
    "file.pdf_damaged": "Tệp PDF {filename} bị hỏng, không đọc được",
    "file.unreadable": "Không đọc được tệp {filename}: {reason}",
    # --- text recognition ---
    "ocr.not_installed": "Chưa cài nhận dạng chữ (OCR): thiếu {tool}",
    "ocr.failed": "Nhận dạng chữ không thành công: {reason}",
}
