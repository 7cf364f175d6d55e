"""Texts of the codes of a result PDF picked from a folder (vi; English in the gettext catalogue); merged into
messages.MESSAGES. File sizes are the attachments' codes (file.empty, file.too_large)."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "result_file.not_pdf": "Tệp {filename} không phải PDF: kết quả điện tử phải là một tệp PDF",
    "result_file.damaged": "Tệp PDF {filename} bị hỏng, không đọc được",
    "result_file.locked": "Tệp PDF {filename} có mật khẩu. Hãy bỏ mật khẩu rồi đính kèm lại",
    "result_file.unreadable": "Không đọc được tệp {filename}: {reason}",
}
