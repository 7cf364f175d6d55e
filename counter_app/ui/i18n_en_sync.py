"""English texts of the sync screens, keyed by the Vietnamese source text; merged into i18n_en.EN."""
from __future__ import annotations

EN: dict[str, str] = {
    # screen title, badge, banner
    "Đồng bộ": "Sync",
    "Trực tuyến": "Online",
    "Ngoại tuyến": "Offline",
    "Có lỗi đồng bộ": "Sync problems",
    "Đã thu hồi quyền đồng bộ": "Sync access revoked",
    "Chưa đồng bộ lần nào": "Not synced yet",
    "Chưa đăng ký đồng bộ": "Not enrolled for sync",
    "hồ sơ": "dossier(s)",
    "bước xử lý": "step(s)",
    "lượt xếp hàng": "queue event(s)",
    "chưa có": "never",
    "không có": "nothing",
    "Lần cuối: {when}": "Last: {when}",
    "Chờ gửi: {what}": "Waiting: {what}",
    "đang đồng bộ…": "syncing…",
    "Mở màn hình Đồng bộ": "Open the Sync screen",
    "Xem đồng bộ": "Sync details",
    # Sync screen
    "Đồng bộ dữ liệu với máy chủ": "Data sync with the server",
    "Đăng ký và trạng thái": "Enrolment and state",
    "Máy chủ": "Server",
    "Đơn vị": "Office",
    "Mã máy trạm": "Workstation id",
    "Khe số hồ sơ": "Dossier number slot",
    "Trạng thái": "Status",
    "Đồng bộ thành công gần nhất": "Last successful sync",
    "Chờ gửi lên": "Waiting to go up",
    "Bị giữ lại sau thay đổi bị từ chối": "Held behind a rejected change",
    "Thay đổi tải về đang chờ hồ sơ gốc": "Downloaded changes waiting for their dossier",
    "Máy này chưa đăng ký với máy chủ; dữ liệu chỉ lưu trên máy.": "This workstation is not enrolled with a server; data stays on this PC.",
    "Đồng bộ ngay": "Sync now",
    "Đang đồng bộ…": "Syncing…",
    "Thay đổi bị máy chủ từ chối": "Changes the server refused",
    "Thay đổi bị từ chối không bị xóa. Sau khi xử lý nguyên nhân, chọn dòng và bấm Gửi lại."
    " Xung đột dữ liệu giữa các máy được máy chủ ghi lại để giám sát viên xem xét.":
        "Refused changes are never deleted. Once the cause is fixed, select the row and press Send again."
        " Data conflicts between workstations are recorded on the server for a supervisor to review.",
    "Gửi lại": "Send again",
    "Các lần đồng bộ gần đây": "Recent sync rounds",
    "Thời điểm": "Time",
    "Loại": "Kind",
    "Mã đối tượng": "Record id",
    "Lý do": "Reason",
    "Bắt đầu": "Started",
    "Gửi lên": "Sent",
    "Tải về": "Received",
    "Bị từ chối": "Refused",
    "Kết quả": "Result",
    "Thành công": "Succeeded",
    # enrolment in the first-run wizard
    "Dùng mã đăng ký do quản trị viên cấp; tài khoản và danh mục tải về từ máy chủ.":
        "Use the enrolment code from the administrator; accounts and the catalogue come from the server.",
    "Nhập địa chỉ máy chủ và mã đăng ký quản trị viên đã cấp cho máy này. Danh mục thủ tục,"
    " lịch làm việc và tài khoản cán bộ sẽ được tải về từ máy chủ.":
        "Enter the server address and the enrolment code the administrator issued for this PC. The procedure"
        " catalogue, the working calendar and the clerks' accounts will be downloaded from the server.",
    "Địa chỉ máy chủ": "Server address",
    "Mã đăng ký máy (do quản trị viên cấp)": "Enrolment code (from the administrator)",
    "Tên máy trạm": "Workstation name",
    "Đăng ký": "Enrol",
    "Đang tải dữ liệu từ máy chủ: {count} mục": "Downloading from the server: {count} items",
    "Đã tải về {count} mục": "Downloaded {count} items",
}
