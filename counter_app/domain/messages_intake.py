"""Texts of the integration clients' and the intake API's codes (vi; English in the catalogue).

Merged into messages.MESSAGES. The intake API answers in English (``message(code, "en")``);
the Vietnamese reads the same on the server's command line for an office's IT staff."""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Integration clients (server/integration.py)
    "client.name_invalid": "Tên hệ thống tích hợp phải có từ 1 đến {max} ký tự",
    "client.scope_unknown": "Quyền không hợp lệ: {scope} (các quyền: {known})",
    "client.offices_too_many": "Một hệ thống tích hợp được gán tối đa {max} đơn vị",
    "client.unknown": "Không có hệ thống tích hợp mã {id}",
    "client.revoked": "Mã truy cập của hệ thống tích hợp này đã bị thu hồi",
    "client.scope_missing": "Hệ thống tích hợp này không được cấp quyền {scope}",
}
