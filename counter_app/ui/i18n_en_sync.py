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
    "Chờ cấp trên xác nhận: {count}": "Awaiting upstream: {count}",
    "đang đồng bộ…": "syncing…",
    "Mở màn hình Đồng bộ": "Open the Sync screen",
    "Xem đồng bộ": "Sync details",
    # Sync screen
    "Đồng bộ dữ liệu với máy chủ": "Data sync with the server",
    "Đăng ký và trạng thái": "Enrolment and state",
    "Máy chủ": "Server",
    "Đơn vị": "Office",
    "Mã máy trạm": "Workstation id",
    "Dải số hồ sơ của máy này": "This workstation's dossier number range",
    "Trạng thái": "Status",
    "Đồng bộ thành công gần nhất": "Last successful sync",
    "Chờ gửi lên": "Waiting to go up",
    "Bị giữ lại sau thay đổi bị từ chối": "Held behind a rejected change",
    "Thay đổi tải về đang chờ hồ sơ gốc": "Downloaded changes waiting for their dossier",
    # not enrolled: what to do
    "Máy này chưa đăng ký đồng bộ với máy chủ": "This workstation is not enrolled with a sync server",
    "<mã đơn vị>": "<office code>",
    "<địa chỉ máy chủ>": "<server address>",
    "<mã đăng ký>": "<enrolment code>",
    "<tài khoản quản trị>": "<administrator's username>",
    "Xin quản trị viên của đơn vị địa chỉ máy chủ và một mã đăng ký máy (dùng một lần) cấp cho đơn vị {office}.":
        "Ask your office administrator for the server address and a one-time enrolment code issued for office {office}.",
    "Trên máy này, mở cửa sổ dòng lệnh trong thư mục cài đặt chương trình và chạy:":
        "On this PC, open a command prompt in the program's installation folder and run:",
    "Khởi động lại chương trình: màn hình này sẽ hiện trạng thái đồng bộ; mọi việc đã lưu trên máy được gửi lên máy chủ.":
        "Restart the program: this screen then shows the sync state, and everything saved on this PC is sent to the server.",
    "Máy vẫn làm việc bình thường khi không có mạng: tiếp nhận, bàn giao, trả kết quả đều được lưu trên máy này và"
    " không bị mất.":
        "This PC works fully offline meanwhile: receptions, handovers and returns are saved on this PC and nothing is lost.",
    "Cách đăng ký máy với máy chủ:": "How to enrol this PC with the server:",
    "Quản trị viên cấp mã trên máy chủ bằng lệnh:": "The administrator issues the code on the server with:",
    "Đồng bộ ngay": "Sync now",
    "Đang đồng bộ…": "Syncing…",
    "Thay đổi bị máy chủ từ chối": "Changes the server refused",
    "Thay đổi bị từ chối không bị xóa. Sau khi xử lý nguyên nhân, chọn dòng và bấm Gửi lại.":
        "Refused changes are never deleted. Once the cause is fixed, select the row and press Send again.",
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
    # supervisor review and hub confirmation on the Sync screen
    "Đã gửi máy chủ văn phòng, chờ cấp trên xác nhận": "Sent to the office hub, awaiting upstream confirmation",
    "Phát hiện lúc": "Found at",
    "Mã hồ sơ": "Dossier code",
    "Vấn đề": "Problem",
    "Chi tiết": "Detail",
    "Cần lãnh đạo xem xét": "Awaiting a supervisor",
    "Máy chủ giữ lại cả hai bản khi dữ liệu các máy mâu thuẫn (trùng mã hồ sơ, trả kết quả"
    " hai lần, sửa đè nhau). Đối chiếu hồ sơ giấy, xử lý, rồi bấm Đã xem xét.":
        "The server keeps both versions when workstations disagree (one code on two dossiers, a result returned"
        " twice, edits overwriting each other). Check the paper file, settle it, then press Reviewed.",
    "Máy chủ giữ lại cả hai bản khi dữ liệu các máy mâu thuẫn. Lãnh đạo bộ phận sẽ xem xét"
    " các mục này.":
        "The server keeps both versions when workstations disagree. The head of the unit reviews these items.",
    "Đã xem xét": "Reviewed",
    "Xác nhận đã xem xét": "Mark as reviewed",
    "Ghi chú cách xử lý (không bắt buộc):": "How it was settled (optional):",
    "Trùng mã hồ sơ": "Duplicate dossier code",
    "Trình tự xử lý không hợp lệ": "Steps out of order",
    "Sửa đổi bị ghi đè": "Edit overwritten",
    "Bước xử lý từ đơn vị khác": "Step from another office",
    "Người nộp": "Applicant",
    "Thành phần hồ sơ": "Documents",
    "Số bộ hồ sơ": "Number of sets",
    "Số trang": "Pages",
    "Hình thức nhận kết quả": "Result delivery",
    "Hạn trả kết quả": "Due date",
    "Cơ quan giải quyết": "Competent agency",
    "Giấy tờ cần bổ sung": "Documents to add",
    "Phí, lệ phí": "Fees",
    "Ghi chú": "Note",
    "Một hồ sơ khác cũng mang mã {code}; kiểm tra dải số hồ sơ của các máy trạm":
        "Another dossier has the code {code} too; check the workstations' dossier number ranges",
    "Bước «{step}» ghi trên hai máy hoặc sai trình tự; đối chiếu hồ sơ giấy":
        "Step “{step}” recorded on two workstations or out of order; check the paper file",
    "{field}: giữ «{kept}», bản sửa bị ghi đè «{lost}»": "{field}: kept “{kept}”, overwritten edit “{lost}”",
}
