"""Mẫu 04, 05, 06 and the hand-over list, rendered to real PDFs and read back with
poppler (pdftotext, pdftoppm), pypdf and zbarimg."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from print_helpers import (
    CLERK,
    DEPT,
    MM,
    OFFICE,
    POLICE,
    PRINTED_AT,
    assert_inside_page_and_no_overlap,
    batch_dossiers,
    body_text,
    decode_barcodes,
    event,
    make_dossier,
    page_count,
    pdf_text,
    processed_events,
    save,
    stream_text,
)
from pypdf import PdfReader

from counter_app.domain.errors import DomainError
from counter_app.printing.forms import PrintOptions
from counter_app.printing.handover_list import render_handover_list
from counter_app.printing.lifecycle_forms import (
    render_apology,
    render_control_sheet,
    render_stop_notice,
)
from counter_app.services.views import HandoverBatchView, StepView

CODE = "H45.123-261127-0007"
BATCH = "3f2a9c1e-7b4d-4e2a-9f10-2b6c8d1e5a77"
EXTEND_REASON = "Cần xác minh thông tin nơi cư trú của cha, mẹ trẻ tại Công an phường Đông Hà"
STOP_REASON = "Người yêu cầu có văn bản đề nghị dừng giải quyết do giấy chứng sinh ghi sai họ tên của mẹ"
HEADER_ROW = ("TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ NGƯỜI GIAO NGƯỜI NHẬN KẾT QUẢ GIẢI QUYẾT HỒ SƠ "
              "(Trước hạn/ Đúng hạn/ Quá hạn) GHI CHÚ")
LONG_REASON = ("Hồ sơ phải chờ kết quả xác minh của cơ quan có thẩm quyền theo Luật Hộ tịch năm 2014 và "
               "Nghị định số 123/2015/NĐ-CP; ") * 10


def opts(**kw) -> PrintOptions:
    kw.setdefault("printed_at", PRINTED_AT)
    return PrintOptions(**{"copies": 1, **kw})


def extended(reason: str = EXTEND_REASON):
    return make_dossier(events=(*processed_events(returned=False)[:5], event(
        "extended", datetime(2026, 2, 24, 15, 0), until="2026-03-04T17:00", reason=reason,
        previous_due="2026-02-25T17:00")))


def stopped(reason: str = STOP_REASON):
    return make_dossier(events=(*processed_events(returned=False)[:3],
                                event("stopped", datetime(2026, 2, 23, 9, 0), reason=reason)))


def batch(n: int) -> HandoverBatchView:
    handed_at = datetime(2026, 2, 20, 10, 30)
    return HandoverBatchView(BATCH, DEPT[0], DEPT[1], handed_at, "tran.van.an",
                             batch_dossiers(n, BATCH, handed_at), clerk_name="Trần Văn An")


# --- Mẫu 06 -------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_control_sheet_of_a_returned_dossier(tmp_path: Path, paper: str) -> None:
    pdf = save(render_control_sheet(make_dossier(events=processed_events()), OFFICE, CLERK, opts(paper=paper)),
               tmp_path)
    text = pdf_text(pdf)
    for s in [
        "Mẫu số 06", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND PHƯỜNG ĐÔNG HÀ",
        "Đông Hà, ngày 20 tháng 02 năm 2026",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {CODE}",
        f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, mã hồ sơ: {CODE})",
        "Cơ quan (bộ phận) giải quyết hồ sơ: UBND phường Đông Hà (Công chức Tư pháp - Hộ tịch)",
        "Cơ quan phối hợp giải quyết hồ sơ: Công an phường Đông Hà",
        "Ghi chú: - Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận hồ sơ và việc "
        "ký nhận thể hiện trong hóa đơn của cơ quan bưu chính.",
        "- Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn) do bên nhận hồ sơ ghi khi nhận hồ sơ.",
        "Trang 1/1",
    ]:
        assert s in text, s
    assert "Số:" not in text  # the sheet carries the dossier code, not a letter's number
    cells = stream_text(pdf)  # drawing order: one table row after the other
    assert HEADER_ROW in cells
    rows = [
        "1. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: Công chức Tư pháp - Hộ tịch "
        "10 giờ 30 phút, ngày 20/02/2026 Trần Văn An Lê Thị Mai Trước hạn Kèm 01 bộ hồ sơ giấy",
        "2. Giao: Công chức Tư pháp - Hộ tịch Nhận: Công an phường Đông Hà "
        "14 giờ 00 phút, ngày 23/02/2026 Hoàng Văn Dũng Đúng hạn Xác minh nơi cư trú",
        "3. Giao: Công chức Tư pháp - Hộ tịch Nhận: Bộ phận tiếp nhận và trả kết quả "
        "16 giờ 00 phút, ngày 25/02/2026 Trần Văn An Quá hạn",
        "4. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: Tổ chức, cá nhân "
        "10 giờ 00 phút, ngày 26/02/2026 Trần Văn An Nguyễn Thị Hồng Nhung Quá hạn",
    ]
    missing = [r for r in rows if r not in cells]
    assert missing == []
    assert "5. Giao" not in cells and "… giờ" not in cells  # a returned dossier has no blank rows
    assert decode_barcodes(pdf, tmp_path) == [CODE]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_empty_control_sheet_has_rows_to_fill_by_hand(tmp_path: Path, paper: str) -> None:
    pdf = save(render_control_sheet(make_dossier(), OFFICE, CLERK, opts(paper=paper)), tmp_path)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(pdf)
    assert "Cơ quan phối hợp giải quyết hồ sơ: ……………………" in pdf_text(pdf)
    cells = stream_text(pdf)
    assert cells.count("… giờ … phút, ngày …/…/…") == 4
    assert "1. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: …" in cells
    assert "2. Giao: … Nhận: …" in cells and "3. Giao: … Nhận: …" in cells
    assert "4. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: Tổ chức, cá nhân" in cells
    assert "5. Giao" not in cells


def test_control_sheet_in_progress_ends_with_the_return_row(tmp_path: Path) -> None:
    d = make_dossier(events=processed_events(returned=False)[:3])  # only with Tư pháp so far
    cells = stream_text(save(render_control_sheet(d, OFFICE, CLERK, opts()), tmp_path))
    assert "1. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: Công chức Tư pháp - Hộ tịch 10 giờ 30 phút" in cells
    assert "4. Giao: Bộ phận tiếp nhận và trả kết quả Nhận: Tổ chức, cá nhân" in cells
    assert cells.count("… giờ … phút, ngày …/…/…") == 3
    assert "Trước hạn Kèm" not in cells  # the open step has no judgement yet


def test_control_sheet_prefers_the_services_steps(tmp_path: Path) -> None:
    # The services judge a step when the folder came back (25/02 16:00: on the due day),
    # which the event fallback cannot know; their judgement and signer win.
    step = StepView(from_code="H45.123", from_name="UBND phường Đông Hà", to=DEPT[0], to_name=DEPT[1],
                    handed_at=datetime(2026, 2, 20, 10, 30), batch_id="b-0001", received_by="Lê Thị Mai Anh",
                    done_at=datetime(2026, 2, 25, 16, 0), judgement="on_time")
    d = make_dossier(events=processed_events(), steps=(step,), statutory_due_at=datetime(2026, 2, 25, 17, 0))
    cells = stream_text(save(render_control_sheet(d, OFFICE, CLERK, opts()), tmp_path))
    assert "10 giờ 30 phút, ngày 20/02/2026 Trần Văn An Lê Thị Mai Anh Đúng hạn" in cells
    assert POLICE[1] in cells


def test_control_sheet_long_notes_wrap_inside_the_page(tmp_path: Path) -> None:
    events = list(processed_events())
    events[1] = replace(events[1], data={**events[1].data, "note": LONG_REASON[:600]})
    for paper in ("A4", "A5"):
        pdf = save(render_control_sheet(make_dossier(events=tuple(events)), OFFICE, CLERK, opts(paper=paper)),
                   tmp_path, f"long-{paper}.pdf")
        assert page_count(pdf) > 1  # the row continues on the next page, under the repeated header
        # Drop the page marks and the repeated header row; a word wider than the column is
        # broken across lines, so compare without spaces: every character, in order, once.
        cells = re.sub(r"Mẫu số 06 \S+ In lúc [\d:/ ]+ Trang \d+/\d+", "", stream_text(pdf))
        cells = cells.replace(HEADER_ROW, "")
        assert "".join(LONG_REASON[:600].split()) in "".join(cells.split())
        total = page_count(pdf)
        assert f"Trang {total}/{total}" in pdf_text(pdf, total)
        assert_inside_page_and_no_overlap(pdf)


# --- Mẫu 04 and 05 ------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_apology(tmp_path: Path, paper: str) -> None:
    pdf = save(render_apology(extended(), OFFICE, CLERK, opts(paper=paper)), tmp_path)
    text = pdf_text(pdf)
    for s in [
        "Mẫu số 04", "Số: ……/……", "Đông Hà, ngày 24 tháng 02 năm 2026",  # the day the extension was decided
        f"VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT {CODE} Mã hồ sơ: {CODE}",  # no "HỒ SƠ" in the title
        "Kính gửi: Ông/Bà Nguyễn Thị Hồng Nhung",
        f"Ngày 20/02/2026, UBND PHƯỜNG ĐÔNG HÀ tiếp nhận hồ sơ Đăng ký khai sinh của Ông/Bà; mã hồ sơ {CODE}; "
        "thời hạn trả kết quả theo quy định: 17 giờ 00 phút, ngày 25/02/2026.",
        "Tuy nhiên đến nay, UBND PHƯỜNG ĐÔNG HÀ chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn ghi trên "
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        f"Lý do: {EXTEND_REASON}",
        "Sự chậm trễ này đã gây phiền hà cho Ông/Bà; UBND PHƯỜNG ĐÔNG HÀ xin lỗi Ông/Bà và sẽ trả kết quả giải "
        "quyết hồ sơ cho Ông/Bà vào 17 giờ 00 phút, ngày 04/03/2026.",
        "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.",
        "Nơi nhận:", "- Như trên;", "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)",
    ]:
        assert s in text, s
    assert CLERK.full_name not in text  # signed by the head of the agency, by hand
    assert decode_barcodes(pdf, tmp_path) == [CODE]


def test_apology_prefers_the_view_fields(tmp_path: Path) -> None:
    d = replace(extended(), extended_to=datetime(2026, 3, 6, 10, 0), extension_reason="Chờ ý kiến của Sở Tư pháp")
    text = pdf_text(save(render_apology(d, OFFICE, CLERK, opts()), tmp_path))
    assert "Lý do: Chờ ý kiến của Sở Tư pháp" in text and "vào 10 giờ 00 phút, ngày 06/03/2026" in text


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_stop_notice(tmp_path: Path, paper: str) -> None:
    pdf = save(render_stop_notice(stopped(), OFFICE, CLERK, opts(paper=paper)), tmp_path)
    text = pdf_text(pdf)
    for s in [
        "Mẫu số 05", "Đông Hà, ngày 23 tháng 02 năm 2026", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Ông/Bà Nguyễn Thị Hồng Nhung",
        f"Ngày 20/02/2026, UBND PHƯỜNG ĐÔNG HÀ tiếp nhận hồ sơ của Ông/Bà; mã hồ sơ {CODE}.",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã 1.001193)",
        f"UBND PHƯỜNG ĐÔNG HÀ thông báo dừng giải quyết hồ sơ của Ông/Bà với lý do: {STOP_REASON}",
        "Ông/Bà có thể liên hệ Bộ phận tiếp nhận và trả kết quả để nhận lại hồ sơ (nếu có)",
        "quyền khiếu nại theo quy định của pháp luật.",
        "Xin thông báo để Ông/Bà được biết./.", "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)",
    ]:
        assert s in text, s
    assert decode_barcodes(pdf, tmp_path) == [CODE]


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("render", [render_apology, render_stop_notice])
def test_long_reason_wraps_without_loss(tmp_path: Path, paper: str, render) -> None:
    d = extended(LONG_REASON) if render is render_apology else stopped(LONG_REASON)
    pdf = save(render(d, OFFICE, CLERK, opts(paper=paper)), tmp_path)
    assert " ".join(LONG_REASON.split()) in body_text(pdf)
    total = page_count(pdf)
    assert f"Trang {total}/{total}" in pdf_text(pdf, total)
    assert "THỦ TRƯỞNG CƠ QUAN" in pdf_text(pdf, total)
    assert_inside_page_and_no_overlap(pdf)


# --- common to the four documents ---------------------------------------------------


def _all_documents():
    return [
        lambda o: render_control_sheet(make_dossier(events=processed_events()), OFFICE, CLERK, o),
        lambda o: render_apology(extended(LONG_REASON), OFFICE, CLERK, o),
        lambda o: render_stop_notice(stopped(), OFFICE, CLERK, o),
        lambda o: render_handover_list(batch(20), OFFICE, CLERK, o),
    ]


@pytest.mark.parametrize("index", range(4))
def test_reprint_is_marked_on_every_page_and_copies_are_honoured(tmp_path: Path, index: int) -> None:
    render = _all_documents()[index]
    original = save(render(opts()), tmp_path, "original.pdf")
    assert "BẢN SAO" not in body_text(original) and "BẢN SAO" not in pdf_text(original)
    pdf = save(render(opts(reprint=True, paper="A5")), tmp_path)
    for page in range(1, page_count(pdf) + 1):
        assert "BẢN SAO" in pdf_text(pdf, page)
    two = save(render(opts(copies=2)), tmp_path, "two.pdf")
    assert page_count(two) == 2 * page_count(original)
    assert "Liên 2" in pdf_text(two, page_count(original) + 1)


@pytest.mark.parametrize("render", [render_control_sheet, render_apology, render_stop_notice])
def test_default_is_one_a4_copy(tmp_path: Path, render) -> None:
    pdf = save(render(make_dossier(), OFFICE, CLERK), tmp_path)
    box = PdfReader(str(pdf)).pages[0].mediabox
    assert page_count(pdf) == 1
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)


def test_invalid_options_are_refused() -> None:
    with pytest.raises(DomainError) as err:
        render_stop_notice(stopped(), OFFICE, CLERK, PrintOptions(paper="Letter"))
    assert err.value.code == "printing.invalid_paper"
    with pytest.raises(DomainError) as err:
        render_handover_list(batch(1), OFFICE, CLERK, PrintOptions(copies=0))
    assert err.value.code == "printing.invalid_copies"


# --- hand-over list -----------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size_mm"), [("A4", (210, 297)), ("A5", (210, 148))])
def test_handover_list_of_fifty(tmp_path: Path, paper: str, size_mm: tuple[int, int]) -> None:
    b = batch(50)
    b = replace(b, dossiers=(replace(b.dossiers[0], current_due_at=datetime(2026, 3, 4, 17, 0)), *b.dossiers[1:]))
    pdf = save(render_handover_list(b, OFFICE, CLERK, opts(paper=paper)), tmp_path)
    pages = page_count(pdf)
    assert pages >= 3
    first = pdf_text(pdf, 1)
    for s in [
        "DANH SÁCH BÀN GIAO HỒ SƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 3F2A9C1E",
        "Đông Hà, ngày 20 tháng 02 năm 2026",
        "Bên giao: Bộ phận tiếp nhận và trả kết quả – UBND PHƯỜNG ĐÔNG HÀ",
        "Bên nhận: Công chức Tư pháp - Hộ tịch (mã H45.123.02)",
        "Thời gian bàn giao: 10 giờ 30 phút, ngày 20/02/2026",
    ]:
        assert s in first, s
    decoded: list[str] = []
    for page in range(1, pages + 1):
        box = PdfReader(str(pdf)).pages[page - 1].mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == size_mm
        text = pdf_text(pdf, page)
        assert all(h in text for h in ("TT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Ghi chú")), page  # header repeated
        assert f"Trang {page}/{pages}" in text
        decoded += decode_barcodes(pdf, tmp_path, page)
    assert sorted(decoded) == sorted(d.code for d in b.dossiers)  # every row scans, none twice
    cells = stream_text(pdf)
    assert "H45.123-260220-0001" in cells and "04/03/2026 17 giờ 00" in cells  # the current (extended) due
    assert "Tôn Nữ Thị Hoàng Yến Phương Thảo" in cells
    assert "Hồ sơ có bản chính giấy chứng sinh, đề nghị bảo quản cẩn thận" in cells
    last = pdf_text(pdf, pages)
    assert "Tổng cộng: 50 hồ sơ" in last and "NGƯỜI GIAO" in last and "NGƯỜI NHẬN" in last
    assert "Trần Văn An" in last
    assert "H45.123-260220-0050" in last  # the signatures never stand alone on a page
    assert_inside_page_and_no_overlap(pdf)


def test_handover_list_with_old_style_codes_still_scans(tmp_path: Path) -> None:
    # The longest codes (old agency code) at the minimum module must still fit and decode.
    dossiers = tuple(replace(d, code=f"000.00.12.H36-230711-{i:04d}") for i, d in enumerate(batch(6).dossiers, 1))
    b = replace(batch(6), dossiers=dossiers)
    for paper in ("A4", "A5"):
        pdf = save(render_handover_list(b, OFFICE, CLERK, opts(paper=paper)), tmp_path, f"old-{paper}.pdf")
        decoded = [c for p in range(1, page_count(pdf) + 1) for c in decode_barcodes(pdf, tmp_path, p)]
        assert sorted(decoded) == [d.code for d in dossiers]
        assert_inside_page_and_no_overlap(pdf)


def test_empty_handover_list(tmp_path: Path) -> None:
    pdf = save(render_handover_list(batch(0), OFFICE, CLERK, opts()), tmp_path)
    text = pdf_text(pdf)
    assert "Tổng cộng: 0 hồ sơ" in text and "(không có hồ sơ)" in text
    assert decode_barcodes(pdf, tmp_path) == []
