"""English texts of the life-cycle screens' later additions (handover, results, return, dossier view, print banner)."""
from __future__ import annotations

EN: dict[str, str] = {
    # --- results back: a Mẫu 02 handed out at the counter ---
    "Hồ sơ {code} được yêu cầu bổ sung ngay tại quầy (Mẫu 02), chưa được tiếp nhận. Khi công dân nộp đủ"
    " giấy tờ, tiếp nhận hồ sơ ở màn hình Tiếp nhận (Ctrl+1).":
        "Dossier {code} got a supplement request at the counter (Form 02) and was never received. When the"
        " citizen brings the papers, receive the dossier on the Reception screen (Ctrl+1).",
    # --- handover: one department per batch ---
    "Đơn vị giải quyết": "Handled by",
    "Bàn giao cho: {agency} (đơn vị giải quyết thủ tục này).": "Handing over to: {agency} (it handles this procedure).",
    "⚠ Hồ sơ này do {agency} giải quyết.": "⚠ This dossier is handled by {agency}.",
    "Hồ sơ {code} ({procedure}) do {agency} giải quyết, không phải {target}: chưa thêm vào danh sách."
    " Lập danh sách riêng cho {agency}, hoặc quét lại mã này để vẫn thêm.":
        "Dossier {code} ({procedure}) is handled by {agency}, not {target}: not added to the list."
        " Make a separate list for {agency}, or scan this code again to add it anyway.",
    "{n} hồ sơ trong danh sách do đơn vị khác giải quyết:\n{lines}\n\nVẫn bàn giao tất cả cho {target}?":
        "{n} dossier(s) in the list are handled by another department:\n{lines}\n\nHand them all over to {target} anyway?",
    "Hồ sơ của đơn vị khác": "Dossiers of another department",
    "Vẫn bàn giao": "Hand over anyway",
    # --- dossier view: who acted ---
    "Tài khoản: {username}": "Account: {username}",
    # --- print banner: a failed print, choose where it goes ---
    "Chọn máy in / thư mục PDF…": "Choose printer / PDF folder…",
    "Chọn nơi in": "Where to print",
    "In ra:": "Print to:",
    "Máy này chưa cài máy in nào. Chọn một thư mục để lưu PDF (in sau từ máy khác).":
        "No printer is installed on this PC. Choose a folder to save the PDF in (print it later from another PC).",
    "Lưu và in lại": "Save and print again",
    "không lưu được PDF vào thư mục {folder} ({detail})": "the PDF could not be saved in the folder {folder} ({detail})",
    "Chọn máy in hoặc thư mục PDF rồi in lại.": "Choose a printer or a PDF folder and print again.",
    "Đã in lại: {where}": "Printed again: {where}",
    # --- second supplement request: a supervisor confirms it ---
    "Yêu cầu bổ sung lần hai: tổ trưởng xác nhận": "Second supplement request: supervisor's confirmation",
    "Lý do yêu cầu bổ sung lần hai:": "Reason for a second request:",
}
