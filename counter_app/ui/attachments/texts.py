"""How an attachment reads on screen: its group, size, pages, who and when, whether it is here."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from counter_app.domain.attachments import MEGABYTE, Attachment, AttachmentRole, AttachmentSource

from ..i18n import due_text, language, tr

RESULT_GROUP = "Kết quả giải quyết (bản điện tử)"


def size_text(size: int) -> str:
    """ "350 KB", "12,3 MB" (a comma in Vietnamese, a point in English)."""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    text = f"{size / MEGABYTE:.1f} MB"
    return text if language() == "en" else text.replace(".", ",")


def pages_text(pages: int) -> str:
    return tr("1 trang") if pages == 1 else tr("{pages} trang").format(pages=pages)


def group_of(attachment: Attachment) -> str:
    """The component a scan belongs to, or the result's own group (translated where shown)."""
    if attachment.role is AttachmentRole.RESULT:
        return tr(RESULT_GROUP)
    return attachment.component or tr("Tệp khác")


def file_label(attachment: Attachment) -> str:
    """The original file's name, else how the file came (a scan, a reuse of an earlier dossier's)."""
    if attachment.filename:
        return attachment.filename
    if attachment.source is AttachmentSource.REUSE:
        return tr("Dùng lại từ hồ sơ trước")
    return tr("Bản quét") if attachment.source is AttachmentSource.SCAN else tr("Tệp nhập")


def title_of(attachment: Attachment, code: str) -> str:
    what = tr("Kết quả điện tử") if attachment.role is AttachmentRole.RESULT else attachment.component
    return f"{what or tr('Tệp')} — {code}"


def added_text(attachment: Attachment, name_of: Callable[[str], str] = lambda username: username) -> str:
    return f"{name_of(attachment.added_by)}, {due_text(attachment.added_at)}"


def local_text(local: bool) -> str:
    return tr("Có trên máy này") if local else tr("Chưa tải về (tải khi mở)")


def results_of(attachments: Sequence[Attachment]) -> list[Attachment]:
    return [a for a in attachments if a.role is AttachmentRole.RESULT]


def result_summary(paper: bool, electronic: Sequence[Attachment]) -> str:
    """ "Kết quả: bản giấy · bản điện tử (2 trang)": what the citizen can be given."""
    kinds = [tr("bản giấy")] if paper else []
    if electronic:
        kinds.append(tr("bản điện tử ({pages})").format(pages=pages_text(sum(a.pages for a in electronic))))
    return tr("Kết quả: {kinds}").format(kinds=" · ".join(kinds) if kinds else tr("chưa có"))
